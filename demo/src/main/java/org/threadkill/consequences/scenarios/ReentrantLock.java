package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Outcome.*;

import java.util.concurrent.TimeUnit;

import org.threadkill.KillResult;
import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Waits;
import org.threadkill.consequences.Probes;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;

/** 2. The victim holds a {@link java.util.concurrent.locks.ReentrantLock} while it sleeps; a contender calls {@code tryLock} with a timeout. */
@Scenarios.Order(2)
public final class ReentrantLock extends Scenario {
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

    public ReentrantLock() {
        expect(INTERRUPT, certain(CLEAN));
        expect(ASYNC_EXCEPTION, certain(CLEAN));
        expect(NATIVE_FREEZE, certain(DEADLOCK, LEAK));
        expect(NATIVE_EXIT, certain(DEADLOCK, LEAK, JVM_CRASH));
        expect(NATIVE_CANCEL, certain(DEADLOCK, LEAK, JVM_CRASH));
        // Deadline: INTERRUPT ends the sleep, finally unlocks (14 of 14 on 17 and 25). On 17, twice the ladder
        // judged INTERRUPT STILL_RUNNING and stopped there, the exception saying nothing stopped the task, which
        // had ended: the cell's note says so (DeadlineRun.checkAnswer)
        expect(DEADLINE, certain(CLEAN));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "holds a ReentrantLock while sleeping; a contender calls tryLock(1.5 s)";
    }

    @Override
    public Runnable work(Cell cell) {
        return () -> {
            lock.lock();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // asked to stop
            } finally {
                lock.unlock();
            }
        };
    }

    @Override
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
        Waits.until(() -> lock.isLocked() && t.getState() == Thread.State.TIMED_WAITING, 5000);
    }

    @Override
    public void probe(Cell cell, Thread victim, KillResult kill) throws Exception {
        Probes.Result p = cell.probes().bounded("contender", "lock.tryLock(1.5 s) on a probe thread", Probes.WAIT_MS + 1000, () -> {
            boolean got = lock.tryLock(Probes.WAIT_MS, TimeUnit.MILLISECONDS);
            if (got) lock.unlock();
            return got ? "acquired" : "timed out";
        });
        if (!p.finished()) {
            cell.findings().blockedForGood("tryLock with a timeout did not even return: " + cell.victim().describe(p.thread()));
        } else if ("timed out".equals(p.text())) {
            cell.findings().blockedForGood("tryLock(" + Probes.WAIT_MS + " ms) timed out; the lock is held by "
                    + cell.victim().now() + ", which will never unlock it");
        }
    }
}
