package org.threadkill.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.Tombstone;
import org.threadkill.testing.Victims;

/**
 * Child-JVM program for {@link DeadlineTest}: runs one scenario under a {@link Deadline} or in a
 * {@link QuarantiningExecutorService} and prints what it observed as {@code key=value} lines.
 */
public final class DeadlineProbe {
    private DeadlineProbe() {}

    static final Duration BUDGET = Duration.ofMillis(300);
    static final Duration GRACE = Duration.ofMillis(250);
    static final AtomicLong SINK = new AtomicLong();
    static final AtomicLong SWALLOWED = new AtomicLong();

    public static void main(String[] args) throws Exception {
        say("probe.started", args[0]);
        warmUp();
        switch (args[0]) {
            case "JAVA_SPIN": single(DeadlineProbe::javaSpin, true); break;
            case "CATCH_THROWABLE": single(DeadlineProbe::catchThrowable, true); break;
            case "REGEX": single(DeadlineProbe::regex, true); break;
            case "NATIVE_READ": single(nativeRead(), true); break;
            case "INTERRUPTIBLE": single(DeadlineProbe::sleeper, true); break;
            case "NORMAL": single(() -> "value", true); break;
            case "NATIVE_READ_RELEASED": nativeReadReleased(); break;
            case "CLINIT_SLOW": clinitSlow(); break;
            case "CLASSLOAD_SLOW": classLoadSlow(); break;
            case "COOPERATIVE": cooperative(); break;
            case "CALLER_INTERRUPT": callerInterrupt(); break;
            case "POOL": pool(); break;
            case "POOL_LIMIT": poolLimit(); break;
            case "POOL_NO_OPT_IN": poolNoOptIn(); break;
            case "POOL_EXIT": poolExit(); break;
            case "FUTURE_CANCEL": futureCancel(); break;
            default: throw new IllegalArgumentException(args[0]);
        }
        say("probe.done", "true");
        System.out.flush();
        System.exit(0);   // frozen or abandoned daemon threads do not hold exit, but say it plainly
    }

    // ---- victims ----

    static Object javaSpin() {
        while (true) SINK.incrementAndGet();
    }

    static Object catchThrowable() {
        while (true) {
            try {
                while (true) SINK.incrementAndGet();
            } catch (Throwable t) {
                SWALLOWED.incrementAndGet();   // no printing here: a freeze must not catch it holding System.out
            }
        }
    }

    static Object regex() {
        // Catastrophic backtracking. Since JDK 9 java.util.regex memoizes failed loop iterations, so
        // "(a|aa)*b" fails fast; a back-reference turns that off: 28 a's take ~8 s here, 40 forever.
        return Pattern.compile("^(a+)+\\1b").matcher("a".repeat(40)).matches();
    }

    static Callable<Object> nativeRead() {
        int[] pipe = Victims.pipe();
        return () -> Victims.blockingRead(pipe[0]);
    }

    static Object sleeper() throws InterruptedException {
        Thread.sleep(60_000);
        return "woke";
    }

    // ---- scenarios ----

    static Deadline deadline() {
        return Deadline.of(BUDGET).grace(GRACE);
    }

    /** One call under the deadline, then a second (normal) call: on which runner does it run? */
    static void single(Callable<Object> victim, boolean thenNormal) throws Exception {
        String[] ranOn = new String[1];
        long t0 = System.nanoTime();
        try {
            Object v = deadline().call(() -> {
                ranOn[0] = Thread.currentThread().getName();
                return victim.call();
            });
            say("call.value", String.valueOf(v));
        } catch (DeadlineExceededException e) {
            report(e);
        }
        say("call.elapsedMs", Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
        say("call.thread", ranOn[0]);
        say("call.worstCaseMs", Long.toString(deadline().worstCase().toMillis()));
        if (thenNormal) {
            Thread.sleep(50);   // let a runner whose task ended park again
            String next = deadline().call(() -> Thread.currentThread().getName());
            say("next.thread", next);
        }
        say("tainted", Boolean.toString(ThreadKill.isTainted()));
        say("victim.swallowed", Long.toString(SWALLOWED.get()));
    }

    static void report(DeadlineExceededException e) {
        say("exc.message", e.getMessage().replace('\n', ' '));
        say("exc.stoppedBy", String.valueOf(e.stoppedBy()));
        say("exc.threadLost", Boolean.toString(e.threadLost()));
        say("exc.mayStillRun", Boolean.toString(e.taskMayStillRun()));
        say("exc.cancelSufficed", Boolean.toString(e.cancelSufficed()));
        say("exc.callerInterrupted", Boolean.toString(e.callerInterrupted()));
        say("exc.cause", e.getCause() == null ? "null" : e.getCause().getClass().getName());
        say("exc.hazards", e.hazards() == null ? "null" : e.hazards().jvmState() + "/" + e.hazards().inNative());
        KillResult k = e.killResult();
        say("exc.killResult", k == null ? "null" : k.mode() + ":" + k.outcome());
        if (k != null) {
            say("exc.steps", k.escalation().steps().stream().map(s -> s.mode() + ":" + s.outcome())
                    .collect(Collectors.joining(",")));
            say("exc.skipped", k.escalation().skipped().toString());
            if (e.threadLost()) {
                say("frozen.tid", Long.toString(k.tid()));
                say("frozen.state", taskState(k.tid()));
            }
        }
    }

    /** The run layer's first use warms the library up in the background; the timings are taken after. */
    static void warmUp() throws Exception {
        Deadline.of(Duration.ofSeconds(5)).call(() -> null);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("threadkill-deadline-warmup")) t.join(10_000);
        }
        Thread.sleep(50);
    }

    /**
     * Without the opt-in the ladder ends at ASYNC_EXCEPTION and the read goes on; once a byte
     * arrives the read returns, the pending ThreadKilledError lands and ends the task.
     */
    static void nativeReadReleased() throws Exception {
        int[] pipe = Victims.pipe();
        String[] ranOn = new String[1];
        Throwable[] endedWith = new Throwable[1];
        CountDownLatch ended = new CountDownLatch(1);
        long t0 = System.nanoTime();
        try {
            deadline().call(() -> {
                ranOn[0] = Thread.currentThread().getName();
                try {
                    return Victims.blockingRead(pipe[0]);
                } catch (Throwable t) {
                    endedWith[0] = t;
                    throw t;
                } finally {
                    ended.countDown();
                }
            });
        } catch (DeadlineExceededException e) {
            report(e);
        }
        say("call.elapsedMs", Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
        say("call.worstCaseMs", Long.toString(deadline().worstCase().toMillis()));
        say("call.thread", ranOn[0]);
        say("before.release.ended", Boolean.toString(ended.getCount() == 0));
        Victims.writeByte(pipe[1]);
        say("after.release.ended", Boolean.toString(ended.await(5, TimeUnit.SECONDS)));
        say("after.release.with", endedWith[0] == null ? "null" : endedWith[0].getClass().getName());
        Thread.sleep(100);
        say("next.thread", deadline().call(() -> Thread.currentThread().getName()));
        say("tainted", Boolean.toString(ThreadKill.isTainted()));
    }

    /** A static initializer that takes 900 ms of CPU, then completes. */
    static final class SlowInit {
        static final int VALUE;

        static {
            long end = System.nanoTime() + 900_000_000L;
            while (System.nanoTime() < end) SINK.incrementAndGet();
            VALUE = 42;
        }
    }

    /**
     * The task is inside a slow static initializer at its deadline: the ladder must not throw into it
     * or freeze it there (the class would be unusable, or every user of it blocked, for good). It
     * waits, the initializer completes, and the class works for everyone afterwards.
     */
    static void clinitSlow() throws Exception {
        long t0 = System.nanoTime();
        try {
            say("call.value", String.valueOf(deadline().call(() -> SlowInit.VALUE)));
        } catch (DeadlineExceededException e) {
            report(e);
        }
        say("call.elapsedMs", Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
        say("call.worstCaseMs", Long.toString(deadline().worstCase().toMillis()));
        say("later.value", Integer.toString(Deadline.of(Duration.ofSeconds(5)).call(() -> SlowInit.VALUE)));
        say("tainted", Boolean.toString(ThreadKill.isTainted()));
    }

    /** Loaded by {@link SlowLoader}; its initializer records that it ran to the end. */
    public static final class Loaded {
        public static final int VALUE = 7;
    }

    /** A class loader that takes 900 ms of CPU in loadClass before it delegates. */
    static final class SlowLoader extends ClassLoader {
        SlowLoader() {
            super(DeadlineProbe.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            long end = System.nanoTime() + 900_000_000L;
            while (System.nanoTime() < end) SINK.incrementAndGet();
            return super.loadClass(name, resolve);
        }
    }

    /** The task is loading a class at its deadline: the ladder waits before throwing into it. */
    static void classLoadSlow() throws Exception {
        SlowLoader loader = new SlowLoader();
        long t0 = System.nanoTime();
        try {
            say("call.value", String.valueOf(deadline().call(
                    () -> Class.forName(Loaded.class.getName(), true, loader).getName())));
        } catch (DeadlineExceededException e) {
            report(e);
        }
        say("call.elapsedMs", Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
        say("call.worstCaseMs", Long.toString(deadline().worstCase().toMillis()));
        say("tainted", Boolean.toString(ThreadKill.isTainted()));
    }

    static void cooperative() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        long t0 = System.nanoTime();
        try {
            deadline().cancelWith(() -> stop.set(true)).call(() -> {
                while (!stop.get()) SINK.incrementAndGet();
                throw new IllegalStateException("cancelled by its flag");
            });
        } catch (DeadlineExceededException e) {
            report(e);
        }
        say("call.elapsedMs", Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
        say("tainted", Boolean.toString(ThreadKill.isTainted()));
    }

    static void callerInterrupt() throws Exception {
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                return;
            }
            caller.interrupt();
        });
        interrupter.start();
        long t0 = System.nanoTime();
        try {
            Deadline.of(Duration.ofSeconds(20)).call(DeadlineProbe::sleeper);
        } catch (DeadlineExceededException e) {
            say("flag.after", Boolean.toString(Thread.currentThread().isInterrupted()));
            Thread.interrupted();
            report(e);
        }
        say("call.elapsedMs", Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
    }

    /**
     * A pool of 4: two Java spinners, one loop that swallows Throwable, one native read, each past its
     * deadline; then twelve normal tasks. Every normal task must complete, the stuck ones fail with
     * ExecutionException(DeadlineExceededException), and the pool keeps four workers in service.
     */
    static void pool() throws Exception {
        QuarantiningExecutorService pool = KillingExecutors.newFixedThreadPool(4, deadline());
        long t0 = System.nanoTime();
        List<Future<Object>> stuck = new ArrayList<>();
        stuck.add(pool.submit(DeadlineProbe::javaSpin));
        stuck.add(pool.submit(DeadlineProbe::catchThrowable));
        stuck.add(pool.submit(nativeRead()));
        stuck.add(pool.submit(DeadlineProbe::javaSpin));
        List<Future<String>> normal = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int n = i;
            normal.add(pool.submit(() -> "ok" + n + "@" + Thread.currentThread().getName()));
        }
        List<String> stuckOutcomes = new ArrayList<>();
        for (Future<Object> f : stuck) {
            try {
                f.get(10, TimeUnit.SECONDS);
                stuckOutcomes.add("VALUE");
            } catch (ExecutionException e) {
                DeadlineExceededException d = (DeadlineExceededException) e.getCause();
                stuckOutcomes.add(String.valueOf(d.stoppedBy()));
                say("stuck.message", d.getMessage());
            }
        }
        say("stuck.outcomes", String.join(",", stuckOutcomes));
        int ok = 0;
        for (Future<String> f : normal) {
            String s = f.get(10, TimeUnit.SECONDS);
            if (s.startsWith("ok")) ok++;
            say("normal.ranOn", s);
        }
        say("normal.ok", Integer.toString(ok));
        say("pool.elapsedMs", Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
        List<Tombstone> q = pool.quarantined();
        say("pool.quarantined", Integer.toString(q.size()));
        for (Tombstone t : q) {
            say("quarantined.line", t.toString());
            say("quarantined.state." + t.threadName(), taskState(t.tid()));
        }
        Thread.sleep(100);
        long inService = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("-worker-") && t.getName().startsWith("threadkill-pool-"))
                .filter(t -> !ThreadKill.isFrozen(t))   // a frozen worker is renamed, and quarantined
                .count();
        say("pool.inService", Long.toString(inService));
        // A later task after all that, and a clean shutdown of the workers in service.
        say("pool.later", pool.submit(() -> "later").get(5, TimeUnit.SECONDS));
        pool.shutdown();
        say("pool.terminated", Boolean.toString(pool.awaitTermination(5, TimeUnit.SECONDS)));
        say("pool.abandoned", Integer.toString(pool.abandoned().size()));
        say("victim.swallowed", Long.toString(SWALLOWED.get()));
    }

    static void poolLimit() throws Exception {
        QuarantiningExecutorService pool = KillingExecutors.newFixedThreadPool(2, deadline(), 2);
        List<Future<Object>> stuck = List.of(pool.submit(DeadlineProbe::catchThrowable),
                pool.submit(DeadlineProbe::catchThrowable));
        for (Future<Object> f : stuck) {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                say("stuck", String.valueOf(((DeadlineExceededException) e.getCause()).stoppedBy()));
            }
        }
        say("pool.quarantined", Integer.toString(pool.quarantined().size()));
        try {
            pool.submit(() -> "refused?");
            say("rejected", "false");
        } catch (RejectedExecutionException e) {
            say("rejected", "true");
            say("rejected.message", e.getMessage());
        }
    }

    /** Without the opt-in a task stuck in native code is abandoned; its worker is replaced, the pool runs on. */
    static void poolNoOptIn() throws Exception {
        QuarantiningExecutorService pool = KillingExecutors.newFixedThreadPool(2, deadline());
        int[] pipe = Victims.pipe();
        Future<Object> stuck = pool.submit(() -> Victims.blockingRead(pipe[0]));
        try {
            stuck.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            DeadlineExceededException d = (DeadlineExceededException) e.getCause();
            say("stuck.mayStillRun", Boolean.toString(d.taskMayStillRun()));
        }
        say("pool.abandoned", Integer.toString(pool.abandoned().size()));
        say("pool.quarantined", Integer.toString(pool.quarantined().size()));
        List<Future<String>> later = new ArrayList<>();
        for (int i = 0; i < 4; i++) later.add(pool.submit(() -> Thread.currentThread().getName()));
        List<String> ranOn = new ArrayList<>();
        for (Future<String> f : later) ranOn.add(f.get(5, TimeUnit.SECONDS));
        say("later.ranOn", ranOn.stream().distinct().sorted().collect(Collectors.joining(",")));
        say("abandoned.line", pool.abandoned().toString());
        say("workers.beforeRelease", poolWorkers());
        // The abandoned task ends once a byte arrives (the pending ThreadKilledError lands); its worker retires.
        Victims.writeByte(pipe[1]);
        Thread.sleep(300);
        say("workers.afterRelease", poolWorkers());
        say("tainted", Boolean.toString(ThreadKill.isTainted()));
    }

    static String poolWorkers() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("threadkill-pool-") && n.contains("-worker-")).sorted()
                .collect(Collectors.joining(","));
    }

    /** NATIVE_EXIT named in the ladder: the worker is never replaced, and the pool refuses new tasks. */
    static void poolExit() throws Exception {
        QuarantiningExecutorService pool = KillingExecutors.newFixedThreadPool(2,
                Deadline.of(BUDGET).grace(GRACE).ladder(org.threadkill.KillMode.NATIVE_EXIT));
        int[] pipe = Victims.pipe();
        Future<Object> stuck = pool.submit(() -> Victims.blockingRead(pipe[0]));
        try {
            stuck.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            DeadlineExceededException d = (DeadlineExceededException) e.getCause();
            say("stuck.threadLost", Boolean.toString(d.threadLost()));
        }
        Thread.sleep(100);
        List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("threadkill-pool-") && n.contains("-worker-")).sorted().toList();
        say("workers", String.join(",", names));   // worker-1 (its Thread object lives on) and worker-2: no worker-3
        say("pool.quarantined", Integer.toString(pool.quarantined().size()));
        say("refusal", String.valueOf(pool.refusal()));
        try {
            pool.submit(() -> "x");
            say("rejected", "false");
        } catch (RejectedExecutionException e) {
            say("rejected", "true");
        }
    }

    /** Future.cancel(true) on a running task: an interrupt only; the worker stays in service. */
    static void futureCancel() throws Exception {
        QuarantiningExecutorService pool = KillingExecutors.newFixedThreadPool(1, Deadline.of(Duration.ofSeconds(30)));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Future<Object> f = pool.submit(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return null;
        });
        started.await();
        say("cancel", Boolean.toString(f.cancel(true)));
        say("interrupted", Boolean.toString(interrupted.await(5, TimeUnit.SECONDS)));
        say("isCancelled", Boolean.toString(f.isCancelled()));
        say("next", pool.submit(() -> Thread.interrupted() ? "flag-leaked" : "clean").get(5, TimeUnit.SECONDS));
        say("tainted", Boolean.toString(ThreadKill.isTainted()));
    }

    /** The state letter of a thread of this process in /proc (S, R, ...), or "gone". */
    static String taskState(long tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (Exception e) {
            return "gone";
        }
    }

    static void say(String key, String value) {
        synchronized (System.out) {
            System.out.println(key + "=" + value);
        }
    }

}
