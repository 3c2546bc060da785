package org.threadkill.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.threadkill.Hazards;
import org.threadkill.JvmState;
import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.NativeThreadId;

/**
 * The native modes (NATIVE_FREEZE, NATIVE_EXIT, NATIVE_CANCEL) through the C side's one kill entry:
 * a signal to the OS thread on Linux, SuspendThread / TerminateThread on Windows. This class does
 * everything that must happen before the signal; everything after it is {@link Aftermath}'s.
 */
public final class NativeKill {
    private NativeKill() {}

    static final System.Logger LOG = System.getLogger("org.threadkill");

    /**
     * @param hazards the snapshot the facade took just before (null for a virtual thread, never here)
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static KillResult apply(Thread t, KillMode mode, Duration wait, Hazards hazards) {
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
        if (heldBefore != null) {
            // After NATIVE_EXIT or NATIVE_CANCEL of a thread in Java code no safepoint or handshake
            // completes again, and code that runs for the first time (class loading, a lambda, a
            // string concatenation) may need one: the warning goes out now, while the JVM can, and
            // what follows the signal is code that has already run (see Aftermath's warm-up).
            NativeThreadId id = fallbackTid > 0 ? null : Lookup.nativeId(t);
            LOG.log(Level.WARNING, "threadkill: sending " + mode + " to thread '" + t.getName() + "' (id " + t.getId()
                    + ", tid " + (id != null ? id.tid() : fallbackTid) + ", " + (id != null ? id.jvmState() : JvmState.UNKNOWN)
                    + "); it holds " + heldBefore + ", never to be released. This JVM will be damaged for good; see "
                    + Gate.WARNINGS_PAGE);
        }
        long[] out = new long[Native.OUT_LEN];
        Native.kill0(t, nativeMode(mode), Durations.saturatedNanos(wait), fallbackTid, out);
        return Aftermath.afterSignal(t, mode, wait, out, heldBefore);
    }

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
