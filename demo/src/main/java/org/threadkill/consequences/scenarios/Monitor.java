package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.KillResult;
import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Waits;
import org.threadkill.consequences.Probes;
import org.threadkill.consequences.Outcome;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;

/**
 * 1. The victim holds a {@code synchronized} monitor while it sleeps; after the kill a new thread
 * tries to enter. Mutual exclusion is checked with a flag the victim clears (in {@code finally})
 * before it leaves the block.
 */
@Scenarios.Order(1)
public final class Monitor extends Scenario {
    private final Object lock = new Object();
    private volatile boolean victimInside;

    public Monitor() {
        expect(INTERRUPT, certain(CLEAN));
        expect(ASYNC_EXCEPTION, certain(CLEAN));
        expect(NATIVE_FREEZE, certain(DEADLOCK, LEAK));
        // JDK 17 stack locking: the new thread runs on the dead thread's cached stack, so the lock
        // record the dead thread left there looks like its own: it enters. JDK 25: it blocks.
        expect(17, NATIVE_EXIT, certain(CORRUPTION, LEAK, JVM_CRASH));
        expect(25, NATIVE_EXIT, certain(DEADLOCK, LEAK, JVM_CRASH));
        expect(17, NATIVE_CANCEL, certain(CORRUPTION, LEAK, JVM_CRASH));
        expect(25, NATIVE_CANCEL, certain(DEADLOCK, LEAK, JVM_CRASH));
        // Deadline: the ladder's INTERRUPT ends the sleep and the block is left (8 of 8 on 17 and 25)
        expect(DEADLINE, certain(CLEAN));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "holds a synchronized monitor while sleeping; a new thread then tries to enter";
    }

    @Override
    public Runnable work(Cell cell) {
        return () -> {
            synchronized (lock) {
                victimInside = true;
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // asked to stop: leave the block
                } finally {
                    victimInside = false;
                }
            }
        };
    }

    @Override
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
        Waits.until(() -> victimInside && t.getState() == Thread.State.TIMED_WAITING, 5000);
    }

    @Override
    public void probe(Cell cell, Thread victim, KillResult kill) throws Exception {
        Probes.Result p = cell.probes().boundedNewThread("contender", "contender", "a new thread enters synchronized (lock)",
                Probes.WAIT_MS, () -> {
                    synchronized (lock) {
                        return victimInside ? "ENTERED although the victim never left the block" : "entered";
                    }
                });
        if (!p.finished()) {
            cell.findings().blockedForGood("contender " + cell.victim().describe(p.thread()) + " after " + Probes.WAIT_MS + " ms");
        } else if (p.ok() && victimInside) {
            cell.findings().add(Outcome.CORRUPTION, "mutual exclusion broken: the contender entered the monitor while "
                    + cell.victim().now() + " never left its synchronized block");
        }
    }
}
