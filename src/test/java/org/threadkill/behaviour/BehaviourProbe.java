package org.threadkill.behaviour;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.threadkill.KillMode;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.Tombstone;
import org.threadkill.testing.Victims;

/**
 * Child-JVM programs for the behaviour tests; each prints {@code key=value} lines, flushed one by
 * one. The first argument picks the scenario.
 */
public final class BehaviourProbe {
    private BehaviourProbe() {}

    /** Catastrophic backtracking: runs for far longer than any test (the JDK's regex has no timeout). */
    static final Pattern RUNAWAY = Pattern.compile("((a+)+)+b");
    static final String INPUT = "a".repeat(40);

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "pool": pool(KillMode.valueOf(args[1])); break;
            case "frozenTwice": frozenTwice(); break;
            case "interruptedKiller": interruptedKiller(); break;
            case "blockedStream": blockedStream(); break;
            case "nativeMutex": nativeMutex(); break;
            case "firstUseRace": firstUseRace(); break;
            default: throw new IllegalArgumentException(args[0]);
        }
        say("main.returning", "true");
    }

    /** A real ThreadPoolExecutor whose only worker runs a runaway regex; escalate it. */
    private static void pool(KillMode last) throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        AtomicReference<Thread> worker = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Future<?> stuck = pool.submit(() -> {
            worker.set(Thread.currentThread());
            started.countDown();
            return RUNAWAY.matcher(INPUT).matches();
        });
        started.await();
        Thread.sleep(100);
        KillResult r = ThreadKill.escalate(worker.get(), Duration.ofSeconds(2), KillMode.INTERRUPT,
                KillMode.ASYNC_EXCEPTION, last);
        say("escalate.outcome", r.outcome().name());
        say("escalate.mode", r.mode().name());
        say("escalate.steps", r.escalation().summary());
        say("escalate.detail", r.detail());
        say("stuck.done", Boolean.toString(stuck.isDone()));
        Future<String> next = pool.submit(() -> "ran on " + Thread.currentThread().getName());
        say("next", next.get(10, TimeUnit.SECONDS));
        say("sameWorker", Boolean.toString(next.get().endsWith(worker.get().getName())));
        say("tombstones", Integer.toString(ThreadKill.tombstones().size()));
        // Escalating the now idle worker again takes no step at all.
        Thread.sleep(100);
        KillResult idle = ThreadKill.escalate(worker.get(), Duration.ofSeconds(1));
        say("idle.outcome", idle.outcome().name());
        say("idle.steps", Integer.toString(idle.escalation().steps().size()));
        say("idle.detail", idle.detail());
        say("tombstonesAfterIdle", Integer.toString(ThreadKill.tombstones().size()));
        Future<String> after = pool.submit(() -> "ok");
        say("afterIdle", after.get(10, TimeUnit.SECONDS));
        pool.shutdownNow();
    }

    /** Eight killers race on one victim in native code; then a second round on the frozen thread. */
    private static void frozenTwice() throws Exception {
        Thread victim = new Thread(() -> Victims.spin(3), "victim-n");
        victim.setDaemon(true);
        victim.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Victims.counter(3) == 0 && System.nanoTime() < deadline) Thread.sleep(1);
        List<Thread> killers = new ArrayList<>();
        List<String> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 8; i++) {
            Thread k = new Thread(() -> {
                try {
                    go.await();
                    for (int j = 0; j < 10; j++) {
                        KillResult r = ThreadKill.kill(victim, KillMode.NATIVE_FREEZE, Duration.ofSeconds(5));
                        outcomes.add(r.outcome().name());
                    }
                } catch (Throwable e) {
                    outcomes.add("THREW " + e);
                }
            }, "killer-" + i);
            k.start();
            killers.add(k);
        }
        go.countDown();
        for (Thread k : killers) k.join(60_000);
        long stopped = outcomes.stream().filter("STOPPED"::equals).count();
        say("calls", Integer.toString(outcomes.size()));
        say("stopped", Long.toString(stopped));
        say("others", outcomes.stream().filter(o -> !o.equals("STOPPED")).distinct().toList().toString());
        long mine = 0;
        for (Tombstone t : ThreadKill.tombstones()) if (t.threadName().equals("victim-n")) mine++;
        say("tombstones", Long.toString(mine));
        say("isFrozen", Boolean.toString(ThreadKill.isFrozen(victim)));
        say("name", victim.getName());
        long c0 = Victims.counter(3);
        Thread.sleep(200);
        say("progress", Long.toString(Victims.counter(3) - c0));
        for (KillMode m : KillMode.values()) {
            KillResult r = ThreadKill.kill(victim, m, Duration.ofMillis(500));
            say("again." + m, r.outcome() + " " + r.latency().toMillis() + "ms " + r.detail());
        }
        say("tombstonesAfter", Integer.toString(ThreadKill.tombstones().size()));
        // The thread dump shows it for what it is.
        String dump = threadPrint();
        say("dumpMarksIt", Boolean.toString(dump.contains("victim-n [frozen by threadkill at ")));
        say("isFrozenOther", Boolean.toString(ThreadKill.isFrozen(Thread.currentThread())));
    }

    static String threadPrint() throws Exception {
        // jcmd from another process (a thread of this JVM must not read its own dump through a pipe)
        java.nio.file.Path out = java.nio.file.Files.createTempFile("dump", ".txt");
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(ProcessHandle.current().pid()), "Thread.print").redirectOutput(out.toFile())
                .redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        String s = java.nio.file.Files.readString(out);
        java.nio.file.Files.delete(out);
        return s;
    }

    /**
     * The killer's own thread is interrupted (an executor shutting down): each step still waits its
     * whole wait, and the ladder takes no harsher step because of it.
     */
    private static void interruptedKiller() throws Exception {
        Thread victim = new Thread(() -> {
            while (true) {
                try {
                    RUNAWAY.matcher(INPUT).matches();
                } catch (Throwable swallowed) {
                    // a catch (Throwable) that goes on: ASYNC_EXCEPTION cannot end it
                }
            }
        }, "swallower");
        victim.setDaemon(true);
        victim.start();
        Thread.sleep(100);
        AtomicReference<String> report = new AtomicReference<>();
        Thread killer = new Thread(() -> {
            Thread.currentThread().interrupt();
            long t0 = System.nanoTime();
            KillResult r = ThreadKill.escalate(victim, Duration.ofMillis(500), KillMode.INTERRUPT, KillMode.ASYNC_EXCEPTION);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            report.set(ms + " " + r.outcome() + " " + r.escalation().steps().size() + " "
                    + Thread.currentThread().isInterrupted());
        }, "killer");
        killer.start();
        killer.join(30_000);
        String[] f = report.get().split(" ");
        say("elapsedMs", f[0]);
        say("outcome", f[1]);
        say("steps", f[2]);
        say("stillInterrupted", f[3]);
    }

    /**
     * The victim prints to System.err in a loop (JDK 17: PrintStream's monitor; 25: its internal
     * lock). Freezing it must return within its wait plus a small bound, whatever it held, and the
     * JVM goes on.
     */
    private static void blockedStream() throws Exception {
        Thread victim = new Thread(() -> {
            long i = 0;
            while (true) System.err.println("victim line " + i++);
        }, "printer");
        victim.setDaemon(true);
        victim.start();
        Thread.sleep(200);
        ThreadKill.inspect(victim);   // the first use of a JVM loads some hundred classes: not timed here
        long t0 = System.nanoTime();
        KillResult r = ThreadKill.kill(victim, KillMode.NATIVE_FREEZE, Duration.ofSeconds(1));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        say("kill.outcome", r.outcome().name());
        say("kill.elapsedMs", Long.toString(ms));
        t0 = System.nanoTime();
        ThreadKill.tombstones();
        ThreadKill.damage();
        say("after.elapsedMs", Long.toString((System.nanoTime() - t0) / 1_000_000));
        System.gc();
        say("gc", "ok");
        if (r.outcome() == KillOutcome.STOPPED) say("held", r.held().toString());
    }

    /**
     * Every entry point used for the first time at once, from eight threads: class initialisation of
     * the library must not deadlock (seen during development: Library and Native initialised from
     * two threads waited on each other).
     */
    private static void firstUseRace() throws Exception {
        Thread sleeper = new Thread(() -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // ends it
            }
        }, "race-sleeper");
        sleeper.setDaemon(true);
        sleeper.start();
        java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(8);
        List<Runnable> uses = List.of(
                () -> ThreadKill.inspect(sleeper),
                () -> ThreadKill.nativeId(sleeper),
                ThreadKill::tombstones,
                ThreadKill::damage,
                ThreadKill::isAvailable,
                ThreadKill::nativeKillAllowed,
                () -> ThreadKill.isFrozen(sleeper),
                () -> ThreadKill.escalate(sleeper, Duration.ZERO, KillMode.INTERRUPT));
        List<Thread> ts = new ArrayList<>();
        for (Runnable use : uses) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    use.run();
                } catch (Exception e) {
                    say("raceError", e.toString());
                }
            });
            t.setDaemon(true);
            t.start();
            ts.add(t);
        }
        int done = 0;
        for (Thread t : ts) {
            t.join(20_000);
            if (!t.isAlive()) done++;
        }
        say("race.done", Integer.toString(done));
    }

    /** A thread holds a pthread mutex (asleep in nanosleep), another sleeps on it: seen before and after a freeze. */
    private static void nativeMutex() throws Exception {
        long mutex = Victims.mutexNew(false);
        Thread holder = new Thread(() -> Victims.holdMutex(mutex, 11), "mutex-holder");
        holder.setDaemon(true);
        holder.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Victims.counter(11) != 1 && System.nanoTime() < deadline) Thread.sleep(1);
        Thread waiter = new Thread(() -> Victims.tryMutex(mutex, 30_000), "mutex-waiter");
        waiter.setDaemon(true);
        waiter.start();
        Thread.sleep(300);
        org.threadkill.Hazards h = ThreadKill.inspect(holder);
        say("inspect.nativeWaiters", Integer.toString(h.nativeWaiters().size()));
        if (!h.nativeWaiters().isEmpty()) say("inspect.waiter", h.nativeWaiters().get(0).name());
        if (!h.nativeWaiters().isEmpty()) say("inspect.memoryOf", h.nativeWaiters().get(0).memoryOf());
        say("inspect.freezeSurvives", Boolean.toString(h.verdict(KillMode.NATIVE_FREEZE).jvmSurvives()));
        KillResult r = ThreadKill.kill(holder, KillMode.NATIVE_FREEZE, Duration.ofSeconds(2));
        say("kill.outcome", r.outcome().name());
        org.threadkill.DamageReport d = ThreadKill.damage();
        say("damage.nativeBlocked", Integer.toString(d.nativeBlocked().size()));
        if (!d.nativeBlocked().isEmpty()) say("damage.waiter", d.nativeBlocked().get(0).name());
        say("damage.victims", Boolean.toString(d.hasVictimsOfTheKill()));
    }

    static void say(String key, String value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }

    // keep the compiler honest about unused imports in trimmed variants
    @SuppressWarnings("unused")
    private static ExecutorService unused() {
        return null;
    }
}
