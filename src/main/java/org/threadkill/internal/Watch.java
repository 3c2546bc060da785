package org.threadkill.internal;

import java.time.Duration;
import java.util.List;

import org.threadkill.JvmState;
import org.threadkill.KillMode;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;

/**
 * Watching a thread after a Java-level mode: until it ends, or its stuck work ends, or the wait
 * runs out. The wait is honoured whole even when the caller is interrupted (its flag is set again
 * at the end): a killer being shut down must not take a harsher step sooner because of it.
 */
public final class Watch {
    private Watch() {}

    /** Longest pause between two looks at the thread's stack (each look is a handshake with it). */
    private static final long MAX_SLICE_NANOS = 50_000_000L;
    /** Longest pause between two nudges of a thread with a pending async exception. */
    private static final long MAX_NUDGE_SLICE_NANOS = 2_000_000L;
    /** A thread whose work ended may be on its way out: how long to give it to end. */
    private static final long EXITING_GRACE_NANOS = 20_000_000L;

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static KillResult terminated(Thread t, KillMode mode) {
        return new KillResult(t.getName(), t.getId(), -1, mode, KillOutcome.ALREADY_TERMINATED, Duration.ZERO,
                null, JvmState.UNKNOWN, List.of(), "the thread had already terminated; nothing was sent");
    }

    /**
     * Watches {@code t} for up to {@code wait} from {@code t0}.
     *
     * @param work  the stuck work when the kill started (null: watch for the thread's end only)
     * @param nudge after an async exception: take the thread's stack trace now and then, a handshake
     *              that makes a thread in a loop without safepoint polls notice the pending exception
     *              (without it JDK 17 and 25 left it pending in most tries against a regex backtrack)
     */
    @SuppressWarnings("deprecation")
    static KillResult watch(Thread t, KillMode mode, Duration wait, long t0, JvmState before, StuckWork work,
                            boolean nudge, String stillRunning) {
        long deadline = t0 + Durations.saturatedNanos(wait);
        if (deadline < t0) deadline = Long.MAX_VALUE;
        boolean interrupted = false;
        long slice = 1_000_000L;
        KillOutcome outcome = KillOutcome.STILL_RUNNING;
        while (true) {
            if (!t.isAlive()) {
                outcome = KillOutcome.STOPPED;
                break;
            }
            if (nudge || work != null) {
                StackTraceElement[] now = t.getStackTrace();
                if (!t.isAlive()) {
                    outcome = KillOutcome.STOPPED;
                    break;
                }
                if (work != null && work.endedIn(now)) {
                    outcome = KillOutcome.WORK_ENDED;
                    try {   // ending, rather than back in a pool? then it is STOPPED
                        t.join(EXITING_GRACE_NANOS / 1_000_000);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                    if (!t.isAlive()) outcome = KillOutcome.STOPPED;
                    break;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            long nanos = Math.min(left, slice);
            try {
                t.join(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
            slice = Math.min(nudge ? MAX_NUDGE_SLICE_NANOS : MAX_SLICE_NANOS, slice * 2);
        }
        if (interrupted) Thread.currentThread().interrupt();
        long elapsed = System.nanoTime() - t0;
        String detail = outcome == KillOutcome.STOPPED ? "the thread ended"
                : outcome == KillOutcome.WORK_ENDED
                        ? "the stuck call ended (" + work.entry() + " is no longer on its stack); the thread lives on"
                        : stillRunning + (interrupted ? " (the caller was interrupted meanwhile; the wait was honoured)" : "");
        return new KillResult(t.getName(), t.getId(), -1, mode, outcome,
                outcome == KillOutcome.STILL_RUNNING ? wait : Duration.ofNanos(elapsed), null, before, List.of(), detail);
    }
}
