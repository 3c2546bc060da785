package org.threadkill.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** CPU-bound work on one thread: hashing a 4 KiB array (no allocation, no locks, no I/O). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CpuBench {
    private final long[] data = new long[512];

    @Setup
    public void fill() {
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < data.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            data[i] = x;
        }
    }

    @Benchmark
    public long hash(LibState lib) {
        lib.ops++;
        long h = 0xCBF29CE484222325L;
        for (long v : data) {
            h ^= v;
            h *= 0x100000001B3L;
            h = Long.rotateLeft(h, 29);
        }
        return h;
    }
}
