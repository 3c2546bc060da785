package org.threadkill.consequences;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The probes of the aftermath, each bounded: on threads started before the kill, on a thread created
 * now, or inline on main; and the common probes every cell runs (GC, a new thread, GC again).
 */
public final class Probes {
    /** How long a probe may block before it is reported as blocked for good. */
    public static final long WAIT_MS = 1500;

    private final Timeline timeline;
    private final Findings findings;
    private final Watchdog watchdog;
    private final VictimView victim;
    private ExecutorService pool;

    Probes(Timeline timeline, Findings findings, Watchdog watchdog, VictimView victim) {
        this.timeline = timeline;
        this.findings = findings;
        this.watchdog = watchdog;
        this.victim = victim;
    }

    /** What a probe did within its bound. */
    public record Result(String name, boolean finished, String text, Throwable error, Thread thread) {
        public boolean ok() {
            return finished && error == null;
        }
    }

    /**
     * Probe threads are started before the victim, so that a probe does not create a thread after
     * the kill unless it means to (a new thread may get the dead thread's stack).
     */
    public void startThreads() {
        pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "probe");
            t.setDaemon(true);
            return t;
        });
        ((ThreadPoolExecutor) pool).prestartAllCoreThreads();
    }

    /** Runs {@code body} on a probe thread started before the kill; reports it blocked after {@code waitMs}. */
    public Result bounded(String name, String what, long waitMs, Callable<String> body) throws InterruptedException {
        AtomicReference<Thread> runner = new AtomicReference<>();
        return await(name, what, waitMs, body, (task) -> pool.execute(() -> {
            runner.set(Thread.currentThread());
            task.run();
        }), runner);
    }

    /** Runs {@code body} on a thread created now (it may get a dead thread's stack). */
    public Result boundedNewThread(String name, String threadName, String what, long waitMs, Callable<String> body)
            throws InterruptedException {
        AtomicReference<Thread> runner = new AtomicReference<>();
        return await(name, what, waitMs, body, (task) -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            runner.set(t);
            t.start();
        }, runner);
    }

    private Result await(String name, String what, long waitMs, Callable<String> body,
                         Consumer<Runnable> launcher, AtomicReference<Thread> runner) throws InterruptedException {
        timeline.ev("probe." + name, "start: " + what);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> text = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        long start = System.nanoTime();
        watchdog.allowMain(waitMs + Watchdog.MAIN_SILENCE_MS);
        launcher.accept(() -> {
            try {
                text.set(body.call());
            } catch (Throwable e) {
                error.set(e);
            } finally {
                done.countDown();
            }
        });
        boolean finished = done.await(waitMs, TimeUnit.MILLISECONDS);
        long took = (System.nanoTime() - start) / 1_000_000;
        Thread t = runner.get();
        if (!finished) {
            timeline.ev("probe." + name, "still blocked after " + took + " ms: " + (t == null ? "never started" : victim.describe(t)));
        } else if (error.get() != null) {
            timeline.ev("probe." + name, "threw after " + took + " ms: " + error.get());
        } else {
            timeline.ev("probe." + name, "done in " + took + " ms" + (text.get() == null || text.get().isEmpty() ? "" : ": " + text.get()));
        }
        return new Result(name, finished, text.get(), error.get(), t);
    }

    /** Runs {@code body} on main: for what cannot be bounded anyway (a GC that never ends stops every thread). */
    public void inline(String name, String what, Callable<String> body) throws Exception {
        timeline.ev("probe." + name, "start: " + what);
        long start = System.nanoTime();
        String text = body.call();
        timeline.ev("probe." + name, "done in " + (System.nanoTime() - start) / 1_000_000 + " ms"
                + (text == null || text.isEmpty() ? "" : ": " + text));
    }

    /** GC, a new thread, GC again: the order in which a dead thread's stack gets reused, then walked. */
    public void common() throws Exception {
        inline("gc", "System.gc()", () -> {
            System.gc();
            return "";
        });
        inline("newthread", "start a new thread and join it (1.5 s at most)", () -> {
            Thread t = new Thread(() -> { }, "probe-new-thread");
            t.start();
            t.join(WAIT_MS);
            if (t.isAlive()) {
                findings.add(Outcome.DEADLOCK, "a new thread did not finish an empty run() within " + WAIT_MS + " ms");
                return "did not end";
            }
            return "ran and ended";
        });
        inline("gc2", "System.gc() again", () -> {
            System.gc();
            return "";
        });
    }
}
