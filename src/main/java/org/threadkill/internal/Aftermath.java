package org.threadkill.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.threadkill.DamageReport;
import org.threadkill.DamageReport.BlockedThread;
import org.threadkill.DamageReport.Deadlock;
import org.threadkill.Escalation;
import org.threadkill.Hazards;
import org.threadkill.Hazards.HeldLock;
import org.threadkill.JvmState;
import org.threadkill.KillMode;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;
import org.threadkill.Tombstone;

/**
 * The only home of code that runs after a kill signal: decoding what the C side observed, the
 * warning after a freeze, the JFR event, and for a native kill that reached its thread the
 * tombstone that taints the JVM for good. Also computes the damage report from the tombstones.
 *
 * <p>After NATIVE_EXIT or NATIVE_CANCEL of a thread in Java code no safepoint or handshake
 * completes again, so everything here that such a kill reaches has run once before, in the static
 * initializer (see {@link #prepare()}).
 */
public final class Aftermath {
    private Aftermath() {}

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    /** How many tasks a look for native waiters reads at most (two small /proc reads each). */
    static final int NATIVE_SCAN_LIMIT = 4096;

    /** Every class loader's tombstones, encoded ({@link #encode}); guarded by the list itself. */
    private static final List<Object[]> TOMBSTONES = JvmWide.TOMBSTONES;
    /** Threads threadkill froze, from any class loader, and when: never unfrozen. */
    private static final java.util.concurrent.ConcurrentHashMap<Thread, Instant> FROZEN = JvmWide.FROZEN;
    /** (waiter id, lock) → since when it has been seen waiting, and its blocked+waited count then. */
    private static final Map<List<Object>, Sighting> SIGHTINGS = new HashMap<>();

    private static final class Sighting {
        final long sinceNanos;
        long count;   // -1: seeded from the pre-kill snapshot, not yet compared

        Sighting(long sinceNanos, long count) {
            this.sinceNanos = sinceNanos;
            this.count = count;
        }
    }

    /**
     * Makes sure that {@link #record} runs, after a kill, only code that has run before. After
     * NATIVE_EXIT or NATIVE_CANCEL of a thread in Java code, no safepoint or handshake can complete
     * again; loading a class can start one (a "Deoptimize" handshake when the new class breaks an
     * assumption of compiled code), and so can the first run of a lambda or of a string
     * concatenation (each links its call site by spinning hidden classes). So the post-kill path
     * uses neither, and the static initializer runs it once on a dummy result. Called (through
     * {@link Inspector}) before every kill.
     */
    public static void prepare() {
        Warnings.prepare();
    }

    static {
        warmFreezeJavaHalf();
        HeldLock held = new HeldLock(HeldLock.Kind.MONITOR, "java.lang.Object", 1, null);
        Hazards h = new Hazards("warm-up", 0, true, Thread.State.RUNNABLE, JvmState.UNKNOWN, false, null, List.of(),
                List.of(held), List.of(new Hazards.Waiter("warm-up-waiter", 1, Thread.State.BLOCKED, held)), Map.of(),
                Instant.EPOCH, Duration.ZERO);
        KillResult r = new KillResult("warm-up", 0, 1, KillMode.NATIVE_FREEZE, KillOutcome.STOPPED, Duration.ZERO,
                Duration.ZERO, JvmState.UNKNOWN, List.of(), "warm-up").withHazards(h);
        r = r.withEscalation(new Escalation(List.of(KillMode.NATIVE_FREEZE), List.of(r), List.of(), h));
        List<Object[]> tombstones = new ArrayList<>();
        KillEvents.beforeKill();   // both paths of KillEvents.take(): a begun event, and none
        record(Thread.currentThread(), r, tombstones, new HashMap<>(), false);
        record(Thread.currentThread(), r, tombstones, new HashMap<>(), false);
        reason(decode(tombstones));
        List.copyOf(decode(tombstones));
        r.toString();   // what the core logs after a native kill
        Thread self = Thread.currentThread();
        java.time.LocalTime.ofInstant(Instant.now(), java.time.ZoneId.systemDefault())
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        new StringBuilder("x").append(" [frozen by threadkill at ").append("t").append(']').toString();
        new StringBuilder("already frozen by threadkill at ").append(Instant.EPOCH).append(": x").toString();
        for (KillMode m : new KillMode[] {KillMode.NATIVE_FREEZE, KillMode.NATIVE_EXIT, KillMode.NATIVE_CANCEL}) {
            for (int status = Native.KILL_STOPPED; status <= Native.KILL_NOT_DELIVERED; status++) {
                long[] out = new long[Native.OUT_LEN];
                out[Native.OUT_STATUS] = status;
                out[Native.OUT_STATE] = Native.STATE_IN_JAVA;
                out[Native.OUT_ENTERED_NS] = status == Native.KILL_NOT_DELIVERED ? -1 : 1;
                decode(self, m, Duration.ofMillis(1), out, List.of(), null).toString();
                for (int reason = Native.UNSAFE_STATE; reason <= Native.UNSAFE_STACK; reason++) {
                    out[Native.OUT_REASON] = reason;
                    decode(self, m, Duration.ofMillis(1), out, List.of(), null).toString();
                }
                decode(self, m, Duration.ofMillis(1), out, List.of(), "warm-up").toString();
                decode(self, m, Duration.ZERO, out, List.of(), null).toString();
                out[Native.OUT_REASON] = 0;
            }
        }
    }

    /**
     * Runs the freeze's Java half once, on this thread's own stack and holding a monitor: NativeKill
     * judges a victim with it while the victim is JVMTI-suspended, and its first run loaded
     * JavaSafePoint and StuckWork there, and MonitorInfo the first time a victim held a monitor
     * the facade's inspection had not seen (SuspendedWindowTest). A victim suspended inside class
     * loading holds locks the killer's class loading would wait for, forever.
     */
    private static void warmFreezeJavaHalf() {
        JavaSafePoint.warm();
    }

    /**
     * The result of a native kill from what the C side filled into {@code out}; after a freeze
     * also what the parked thread holds, and the warning. {@code heldBefore}: what an EXIT or
     * CANCEL victim held, read before the signal (null for FREEZE).
     */
    static KillResult afterSignal(Thread t, KillMode mode, Duration wait, long[] out, List<String> heldBefore,
                                  String javaReason) {
        List<String> held = heldBefore;
        if (held == null) {
            held = out[Native.OUT_STATUS] == Native.KILL_STOPPED ? HeldLocks.of(t) : List.of();
        }
        KillResult result = decode(t, mode, wait, out, held, javaReason);
        if (mode == KillMode.NATIVE_FREEZE && result.outcome() == KillOutcome.STOPPED) {
            Instant at = Instant.now();
            FROZEN.put(t, at);
            markFrozen(t, at, held);
        }
        if (heldBefore == null && result.outcome() != KillOutcome.ALREADY_TERMINATED) {
            boolean reached = result.handlerLatency() != null;
            Warnings.warn("threadkill: ", result, reached
                    ? ". This JVM is now damaged; see " + Gate.WARNINGS_PAGE
                    : ". No signal reached the thread; nothing was changed");
        }
        return result;
    }

    /**
     * Renames a frozen thread so that thread dumps ({@code jcmd <pid> Thread.print}, jstack) show
     * what it is: {@code worker-3 [frozen by threadkill at 12:04:05]}. Skipped when the thread holds
     * its own Thread object's monitor (JDK 17's setName would wait on it forever).
     */
    private static void markFrozen(Thread t, Instant at, List<String> held) {
        String own = "@" + Integer.toHexString(System.identityHashCode(t));
        for (String h : held) {
            if (h.startsWith("monitor ") && h.endsWith(own)) return;
        }
        String time = java.time.LocalTime.ofInstant(at, java.time.ZoneId.systemDefault())
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        t.setName(new StringBuilder(t.getName()).append(" [frozen by threadkill at ").append(time).append(']').toString());
    }

    /** True when this library froze {@code t} (NATIVE_FREEZE, STOPPED). */
    public static boolean isFrozen(Thread t) {
        return FROZEN.containsKey(t);
    }

    /**
     * The answer for any kill of a thread this library already froze: nothing is sent, no second
     * tombstone; null when {@code t} is not frozen.
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static KillResult alreadyFrozen(Thread t, KillMode mode) {
        Instant at = FROZEN.get(t);
        if (at == null) return null;
        return new KillResult(t.getName(), t.getId(), -1, mode, KillOutcome.STOPPED, Duration.ZERO, null,
                JvmState.UNKNOWN, List.of(), new StringBuilder("already frozen by threadkill at ").append(at)
                        .append(": it will never run again; nothing was sent").toString());
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    private static KillResult decode(Thread t, KillMode mode, Duration wait, long[] out, List<String> held,
                                     String javaReason) {
        int status = (int) out[Native.OUT_STATUS];
        if (status == Native.KILL_TERMINATED) return Watch.terminated(t, mode);
        JvmState before = Lookup.jvmState((int) out[Native.OUT_STATE]);
        Duration handler = out[Native.OUT_ENTERED_NS] >= 0 ? Duration.ofNanos(out[Native.OUT_ENTERED_NS]) : null;
        KillOutcome outcome = status == Native.KILL_STOPPED ? KillOutcome.STOPPED : KillOutcome.STILL_RUNNING;
        Duration latency = outcome == KillOutcome.STOPPED ? Duration.ofNanos(out[Native.OUT_STOPPED_NS]) : wait;
        return new KillResult(t.getName(), t.getId(), out[Native.OUT_TID], mode, outcome, latency,
                handler, before, held, wait.isZero() && (status == Native.KILL_NOT_SAFE
                        || status == Native.KILL_NOT_DELIVERED) ? ZERO_WAIT
                        : detail(mode, status, before, (int) out[Native.OUT_REASON], out[Native.OUT_WHERE], javaReason));
    }

    private static final String ZERO_WAIT = "nothing done: a zero wait leaves no time for the handshake a native kill "
            + "needs (suspend, signal, check, answer); the request was withdrawn and the thread still runs. Give it a wait";

    /** Constant strings only: nothing may run for the first time after NATIVE_EXIT. */
    private static String detail(KillMode mode, int status, JvmState before, int reason, long where,
                                 String javaReason) {
        if (status == Native.KILL_NOT_SAFE) {
            StringBuilder sb = new StringBuilder("not frozen: whenever it was looked at within the wait, the thread was ");
            if (javaReason != null) {
                sb.append(javaReason);
            } else {
                switch (reason) {
                    case Native.UNSAFE_LIBC: case Native.UNSAFE_LOADER: case Native.UNSAFE_JVM: case Native.UNSAFE_RUNTIME:
                        sb.append("inside ").append(Library.codeAt(where)).append(reason == Native.UNSAFE_LOADER
                                ? " (it may hold the dynamic loader's lock)" : ", which may hold a lock the JVM needs");
                        break;
                    case Native.UNSAFE_CRITICAL:
                        sb.append("in a JNI critical region (the GC would wait for it forever)");
                        break;
                    case Native.UNSAFE_STACK:
                        sb.append("on a native stack too deep to check (refused in doubt)");
                        break;
                    default:
                        sb.append("neither in native code nor asleep in a wait of its own");
                        break;
                }
            }
            return sb.append("; it was let go each time and still runs").toString();
        }
        if (status == Native.KILL_NO_SLOT) {
            return "not signalled: every request slot stayed in use for the whole wait";
        }
        if (status == Native.KILL_NOT_DELIVERED) {
            return "signal not handled within the wait (the thread may block it); the request was withdrawn";
        }
        if (status == Native.KILL_STILL_RUNNING) {
            return mode == KillMode.NATIVE_CANCEL
                    ? "cancellation requested and still pending after this call: it acts at the thread's next "
                            + "cancellation point (often inside the JVM: a sleep, a wait, a lock), maybe never"
                    : "the handler ran but the OS thread has not ended yet";
        }
        if (mode == KillMode.NATIVE_FREEZE) {
            return Targets.isWindows()
                    ? "suspended for good (SuspendThread); everything it held stays held"
                    : "parked for good in the signal handler; everything it held stays held";
        }
        if (mode == KillMode.NATIVE_EXIT) {
            return before == JvmState.IN_JAVA
                    ? "the OS thread is gone; the JVM still believes it alive and will hang at the next safepoint"
                    : "the OS thread is gone; the JVM still believes it alive";
        }
        return "cancelled: the OS thread is gone; the JVM still believes it alive";
    }

    /**
     * Records {@code r} (with its hazards) after a kill: JFR event; tombstone when a native mode
     * reached the thread. Runs no code for the first time and takes no safepoint (see
     * {@link #prepare()}). Returns {@code r}.
     */
    public static KillResult record(Thread t, KillResult r) {
        synchronized (Aftermath.class) {
            return record(t, r, TOMBSTONES, SIGHTINGS, true);
        }
    }

    private static KillResult record(Thread t, KillResult r, List<Object[]> tombstones,
                                     Map<List<Object>, Sighting> sightings, boolean commit) {
        // tid -1: nothing was sent (already frozen, another kill in progress): no second tombstone
        boolean tainting = r.mode().isNative() && r.tid() > 0
                && (r.outcome() == KillOutcome.STOPPED || r.handlerLatency() != null);
        Hazards h = r.hazards();
        if (tainting) {
            Object[] tomb = encode(new Tombstone(r.threadName(), r.threadId(), r.tid(), r.mode(), r.outcome(),
                    Instant.now(), r.jvmStateBefore(), r.held(), r.detail()));
            synchronized (tombstones) {
                tombstones.add(tomb);
            }
            long now = System.nanoTime();
            if (h != null) {
                for (Hazards.Waiter w : h.waiters()) {
                    sightings.putIfAbsent(key(w.threadId(), describe(w.on())), new Sighting(now, -1));
                }
            }
        }
        // No event class is touched before JFR itself has started (loading one costs ~200 ms the
        // first time); KillEvents.take() ends the duration begun just before the kill acted.
        KillEvent e = KillEvents.take();
        if (e != null && (e.shouldCommit() || !commit)) {
            e.victim = t;
            e.victimName = r.threadName();
            e.victimId = r.threadId();
            e.tid = r.tid();
            e.mode = r.mode().name();
            e.outcome = r.outcome().name();
            e.latency = Durations.saturatedNanos(r.latency());
            e.handlerLatency = r.handlerLatency() == null ? Long.MIN_VALUE : Durations.saturatedNanos(r.handlerLatency());
            e.jvmStateBefore = r.jvmStateBefore() == null ? null : r.jvmStateBefore().name();
            StringBuilder held = new StringBuilder();
            int count = 0;
            if (!r.held().isEmpty() || h == null) {
                for (String s : r.held()) {
                    if (count++ > 0) held.append(", ");
                    held.append(s);
                }
            } else {
                for (HeldLock x : h.held()) {
                    if (count++ > 0) held.append(", ");
                    held.append(describe(x));
                }
            }
            e.held = held.toString();
            e.heldCount = count;
            e.waitersBefore = h == null ? 0 : h.waiters().size();
            e.tainted = tainting;
            e.detail = r.detail();
            if (commit) e.commit();
        }
        return r;
    }

    /** {@code monitor class@hash} or {@code lock class@hash}, as the core's held lists say it. */
    static String describe(HeldLock h) {
        return new StringBuilder(h.kind() == HeldLock.Kind.MONITOR ? "monitor " : "lock ").append(h.className())
                .append('@').append(Integer.toHexString(h.identityHash())).toString();
    }

    /** Every class loader's tombstones, oldest first. */
    public static List<Tombstone> tombstones() {
        return List.copyOf(decode(TOMBSTONES));
    }

    /** True once a native kill reached a thread, from this class loader's threadkill or another's. */
    public static boolean tainted() {
        synchronized (TOMBSTONES) {
            return !TOMBSTONES.isEmpty();
        }
    }

    /** Why the JVM is tainted, or null when no native kill reached a thread. */
    public static String taintReason() {
        return reason(decode(TOMBSTONES));
    }

    /**
     * A tombstone as JDK values only, so that every class loader's threadkill can read it
     * ({@link JvmWide}): enums by name, the rest as they are.
     */
    private static Object[] encode(Tombstone t) {
        return new Object[] {t.threadName(), t.threadId(), t.tid(), t.mode().name(), t.outcome().name(), t.killedAt(),
                t.jvmStateBefore() == null ? null : t.jvmStateBefore().name(), t.held(), t.detail()};
    }

    /** The tombstones of {@code encoded}, oldest first; run by the warm-up (callers may be past a NATIVE_EXIT). */
    @SuppressWarnings("unchecked")
    private static List<Tombstone> decode(List<Object[]> encoded) {
        List<Tombstone> out = new ArrayList<>();
        synchronized (encoded) {
            for (Object[] o : encoded) {
                KillMode mode = named(KillMode.values(), (String) o[3]);
                KillOutcome outcome = named(KillOutcome.values(), (String) o[4]);
                if (mode == null || outcome == null) continue;   // not ours to read: another version's
                out.add(new Tombstone((String) o[0], (Long) o[1], (Long) o[2], mode, outcome, (Instant) o[5],
                        named(JvmState.values(), (String) o[6]), (List<String>) o[7], (String) o[8]));
            }
        }
        return out;
    }

    private static <E extends Enum<E>> E named(E[] values, String name) {
        for (E e : values) {
            if (e.name().equals(name)) return e;
        }
        return null;
    }

    /** StringBuilder only, run once by the warm-up: callers may be past a NATIVE_EXIT (see {@link #prepare()}). */
    private static String reason(List<Tombstone> tombstones) {
        if (tombstones.isEmpty()) return null;
        Tombstone first = tombstones.get(0);
        StringBuilder sb = new StringBuilder();
        if (tombstones.size() > 1) sb.append(tombstones.size()).append(" native kills; the first: ");
        sb.append(first.mode().name()).append(" reached thread '").append(first.threadName()).append("' (id ")
          .append(first.threadId()).append(", tid ").append(first.tid()).append(") at ").append(first.killedAt())
          .append(": ").append(first.detail());
        return sb.toString();
    }

    /** The damage report; takes safepoints (ThreadMXBean), but only when there are tombstones. */
    public static DamageReport damage() {
        List<Tombstone> tombs = tombstones();
        Instant takenAt = Instant.now();
        if (tombs.isEmpty()) return new DamageReport(takenAt, tombs, List.of(), List.of());

        Map<Long, Tombstone> killed = new LinkedHashMap<>();
        Map<String, Tombstone> heldMonitor = new HashMap<>();   // "class@hash" of monitors killed threads hold
        Map<String, String> heldDescription = new HashMap<>();  // "class@hash" -> "monitor class@hash"
        for (Tombstone t : tombs) {
            killed.put(t.threadId(), t);
            for (String h : t.held()) {
                String id = h.substring(h.indexOf(' ') + 1);
                heldDescription.put(id, h);
                if (h.startsWith("monitor ")) heldMonitor.put(id, t);
            }
        }
        long[] ids = Arrays.stream(MX.getAllThreadIds()).filter(id -> !killed.containsKey(id)).toArray();
        long now = System.nanoTime();
        List<BlockedThread> blocked = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        for (ThreadInfo w : MX.getThreadInfo(ids, 0)) {
            if (w == null || w.getLockInfo() == null) continue;
            String lockId = w.getLockInfo().toString();
            Tombstone owner = killed.get(w.getLockOwnerId());
            if (owner == null && w.getLockOwnerId() == -1) owner = heldMonitor.get(lockId);   // Object.wait
            if (owner == null) continue;
            String lock = heldDescription.getOrDefault(lockId,
                    (w.getThreadState() == Thread.State.BLOCKED ? "monitor " : "lock ") + lockId);
            List<Object> key = key(w.getThreadId(), lock);
            seen.add(key);
            long count = w.getBlockedCount() + w.getWaitedCount();
            long since;
            synchronized (Aftermath.class) {
                Sighting s = SIGHTINGS.get(key);
                if (s == null || (s.count >= 0 && s.count != count)) {
                    s = new Sighting(now, count);   // first seen, or woke and blocked again since
                    SIGHTINGS.put(key, s);
                } else {
                    s.count = count;
                }
                since = s.sinceNanos;
            }
            blocked.add(new BlockedThread(w.getThreadName(), w.getThreadId(), w.getThreadState(), lock, owner,
                    Duration.ofNanos(now - since)));
        }
        synchronized (Aftermath.class) {
            SIGHTINGS.keySet().retainAll(seen);
        }
        java.util.Set<Integer> tids = new HashSet<>();
        for (Tombstone t : tombs) if (t.tid() > 0) tids.add((int) t.tid());
        return new DamageReport(takenAt, tombs, blocked, deadlocks(killed), NativeLocks.waitersOn(tids, NATIVE_SCAN_LIMIT));
    }

    /** Cycles of findDeadlockedThreads that go through a killed thread. */
    private static List<Deadlock> deadlocks(Map<Long, Tombstone> killed) {
        long[] dead = MX.findDeadlockedThreads();
        if (dead == null) return List.of();
        Map<Long, ThreadInfo> info = new HashMap<>();
        for (ThreadInfo i : MX.getThreadInfo(dead, 0)) if (i != null) info.put(i.getThreadId(), i);
        List<Deadlock> cycles = new ArrayList<>();
        Set<Long> done = new HashSet<>();
        for (long start : dead) {
            if (done.contains(start)) continue;
            // Follow lock owners from start until a thread repeats: that thread is on the cycle.
            List<Long> path = new ArrayList<>();
            long cur = start;
            while (info.containsKey(cur) && !path.contains(cur) && !done.contains(cur)) {
                path.add(cur);
                cur = info.get(cur).getLockOwnerId();
            }
            done.addAll(path);
            int at = path.indexOf(cur);
            if (at < 0) continue;   // ran into a cycle already reported
            List<Long> cycle = path.subList(at, path.size());
            List<Tombstone> k = cycle.stream().filter(killed::containsKey).map(killed::get).toList();
            if (k.isEmpty()) continue;
            // Killed threads by the name they had when killed (a frozen one has since been renamed).
            cycles.add(new Deadlock(cycle, cycle.stream().map(id -> killed.containsKey(id) ? killed.get(id).threadName()
                    : info.get(id).getThreadName()).toList(), k));
        }
        return cycles;
    }

    private static List<Object> key(long threadId, String lock) {
        return List.of(threadId, lock);
    }
}
