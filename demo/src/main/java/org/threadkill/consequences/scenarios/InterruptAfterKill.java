package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Outcome.*;

import java.util.Set;

import org.threadkill.KillResult;
import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Column;
import org.threadkill.consequences.Probes;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;

/**
 * 11b. A sleeping victim is killed, then interrupted (before anything else can break the JVM):
 * does {@code interrupt()} return, and does the JVM reach its next safepoint afterwards?
 */
@Scenarios.Order(13)
public final class InterruptAfterKill extends Scenario {
    public InterruptAfterKill() {
        expect(INTERRUPT, certain(CLEAN));
        expect(ASYNC_EXCEPTION, certain(CLEAN));
        expect(NATIVE_FREEZE, certain(LEAK));
        expect(NATIVE_EXIT, certain(LEAK, JVM_HANG));      // interrupt() blocks in the VM on a mutex the unwinding re-took
        expect(NATIVE_CANCEL, certain(LEAK, JVM_HANG));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "a sleeping victim is killed, then interrupt() is called on it; then GC";
    }

    /** No {@link Column#DEADLINE} cell: it interrupts the killed thread; a Deadline's runner outlives a task it
     * stopped (and the ladder interrupts it itself), so there is no killed thread to interrupt. */
    @Override
    public Set<Column> columns() {
        return withoutDeadline();
    }

    @Override
    public Thread start(Cell cell) throws Exception {
        return startSleeper(true);
    }

    @Override
    public void probe(Cell cell, Thread victim, KillResult kill) throws Exception {
        Probes.Result p = cell.probes().bounded("interrupt", "victim.interrupt()", Probes.WAIT_MS, () -> {
            victim.interrupt();
            return "returned";
        });
        if (!p.finished()) {
            cell.findings().blockedForGood("interrupt() of the victim never returned: " + cell.victim().describe(p.thread())
                    + "; the victim is " + cell.victim().now());
        }
    }
}
