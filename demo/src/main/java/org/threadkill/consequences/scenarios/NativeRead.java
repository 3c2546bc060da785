package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Proc;
import org.threadkill.consequences.Waits;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;
import org.threadkill.testing.Victims;

/** 5. The victim is blocked in a native {@code read(2)} on a pipe nobody writes to; then GC, new threads, exit. */
@Scenarios.Order(5)
public final class NativeRead extends Scenario {
    public NativeRead() {
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(NO_EFFECT));
        expect(NATIVE_FREEZE, certain(LEAK));
        expect(NATIVE_EXIT, certain(LEAK, JVM_CRASH));
        expect(NATIVE_CANCEL, certain(LEAK, JVM_CRASH));
        // Deadline: frozen in read(2) after the two Java steps, which cannot reach it (8 of 8 on 17 and 25)
        expect(DEADLINE, certain(LEAK));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "blocked in read(2) on a pipe inside a native call; then System.gc(), a new thread, exit";
    }

    @Override
    public Runnable work(Cell cell) {
        int[] pipe = Victims.pipe();
        return () -> Victims.blockingRead(pipe[0]);
    }

    /** Until its OS thread sleeps (in read(2)), 2 s at most. */
    @Override
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
        Waits.until(() -> "S".equals(Proc.osState(tidOf(t))), 2000);
        Thread.sleep(50);
    }

    static int tidOf(Thread t) {
        try {
            return (int) org.threadkill.ThreadKill.nativeId(t).tid();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public String holds() {
        return "(sleeps in the kernel, in read(2) on a pipe)";
    }
}
