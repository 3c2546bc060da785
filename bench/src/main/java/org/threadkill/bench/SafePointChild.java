package org.threadkill.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Pattern;

import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.testing.Victims;

/**
 * Child-JVM program for the safe-point sections (issues 9 and 10). Prints {@code c <sample> <ns>} and
 * {@code i <fact> <value>} lines, then "done". One of:
 * <ul>
 * <li>{@code heap <MiB> <threads> <kills> <label>}: that many MiB of live objects and that many
 *     idle threads (parked on a latch), then {@code kills} NATIVE_FREEZEs of fresh native spinners, each
 *     whole {@code kill()} call timed ({@code c kill_wall_<label>}); {@code i window_<label> <from ms>
 *     <to ms>} gives the JVM uptime around the kills, to pick the safepoints of -Xlog:safepoint that fall
 *     inside them; and for each kill that froze, what its safe-point check cost
 *     ({@code c check_java_<label>}, {@code check_native_}, {@code check_both_}, {@code check_suspend_},
 *     {@code check_resume_}; {@code check_safepoints_} is 1 when the look took ThreadMXBean's safepoint);</li>
 * <li>{@code async <victim> <tries> <label>}: ASYNC_EXCEPTION with a 100 ms wait on fresh victims in pure
 *     Java code ({@code poll}: a long-indexed loop with safepoint polls, {@code counted}: a counted int
 *     loop, {@code regex}: {@code ((a+)+)+b} on 40 'a's); {@code i async_stopped_<label> <n>},
 *     {@code i async_tries_<label> <n>} and the latencies;</li>
 * <li>{@code libc <tries>}: NATIVE_FREEZE with a 1 s wait on fresh victims in {@code mallocLoop(slot,
 *     2000)} (most of their time in libc): {@code i libc_stopped}, {@code i libc_tries} and the latencies.</li>
 * </ul>
 */
public final class SafePointChild {
    private SafePointChild() {}

    static volatile long sink;
    /** Kept reachable for the whole run: the live set of the heap axis. */
    static final List<long[]> LIVE = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        KillChild.QUIET.setLevel(Level.OFF);
        if (!ThreadKill.isAvailable()) throw new IllegalStateException("threadkill not available", ThreadKill.unavailabilityCause());
        switch (args[0]) {
            case "heap": heap(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]); break;
            case "async": async(args[1], Integer.parseInt(args[2]), args[3]); break;
            case "libc": libc(Integer.parseInt(args[1])); break;
            default: throw new IllegalArgumentException(args[0]);
        }
        KillChild.OUT.println("done");
        KillChild.OUT.flush();
        Runtime.getRuntime().halt(0);   // frozen threads would keep a normal exit waiting for nothing
    }

    static long uptimeMs() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    private static void heap(int mib, int threads, int kills, String label) throws Exception {
        // Live objects: 1 KiB arrays, so that a heap walk has many objects to visit.
        long words = (long) mib * 1024 * 1024 / 8;
        for (long w = 0; w < words; w += 128) LIVE.add(new long[128]);
        // Idle threads parked on a latch that never opens (every thread is one more stack for a
        // safepoint and a thread dump to visit).
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(null, () -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    // ends
                }
            }, "idle-" + i, 256 * 1024);
            t.setDaemon(true);
            t.start();
        }
        System.gc();
        // Warm the kill path (classes, JVMTI, the first inspect) outside the window.
        for (int i = 0; i < 3; i++) ThreadKill.kill(Victim.start(Victim.Kind.NATIVE_SPIN, 256 * 1024).thread, KillMode.NATIVE_FREEZE, Duration.ofSeconds(2));
        Thread.sleep(50);
        long from = uptimeMs();
        int stopped = 0;
        for (int i = 0; i < kills; i++) {
            Victim v = Victim.start(Victim.Kind.NATIVE_SPIN, 256 * 1024);
            long t0 = System.nanoTime();
            KillResult r = ThreadKill.kill(v.thread, KillMode.NATIVE_FREEZE, Duration.ofSeconds(2));
            KillChild.OUT.println("c kill_wall_" + label + " " + (System.nanoTime() - t0));
            if (r.stopped()) {
                stopped++;
                long[] check = org.threadkill.internal.Diagnostics.lastFreezeCheck();
                if (check != null) {
                    // suspend, Java half, native half, resume (ns), and whether the look took a safepoint
                    KillChild.OUT.println("c check_suspend_" + label + " " + check[0]);
                    KillChild.OUT.println("c check_java_" + label + " " + check[1]);
                    KillChild.OUT.println("c check_native_" + label + " " + check[2]);
                    KillChild.OUT.println("c check_resume_" + label + " " + check[3]);
                    KillChild.OUT.println("c check_both_" + label + " " + (check[1] + check[2]));
                    KillChild.OUT.println("c check_safepoints_" + label + " " + check[4]);
                }
            } else {
                KillChild.info("not_frozen_" + label + "_" + i, r.outcome() + ": " + r.detail());
                v.end();
            }
        }
        long to = uptimeMs();
        KillChild.info("window_" + label, from + " " + to);
        KillChild.info("stopped_" + label, stopped + " of " + kills);
        KillChild.info("live_objects_" + label, Integer.toString(LIVE.size()) + " x 1 KiB, " + threads + " threads parked");
        bound(Math.max(2, kills / 5), label);
    }

    /**
     * The kill's bound: freezes the safe point refuses for their whole wait (a thread spinning inside
     * {@code Hashtable.computeIfAbsent}: JDK code holding the table's monitor, so every attempt also
     * reads its monitors), each timed beyond its 200 ms wait ({@code c bound_overrun_<label>}).
     * After the safepoint window: these kills' own safepoints are not in its column.
     */
    private static void bound(int kills, String label) throws Exception {
        for (int i = 0; i < kills; i++) {
            java.util.concurrent.atomic.AtomicBoolean in = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread t = new Thread(null, () -> new java.util.Hashtable<Integer, Integer>().computeIfAbsent(1, k -> {
                in.set(true);
                while (!stop.get()) sink++;
                return 0;
            }), "refused-" + i, 256 * 1024);
            t.setDaemon(true);
            t.start();
            while (!in.get()) Thread.onSpinWait();
            long t0 = System.nanoTime();
            KillResult r = ThreadKill.kill(t, KillMode.NATIVE_FREEZE, Duration.ofMillis(200));
            KillChild.OUT.println("c bound_overrun_" + label + " " + (System.nanoTime() - t0 - 200_000_000L));
            if (r.stopped()) {
                KillChild.info("bound_frozen_" + label + "_" + i, r.detail());
            } else {
                stop.set(true);
                t.join(5000);
            }
        }
    }

    private static Runnable javaWork(String victim, java.util.concurrent.atomic.AtomicBoolean started) {
        switch (victim) {
            case "poll":
                return () -> {
                    started.set(true);
                    for (long i = 0;; i++) sink += i ^ (i >>> 3);
                };
            case "counted":
                return () -> {
                    started.set(true);
                    for (;;) {
                        int acc = 0;
                        for (int i = 0; i < Integer.MAX_VALUE; i++) acc += i * 31;
                        sink += acc;
                    }
                };
            case "regex":
                return () -> {
                    Pattern p = Pattern.compile("((a+)+)+b");
                    started.set(true);
                    sink += p.matcher("a".repeat(40)).matches() ? 1 : 0;
                };
            default:
                throw new IllegalArgumentException(victim);
        }
    }

    private static void async(String victim, int tries, String label) throws Exception {
        int stopped = 0;
        int attempted = 0;
        for (int i = 0; i < tries; i++) {
            java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
            Thread t = new Thread(javaWork(victim, started), "async-victim");
            t.setDaemon(true);
            t.start();
            while (!started.get()) Thread.onSpinWait();
            Thread.sleep(2);   // in its loop, not at its start
            attempted++;
            KillResult r = ThreadKill.kill(t, KillMode.ASYNC_EXCEPTION, Duration.ofMillis(100));
            if (r.stopped()) {
                stopped++;
                KillChild.OUT.println("c async_latency_" + label + " " + r.latency().toNanos());
            } else {
                // Missed within 100 ms: does it land later? Wait up to 2 s, then give up on the series
                // (a leftover victim would burn a core and bias the rest).
                t.join(2000);
                KillChild.OUT.println("c async_late_" + label + " " + (t.isAlive() ? -1 : 1));
                if (t.isAlive()) break;
            }
        }
        KillChild.info("async_stopped_" + label, Integer.toString(stopped));
        KillChild.info("async_tries_" + label, Integer.toString(attempted));
        KillChild.info("async_planned_" + label, Integer.toString(tries));
    }

    private static void libc(int tries) throws Exception {
        int stopped = 0;
        for (int i = 0; i < tries; i++) {
            int slot = 200 + i;
            Victims.reset(slot);
            Thread t = new Thread(() -> Victims.mallocLoop(slot, 2000), "libc-victim");
            t.setDaemon(true);
            t.start();
            while (Victims.counter(slot) < 100) Thread.onSpinWait();
            long t0 = System.nanoTime();
            KillResult r = ThreadKill.kill(t, KillMode.NATIVE_FREEZE, Duration.ofSeconds(1));
            long wall = System.nanoTime() - t0;
            if (r.stopped()) {
                stopped++;
                KillChild.OUT.println("c libc_freeze_latency " + r.latency().toNanos());
            } else {
                KillChild.info("libc_refused_" + i, r.detail());
                Victims.release(slot);
            }
            KillChild.OUT.println("c libc_freeze_wall " + wall);
        }
        KillChild.info("libc_stopped", Integer.toString(stopped));
        KillChild.info("libc_tries", Integer.toString(tries));
    }
}
