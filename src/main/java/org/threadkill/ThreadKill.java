package org.threadkill;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.threadkill.internal.Aftermath;
import org.threadkill.internal.AsyncException;
import org.threadkill.internal.Gate;
import org.threadkill.internal.Inspector;
import org.threadkill.internal.Interrupt;
import org.threadkill.internal.Ladder;
import org.threadkill.internal.Library;
import org.threadkill.internal.Lookup;
import org.threadkill.internal.NativeKill;
import org.threadkill.internal.Targets;
import org.threadkill.internal.Watch;

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

    /**
     * The system property that must be {@code true} for any {@code NATIVE_*} mode, given when the
     * JVM starts ({@code -Dthreadkill.allowNativeKill=true} on the command line or in
     * {@code JAVA_TOOL_OPTIONS}). It is read once; setting it later with {@code System.setProperty}
     * opens nothing.
     */
    public static final String ALLOW_NATIVE_KILL = Gate.PROPERTY;
    /** Forces the thread-dump lookup ({@code threadDump}) instead of vmStructs; for tests and benchmarks. */
    public static final String LOOKUP_PROPERTY = Lookup.PROPERTY;
    /** Where the warnings live. */
    public static final String WARNINGS_PAGE = Gate.WARNINGS_PAGE;

    /**
     * True when the native library is loaded and usable on this OS, architecture and JVM.
     *
     * @return true when the native library is loaded and usable here
     */
    public static boolean isAvailable() {
        return Library.isLoaded();
    }

    /**
     * Why {@link #isAvailable()} is false: names the OS/arch, the resource looked for and the
     * {@code threadkill.library.path} property that points to a library built by hand. Null when available.
     *
     * @return why the library cannot be used here, or null when it can
     */
    public static Throwable unavailabilityCause() {
        return Library.cause();
    }

    /**
     * The OS identity of a started platform thread, read without its cooperation: kernel tid,
     * native handle and HotSpot's view of its state. Reads HotSpot's vmStructs tables (a few memory
     * loads); where they are missing, falls back to the JVM's thread dump (a safepoint per call).
     *
     * @throws NullPointerException          if {@code t} is null
     * @throws IllegalArgumentException      if {@code t} is virtual, not started or terminated
     * @param t a started, live platform thread
     * @return its kernel tid, {@code pthread_t} and HotSpot state
     * @throws UnsupportedOperationException if the native library is not available
     */
    public static NativeThreadId nativeId(Thread t) {
        Objects.requireNonNull(t, "thread");
        if (Targets.isVirtual(t)) {
            throw new IllegalArgumentException("thread '" + t.getName()
                    + "' is a virtual thread: it has no OS thread of its own (its carrier changes)");
        }
        NativeThreadId id = Lookup.nativeId(t);
        if (id != null) return id;
        throw new IllegalArgumentException("thread '" + t.getName() + "' has "
                + (t.getState() == Thread.State.NEW ? "not been started" : "terminated") + ": it has no OS thread");
    }

    /**
     * Pays the library's one-time setup now rather than in the first kill: loads the native library,
     * the JDK's management, time-zone and logging code the kill path uses, and runs the look before
     * a kill and the code after one once, on the calling thread (nothing is signalled, nothing is
     * logged). When native kills are allowed it also installs the kill signal's handler. Measured
     * here: 100–300 ms once, then nothing. Call it at start-up where the first kill must keep
     * within its wait. Never needed for correctness.
     *
     * @return {@link #isAvailable()}: whether the native library is usable here
     */
    public static boolean prepare() {
        Inspector.inspect(Thread.currentThread(), Lookup.stateOf(Thread.currentThread()), Gate.isOpen());
        if (!Library.isLoaded()) return false;
        if (Gate.isOpen()) Library.prepareSignal();
        return true;
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
     * @param wait how long to watch for the thread to stop (zero: do not wait). A native mode counts
     *             it from this call's start, the look before the signal included, and returns within
     *             it plus a small bound (goal: 50 ms), whatever the thread holds. The first call of a
     *             JVM also pays the library's one-time setup before its wait starts (100–300 ms
     *             measured here, more on a loaded machine): call {@link #prepare()} first where that
     *             matters
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
        if (mode.isNative()) Gate.requireFor(mode);
        // The one-time setup (the native library, the look's and the aftermath's warm-up) runs before
        // the wait starts: a first kill on a slow machine keeps its whole wait for the signal.
        Inspector.ensureSetUp();
        long start = System.nanoTime();   // a native kill's wait counts from here, the look before it included
        Targets.check(t, mode);
        if (t.getState() == Thread.State.TERMINATED) return Watch.terminated(t, mode);
        KillResult frozen = Aftermath.alreadyFrozen(t, mode);
        if (frozen != null) return frozen;   // one answer per state: no second freeze, no second tombstone
        Hazards hazards = Targets.isVirtual(t) ? null : Inspector.beforeKill(t, Lookup.stateOf(t), Gate.isOpen(), wait);
        KillResult result;
        switch (mode) {
            case INTERRUPT:
                result = Interrupt.apply(t, wait);
                break;
            case ASYNC_EXCEPTION:
                result = AsyncException.apply(t, wait);
                break;
            default:
                result = NativeKill.apply(t, mode, wait, hazards, start);
                break;
        }
        return Aftermath.record(t, result.withHazards(hazards));   // JFR event; tombstone after a native kill
    }

    /**
     * True when threadkill froze {@code t} ({@link KillMode#NATIVE_FREEZE} reported STOPPED), from
     * this class loader or another that loads the same threadkill build (Linux): it
     * will never run again, though {@link Thread#getState()} and thread dumps still show it
     * RUNNABLE. Its name also says so from then on ({@code worker-3 [frozen by threadkill at
     * 12:04:05]}), so that {@code jcmd <pid> Thread.print} readers can tell. Every later kill of it
     * returns STOPPED at once and sends nothing.
     * @param t any thread
     * @return true when a NATIVE_FREEZE parked {@code t} for good
     */
    public static boolean isFrozen(Thread t) {
        Objects.requireNonNull(t, "thread");
        return Aftermath.isFrozen(t);
    }

    /**
     * True when the JVM started with {@code -Dthreadkill.allowNativeKill=true}. Read once, when the
     * library initialises; a later {@code System.setProperty} does not change the answer.
     * @return true when the JVM started with the opt-in
     */
    public static boolean nativeKillAllowed() {
        return Gate.isOpen();
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
     * <p>Cost, whatever the heap size: one ThreadMXBean call with locked monitors for {@code t} (a
     * safepoint that walks its stack only), and one stack-less call over all threads to find who
     * waits on what it holds (no safepoint). A {@code java.util.concurrent} lock is seen once some
     * thread is parked on it; {@link #inspectDeep} finds those nobody waits for yet, at the price of
     * a heap walk. Emits a JFR event {@code org.threadkill.Inspection}.
     *
     * @param t a started platform thread (a terminated one gives a snapshot that says so)
     * @throws NullPointerException     if {@code t} is null
     * @throws IllegalArgumentException if {@code t} is not started, virtual, or a thread of the JVM itself
     * @return the snapshot
     */
    public static Hazards inspect(Thread t) {
        checkInspectable(t);
        return Inspector.inspect(t, Lookup.stateOf(t), Gate.isOpen());
    }

    /**
     * {@link #inspect}, plus every {@code java.util.concurrent} lock {@code t} holds, even one no
     * thread waits for yet.
     *
     * <p><b>WARNING: this stops the world for a time that grows with the heap.</b> It asks
     * ThreadMXBean for locked synchronizers, which walks every live object at a safepoint: about
     * 30 ms with 64 MiB of live objects, 0.9 s with 1.5 GiB (measured on 2 cores); a 30 GiB heap
     * stops for tens of seconds. Kills never do this; call it only when you can afford the pause.
     *
     * @throws NullPointerException     if {@code t} is null
     * @throws IllegalArgumentException as for {@link #inspect}
     * @param t as for {@link #inspect}
     * @return the snapshot, with every lock found by the heap walk
     */
    public static Hazards inspectDeep(Thread t) {
        checkInspectable(t);
        return Inspector.inspect(t, Lookup.stateOf(t), Gate.isOpen(), true);
    }

    private static void checkInspectable(Thread t) {
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
        for (KillMode m : modes) Targets.check(t, m);
        return Ladder.climb(t, waitPerStep, modes, ThreadKill::kill);
    }

    /**
     * Every thread a native mode has reached in this JVM, oldest first: thread, tid, mode, time and
     * what it held. Empty when the JVM is not {@linkplain #isTainted() tainted}.
     * @return the tombstones, oldest first (an unmodifiable copy)
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
     * @return who is blocked on what the killed threads hold, and deadlocks through them
     */
    public static DamageReport damage() {
        return Aftermath.damage();
    }

    /**
     * True once a native mode has reached a thread in this JVM (its signal handler ran), from any
     * class loader that loads the same threadkill build (Linux; docs/TROUBLESHOOTING.md): from then on
     * the JVM holds a thread that will never run again, and what it held. Never goes back to false.
     * {@link #taintReason()} says why.
     * @return true once a native mode has reached a thread
     */
    public static boolean isTainted() {
        return Aftermath.tainted();
    }

    /**
     * Why the JVM is {@linkplain #isTainted() tainted}: the first native kill (and how many); null when it is not.
     *
     * @return the first native kill (and how many), or null
     */
    public static String taintReason() {
        return Aftermath.taintReason();
    }
}
