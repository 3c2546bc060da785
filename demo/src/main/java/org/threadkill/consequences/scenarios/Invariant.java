package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.KillResult;
import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Waits;
import org.threadkill.consequences.Probes;
import org.threadkill.consequences.Outcome;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;

/**
 * 9. The victim keeps two fields equal under {@code synchronized}: it bumps one, works a little,
 * bumps the other (it checks for interrupts between updates). After the kill a reader takes the
 * monitor and checks that they are equal.
 */
@Scenarios.Order(10)
public final class Invariant extends Scenario {
    private final Object lock = new Object();
    // volatile only so that the JIT keeps the two stores where the source has them (it may otherwise
    // sink a++ to the end of the block); the monitor is what is supposed to protect them.
    private volatile long a;
    private volatile long b;
    private volatile long updates;
    private volatile long sink;

    public Invariant() {
        expect(INTERRUPT, certain(CLEAN));
        // where the exception (or the suspension) lands: inside the block almost always
        expect(ASYNC_EXCEPTION, varies(set(CORRUPTION), set(CLEAN)));
        expect(NATIVE_FREEZE, varies(set(DEADLOCK, LEAK), set(LEAK)));
        // the JVM freezes at the next safepoint; when that comes while the kill is still being
        // watched (a periodic safepoint, ~1 s on JDK 17), the leak is never reported
        expect(NATIVE_EXIT, varies(set(LEAK, JVM_HANG), set(JVM_HANG)));
        // the cancellation stays pending until the victim blocks at a cancellation point inside the VM
        // The cancellation stays pending after kill() returns STILL_RUNNING and may act later, at a
        // cancellation point inside the VM: then the JVM hangs or, seen once in 8 runs, crashes.
        expect(NATIVE_CANCEL, varies(set(NO_EFFECT), set(NO_EFFECT, JVM_HANG), set(NO_EFFECT, JVM_CRASH)));
        // Deadline: the victim checks interrupts between updates: INTERRUPT ends it, a == b kept (8 of 8 on 17 and 25)
        expect(DEADLINE, certain(CLEAN));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "keeps a == b under synchronized (a++, some work, b++), checking interrupts between updates; a reader checks";
    }

    @Override
    public Runnable work(Cell cell) {
        return () -> {
            while (!Thread.currentThread().isInterrupted()) {
                synchronized (lock) {
                    a++;
                    long x = 0;
                    for (int i = 0; i < 100_000; i++) x += i * a;   // the window in which a != b
                    sink = x;
                    b++;
                }
                updates++;
            }
        };
    }

    @Override
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
        Waits.until(() -> updates > 2_000, 5000);
    }

    @Override
    public String holds() {
        return "the monitor guarding a == b, most of the time";
    }

    @Override
    public long progress() {
        return updates;
    }

    @Override
    public void probe(Cell cell, Thread victim, KillResult kill) throws Exception {
        Probes.Result p = cell.probes().bounded("reader", "a reader enters synchronized (lock) and checks a == b",
                Probes.WAIT_MS, () -> {
                    synchronized (lock) {
                        return a == b ? "a == b == " + a : "a=" + a + " b=" + b;
                    }
                });
        if (!p.finished()) {
            cell.findings().blockedForGood("reader " + cell.victim().describe(p.thread()) + " after " + Probes.WAIT_MS + " ms");
        } else if (p.ok() && !p.text().startsWith("a == b")) {
            cell.findings().add(Outcome.CORRUPTION, "invariant broken: the reader sees " + p.text()
                    + " (the monitor was released in the middle of an update)");
        }
    }
}
