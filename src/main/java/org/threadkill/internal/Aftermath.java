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
import org.threadkill.Hazards;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;
import org.threadkill.Tombstone;

/**
 * What happens after every kill: the JFR event, and for a native kill that reached its thread the
 * tombstone that taints the JVM for good. Also computes the damage report from the tombstones.
 */
public final class Aftermath {
    private Aftermath() {}

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private static final List<Tombstone> TOMBSTONES = new ArrayList<>();
    /** (waiter id, lock) → since when it has been seen waiting, and its blocked+waited count then. */
    private static final Map<String, Sighting> SIGHTINGS = new HashMap<>();

    private static final class Sighting {
        final long sinceNanos;
        long count;   // -1: seeded from the pre-kill snapshot, not yet compared

        Sighting(long sinceNanos, long count) {
            this.sinceNanos = sinceNanos;
            this.count = count;
        }
    }

    /**
     * Records {@code r} (with its hazards) after a kill: JFR event; tombstone when a native mode
     * reached the thread. Never takes a safepoint: after NATIVE_EXIT of a thread in Java code the
     * next one never completes. Returns {@code r}.
     */
    public static KillResult record(Thread t, KillResult r) {
        boolean tainting = r.mode().isNative() && (r.outcome() == KillOutcome.STOPPED || r.handlerLatency() != null);
        if (tainting) {
            Tombstone ts = new Tombstone(r.threadName(), r.threadId(), r.tid(), r.mode(), r.outcome(), Instant.now(),
                    r.jvmStateBefore(), r.held(), r.detail());
            long now = System.nanoTime();
            synchronized (Aftermath.class) {
                TOMBSTONES.add(ts);
                Hazards h = r.hazards();
                if (h != null) {
                    for (Hazards.Waiter w : h.waiters()) {
                        String lock = (w.on().kind() == Hazards.HeldLock.Kind.MONITOR ? "monitor " : "lock ") + w.on().id();
                        SIGHTINGS.putIfAbsent(key(w.threadId(), lock),
                                new Sighting(now, -1));
                    }
                }
            }
        }
        KillEvent e = new KillEvent();
        if (e.shouldCommit()) {
            e.victim = t;
            e.victimName = r.threadName();
            e.victimId = r.threadId();
            e.tid = r.tid();
            e.mode = r.mode().name();
            e.outcome = r.outcome().name();
            e.latency = r.latency().toNanos();
            e.handlerLatency = r.handlerLatency() == null ? Long.MIN_VALUE : r.handlerLatency().toNanos();
            e.jvmStateBefore = r.jvmStateBefore() == null ? null : r.jvmStateBefore().name();
            List<String> held = !r.held().isEmpty() || r.hazards() == null ? r.held()
                    : r.hazards().held().stream().map(x -> x.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + " " + x.id()).toList();
            e.held = KillEvent.join(held);
            e.heldCount = held.size();
            e.waitersBefore = r.hazards() == null ? 0 : r.hazards().waiters().size();
            e.tainted = tainting;
            e.detail = r.detail();
            e.commit();
        }
        return r;
    }

    public static synchronized List<Tombstone> tombstones() {
        return List.copyOf(TOMBSTONES);
    }

    /** Why the JVM is tainted, or null when no native kill reached a thread. */
    public static synchronized String taintReason() {
        if (TOMBSTONES.isEmpty()) return null;
        Tombstone first = TOMBSTONES.get(0);
        String s = first.mode() + " reached thread '" + first.threadName() + "' (id " + first.threadId() + ", tid "
                + first.tid() + ") at " + first.killedAt() + ": " + first.detail();
        if (TOMBSTONES.size() > 1) s = TOMBSTONES.size() + " native kills; the first: " + s;
        return s;
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
        Set<String> seen = new HashSet<>();
        for (ThreadInfo w : MX.getThreadInfo(ids, 0)) {
            if (w == null || w.getLockInfo() == null) continue;
            String lockId = w.getLockInfo().toString();
            Tombstone owner = killed.get(w.getLockOwnerId());
            if (owner == null && w.getLockOwnerId() == -1) owner = heldMonitor.get(lockId);   // Object.wait
            if (owner == null) continue;
            String lock = heldDescription.getOrDefault(lockId,
                    (w.getThreadState() == Thread.State.BLOCKED ? "monitor " : "lock ") + lockId);
            String key = key(w.getThreadId(), lock);
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
        return new DamageReport(takenAt, tombs, blocked, deadlocks(killed));
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
            cycles.add(new Deadlock(cycle, cycle.stream().map(id -> info.get(id).getThreadName()).toList(), k));
        }
        return cycles;
    }

    private static String key(long threadId, String lock) {
        return threadId + "|" + lock;
    }
}
