package org.threadkill;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.threadkill.internal.Aftermath;
import org.threadkill.internal.HeldLocks;
import org.threadkill.internal.Inspector;
import org.threadkill.internal.Native;
import org.threadkill.internal.NativeLibrary;
import org.threadkill.internal.Targets;
import org.threadkill.internal.ThreadDumpLookup;

/**
 * Kills the OS thread behind a {@link Thread} when nothing else works.
 *
 * <p><b>WARNING: this class exists to do what the JVM was designed to prevent.</b> Only
 * {@link KillMode#INTERRUPT} is safe. {@link KillMode#ASYNC_EXCEPTION} can leave shared objects
 * half-updated. The native modes leave every monitor, lock, file and native mutex the thread held
 * held forever, and {@link KillMode#NATIVE_EXIT} / {@link KillMode#NATIVE_CANCEL} doom the JVM (hang
 * at the next safepoint, crash at the next GC). Read docs/WARNINGS.md. The native modes are refused
 * unless the JVM runs with {@code -Dthreadkill.allowNativeKill=true}. If the work can run in a
 * separate process, run it there and kill the process instead.
 */
public final class ThreadKill {
    private ThreadKill() {}

    /** The system property that must be {@code true} for any {@code NATIVE_*} mode. */
    public static final String ALLOW_NATIVE_KILL = "threadkill.allowNativeKill";
    /** Forces the thread-dump lookup ({@code threadDump}) instead of vmStructs; for tests and benchmarks. */
    public static final String LOOKUP_PROPERTY = "threadkill.lookup";
    /** Where the warnings live. */
    public static final String WARNINGS_PAGE = "docs/WARNINGS.md";

    private static final System.Logger LOG = System.getLogger("org.threadkill");

    /** True when the native library is loaded and usable on this OS, architecture and JVM. */
    public static boolean isAvailable() {
        return NativeLibrary.isLoaded();
    }

    /**
     * Why {@link #isAvailable()} is false: names the OS/arch, the resource looked for and the
     * {@code threadkill.library.path} property that points to a library built by hand. Null when available.
     */
    public static Throwable unavailabilityCause() {
        return NativeLibrary.cause();
    }

    /**
     * The OS identity of a started platform thread, read without its cooperation: kernel tid,
     * native handle and HotSpot's view of its state. Reads HotSpot's vmStructs tables (a few memory
     * loads); where they are missing, falls back to the JVM's thread dump (a safepoint per call).
     *
     * @throws NullPointerException          if {@code t} is null
     * @throws IllegalArgumentException      if {@code t} is virtual, not started or terminated
     * @throws UnsupportedOperationException if the native library is not available
     */
    public static NativeThreadId nativeId(Thread t) {
        Objects.requireNonNull(t, "thread");
        if (Targets.isVirtual(t)) {
            throw new IllegalArgumentException("thread '" + t.getName()
                    + "' is a virtual thread: it has no OS thread of its own (its carrier changes)");
        }
        NativeLibrary.ensureLoaded();
        if (useVmStructs()) {
            long[] ids = new long[4];
            if (Native.resolve0(t, ids)) {
                return new NativeThreadId(ids[1], ids[2], jvmState((int) ids[3]), NativeThreadId.Source.VM_STRUCTS);
            }
        } else if (Native.javaThread0(t) != 0) {
            long tid = ThreadDumpLookup.tid(t);
            if (tid > 0) return new NativeThreadId(tid, 0, JvmState.UNKNOWN, NativeThreadId.Source.THREAD_DUMP);
        }
        throw new IllegalArgumentException("thread '" + t.getName() + "' has "
                + (t.getState() == Thread.State.NEW ? "not been started" : "terminated") + ": it has no OS thread");
    }

    /**
     * Applies one mode to {@code t} and watches, for at most {@code wait}, whether it stops executing.
     *
     * <p><b>WARNING:</b> every mode but {@link KillMode#INTERRUPT} can hurt the JVM; the javadoc of
     * each {@link KillMode} says what it breaks. Native modes leave everything the thread held held
     * forever, and NATIVE_EXIT / NATIVE_CANCEL doom the JVM. Read docs/WARNINGS.md first.
     *
     * @param t    the victim: a started platform thread other than the caller and the JVM's own
     * @param mode how to stop it
     * @param wait how long to watch for the thread to stop (zero: do not wait)
     * @return what was observed: STOPPED, STILL_RUNNING (honestly) or ALREADY_TERMINATED
     * @throws NullPointerException          if an argument is null
     * @throws IllegalStateException         for a native mode without {@code -Dthreadkill.allowNativeKill=true}
     * @throws IllegalArgumentException      for an unstarted thread, the current thread (all but INTERRUPT),
     *                                       a virtual thread or a carrier thread (native modes), a thread of
     *                                       the JVM itself, or a negative wait
     * @throws UnsupportedOperationException if the mode needs the native library and it is unavailable,
     *                                       or NATIVE_CANCEL on Windows
     */
    public static KillResult kill(Thread t, KillMode mode, Duration wait) {
        Objects.requireNonNull(t, "thread");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(wait, "wait");
        if (wait.isNegative()) throw new IllegalArgumentException("wait is negative: " + wait);
        if (mode.isNative()) requireNativeOptIn(mode);
        checkTarget(t, mode);
        if (t.getState() == Thread.State.TERMINATED) return terminated(t, mode);
        Hazards hazards = Targets.isVirtual(t) ? null : Inspector.inspect(t, stateOf(t), nativeKillAllowed());
        KillResult result;
        switch (mode) {
            case INTERRUPT:
                result = interrupt(t, wait);
                break;
            case ASYNC_EXCEPTION:
                result = asyncException(t, wait);
                break;
            default:
                result = nativeKill(t, mode, wait, hazards);
                break;
        }
        return Aftermath.record(t, result.withHazards(hazards));   // JFR event; tombstone after a native kill
    }

    /** True when {@code -Dthreadkill.allowNativeKill=true}. */
    public static boolean nativeKillAllowed() {
        return Boolean.getBoolean(ALLOW_NATIVE_KILL);
    }

    private static void requireNativeOptIn(KillMode mode) {
        if (!nativeKillAllowed()) {
            throw new IllegalStateException(mode + " is refused: native kill modes damage the JVM and are off "
                    + "unless it runs with -D" + ALLOW_NATIVE_KILL + "=true. Read " + WARNINGS_PAGE
                    + " first: what each mode leaves behind, and what to use instead.");
        }
    }

    private static void checkTarget(Thread t, KillMode mode) {
        if (t.getState() == Thread.State.NEW) {
            throw new IllegalArgumentException("thread '" + t.getName() + "' has not been started");
        }
        if (t == Thread.currentThread() && mode != KillMode.INTERRUPT) {
            throw new IllegalArgumentException(mode + " refused: thread '" + t.getName()
                    + "' is the current thread; a thread cannot " + (mode.isNative() ? "signal itself to death"
                    : "receive an async exception from itself") + " — throw, or return");
        }
        boolean virtual = Targets.isVirtual(t);
        if (virtual && mode.isNative()) {
            throw new IllegalArgumentException(mode + " refused: thread '" + t.getName() + "' is a virtual thread; "
                    + "killing its carrier's OS thread would kill whatever virtual thread runs on it next");
        }
        if (virtual && mode == KillMode.ASYNC_EXCEPTION) {
            throw new IllegalArgumentException("ASYNC_EXCEPTION refused: thread '" + t.getName()
                    + "' is a virtual thread; this version supports only INTERRUPT for virtual threads");
        }
        if (mode.isNative() && Targets.isCarrier(t)) {
            throw new IllegalArgumentException(mode + " refused: thread '" + t.getName()
                    + "' carries virtual threads; killing it kills the virtual thread mounted on it");
        }
        String internal = Targets.jvmInternalReason(t);
        if (internal != null) {
            throw new IllegalArgumentException(mode + " refused: thread '" + t.getName()
                    + "' is a thread of the JVM itself (" + internal + ")");
        }
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    private static KillResult terminated(Thread t, KillMode mode) {
        return new KillResult(t.getName(), t.getId(), -1, mode, KillOutcome.ALREADY_TERMINATED, Duration.ZERO,
                null, JvmState.UNKNOWN, List.of(), "the thread had already terminated; nothing was sent");
    }

    @SuppressWarnings("deprecation")
    private static KillResult interrupt(Thread t, Duration wait) {
        JvmState before = stateOf(t);
        long t0 = System.nanoTime();
        t.interrupt();
        if (t == Thread.currentThread()) {
            return new KillResult(t.getName(), t.getId(), -1, KillMode.INTERRUPT, KillOutcome.STILL_RUNNING,
                    Duration.ZERO, null, before, List.of(), "interrupted itself; a thread cannot watch itself stop");
        }
        return watchJoin(t, KillMode.INTERRUPT, wait, t0, before, null,
                "the thread ignores its interrupt (or is in native code)");
    }

    @SuppressWarnings("deprecation")
    private static KillResult asyncException(Thread t, Duration wait) {
        NativeLibrary.ensureLoaded();
        JvmState before = stateOf(t);
        long t0 = System.nanoTime();
        int err = Native.stop0(t, new ThreadKilledError("killed by threadkill (ASYNC_EXCEPTION)"));
        if (err == Native.JVMTI_ERROR_THREAD_NOT_ALIVE) return terminated(t, KillMode.ASYNC_EXCEPTION);
        if (err != Native.JVMTI_ERROR_NONE) {
            throw new IllegalStateException("JVMTI StopThread failed: " + Native.jvmtiErrorName0(err) + " (" + err + ")");
        }
        return watchJoin(t, KillMode.ASYNC_EXCEPTION, wait, t0, before, null,
                before == JvmState.IN_NATIVE
                        ? "the exception stays pending while the thread is in native code; it lands when the call returns"
                        : "the thread has not ended: it may catch Throwable, or be in native code");
    }

    @SuppressWarnings("deprecation")
    private static KillResult watchJoin(Thread t, KillMode mode, Duration wait, long t0, JvmState before,
                                        Duration handler, String stillRunning) {
        try {
            long nanos = saturatedNanos(wait);
            if (nanos > 0) t.join(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long elapsed = System.nanoTime() - t0;
        boolean stopped = !t.isAlive();
        return new KillResult(t.getName(), t.getId(), -1, mode,
                stopped ? KillOutcome.STOPPED : KillOutcome.STILL_RUNNING,
                stopped ? Duration.ofNanos(elapsed) : wait, handler, before, List.of(),
                stopped ? "the thread ended" : stillRunning);
    }

    @SuppressWarnings("deprecation")
    private static KillResult nativeKill(Thread t, KillMode mode, Duration wait, Hazards hazards) {
        NativeLibrary.ensureLoaded();
        if (Targets.isWindows() && mode == KillMode.NATIVE_CANCEL) {
            throw new UnsupportedOperationException("NATIVE_CANCEL: Windows has no pthread_cancel");
        }
        NativeLibrary.ensureSignalInstalled();
        // After NATIVE_EXIT or NATIVE_CANCEL the JVM may never reach a safepoint again, so what the
        // victim held is read before; after NATIVE_FREEZE it is read once the victim is parked.
        List<String> heldBefore = mode == KillMode.NATIVE_FREEZE ? null
                : hazards != null ? heldIn(hazards) : HeldLocks.of(t);   // one heap walk is enough
        int fallbackTid = useVmStructs() ? 0 : (int) ThreadDumpLookup.tid(t);
        if (heldBefore != null) {
            // After NATIVE_EXIT or NATIVE_CANCEL of a thread in Java code no safepoint or handshake
            // completes again, and code that runs for the first time (class loading, a lambda, a
            // string concatenation) may need one: the warning goes out now, while the JVM can, and
            // what follows the signal is code that has already run (see Aftermath's warm-up).
            NativeThreadId id = fallbackTid > 0 ? null : nativeIdOrNull(t);
            LOG.log(Level.WARNING, "threadkill: sending " + mode + " to thread '" + t.getName() + "' (id " + t.getId()
                    + ", tid " + (id != null ? id.tid() : fallbackTid) + ", " + (id != null ? id.jvmState() : JvmState.UNKNOWN)
                    + "); it holds " + heldBefore + ", never to be released. This JVM will be damaged for good; see "
                    + WARNINGS_PAGE);
        }
        int nativeMode = mode == KillMode.NATIVE_FREEZE ? Native.MODE_FREEZE
                : mode == KillMode.NATIVE_EXIT ? Native.MODE_EXIT : Native.MODE_CANCEL;
        long[] out = new long[Native.OUT_LEN];
        Native.kill0(t, nativeMode, saturatedNanos(wait), fallbackTid, out);

        int status = (int) out[Native.OUT_STATUS];
        if (status == Native.KILL_TERMINATED) return terminated(t, mode);
        JvmState before = jvmState((int) out[Native.OUT_STATE]);
        Duration handler = out[Native.OUT_ENTERED_NS] >= 0 ? Duration.ofNanos(out[Native.OUT_ENTERED_NS]) : null;
        KillOutcome outcome = status == Native.KILL_STOPPED ? KillOutcome.STOPPED : KillOutcome.STILL_RUNNING;
        Duration latency = outcome == KillOutcome.STOPPED ? Duration.ofNanos(out[Native.OUT_STOPPED_NS]) : wait;
        List<String> held = heldBefore != null ? heldBefore
                : outcome == KillOutcome.STOPPED ? HeldLocks.of(t) : List.of();
        String detail = detail(mode, status, before);
        KillResult result = new KillResult(t.getName(), t.getId(), out[Native.OUT_TID], mode, outcome, latency,
                handler, before, held, detail);
        if (heldBefore == null) {
            LOG.log(Level.WARNING, () -> "threadkill: " + result + (handler != null
                    ? ". This JVM is now damaged; see " + WARNINGS_PAGE
                    : ". No signal reached the thread; nothing was changed"));
        }
        return result;
    }

    private static String detail(KillMode mode, int status, JvmState before) {
        switch (status) {
            case Native.KILL_NOT_SAFE:
                return "not signalled: the thread did not reach a state safe to freeze in (native code, or asleep "
                        + "while blocked) within the wait";
            case Native.KILL_NOT_DELIVERED:
                return "signal not handled within the wait (the thread may block it); the request was withdrawn";
            case Native.KILL_STILL_RUNNING:
                return mode == KillMode.NATIVE_CANCEL
                        ? "cancellation requested and still pending after this call: it acts at the thread's next "
                                + "cancellation point (often inside the JVM: a sleep, a wait, a lock), maybe never"
                        : "the handler ran but the OS thread has not ended yet";
            default:
                switch (mode) {
                    case NATIVE_FREEZE:
                        return Targets.isWindows()
                                ? "suspended for good (SuspendThread); everything it held stays held"
                                : "parked for good in the signal handler; everything it held stays held";
                    case NATIVE_EXIT:   // constant strings: nothing may run for the first time here
                        return before == JvmState.IN_JAVA
                                ? "the OS thread is gone; the JVM still believes it alive and will hang at the next safepoint"
                                : "the OS thread is gone; the JVM still believes it alive";
                    default:
                        return "cancelled: the OS thread is gone; the JVM still believes it alive";
                }
        }
    }

    private static List<String> heldIn(Hazards hazards) {
        List<String> held = new java.util.ArrayList<>();
        for (Hazards.HeldLock h : hazards.held()) {
            held.add((h.kind() == Hazards.HeldLock.Kind.MONITOR ? "monitor " : "lock ") + h.id());
        }
        return held;
    }

    private static NativeThreadId nativeIdOrNull(Thread t) {
        try {
            return nativeId(t);
        } catch (IllegalArgumentException e) {
            return null;   // it ended meanwhile
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static boolean useVmStructs() {
        return !"threadDump".equals(System.getProperty(LOOKUP_PROPERTY)) && Native.vmStructsProblem0() == null;
    }

    private static JvmState stateOf(Thread t) {
        if (!NativeLibrary.isLoaded() || Targets.isVirtual(t) || !useVmStructs()) return JvmState.UNKNOWN;
        long[] ids = new long[4];
        return Native.resolve0(t, ids) ? jvmState((int) ids[3]) : JvmState.UNKNOWN;
    }

    static JvmState jvmState(int code) {
        switch (code) {
            case Native.STATE_NEW: return JvmState.NEW;
            case Native.STATE_IN_NATIVE: return JvmState.IN_NATIVE;
            case Native.STATE_IN_VM: return JvmState.IN_VM;
            case Native.STATE_IN_JAVA: return JvmState.IN_JAVA;
            case Native.STATE_BLOCKED: return JvmState.BLOCKED;
            case Native.STATE_IN_TRANSITION: return JvmState.IN_TRANSITION;
            default: return JvmState.UNKNOWN;
        }
    }

    // ---- Before and after the kill: inspect, escalate, damage, taint (issue 4) ----

    /** The ladder {@link #escalate} climbs when none is given. NATIVE_EXIT is never in it. */
    public static final List<KillMode> DEFAULT_LADDER =
            List.of(KillMode.INTERRUPT, KillMode.ASYNC_EXCEPTION, KillMode.NATIVE_FREEZE);

    /**
     * What killing {@code t} now would leave behind: where it is (Java code, native code and which
     * method, blocked), its top frames, the monitors and {@code java.util.concurrent} locks it holds,
     * the threads already waiting on those, and a verdict per {@link KillMode}. Nothing is done to
     * the thread. Every {@link #kill} takes one just before it acts ({@link KillResult#hazards()}).
     *
     * <p>Cost: one ThreadMXBean call with locked monitors for {@code t}, and, when it holds
     * something, one stack-less call over all threads to find the waiters: two safepoints, well under
     * a millisecond with a few dozen threads. Emits a JFR event {@code org.threadkill.Inspection}.
     *
     * @param t a started platform thread (a terminated one gives a snapshot that says so)
     * @throws NullPointerException     if {@code t} is null
     * @throws IllegalArgumentException if {@code t} is not started, virtual, or a thread of the JVM itself
     */
    public static Hazards inspect(Thread t) {
        Objects.requireNonNull(t, "thread");
        if (t.getState() == Thread.State.NEW) {
            throw new IllegalArgumentException("thread '" + t.getName() + "' has not been started");
        }
        if (Targets.isVirtual(t)) {
            throw new IllegalArgumentException("thread '" + t.getName() + "' is a virtual thread: "
                    + "inspect reads the monitors of platform threads only");
        }
        String internal = Targets.jvmInternalReason(t);
        if (internal != null) {
            throw new IllegalArgumentException("thread '" + t.getName() + "' is a thread of the JVM itself ("
                    + internal + ")");
        }
        return Inspector.inspect(t, stateOf(t), nativeKillAllowed());
    }

    /**
     * Applies the modes of {@code ladder} in order, each through {@link #kill} with
     * {@code waitPerStep}, and stops at the first step after which the thread is no longer running
     * (STOPPED or ALREADY_TERMINATED). With no modes given, climbs {@link #DEFAULT_LADDER}:
     * INTERRUPT, ASYNC_EXCEPTION, NATIVE_FREEZE. NATIVE_EXIT and NATIVE_CANCEL are used only when
     * named.
     *
     * <p><b>WARNING: the last steps damage the JVM.</b> An ASYNC_EXCEPTION step can leave objects
     * half-updated; a NATIVE_FREEZE step leaves every monitor, lock, file and native mutex the thread
     * held held forever; NATIVE_EXIT and NATIVE_CANCEL doom the JVM. Each step acts on a thread that
     * the previous steps already disturbed (its interrupt flag is set, an async exception may be
     * pending). Read docs/WARNINGS.md first.
     *
     * <p>Without {@code -Dthreadkill.allowNativeKill=true} the native steps are skipped, not refused:
     * the ladder ends at its last safe step, and {@link Escalation#skipped()} says which were left
     * out (no exception). If every step was skipped, the result is STILL_RUNNING with zero latency,
     * names the first skipped mode, and {@link Escalation#steps()} is empty.
     *
     * @param t           the victim, as for {@link #kill}
     * @param waitPerStep how long each step watches for the thread to stop
     * @param ladder      the modes, mildest first; none for {@link #DEFAULT_LADDER}
     * @return the last step's result, with {@link KillResult#hazards()} the snapshot taken before the
     *         first step and {@link KillResult#escalation()} every step with its outcome and latency
     * @throws NullPointerException          if an argument or a mode is null
     * @throws IllegalArgumentException      if {@code t} is not a valid target for one of the modes
     *                                       (same rules as {@link #kill}), is the current thread, or
     *                                       the wait is negative
     * @throws UnsupportedOperationException if a step needs the native library and it is unavailable
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static KillResult escalate(Thread t, Duration waitPerStep, KillMode... ladder) {
        Objects.requireNonNull(t, "thread");
        Objects.requireNonNull(waitPerStep, "waitPerStep");
        Objects.requireNonNull(ladder, "ladder");
        for (KillMode m : ladder) Objects.requireNonNull(m, "a mode of the ladder is null");
        if (waitPerStep.isNegative()) throw new IllegalArgumentException("waitPerStep is negative: " + waitPerStep);
        if (t == Thread.currentThread()) {
            throw new IllegalArgumentException("escalate refused: thread '" + t.getName()
                    + "' is the current thread; it cannot watch itself stop");
        }
        List<KillMode> modes = ladder.length == 0 ? DEFAULT_LADDER : Arrays.asList(ladder);
        for (KillMode m : modes) checkTarget(t, m);
        boolean allowed = nativeKillAllowed();
        Hazards before = Targets.isVirtual(t) ? null : Inspector.inspect(t, stateOf(t), allowed);

        List<KillResult> steps = new ArrayList<>();
        List<KillMode> skipped = new ArrayList<>();
        for (KillMode m : modes) {
            if (m.isNative() && !allowed) {
                skipped.add(m);
                continue;
            }
            KillResult r = kill(t, m, waitPerStep);
            steps.add(r);
            if (r.outcome() != KillOutcome.STILL_RUNNING) break;
        }
        Escalation esc = new Escalation(modes, steps, skipped, before);
        if (steps.isEmpty()) {
            return new KillResult(t.getName(), t.getId(), -1, skipped.get(0), KillOutcome.STILL_RUNNING,
                    Duration.ZERO, null, before != null ? before.jvmState() : JvmState.UNKNOWN, List.of(),
                    "no step taken: every mode of the ladder is native and the JVM does not run with -D"
                            + ALLOW_NATIVE_KILL + "=true", before, esc);
        }
        return steps.get(steps.size() - 1).withHazards(before).withEscalation(esc);
    }

    /**
     * Every thread a native mode has reached in this JVM, oldest first: thread, tid, mode, time and
     * what it held. Empty when the JVM is not {@linkplain #isTainted() tainted}.
     */
    public static List<Tombstone> tombstones() {
        return Aftermath.tombstones();
    }

    /**
     * What the native kills of this JVM broke, as seen now: the live threads blocked or waiting on a
     * monitor or lock that a killed thread holds, and for how long; the deadlock cycles
     * ({@code ThreadMXBean.findDeadlockedThreads}) that involve a killed thread. Costs nothing when no
     * native kill happened; otherwise a few safepoints.
     *
     * <p><b>WARNING: after NATIVE_EXIT or NATIVE_CANCEL of a thread that was running Java code, this
     * call blocks forever</b>, like everything else that needs a safepoint: the dead thread never
     * reaches it. After NATIVE_FREEZE it is safe.
     */
    public static DamageReport damage() {
        return Aftermath.damage();
    }

    /**
     * True once a native mode has reached a thread in this JVM (its signal handler ran): from then on
     * the JVM holds a thread that will never run again, and what it held. Never goes back to false.
     * {@link #taintReason()} says why.
     */
    public static boolean isTainted() {
        return Aftermath.tainted();
    }

    /** Why the JVM is {@linkplain #isTainted() tainted}: the first native kill (and how many); null when it is not. */
    public static String taintReason() {
        return Aftermath.taintReason();
    }
}
