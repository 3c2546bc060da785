package org.threadkill.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Native victims of the harness (bench/src/main/c/bench_natives.c), built by scripts/bench and
 * found through {@code -Dbench.natives=/path/to/libbench_natives.so}.
 */
public final class BenchNatives {
    private BenchNatives() {}

    public static final int SLOTS = 8192;

    static {
        String p = System.getProperty("bench.natives");
        if (p == null || !Files.isRegularFile(Path.of(p))) {
            throw new IllegalStateException("bench natives not found: -Dbench.natives=" + p + " (run scripts/bench)");
        }
        System.load(Path.of(p).toAbsolutePath().toString());
    }

    /** Records the tid, passes the gate (a read of one byte; -1: none), then spins until {@link #release}. */
    public static native void spin(int slot, int gateFd);

    /** Records the tid, passes the gate, then blocks in read(2) on {@code blockFd}. */
    public static native long blockingRead(int slot, int gateFd, int blockFd);

    /** Records the calling thread's tid in {@code slot}. */
    public static native void recordTid(int slot);

    public static native void reset(int slot);

    public static native long counter(int slot);

    /** 1 once past the gate and about to spin or block. */
    public static native int phase(int slot);

    public static native int tid(int slot);

    public static native void release(int slot);

    public static native int[] pipe();

    public static native int writeByte(int fd);

    public static native int closeFd(int fd);

    /** The state letter of a task of this process in /proc (R, S, D, ...); 0 when it is gone. */
    public static native int kernelState(int tid);

    /** A JNI call that does nothing. */
    public static native long nop(long x);
}
