package org.threadkill.bench.jmh;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.SimpleTimeLimiter;
import com.google.common.util.concurrent.TimeLimiter;

import org.junit.jupiter.api.Assertions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.threadkill.run.Deadline;

/**
 * What a deadline costs when it does not fire (issue 11): one short task per operation, run with a
 * 10 s budget by each answer side by side, against the task called plainly and against a plain
 * handoff to a waiting pool thread (submit + get), which is the least any "run it elsewhere and
 * wait with a timeout" answer can cost. Sample time (single calls timed, a sample of them: medians
 * and tails), in microseconds; {@code section.Deadlines} runs it with the plan's sizes and puts it in
 * the report.
 *
 * <ul>
 * <li>{@code plainCall}: the task on the caller's thread, no deadline at all.</li>
 * <li>{@code plainHandoff}: {@code executor.submit(task).get()} on a single-thread executor.</li>
 * <li>{@code deadline}: {@code Deadline.call} (a cached runner thread; the caller waits on a latch).</li>
 * <li>{@code guavaTimeLimiter}: {@code SimpleTimeLimiter.callWithTimeout} over a cached thread pool.</li>
 * <li>{@code completableFutureGet}: {@code CompletableFuture.supplyAsync(task, executor).get(timeout)}.</li>
 * <li>{@code junitAssertTimeoutPreemptively}: Jupiter's {@code assertTimeoutPreemptively}, as a test
 *     would call it (it starts an executor of its own per call).</li>
 * </ul>
 * The deadline's figure with the native library loaded or not is the same code path: nothing of the
 * library runs unless the deadline fires (its background warm-up runs once, at first use).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeadlineBench {
    private static final Duration BUDGET = Duration.ofSeconds(10);

    private ExecutorService single;
    private ExecutorService cached;
    private TimeLimiter guava;
    private Deadline deadline;
    private long x = 0x9E3779B97F4A7C15L;
    private final Callable<Long> task = this::work;

    /** A few nanoseconds of work whose result the JIT cannot drop. */
    long work() {
        long v = x;
        v ^= v << 13;
        v ^= v >>> 7;
        v ^= v << 17;
        x = v;
        return v;
    }

    @Setup
    public void setUp() {
        single = Executors.newSingleThreadExecutor(daemon("bench-handoff"));
        cached = Executors.newCachedThreadPool(daemon("bench-guava"));
        guava = SimpleTimeLimiter.create(cached);
        deadline = Deadline.of(BUDGET);
    }

    @TearDown
    public void tearDown() {
        single.shutdownNow();
        cached.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Benchmark
    public long plainCall() throws Exception {
        return task.call();
    }

    @Benchmark
    public long plainHandoff() throws Exception {
        return single.submit(task).get();
    }

    @Benchmark
    public long deadline() throws Exception {
        return deadline.call(task);
    }

    @Benchmark
    public long guavaTimeLimiter() throws Exception {
        return guava.callWithTimeout(task, BUDGET.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Benchmark
    public long completableFutureGet() throws Exception {
        return CompletableFuture.supplyAsync(this::work, cached).get(BUDGET.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Benchmark
    public long junitAssertTimeoutPreemptively() {
        return Assertions.assertTimeoutPreemptively(BUDGET, this::work);
    }
}
