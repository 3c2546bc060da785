package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;
import org.threadkill.testing.VictimKind;

/** 3. The victim spins in pure (compiled) Java code and ignores interrupts; then GC and exit. */
@Scenarios.Order(3)
public final class JavaSpin extends Scenario {
    public JavaSpin() {
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(CLEAN));
        expect(NATIVE_FREEZE, certain(LEAK));
        // the JVM freezes at the next safepoint; when that comes while the kill is still being
        // watched (a periodic safepoint, ~1 s on JDK 17), the leak is never reported
        expect(NATIVE_EXIT, varies(set(LEAK, JVM_HANG), set(JVM_HANG)));
        expect(NATIVE_CANCEL, certain(NO_EFFECT));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "spins in pure Java, ignoring interrupts; then System.gc(), a new thread, exit";
    }

    @Override
    public Thread start(Cell cell) throws Exception {
        return VictimKind.JAVA_SPIN.start("victim");
    }

    @Override
    public long progress() {
        return VictimKind.JAVA_SPIN.progress();
    }
}
