package org.threadkill.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.threadkill.Hazards;
import org.threadkill.JvmState;
import org.threadkill.KillMode;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;
import org.threadkill.NativeThreadId;

/**
 * The native modes (NATIVE_FREEZE, NATIVE_EXIT, NATIVE_CANCEL) through the C side's one kill entry:
 * a signal to the OS thread on Linux, SuspendThread / TerminateThread on Windows. This class does
 * everything that must happen before the signal; everything after it is {@link Aftermath}'s.
 */
public final class NativeKill {
    private NativeKill() {}

    /** The longest a NATIVE_EXIT / NATIVE_CANCEL waits for its warning to be written before the signal. */
    private static final long MAX_PRE_SIGNAL_LOG_WAIT_NANOS = 1_000_000_000L;
    /**
     * The least time the signal gets, out of the wait, when the look before it (the facade's
     * inspect, the held locks) already used the rest: a kill is tried at least once, for this long
     * or for the whole wait if it is shorter.
     */
    private static final long MIN_SIGNAL_WINDOW_NANOS = 20_000_000L;

    /**
     * @param hazards the snapshot the facade took just before (null for a virtual thread, never here)
     * @param start   when the caller's call began ({@code System.nanoTime()}): the wait counts from
     *                there, so that the look before the signal (which grows with the number of
     *                threads) cannot make the call outlast its wait
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static KillResult apply(Thread t, KillMode mode, Duration wait, Hazards hazards, long start) {
        Gate.requireFor(mode);
        Library.ensureLoaded();
        if (Targets.isWindows() && mode == KillMode.NATIVE_CANCEL) {
            throw new UnsupportedOperationException("NATIVE_CANCEL: Windows has no pthread_cancel");
        }
        Library.ensureSignalInstalled();
        // After NATIVE_EXIT or NATIVE_CANCEL the JVM may never reach a safepoint again, so what the
        // victim held is read before; after NATIVE_FREEZE it is read once the victim is parked.
        List<String> heldBefore = mode == KillMode.NATIVE_FREEZE ? null
                : hazards != null ? heldIn(hazards) : HeldLocks.of(t);   // one heap walk is enough
        int fallbackTid = Lookup.fallbackTid(t);
        if (heldBefore != null && JfrState.initialized()) new KillEvent();   // loaded before the signal
        long t0 = System.nanoTime();
        long waitNanos = Durations.saturatedNanos(wait);
        long deadline = waitNanos > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + waitNanos;
        long least = Math.min(waitNanos, MIN_SIGNAL_WINDOW_NANOS);
        if (deadline - t0 < least) deadline = t0 + least;
        if (heldBefore != null) {
            // After NATIVE_EXIT or NATIVE_CANCEL of a thread in Java code no safepoint or handshake
            // completes again, and code that runs for the first time (class loading, a lambda, a
            // string concatenation) may need one: the warning goes out now, while the JVM can, and
            // what follows the signal is code that has already run (see Aftermath's warm-up).
            NativeThreadId id = fallbackTid > 0 ? null : Lookup.nativeId(t);
            String line = "threadkill: sending " + mode + " to thread '" + t.getName() + "' (id " + t.getId()
                    + ", tid " + (id != null ? id.tid() : fallbackTid) + ", " + (id != null ? id.jvmState() : JvmState.UNKNOWN)
                    + "); it holds " + heldBefore + ", never to be released. This JVM will be damaged for good; see "
                    + Gate.WARNINGS_PAGE;
            // Written by the warnings thread: a victim holding the log's or System.err's lock must
            // not stop us. We wait for it (out of this kill's wait, half of it at most), because the
            // first log line of a JVM loads classes, which the writer must finish before the signal.
            Warnings.awaitWritten(Warnings.warnBeforeSignal(line), Math.min(MAX_PRE_SIGNAL_LOG_WAIT_NANOS, waitNanos / 2));
        }
        if (mode == KillMode.NATIVE_FREEZE && !Library.uncheckedFreeze()) {
            return freezeAtSafePoint(t, wait, deadline, fallbackTid);   // takes the token per attempt
        }
        if (!KillToken.acquire(deadline)) return busy(t, mode, wait);
        try {
            KillResult frozen = Aftermath.alreadyFrozen(t, mode);   // frozen by a killer we waited for
            if (frozen != null) return frozen;
            long left = Math.max(0, deadline - System.nanoTime());
            long[] out = new long[Native.OUT_LEN];
            KillEvents.beforeNativeKill(t, mode, fallbackTid > 0 ? fallbackTid : tidOrZero(t),
                    (hazards != null ? hazards.jvmState() : Lookup.stateOf(t)).name(), heldBefore);
            Native.kill0(t, nativeMode(mode), left, fallbackTid, out);
            return Aftermath.afterSignal(t, mode, wait, out, heldBefore, null);
        } finally {
            KillToken.release();
        }
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    private static KillResult busy(Thread t, KillMode mode, Duration wait) {
        Thread other = KillToken.owner();
        return new KillResult(t.getName(), t.getId(), -1, mode, KillOutcome.STILL_RUNNING, wait, null,
                Lookup.stateOf(t), List.of(), "not signalled: another native kill" + (other != null
                        ? " (by thread '" + other.getName() + "')" : "") + " was in progress for the whole wait");
    }

    /** For the JFR attempt event only: the tid as the lookup sees it now, 0 when it cannot tell. */
    private static long tidOrZero(Thread t) {
        try {
            return Lookup.nativeId(t).tid();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * NATIVE_FREEZE with both halves of its safe point: suspend the thread (JVMTI), judge its Java
     * frames and monitors ({@link JavaSafePoint}); if they are safe, the C side judges its native
     * frames, its JNI critical regions and its state while the thread sits in the handler, and
     * keeps it there only if all is safe. Anywhere else the thread is let go and tried again,
     * until the wait ends: then STILL_RUNNING says why. The token is held for one attempt at a time
     * (suspend, look, signal, resume), never across the pauses between attempts, so that a thread
     * that stays unsafe for the whole wait does not hold up every other native kill meanwhile.
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    private static KillResult freezeAtSafePoint(Thread t, Duration wait, long deadline, int fallbackTid) {
        long pause = 200_000L;
        String javaReason = null;
        long[] lastRefusal = null;   // the C side's last answer when it let the thread go
        long tid = -1;
        JavaSafePoint.Frames frames = new JavaSafePoint.Frames();
        while (true) {
            if (!KillToken.acquire(deadline)) return busy(t, KillMode.NATIVE_FREEZE, wait);
            try {
                KillResult frozen = Aftermath.alreadyFrozen(t, KillMode.NATIVE_FREEZE);
                if (frozen != null) return frozen;
                NativeThreadId id = Lookup.useVmStructs() ? Lookup.nativeId(t) : null;
                if (Lookup.useVmStructs() && id == null) return Watch.terminated(t, KillMode.NATIVE_FREEZE);
                if (id != null) tid = id.tid();
                // A JavaThread whose OS thread is gone (an earlier NATIVE_EXIT): a suspension would wait forever.
                if (id != null && !Targets.isWindows()
                        && !java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/task/" + id.tid()))) {
                    return Watch.terminated(t, KillMode.NATIVE_FREEZE);
                }
                long s0 = System.nanoTime();
                int err = Native.suspend0(t);
                long s1 = System.nanoTime();
                if (err == Native.JVMTI_ERROR_THREAD_NOT_ALIVE) return Watch.terminated(t, KillMode.NATIVE_FREEZE);
                if (err != Native.JVMTI_ERROR_NONE) {
                    throw new IllegalStateException("JVMTI SuspendThread failed before the freeze: "
                            + Native.jvmtiErrorName0(err) + " (" + err + ")");
                }
                long[] check = null;   // this attempt's costs, kept when it froze the thread
                long[] answer = null;  // the C side's answer this attempt ends the kill with
                try {
                    JavaSafePoint.Look look = JavaSafePoint.look(t, frames);
                    if (look == null) return Watch.terminated(t, KillMode.NATIVE_FREEZE);
                    javaReason = look.unsafeReason;
                    int leaf = look.leafNative ? Native.MODE_FLAG_LEAF_NATIVE : 0;
                    long s2 = System.nanoTime();
                    if (javaReason == null) {
                        long left = Math.max(0, deadline - System.nanoTime());
                        long[] out = new long[Native.OUT_LEN];
                        KillEvents.beforeNativeKill(t, KillMode.NATIVE_FREEZE, id != null ? id.tid() : fallbackTid,
                                Lookup.stateOf(t).name(), null);
                        // One slice at a time, so that the token is not held for a whole long wait.
                        Native.kill0(t, Native.MODE_FREEZE | Native.MODE_FLAG_SUSPENDED | leaf,
                                Math.min(left, ATTEMPT_SLICE_NANOS), fallbackTid, out);
                        boolean moreTime = deadline - System.nanoTime() > 0;
                        int status = (int) out[Native.OUT_STATUS];
                        boolean retry = status == Native.KILL_NOT_SAFE || status == Native.KILL_NOT_DELIVERED
                                || status == Native.KILL_NO_SLOT;   // within one slice: try again while time is left
                        if (status == Native.KILL_STOPPED) {
                            check = new long[] {s1 - s0, s2 - s1, out[Native.OUT_CHECK_NS], 0, look.safepoint ? 1 : 0};
                        }
                        if (!retry || !moreTime) {
                            answer = out[Native.OUT_STATUS] == Native.KILL_NOT_DELIVERED && lastRefusal != null
                                    && !moreTime ? lastRefusal : out;
                        } else if (status == Native.KILL_NOT_SAFE) {
                            lastRefusal = out;
                        }
                    }
                } finally {
                    long r0 = System.nanoTime();
                    Native.resume0(t);
                    if (check != null) {
                        check[3] = System.nanoTime() - r0;
                        lastCheck = check;
                    }
                }
                // After the resume: what follows (the held locks, the warning) runs with nobody
                // held suspended by us, though still holding the token (one answer per thread).
                if (answer != null) return Aftermath.afterSignal(t, KillMode.NATIVE_FREEZE, wait, answer, null, null);
            } finally {
                KillToken.release();
            }
            if (System.nanoTime() - deadline >= 0) {
                if (javaReason == null && lastRefusal != null) {
                    return Aftermath.afterSignal(t, KillMode.NATIVE_FREEZE, wait, lastRefusal, null, null);
                }
                long[] out = new long[Native.OUT_LEN];
                out[Native.OUT_STATUS] = Native.KILL_NOT_SAFE;
                out[Native.OUT_TID] = tid;
                out[Native.OUT_STATE] = Native.STATE_UNKNOWN;
                out[Native.OUT_ENTERED_NS] = -1;
                return Aftermath.afterSignal(t, KillMode.NATIVE_FREEZE, wait, out, null, javaReason);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(pause, Math.max(0, deadline - System.nanoTime())));
            pause = Math.min(5_000_000L, pause * 2);
        }
    }

    /**
     * What the safe-point check cost in the last freeze that froze its thread, for the benchmark
     * (Diagnostics): JVMTI suspend, the Java half's look and judgement, the native half (C), the
     * resume, in nanoseconds, and 1 when the look needed ThreadMXBean's safepoint. Null before one.
     */
    static volatile long[] lastCheck;

    /** How long one attempt may keep trying with the thread held (the C side retries within it). */
    private static final long ATTEMPT_SLICE_NANOS = 50_000_000L;


    private static int nativeMode(KillMode mode) {
        switch (mode) {
            case NATIVE_FREEZE: return Native.MODE_FREEZE;
            case NATIVE_EXIT: return Native.MODE_EXIT;
            case NATIVE_CANCEL: return Native.MODE_CANCEL;
            default: throw new IllegalArgumentException(mode + " is not a native mode");
        }
    }

    private static List<String> heldIn(Hazards hazards) {
        List<String> held = new ArrayList<>();
        for (Hazards.HeldLock h : hazards.held()) {
            held.add((h.kind() == Hazards.HeldLock.Kind.MONITOR ? "monitor " : "lock ") + h.id());
        }
        return held;
    }
}
