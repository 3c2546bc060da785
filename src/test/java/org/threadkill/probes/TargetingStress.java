package org.threadkill.probes;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.internal.Diagnostics;
import org.threadkill.testing.ChildJvm;

/**
 * Child-JVM program: races kills against victims that are exiting at that very moment, while other
 * threads are created all the time (reusing the dead victims' stacks, pthread_t values and,
 * eventually, tids). A kill that hit anyone but its victim would show as a bystander or churn
 * thread that stops making progress, a STOPPED victim that is no longer alive, or a handler run that
 * matched no request (Diagnostics.straySignals).
 *
 * <p>Phase 1 sends the kill signal in the acknowledge-only mode (the same targeting as every native
 * mode; the victim then goes on exiting, so tids and stacks recycle fast). Phase 2 uses the public
 * NATIVE_FREEZE. Each frozen victim gets a thread group of its own: a victim frozen inside its own
 * exit can hold its group's monitor (JDK 17's ThreadGroup.threadTerminated), which would block every
 * other thread of that group. Arguments: acknowledged kills, freezes.
 */
public final class TargetingStress {
    private TargetingStress() {}

    public static void main(String[] args) throws Exception {
        int acks = Integer.parseInt(args[0]);
        int kills = Integer.parseInt(args[1]);
        ThreadGroup others = new ThreadGroup("others");
        AtomicBoolean stop = new AtomicBoolean();
        int nBystanders = 3;
        AtomicLongArray bystanderProgress = new AtomicLongArray(nBystanders);
        for (int i = 0; i < nBystanders; i++) {
            int k = i;
            Thread b = new Thread(others, () -> {
                while (!stop.get()) {
                    bystanderProgress.incrementAndGet(k);
                    Thread.yield();
                }
            }, "bystander-" + i);
            b.setDaemon(true);
            b.start();
        }
        // Churn: a stream of short-lived threads, each of which must finish its small job.
        AtomicLong churnStarted = new AtomicLong();
        AtomicLong churnFinished = new AtomicLong();
        Thread churner = new Thread(others, () -> {
            while (!stop.get()) {
                churnStarted.incrementAndGet();
                Thread c = new Thread(others, () -> churnFinished.incrementAndGet(), "churn", 256 * 1024);
                c.start();
                try {
                    c.join();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "churner");
        churner.setDaemon(true);
        churner.start();

        int acked = 0, ackTerminated = 0, ackOther = 0;
        for (int i = 0; i < acks; i++) {
            CountDownLatch go = new CountDownLatch(1);
            Thread victim = new Thread(others, () -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    // exits either way
                }
            }, "ack-victim-" + i, 256 * 1024);
            victim.setDaemon(true);
            victim.start();
            go.countDown();
            if ((i & 1) == 1) Thread.yield();
            Diagnostics.Ack ack = Diagnostics.acknowledgeSignal(victim, ChildJvm.scaled(Duration.ofMillis(200)));
            if (ack.acknowledged()) acked++;
            else if (ack.terminated()) ackTerminated++;
            else ackOther++;
            if (i % 500 == 499) System.out.println("acks=" + (i + 1));
        }
        System.out.println("acked=" + acked);
        System.out.println("ackTerminated=" + ackTerminated);
        System.out.println("ackOther=" + ackOther);

        int stopped = 0, terminated = 0, stillRunning = 0, wrong = 0;
        for (int i = 0; i < kills; i++) {
            CountDownLatch go = new CountDownLatch(1);
            Thread victim = new Thread(new ThreadGroup("victim-" + i), () -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    // exits either way
                }
            }, "victim-" + i, 256 * 1024);
            victim.setDaemon(true);
            victim.start();
            boolean exiting = i % 4 != 0;          // every fourth victim is frozen while it waits
            if (exiting) go.countDown();           // the victim starts to exit now ...
            if ((i & 1) == 1) Thread.yield();      // ... and half the time gets a head start
            KillResult r = ThreadKill.kill(victim, KillMode.NATIVE_FREEZE, ChildJvm.scaled(Duration.ofMillis(200)));
            go.countDown();
            switch (r.outcome()) {
                case STOPPED:
                    stopped++;
                    // The frozen thread must be the victim: still registered, never finished.
                    if (!victim.isAlive()) wrong++;
                    break;
                case ALREADY_TERMINATED:
                    terminated++;
                    break;
                default:
                    stillRunning++;
                    System.out.println("still-running=" + r);
            }
            if (i % 100 == 99) System.out.println("progress=" + (i + 1));
        }

        long[] before = new long[nBystanders];
        for (int i = 0; i < nBystanders; i++) before[i] = bystanderProgress.get(i);
        long churnBefore = churnFinished.get();
        Thread.sleep(300);
        int stuckBystanders = 0;
        for (int i = 0; i < nBystanders; i++) if (bystanderProgress.get(i) == before[i]) stuckBystanders++;
        boolean churnProgressing = churnFinished.get() > churnBefore;
        stop.set(true);
        churner.join(10_000);

        System.out.println("kills=" + kills);
        System.out.println("stopped=" + stopped);
        System.out.println("terminated=" + terminated);
        System.out.println("stillRunning=" + stillRunning);
        System.out.println("wrongVictims=" + wrong);
        System.out.println("stuckBystanders=" + stuckBystanders);
        System.out.println("churnProgressing=" + churnProgressing);
        System.out.println("churnThreads=" + churnFinished.get());
        System.out.println("churnLost=" + (churnStarted.get() - churnFinished.get()));
        System.out.println("straySignals=" + Diagnostics.straySignals());
        System.out.println("done=true");
    }
}
