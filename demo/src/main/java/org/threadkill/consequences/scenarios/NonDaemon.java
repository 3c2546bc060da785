package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import java.util.Set;

import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Column;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;

/** 10. A non-daemon victim sleeps; after the kill, {@code main} returns normally and the JVM should exit. */
@Scenarios.Order(11)
public final class NonDaemon extends Scenario {
    public NonDaemon() {
        expect(INTERRUPT, certain(CLEAN));
        expect(ASYNC_EXCEPTION, certain(CLEAN));
        expect(NATIVE_FREEZE, certain(LEAK, JVM_HANG));    // exit waits for the frozen non-daemon thread
        // JDK 17: the exit waits for the dead thread (a hang), unless a young GC comes first and walks
        // its overwritten frames (a crash): seen 2-3 of 4 runs each under load (issue 8's clean-clone
        // runs), so both are recorded.
        expect(NATIVE_EXIT, varies(set(LEAK, JVM_HANG), set(LEAK, JVM_CRASH)));
        expect(NATIVE_CANCEL, varies(set(LEAK, JVM_HANG), set(LEAK, JVM_CRASH)));
        // JDK 25: the kill returns, and the VM thread then walks the dead thread's frames (which its
        // exit path overwrote) and crashes before main can return.
        // (a hang instead when the kill's own wait ends first: seen once each on a quiet machine)
        expect(25, NATIVE_EXIT, varies(set(LEAK, JVM_CRASH), set(LEAK, JVM_HANG)));
        expect(25, NATIVE_CANCEL, varies(set(LEAK, JVM_CRASH), set(LEAK, JVM_HANG)));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "a non-daemon victim sleeps; after the kill main returns and the JVM should exit";
    }

    /** No {@link Column#DEADLINE} cell: a Deadline runs its task on a daemon runner of its own: the work cannot be
     * a non-daemon thread at exit, which is what this scenario is about. */
    @Override
    public Set<Column> columns() {
        return withoutDeadline();
    }

    @Override
    public Thread start(Cell cell) throws Exception {
        return startSleeper(false);
    }

    @Override
    public boolean commonProbes() {
        return false;
    }
}
