package org.threadkill.internal;

import java.time.Duration;
import java.util.List;

import org.threadkill.JvmState;
import org.threadkill.KillMode;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;

/** Watching a thread stop after a Java-level mode, and the result for one that had already ended. */
public final class Watch {
    private Watch() {}

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static KillResult terminated(Thread t, KillMode mode) {
        return new KillResult(t.getName(), t.getId(), -1, mode, KillOutcome.ALREADY_TERMINATED, Duration.ZERO,
                null, JvmState.UNKNOWN, List.of(), "the thread had already terminated; nothing was sent");
    }

    /** Joins {@code t} for up to {@code wait} from {@code t0} and says whether it ended. */
    @SuppressWarnings("deprecation")
    static KillResult join(Thread t, KillMode mode, Duration wait, long t0, JvmState before, String stillRunning) {
        try {
            long nanos = Durations.saturatedNanos(wait);
            if (nanos > 0) t.join(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long elapsed = System.nanoTime() - t0;
        boolean stopped = !t.isAlive();
        return new KillResult(t.getName(), t.getId(), -1, mode,
                stopped ? KillOutcome.STOPPED : KillOutcome.STILL_RUNNING,
                stopped ? Duration.ofNanos(elapsed) : wait, null, before, List.of(),
                stopped ? "the thread ended" : stillRunning);
    }
}
