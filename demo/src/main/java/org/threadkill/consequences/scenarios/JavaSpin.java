package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import java.util.concurrent.atomic.AtomicLong;

import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;
import org.threadkill.consequences.Waits;

/** 3. The victim spins in pure (compiled) Java code and ignores interrupts; then GC and exit. */
@Scenarios.Order(3)
public final class JavaSpin extends Scenario {
    private static final AtomicLong SPINS = new AtomicLong();

    public JavaSpin() {
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(CLEAN));
        expect(NATIVE_FREEZE, certain(LEAK));
        // the JVM freezes at the next safepoint; when that comes while the kill is still being
        // watched (a periodic safepoint, ~1 s on JDK 17), the leak is never reported
        expect(NATIVE_EXIT, varies(set(LEAK, JVM_HANG), set(JVM_HANG)));
        expect(NATIVE_CANCEL, certain(NO_EFFECT));
        // Deadline: INTERRUPT is ignored, ASYNC_EXCEPTION ends the loop; no native step (14 of 14 on 17 and 25)
        expect(DEADLINE, certain(CLEAN));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "spins in pure Java, ignoring interrupts; then System.gc(), a new thread, exit";
    }

    @Override
    public Runnable work(Cell cell) {
        return () -> {
            while (true) SPINS.incrementAndGet();
        };
    }

    /** Until the loop has run a million times (and been compiled), 2 s at most. */
    @Override
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
        Waits.until(() -> SPINS.get() > 1_000_000, 2000);
    }

    @Override
    public long progress() {
        return SPINS.get();
    }
}
