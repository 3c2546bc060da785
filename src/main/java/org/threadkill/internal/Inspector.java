package org.threadkill.internal;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

import org.threadkill.Hazards;
import org.threadkill.Hazards.HeldLock;
import org.threadkill.Hazards.Waiter;
import org.threadkill.JvmState;

/**
 * Takes a {@link Hazards} snapshot from ThreadMXBean: one call with locked monitors and
 * synchronizers for the thread itself, and (only when it holds something) one call without stacks
 * for every thread, to find who waits on what it holds. Each call is a safepoint.
 */
public final class Inspector {
    private Inspector() {}

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    static {
        Aftermath.prepare();   // every kill inspects first: what runs after the kill is loaded now
    }

    /**
     * @param t        a started platform thread (the facade has checked)
     * @param jvmState HotSpot's view of it, read by the caller just before
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static Hazards inspect(Thread t, JvmState jvmState, boolean nativeAllowed) {
        return inspect(t, jvmState, nativeAllowed, false);
    }

    private static ClassLoader contextLoader(Thread t) {
        try {
            return t.getContextClassLoader();
        } catch (SecurityException e) {
            return null;
        }
    }

    /**
     * The library's one-time setup, run by every kill before its wait starts: the native library
     * (loaded, or its cause kept) and this class's initialiser, which runs the aftermath's and the
     * freeze's warm-ups. Nothing after the first call.
     */
    public static void ensureSetUp() {
        Library.isLoaded();
    }

    /** The look a kill takes first: its optional scans get a quarter of the kill's wait. */
    public static Hazards beforeKill(Thread t, JvmState jvmState, boolean nativeAllowed, java.time.Duration wait) {
        return inspect(t, jvmState, nativeAllowed, false, Durations.saturatedNanos(wait) / 4);
    }

    /** @param deep also the j.u.c locks nobody waits on yet: a heap walk at a safepoint (see {@link HeldLocks}) */
    public static Hazards inspect(Thread t, JvmState jvmState, boolean nativeAllowed, boolean deep) {
        return inspect(t, jvmState, nativeAllowed, deep, Long.MAX_VALUE);
    }

    /**
     * @param budgetNanos how long the optional looks may take: the scan of every task for a native
     *                    mutex the thread owns, and the class files read for a catch-all handler.
     *                    A kill gives a quarter of its wait, so that the look cannot make the call
     *                    outlast its wait with thousands of threads; a scan cut short is said in
     *                    the freeze's verdict, which then promises nothing
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static Hazards inspect(Thread t, JvmState jvmState, boolean nativeAllowed, boolean deep, long budgetNanos) {
        InspectionEvent event = jfrInitialized() ? new InspectionEvent() : null;
        if (event != null) event.begin();
        long t0 = System.nanoTime();
        Instant takenAt = Instant.now();
        long id = t.getId();
        HeldLocks.Snapshot look = HeldLocks.look(t, deep);
        ThreadInfo info = look.info();
        Thread.State state = info != null ? info.getThreadState() : t.getState();
        StackTraceElement[] stack = info != null ? info.getStackTrace() : new StackTraceElement[0];
        List<StackTraceElement> top = Arrays.asList(stack).subList(0, Math.min(stack.length, Hazards.TOP_FRAMES));

        boolean topIsNative = stack.length > 0 && stack[0].isNativeMethod();
        boolean inNative = jvmState == JvmState.IN_NATIVE
                || (jvmState == JvmState.UNKNOWN && info != null && info.isInNative());
        String nativeMethod = inNative && topIsNative ? stack[0].getClassName() + "." + stack[0].getMethodName() : null;

        List<HeldLock> held = look.held();
        List<Waiter> waiters = look.waiters();

        org.threadkill.NativeThreadId nid = Library.isLoaded() && state != Thread.State.TERMINATED
                ? Lookup.nativeId(t) : null;
        boolean[] scanned = {true};
        List<org.threadkill.NativeWaiter> nativeWaiters = nid == null ? List.of()
                : NativeLocks.waitersOn(java.util.Set.of((int) nid.tid()), Aftermath.NATIVE_SCAN_LIMIT,
                        Math.max(0, budgetNanos - (System.nanoTime() - t0)), scanned);
        // Only where the async exception would otherwise be promised to stop it: Java code, not entering a monitor.
        String catcher = inNative || state == Thread.State.TERMINATED || state == Thread.State.BLOCKED ? null
                : CatchScan.catcher(stack, contextLoader(t), Math.max(0, budgetNanos - (System.nanoTime() - t0)));
        Hazards partial = new Hazards(t.getName(), id, t.isDaemon(), state, jvmState, inNative, nativeMethod,
                top, held, waiters, Map.of(), takenAt, Duration.ZERO, nativeWaiters);
        Hazards h = new Hazards(partial.threadName(), id, partial.daemon(), state, jvmState, inNative, nativeMethod,
                top, held, waiters, Verdicts.of(partial, nativeAllowed, Targets.isWindows(), jfrRecording(), catcher, scanned[0]), takenAt,
                Duration.ofNanos(System.nanoTime() - t0), nativeWaiters);
        if (event != null) event.end();
        if (event != null && event.shouldCommit()) {
            event.victim = t;
            event.victimName = h.threadName();
            event.victimId = id;
            event.threadState = state.name();
            event.jvmState = jvmState.name();
            event.inNative = inNative;
            event.nativeMethod = nativeMethod;
            event.daemon = h.daemon();
            event.topFrame = top.isEmpty() ? null : top.get(0).toString();
            event.held = KillEvent.join(held);
            event.heldCount = held.size();
            event.waiters = KillEvent.join(waiters.stream().map(w -> "'" + w.threadName() + "' on " + w.on().id()).toList());
            event.waiterCount = waiters.size();
            event.verdicts = KillEvent.join(h.verdicts().values().stream()
                    .map(v -> v.mode() + "=" + v.effect() + (v.jvmSurvives() ? "" : "/JVM_DOOMED")).toList());
            event.commit();
        }
        return h;
    }

    /** True once JFR has started in this JVM: before that no event can be recorded, and none is built. */
    static boolean jfrInitialized() {
        return JfrState.initialized();
    }

    /** True when a JFR recording runs in this JVM (without starting JFR to find out). */
    static boolean jfrRecording() {
        try {
            if (!FlightRecorder.isInitialized()) return false;
            for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
                if (r.getState() == RecordingState.RUNNING) return true;
            }
        } catch (RuntimeException | Error e) {
            // JFR unavailable or disabled here: no recording
        }
        return false;
    }
}
