package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;
import org.threadkill.consequences.Waits;
import org.threadkill.testing.Victims;

/** 4. The victim spins inside a native method; then GC, new threads, exit. */
@Scenarios.Order(4)
public final class NativeSpin extends Scenario {
    private static final int SLOT = 4;

    public NativeSpin() {
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(NO_EFFECT));
        expect(NATIVE_FREEZE, certain(LEAK));
        expect(NATIVE_EXIT, certain(LEAK, JVM_CRASH));
        expect(NATIVE_CANCEL, certain(NO_EFFECT));
        // Deadline: neither Java step reaches C code; the freeze does: its runner is lost for good (8 of 8 on 17 and 25)
        expect(DEADLINE, certain(LEAK));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "spins inside a native call; then System.gc(), a new thread, exit";
    }

    @Override
    public Runnable work(Cell cell) {
        return () -> Victims.spin(SLOT);
    }

    /** Until the C loop has run a million times, 2 s at most. */
    @Override
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
        Waits.until(() -> Victims.counter(SLOT) > 1_000_000, 2000);
    }

    @Override
    public String holds() {
        return "(runs C code: out of reach of interrupts and async exceptions)";
    }

    @Override
    public long progress() {
        return Victims.counter(SLOT);
    }
}
