package org.threadkill.consequences.scenarios;

import org.threadkill.KillResult;
import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Waits;
import org.threadkill.consequences.Probes;
import org.threadkill.consequences.Scenario;
import org.threadkill.testing.Victims;

/** 7. The victim holds a native pthread mutex (and naps in nanosleep); another thread locks it with a timeout. */
abstract class NativeMutexBase extends Scenario {
    private static final int SLOT = 7;
    private final boolean robust;
    private long mutex;

    NativeMutexBase(boolean robust) {
        this.robust = robust;
    }

    @Override
    public String title() {
        return "holds a " + (robust ? "robust " : "") + "pthread mutex in a native call (napping in nanosleep); "
                + "another thread calls pthread_mutex_timedlock(1.5 s)";
    }

    @Override
    public Runnable work(Cell cell) {
        mutex = Victims.mutexNew(robust);
        return () -> Victims.holdMutex(mutex, SLOT);
    }

    @Override
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
        Waits.until(() -> Victims.counter(SLOT) == 1, 5000);
        Thread.sleep(20);
    }

    @Override
    public String holds() {
        return "a " + (robust ? "robust " : "") + "pthread mutex (in C, invisible to the JVM)";
    }

    @Override
    public void probe(Cell cell, Thread victim, KillResult kill) throws Exception {
        Probes.Result p = cell.probes().bounded("contender", "pthread_mutex_timedlock(1.5 s) on a probe thread",
                Probes.WAIT_MS + 1000, () -> {
                    int rc = Victims.tryMutex(mutex, (int) Probes.WAIT_MS);
                    return rc == 0 ? "acquired" : rc == Victims.ETIMEDOUT ? "ETIMEDOUT"
                            : rc == Victims.EOWNERDEAD ? "EOWNERDEAD: acquired from a dead owner" : "error " + rc;
                });
        if (p.ok() && p.text().startsWith("EOWNERDEAD")) {
            cell.timeline().note("pthread_mutex_timedlock returned EOWNERDEAD: the robust mutex was handed over because its owner "
                    + "thread ended; whatever it guarded may be half-updated (the new owner must repair it)");
        }
        if (!p.finished()) {
            cell.findings().blockedForGood("pthread_mutex_timedlock did not return: " + cell.victim().describe(p.thread()));
        } else if ("ETIMEDOUT".equals(p.text())) {
            cell.findings().blockedForGood("pthread_mutex_timedlock timed out after " + Probes.WAIT_MS
                    + " ms: the mutex stays locked by " + cell.victim().now());
        }
    }
}
