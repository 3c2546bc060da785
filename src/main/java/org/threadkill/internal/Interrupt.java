package org.threadkill.internal;

import java.time.Duration;
import java.util.List;

import org.threadkill.JvmState;
import org.threadkill.KillMode;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;

/** {@link KillMode#INTERRUPT}: {@code Thread.interrupt()}, then watch. */
public final class Interrupt {
    private Interrupt() {}

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static KillResult apply(Thread t, Duration wait) {
        JvmState before = Lookup.stateOf(t);
        StuckWork work = t == Thread.currentThread() ? null : StuckWork.of(t.getStackTrace());
        KillEvents.beforeKill();
        long t0 = System.nanoTime();
        t.interrupt();
        if (t == Thread.currentThread()) {
            return new KillResult(t.getName(), t.getId(), -1, KillMode.INTERRUPT, KillOutcome.STILL_RUNNING,
                    Duration.ZERO, null, before, List.of(), "interrupted itself; a thread cannot watch itself stop");
        }
        return Watch.watch(t, KillMode.INTERRUPT, wait, t0, before, work, false,
                "the thread ignores its interrupt (or is in native code)");
    }
}
