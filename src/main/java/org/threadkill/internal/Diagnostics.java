package org.threadkill.internal;

import java.time.Duration;
import java.util.List;

/**
 * The one entry for tests and benchmarks: the signal floor (the kill signal with a handler that
 * only acknowledges), raw JVMTI suspend and resume, the caller's kernel tid, and counters. Not API:
 * the module does not export this package, and nothing in the library itself uses it.
 *
 * <p><b>WARNING:</b> {@link #suspend} leaves a thread suspended until {@link #resume}; a thread
 * suspended while it holds a lock others need stops them too. Every method that acts on another
 * thread is refused, here and in C, unless the JVM started with
 * {@code -Dthreadkill.allowNativeKill=true}.
 */
public final class Diagnostics {
    private Diagnostics() {}

    /** What one acknowledge-only signal did. */
    public record Ack(boolean acknowledged, boolean terminated, long handlerNanos, long tid, boolean pidfd) {}

    /**
     * Sends the kill signal to {@code t} with a handler that only acknowledges and returns, and
     * waits up to {@code wait} for the acknowledgement: the floor every native mode is measured against.
     *
     * @throws IllegalStateException without the opt-in
     */
    public static Ack acknowledgeSignal(Thread t, Duration wait) {
        Gate.require("the diagnostic acknowledge-only signal");
        Library.ensureSignalInstalled();
        long[] out = new long[Native.OUT_LEN];
        Native.kill0(t, Native.MODE_ACK, Durations.saturatedNanos(wait), 0, out);
        int status = (int) out[Native.OUT_STATUS];
        return new Ack(status == Native.KILL_STOPPED, status == Native.KILL_TERMINATED, out[Native.OUT_ENTERED_NS],
                out[Native.OUT_TID], out[Native.OUT_PIDFD] == 1);
    }

    /** Installs the kill signal's handler now (the first native kill would), so that it is not timed. */
    public static void installSignal() {
        Gate.require("installing the kill signal handler");
        Library.ensureSignalInstalled();
    }

    /** JVMTI SuspendThread; the JVMTI error code. @throws IllegalStateException without the opt-in */
    public static int suspend(Thread t) {
        Gate.require("the diagnostic JVMTI suspend");
        Library.ensureLoaded();
        return Native.suspend0(t);
    }

    /** JVMTI ResumeThread; the JVMTI error code. @throws IllegalStateException without the opt-in */
    public static int resume(Thread t) {
        Gate.require("the diagnostic JVMTI resume");
        Library.ensureLoaded();
        return Native.resume0(t);
    }

    /** The calling thread's kernel tid ({@code gettid}, through JNI). */
    public static int currentTid() {
        Library.ensureLoaded();
        return Native.currentTid0();
    }

    /** {@code java.lang.Thread.eetop} of {@code t} through JNI: the cost floor of a lookup. */
    public static long javaThread(Thread t) {
        Library.ensureLoaded();
        return Native.javaThread0(t);
    }

    /** Whether the library has acquired its JVMTI environment yet (it does so lazily). */
    public static boolean jvmtiAcquired() {
        Library.ensureLoaded();
        return Native.jvmtiAcquired0();
    }

    /**
     * How a kill reaches its thread here. On Linux, the way of sending the kill signal that the
     * install-time probe chose: "pidfd+payload" (a thread pidfd and a queued payload, Linux 6.9+),
     * "pidfd" (the pidfd without payload: qemu-user refuses a pidfd signal with a siginfo),
     * "rt_tgsigqueueinfo" (no thread pidfds), "none" before the first install.
     */
    public static String delivery() {
        Library.ensureLoaded();
        return Native.delivery0();
    }

    /**
     * This class loader's copy of the native library and the others: "the oldest copy" (it keeps
     * the JVM's handler and state), "joined the oldest copy" (another class loader's), or why an
     * older copy could not be joined; and whether the Java-side state ({@link JvmWide}) is shared.
     */
    public static String copies() {
        Library.ensureLoaded();
        return Native.copies0() + (JvmWide.SHARED ? "; JVM-wide state shared" : "; JVM-wide state of this loader only");
    }

    /** How many kill signals matched no live request (mis-aimed or late); 0 before any. */
    public static long straySignals() {
        return Library.isLoaded() ? Native.straySignals0() : 0;
    }

    /** What a kill would list as held: the monitors and locks of {@code t} (one ThreadMXBean call). */
    public static List<String> heldLocks(Thread t) {
        return HeldLocks.of(t);
    }

    /**
     * What the safe-point check cost in the last freeze that froze its thread (any thread's), in
     * nanoseconds: {suspend, Java half (look and judgement), native half, resume, 1 if the look
     * took a safepoint}. Null before the first.
     */
    public static long[] lastFreezeCheck() {
        long[] c = NativeKill.lastCheck;
        return c == null ? null : c.clone();
    }
}
