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
        InspectionEvent event = new InspectionEvent();
        event.begin();
        long t0 = System.nanoTime();
        Instant takenAt = Instant.now();
        long id = t.getId();
        ThreadInfo info = HeldLocks.threadInfo(id);
        Thread.State state = info != null ? info.getThreadState() : t.getState();
        StackTraceElement[] stack = info != null ? info.getStackTrace() : new StackTraceElement[0];
        List<StackTraceElement> top = Arrays.asList(stack).subList(0, Math.min(stack.length, Hazards.TOP_FRAMES));

        boolean topIsNative = stack.length > 0 && stack[0].isNativeMethod();
        boolean inNative = jvmState == JvmState.IN_NATIVE
                || (jvmState == JvmState.UNKNOWN && info != null && info.isInNative());
        String nativeMethod = inNative && topIsNative ? stack[0].getClassName() + "." + stack[0].getMethodName() : null;

        List<HeldLock> held = new ArrayList<>();
        if (info != null) {
            for (MonitorInfo m : info.getLockedMonitors()) {
                held.add(new HeldLock(HeldLock.Kind.MONITOR, m.getClassName(), m.getIdentityHashCode(),
                        m.getLockedStackFrame()));
            }
            for (LockInfo l : info.getLockedSynchronizers()) {
                held.add(new HeldLock(HeldLock.Kind.LOCK, l.getClassName(), l.getIdentityHashCode(), null));
            }
        }
        List<Waiter> waiters = held.isEmpty() ? List.of() : waitersOn(id, held);

        Hazards partial = new Hazards(t.getName(), id, t.isDaemon(), state, jvmState, inNative, nativeMethod,
                top, held, waiters, Map.of(), takenAt, Duration.ZERO);
        Hazards h = new Hazards(partial.threadName(), id, partial.daemon(), state, jvmState, inNative, nativeMethod,
                top, held, waiters, Verdicts.of(partial, nativeAllowed, Targets.isWindows(), jfrRecording()), takenAt,
                Duration.ofNanos(System.nanoTime() - t0));
        event.end();
        if (event.shouldCommit()) {
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

    /**
     * Threads blocked on a held monitor or lock (their lock owner is {@code ownerId}), or in
     * {@code Object.wait} on a held monitor. One stack-less ThreadInfo per live thread.
     */
    static List<Waiter> waitersOn(long ownerId, List<HeldLock> held) {
        Map<String, HeldLock> byId = new HashMap<>();
        for (HeldLock h : held) byId.put(h.id(), h);
        List<Waiter> waiters = new ArrayList<>();
        for (ThreadInfo w : MX.getThreadInfo(MX.getAllThreadIds(), 0)) {
            if (w == null || w.getThreadId() == ownerId || w.getLockInfo() == null) continue;
            HeldLock on = byId.get(w.getLockInfo().toString());
            if (on == null) continue;
            // Parked on a Condition of a held lock, or blocked on a monitor someone else now holds
            // (the snapshot is not atomic): not a waiter on the inspected thread.
            if (w.getLockOwnerId() != ownerId && w.getLockOwnerId() != -1) continue;
            waiters.add(new Waiter(w.getThreadName(), w.getThreadId(), w.getThreadState(), on));
        }
        return waiters;
    }
}
