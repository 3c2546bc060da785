package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Waits;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;

/** 13. The victim spins in Java, catches {@code Throwable} and carries on (and ignores interrupts). */
@Scenarios.Order(15)
public final class Swallow extends Scenario {
    private volatile long rounds;
    private volatile long swallowed;
    private volatile long sink;

    public Swallow() {
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(NO_EFFECT));
        expect(NATIVE_FREEZE, certain(LEAK));
        // the JVM freezes at the next safepoint; when that comes while the kill is still being
        // watched (a periodic safepoint, ~1 s on JDK 17), the leak is never reported
        expect(NATIVE_EXIT, varies(set(LEAK, JVM_HANG), set(JVM_HANG)));
        expect(NATIVE_CANCEL, certain(NO_EFFECT));
        // Deadline: INTERRUPT ignored, ASYNC_EXCEPTION swallowed, then frozen (17: 11 of 11, 25: 14 of 14)
        expect(DEADLINE, certain(LEAK));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "spins in Java inside try { } catch (Throwable t) { carry on }";
    }

    @Override
    public Runnable work(Cell cell) {
        return () -> {
            while (true) {
                try {
                    long x = 0;
                    for (int i = 0; i < 100_000; i++) x += i ^ rounds;
                    sink = x;
                    rounds++;
                } catch (Throwable e) {
                    swallowed++;
                }
            }
        };
    }

    @Override
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
        Waits.until(() -> rounds > 2000, 5000);
    }

    @Override
    public long progress() {
        return rounds;
    }

    @Override
    public String holds() {
        return "(catches every Throwable: " + swallowed + " swallowed so far)";
    }

    @Override
    public void probe(Cell cell, Thread victim, org.threadkill.KillResult kill) {
        cell.timeline().ev("victim.swallowed", swallowed + " Throwable(s) caught and ignored by the victim");
        if (swallowed > 0) cell.timeline().note("the victim caught " + swallowed + " Throwable(s) and carried on");
    }
}
