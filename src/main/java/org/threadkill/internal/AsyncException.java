package org.threadkill.internal;

import java.time.Duration;

import org.threadkill.JvmState;
import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKilledError;

/** {@link KillMode#ASYNC_EXCEPTION}: JVMTI {@code StopThread} with a {@link ThreadKilledError}, then watch. */
public final class AsyncException {
    private AsyncException() {}

    public static KillResult apply(Thread t, Duration wait) {
        Library.ensureLoaded();
        JvmState before = Lookup.stateOf(t);
        StuckWork work = StuckWork.of(t.getStackTrace());
        KillEvents.beforeKill();
        long t0 = System.nanoTime();
        int err = Native.stop0(t, new ThreadKilledError("killed by threadkill (ASYNC_EXCEPTION)"));
        if (err == Native.JVMTI_ERROR_THREAD_NOT_ALIVE) return Watch.terminated(t, KillMode.ASYNC_EXCEPTION);
        if (err != Native.JVMTI_ERROR_NONE) {
            throw new IllegalStateException("JVMTI StopThread failed: " + Native.jvmtiErrorName0(err) + " (" + err + ")");
        }
        return Watch.watch(t, KillMode.ASYNC_EXCEPTION, wait, t0, before, work, true,
                before == JvmState.IN_NATIVE
                        ? "the exception stays pending while the thread is in native code; it lands when the call returns"
                        : "the thread has not ended: it may catch Throwable, or be in native code");
    }
}
