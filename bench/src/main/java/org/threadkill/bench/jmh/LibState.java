package org.threadkill.bench.jmh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.threadkill.ThreadKill;
import org.threadkill.internal.Diagnostics;

/**
 * What threadkill has done to the benchmark's JVM: nothing ({@code none}: on the class path, never
 * touched), loaded its native library ({@code loaded}), or also acquired its JVMTI environment
 * ({@code jvmti}, as the first ASYNC_EXCEPTION or NATIVE_FREEZE would). Each value runs in its own fork.
 *
 * <p>Also counts operations and the process's CPU time over the measurement iterations, and appends
 * {@code <benchmark> <lib> <cpu ns per op>} to {@code -Dbench.cpu.out}: on a machine shared with
 * other work, CPU time per operation is much less disturbed than wall-clock throughput.
 */
@State(Scope.Benchmark)
public class LibState {
    @Param({"none", "loaded", "jvmti"})
    public String lib;

    /** Incremented by the benchmark methods (single-threaded benchmarks: a plain field). */
    public long ops;
    private long cpuAtStart;
    private boolean measuring;
    private long measuredOps;
    private long measuredCpu;

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Setup(Level.Iteration)
    public void iterationStart(IterationParams ip) {
        measuring = ip.getType() == IterationType.MEASUREMENT;
        ops = 0;
        cpuAtStart = processCpuNanos();
    }

    @TearDown(Level.Iteration)
    public void iterationEnd() {
        if (!measuring) return;
        measuredCpu += processCpuNanos() - cpuAtStart;
        measuredOps += ops;
    }

    @TearDown(Level.Trial)
    public void report(BenchmarkParams bp) throws IOException {
        String file = System.getProperty("bench.cpu.out");
        if (file == null || measuredOps == 0) return;
        Files.writeString(Path.of(file), bp.getBenchmark() + " " + lib + " " + ((double) measuredCpu / measuredOps) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (lib.equals("none")) return;
        if (!ThreadKill.isAvailable()) {
            throw new IllegalStateException("threadkill not available", ThreadKill.unavailabilityCause());
        }
        if (lib.equals("loaded")) {
            if (Diagnostics.jvmtiAcquired()) throw new IllegalStateException("JVMTI env acquired by loading alone");
            return;
        }
        Thread parked = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) LockSupport.park();
        }, "jvmti-acquirer");
        parked.setDaemon(true);
        parked.start();
        while (parked.getState() != Thread.State.WAITING) Thread.onSpinWait();
        int err = Diagnostics.suspend(parked);
        if (err != 0) throw new IllegalStateException("SuspendThread: " + err);
        Diagnostics.resume(parked);
        parked.interrupt();
        parked.join();
        if (!Diagnostics.jvmtiAcquired()) throw new IllegalStateException("JVMTI env not acquired");
    }
}
