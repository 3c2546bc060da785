package org.threadkill.bench.jmh;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Many short virtual threads (JDK 21+): each operation starts {@value #THREADS} virtual threads that
 * each yield once (an unmount and a mount: the transitions a JVMTI environment makes HotSpot report)
 * and joins them. Compiled for 17, so Thread.startVirtualThread is reached through a method handle.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VThreadBench {
    static final int THREADS = 1000;
    private MethodHandle startVirtual;
    private final LongAdder done = new LongAdder();

    @Setup
    public void find() throws Exception {
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("virtual threads need JDK 21+, this is " + Runtime.version());
        }
        startVirtual = MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                MethodType.methodType(Thread.class, Runnable.class));
    }

    @Benchmark
    public long manyShortVirtualThreads(LibState lib) throws Throwable {
        lib.ops++;
        Thread[] ts = new Thread[THREADS];
        Runnable task = () -> {
            Thread.yield();
            done.increment();
        };
        for (int i = 0; i < THREADS; i++) ts[i] = (Thread) startVirtual.invokeExact(task);
        for (Thread t : ts) t.join();
        return done.sum();
    }
}
