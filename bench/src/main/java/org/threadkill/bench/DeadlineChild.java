package org.threadkill.bench;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.threadkill.KillMode;
import org.threadkill.run.Deadline;
import org.threadkill.run.DeadlineExceededException;
import org.threadkill.testing.Victims;

/**
 * Child-JVM program: a {@link Deadline} that fires (issue 11). Each try runs a task that never ends
 * by itself (a loop of Java code that ignores interrupts, or a loop inside a native call) with a
 * short budget and the default ladder, and times the caller's side: from the deadline (the caller's
 * clock before {@code call}, plus the budget) to the moment the caller holds the
 * {@link DeadlineExceededException}. One line per try, flushed at once:
 * {@code f <deadline to exception ns> <step that stopped it|NONE> <phases entered> <task may still run>
 * <that step's latency ns|-1>}. "Phases entered" counts the ladder's steps up to and including the one
 * that stopped the task (each may take one grace); all of them when none did. The step's latency is
 * {@code killResult().latency()}: from the step to the task's end (the freeze: to its handler), which
 * tells the step's own time from the rest of the machinery (snapshots, the exception's message).
 *
 * <p>Arguments: victim kind (JAVA_SPIN or NATIVE_SPIN), tries, warm-up tries, budget ms, grace ms,
 * first victim slot (NATIVE_SPIN: each try spins in a slot of its own; frozen runners keep theirs).
 */
public final class DeadlineChild {
    private DeadlineChild() {}

    /** The loop of the JAVA_SPIN task; never set: the task ends only when something stops it. */
    static volatile boolean stop;
    static long sink;

    public static void main(String[] args) throws Exception {
        KillChild.QUIET.setLevel(Level.OFF);   // one WARNING per freeze would be timed too
        Victim.Kind kind = Victim.Kind.valueOf(args[0]);
        int n = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        Duration budget = Duration.ofMillis(Long.parseLong(args[3]));
        Duration grace = Duration.ofMillis(Long.parseLong(args[4]));
        int slot0 = Integer.parseInt(args[5]);
        KillChild.info("jdk", Runtime.version().toString());
        Deadline deadline = Deadline.of(budget).grace(grace);
        List<KillMode> ladder = deadline.ladderSteps();
        // The run layer's first use starts its background warm-up (the first snapshot loads the
        // native library and classes): let it finish before the first measured try.
        deadline.call(() -> 0);
        Thread.sleep(1000);
        for (int i = 0; i < warmup + n; i++) {
            int slot = (slot0 + i) % Victims.SLOTS;
            Runnable task = kind == Victim.Kind.NATIVE_SPIN ? nativeSpin(slot) : DeadlineChild::javaSpin;
            long t0 = System.nanoTime();
            long caught;
            DeadlineExceededException e;
            try {
                deadline.run(task);
                throw new IllegalStateException("a task that never ends returned");
            } catch (DeadlineExceededException x) {
                caught = System.nanoTime();
                e = x;
            }
            long latency = caught - t0 - budget.toNanos();
            KillMode by = e.stoppedBy();
            int phases = by == null ? ladder.size() : ladder.indexOf(by) + 1;
            long step = e.killResult() == null || e.killResult().latency() == null ? -1 : e.killResult().latency().toNanos();
            if (i == warmup) KillChild.info("first_message", e.getMessage());
            if (i >= warmup) {
                KillChild.OUT.println("f " + latency + " " + (by == null ? "NONE" : by.name()) + " " + phases + " "
                        + e.taskMayStillRun() + " " + step);
                KillChild.OUT.flush();
            }
            if (e.taskMayStillRun() && kind == Victim.Kind.NATIVE_SPIN) Victims.release(slot);
        }
        KillChild.OUT.println("done");
        KillChild.OUT.flush();
        Runtime.getRuntime().halt(0);   // frozen runners stay parked; the parent reaps us anyway
    }

    private static void javaSpin() {
        while (!stop) sink++;
    }

    private static Runnable nativeSpin(int slot) {
        Victims.reset(slot);
        return () -> Victims.spin(slot);
    }
}
