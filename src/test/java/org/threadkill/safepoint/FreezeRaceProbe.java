package org.threadkill.safepoint;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.threadkill.KillMode;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.Tombstone;
import org.threadkill.testing.ChildJvm;

/**
 * Child-JVM program for issue 9's race: (a) NATIVE_FREEZE of threads of the {@code main} group that
 * are exiting at that moment, started in a loop by several creators (without the Java safe point,
 * JDK 17 parked one inside {@code Thread.exit -> ThreadGroup.threadTerminated} holding the group's
 * monitor and every later {@code new Thread} blocked); (b) pairs of threads each freezing the other
 * (seen: both frozen with no tombstone; on 25 one frozen inside {@code MethodType.makeImpl} holding
 * the intern table's lock). Then, each step bounded and printed: new threads of the main group,
 * full thread dumps, a {@code jcmd Thread.print} by the parent, MethodType and MethodHandle lookups,
 * GC, one more freeze. Arguments: exiting kills, mutual rounds.
 */
public final class FreezeRaceProbe {
    private FreezeRaceProbe() {}

    /** The wait each kill is given; the bound is this plus {@link #SLACK_MS}. */
    static final long WAIT_MS = 100;
    static final long SLACK_MS = 50;
    private static final int CREATORS = 3;
    private static final int KILLERS = 2;

    private static final long START = System.nanoTime();
    private static final AtomicLong MAX_OVERRUN_NS = new AtomicLong(Long.MIN_VALUE);
    private static final AtomicInteger OVER_BOUND = new AtomicInteger();
    /** The ten longest overruns beyond the bound, longest first: {overrun ns, description}. */
    private static final java.util.TreeMap<Long, String> SLOW = new java.util.TreeMap<>();
    /** Probe threads live in a group of their own, made before the race: no victim ever joins it. */
    private static ThreadGroup probes;
    /** The group of {@code main}: victims, creators and the threads started afterwards. */
    private static ThreadGroup mainGroup;

    public static void main(String[] args) throws Exception {
        int exitingKills = Integer.parseInt(args[0]);
        int mutualRounds = Integer.parseInt(args[1]);
        mainGroup = Thread.currentThread().getThreadGroup();
        probes = new ThreadGroup("probes");
        say("pid", Long.toString(ProcessHandle.current().pid()));
        say("java.version", System.getProperty("java.version"));
        warmUp();

        long t0 = System.nanoTime();
        raceExitingThreads(exitingKills);
        say("exiting.seconds", String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        t0 = System.nanoTime();
        raceMutualFreezes(mutualRounds);
        say("mutual.seconds", String.format("%.1f", (System.nanoTime() - t0) / 1e9));

        say("kill.maxOverrunMs", String.format("%.1f", MAX_OVERRUN_NS.get() / 1e6));
        say("kill.overBound", Integer.toString(OVER_BOUND.get()));
        synchronized (SLOW) {
            for (String s : SLOW.descendingMap().values()) say("kill.slow", s);
        }

        checkAfterwards();
        say("main.returning", "true");
    }

    /** The first kill of a JVM loads some hundred classes: not part of the race. */
    private static void warmUp() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Thread sleeper = daemon(new Thread(probes, () -> await(never), "warm-up"));
        sleeper.start();
        ThreadKill.inspect(sleeper);
        ThreadKill.kill(sleeper, KillMode.INTERRUPT, Duration.ofMillis(10));
        MethodType.methodType(void.class, int.class);
    }

    // ---- (a) freezes raced against exiting threads of the main group

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    private static void raceExitingThreads(int kills) throws Exception {
        // Victims, creators and the short threads all belong to the main group; killers and probes
        // to a group of their own.
        ThreadGroup main = mainGroup;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong created = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        List<Thread> creators = new ArrayList<>();
        for (int c = 0; c < CREATORS; c++) {
            // Threads of the main group started and ended in a loop: a victim frozen while it holds the
            // group's monitor (JDK 17's Thread.exit -> ThreadGroup.threadTerminated) stops them all.
            Thread creator = daemon(new Thread(main, () -> {
                while (!stop.get()) {
                    Thread t = daemon(new Thread(main, ran::incrementAndGet, "short-" + created.incrementAndGet(), 256 * 1024));
                    t.start();
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "creator-" + c));
            creators.add(creator);
            creator.start();
        }
        AtomicInteger done = new AtomicInteger();
        int[][] outcomes = new int[KILLERS][KillOutcome.values().length];
        List<List<Thread>> frozen = new ArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        List<Thread> killers = new ArrayList<>();
        for (int k = 0; k < KILLERS; k++) {
            int me = k;
            List<Thread> mine = new ArrayList<>();
            frozen.add(mine);
            Thread killer = daemon(new Thread(probes, () -> {
                // When, after its kill began, a victim should start to exit so that the freeze reaches
                // it in the middle of its Thread.exit: learnt as we go, like a staircase. A freeze that
                // found the victim still parked (STOPPED) means "exit sooner", one that found it gone
                // "later"; the steps settle where about a quarter of them still find it parked, that
                // is on the edge, where the freeze meets the exit. Fewer frozen threads keep every
                // later kill cheaper (each one costs more with every thread alive).
                double releaseNanos = 300_000;
                try {
                    while (true) {
                        int n = done.getAndIncrement();
                        if (n >= kills) return;
                        Release release = new Release();
                        Thread v = daemon(new Thread(main, release::await, "exiting-" + n, 256 * 1024));
                        v.start();
                        while (!release.started) Thread.yield();
                        double jitter = 0.7 + 0.6 * ThreadLocalRandom.current().nextDouble();
                        release.at = System.nanoTime() + 1 + (long) (releaseNanos * jitter);
                        KillResult r = timedKill(v);
                        if (r.outcome() == KillOutcome.STOPPED) {
                            mine.add(v);
                            releaseNanos *= 0.85;
                        } else {
                            releaseNanos = Math.min(releaseNanos * 1.05, 50_000_000);
                        }
                        outcomes[me][r.outcome().ordinal()]++;
                        if (n % 100 == 99) say("exiting.kills", (n + 1) + " at " + (System.nanoTime() - START) / 1_000_000 + " ms");
                    }
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
            }, "killer-" + k));
            killers.add(killer);
            killer.start();
        }
        for (Thread k : killers) {
            k.join();
        }
        stop.set(true);
        if (error.get() != null) {
            say("exiting.error", error.get().toString());
            error.get().printStackTrace();
        }
        for (KillOutcome o : KillOutcome.values()) {
            int n = 0;
            for (int[] row : outcomes) n += row[o.ordinal()];
            say("exiting." + o.name(), Integer.toString(n));
        }
        int stuckCreators = 0;
        for (Thread c : creators) {
            c.join(10_000);
            if (c.isAlive()) {
                stuckCreators++;
                say("exiting.stuckCreator", c.getName() + " " + stackOf(c));
            }
        }
        say("exiting.shortThreads", Long.toString(created.get()));
        say("exiting.ran", Long.toString(ran.get()));
        say("exiting.stuckCreators", Integer.toString(stuckCreators));
        // Every STOPPED victim is still registered (frozen, never finished) and has its tombstone.
        Set<Long> tombs = tombstoneIds();
        int frozenAlive = 0, frozenUntombed = 0;
        for (List<Thread> mine : frozen) {
            for (Thread v : mine) {
                if (v.isAlive()) frozenAlive++;
                if (!tombs.contains(v.getId())) frozenUntombed++;
            }
        }
        say("exiting.frozenAlive", Integer.toString(frozenAlive));
        say("exiting.frozenWithoutTombstone", Integer.toString(frozenUntombed));
    }

    // ---- (b) pairs of threads freezing each other

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    private static void raceMutualFreezes(int rounds) throws Exception {
        ThreadGroup main = mainGroup;
        int bothFrozen = 0, oneFrozen = 0, noneFrozen = 0, untombed = 0, stuck = 0;
        for (int round = 0; round < rounds; round++) {
            CyclicBarrier go = new CyclicBarrier(2);
            Thread[] pair = new Thread[2];
            KillResult[] results = new KillResult[2];
            CountDownLatch returned = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                int me = i;
                pair[i] = daemon(new Thread(main, () -> {
                    try {
                        go.await();
                        // Sometimes still interning MethodTypes (java.lang.invoke's lock) when the other
                        // one's freeze arrives: that is where JDK 25 once parked a thread for good.
                        int jitter = ThreadLocalRandom.current().nextInt(64);
                        for (int j = 0; j < jitter; j++) freshMethodType();
                        results[me] = timedKill(pair[1 - me]);
                        returned.countDown();
                    } catch (Exception e) {
                        say("mutual.error", e.toString());
                    }
                }, "pair-" + round + "-" + i));
            }
            pair[0].start();
            pair[1].start();
            // Both kills return, or one has frozen the other (whose own kill then never returns).
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS + SLACK_MS + 2_000);
            Set<Long> tombs = tombstoneIds();
            while (returned.getCount() > 0 && System.nanoTime() < until) {
                if (returned.getCount() == 1 && (tombs.contains(pair[0].getId()) || tombs.contains(pair[1].getId()))) break;
                returned.await(1, TimeUnit.MILLISECONDS);
                tombs = tombstoneIds();
            }
            int frozenHere = 0;
            for (int i = 0; i < 2; i++) {
                Thread t = pair[i];
                boolean tombed = tombs.contains(t.getId());
                if (!tombed) t.join(WAIT_MS + SLACK_MS + 2_000);   // finishes unless it is frozen (or hung)
                if (!t.isAlive()) continue;
                frozenHere++;
                if (!tombed && !tombstoneIds().contains(t.getId())) {
                    untombed++;
                    if (untombed <= 5) say("mutual.untombed", t.getName() + " kill returned: " + results[i] + " " + stackOf(t));
                }
                if (results[i] == null && !tombed) stuck++;
            }
            if (frozenHere == 2) {
                bothFrozen++;
                if (bothFrozen <= 5) say("mutual.bothFrozen", "round " + round + " " + stackOf(pair[0]) + " | " + stackOf(pair[1]));
            } else if (frozenHere == 1) {
                oneFrozen++;
            } else {
                noneFrozen++;
            }
            if (round % 50 == 49) say("mutual.rounds", Integer.toString(round + 1));
        }
        say("mutual.bothFrozen", Integer.toString(bothFrozen));
        say("mutual.oneFrozen", Integer.toString(oneFrozen));
        say("mutual.noneFrozen", Integer.toString(noneFrozen));
        say("mutual.frozenWithoutTombstone", Integer.toString(untombed));
        say("mutual.stuck", Integer.toString(stuck));
    }

    /** A victim's life: parked (safe to freeze) until its killer's chosen moment, then it exits. */
    private static final class Release {
        volatile boolean started;
        volatile long at;   // System.nanoTime() to exit at; 0 until the killer has chosen

        void await() {
            started = true;
            while (true) {
                long when = at;
                if (when != 0 && System.nanoTime() - when >= 0) return;
                java.util.concurrent.locks.LockSupport.parkNanos(when == 0 ? 100_000 : Math.min(100_000, when - System.nanoTime()));
            }
        }
    }

    private static final Class<?>[] TYPES = {int.class, long.class, short.class, byte.class, char.class,
        float.class, double.class, boolean.class, String.class, Object.class, int[].class, long[].class};

    /** A MethodType made of a random list of parameters: most are new to the intern table. */
    private static MethodType freshMethodType() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Class<?>[] params = new Class<?>[1 + rnd.nextInt(7)];
        for (int i = 0; i < params.length; i++) params[i] = TYPES[rnd.nextInt(TYPES.length)];
        return MethodType.methodType(TYPES[rnd.nextInt(TYPES.length)], params);
    }

    // ---- afterwards: what a frozen victim in the wrong place would have broken

    private static void checkAfterwards() throws Exception {
        say("threads.live", Integer.toString(ManagementFactory.getThreadMXBean().getThreadCount()));
        say("tombstones", Integer.toString(ThreadKill.tombstones().size()));
        bounded("newthreads", () -> {
            // In the main group (the group the victims exited from), started and joined.
            for (int i = 0; i < 20; i++) {
                AtomicBoolean ranIt = new AtomicBoolean();
                Thread t = new Thread(mainGroup, () -> ranIt.set(true), "after-" + i);
                t.start();
                t.join(10_000);
                if (!ranIt.get() || t.isAlive()) throw new IllegalStateException("thread " + i + " did not run and end");
            }
            return "20 started and ended";
        });
        bounded("dumpAllThreads", () -> {
            ThreadInfo[] all = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
            return all.length + " threads";
        });
        bounded("allStackTraces", () -> Thread.getAllStackTraces().size() + " threads");
        jcmdByTheParent();
        bounded("methodType", () -> {
            for (int i = 0; i < 1000; i++) freshMethodType();
            return MethodType.methodType(FreezeRaceProbe.class, long[].class, short.class, char[].class).toString();
        });
        bounded("findVirtual", () -> {
            MethodHandle h = MethodHandles.lookup().findVirtual(StringBuilder.class, "reverse",
                    MethodType.methodType(StringBuilder.class));
            return h.invoke(new StringBuilder("ok")).toString();
        });
        bounded("gc", () -> {
            System.gc();
            System.gc();
            return "two collections";
        });
        bounded("freezeAgain", () -> {
            // The C side's request slots and the kill token are free again: one more freeze works.
            CountDownLatch never = new CountDownLatch(1);
            Thread sleeper = daemon(new Thread(probes, () -> await(never), "last-victim"));
            sleeper.start();
            Thread.sleep(50);
            KillResult r = timedKill(sleeper);
            return r.outcome().name();
        });
        bounded("tombstonesAgain", () -> ThreadKill.tombstones().size() + " tombstones");
    }

    /** Asks the parent for a {@code jcmd <pid> Thread.print}, and waits (bounded) for its answer. */
    private static void jcmdByTheParent() throws Exception {
        Path answer = Path.of("jcmd.done");
        say("jcmd.ready", Long.toString(ProcessHandle.current().pid()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(answer) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            say("jcmd.waiting", "true");   // the parent's stall clock sees this child alive
        }
        say("jcmd.answered", Boolean.toString(Files.exists(answer)));
    }

    interface Step {
        String run() throws Throwable;
    }

    /** Runs a step in a thread of the probes group, waiting 30 s at most: a hang is named, not a stall. */
    private static void bounded(String name, Step step) throws InterruptedException {
        say("probe." + name, "start");
        AtomicReference<String> result = new AtomicReference<>();
        long t0 = System.nanoTime();
        Thread runner = daemon(new Thread(probes, () -> {
            try {
                result.set("ok " + step.run());
            } catch (Throwable e) {
                result.set("failed " + e);
            }
        }, "probe-" + name));
        runner.start();
        runner.join(ChildJvm.scaled(Duration.ofSeconds(30)).toMillis());
        String r = result.get();
        if (r == null) r = "HUNG " + stackOf(runner);
        say("probe." + name, r + " (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
    }

    // ---- helpers

    /** One NATIVE_FREEZE, timed: how far beyond its wait it returned. */
    private static KillResult timedKill(Thread v) {
        long t0 = System.nanoTime();
        KillResult r = ThreadKill.kill(v, KillMode.NATIVE_FREEZE, Duration.ofMillis(WAIT_MS));
        long overrun = System.nanoTime() - t0 - TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        MAX_OVERRUN_NS.accumulateAndGet(overrun, Math::max);
        if (overrun > TimeUnit.MILLISECONDS.toNanos(SLACK_MS)) {
            OVER_BOUND.incrementAndGet();
            String what = String.format("%.1f ms over with %d threads alive, at uptime %d ms: %s", overrun / 1e6,
                    ManagementFactory.getThreadMXBean().getThreadCount(), ManagementFactory.getRuntimeMXBean().getUptime(), r);
            synchronized (SLOW) {
                SLOW.put(overrun, what);
                if (SLOW.size() > 10) SLOW.pollFirstEntry();
            }
        }
        return r;
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    private static Set<Long> tombstoneIds() {
        Set<Long> ids = new HashSet<>();
        for (Tombstone t : ThreadKill.tombstones()) {
            if (t.mode() == KillMode.NATIVE_FREEZE && t.outcome() == KillOutcome.STOPPED) ids.add(t.threadId());
        }
        return ids;
    }

    private static String stackOf(Thread t) {
        StringBuilder sb = new StringBuilder("[").append(t.getState());
        for (StackTraceElement e : t.getStackTrace()) sb.append(" < ").append(e);
        return sb.append(']').toString();
    }

    private static Thread daemon(Thread t) {
        t.setDaemon(true);
        return t;
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            // ends the thread
        }
    }

    static void say(String key, String value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }
}
