package org.threadkill.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Native victims (src/test/c/victims.c): threads that spin or block inside native code, out of
 * reach of interrupt() and async exceptions.
 */
public final class Victims {
    private Victims() {}

    static {
        Path lib = TestPaths.testNatives().resolve("libthreadkill_victims.so");
        if (!Files.isRegularFile(lib)) {
            throw new IllegalStateException("test natives not built: " + lib + " (run mvn process-classes)");
        }
        System.load(lib.toString());
    }

    /** Spins in native code until {@link #release(int)}; bumps {@link #counter(int)} as it goes. */
    public static native void spin(int slot);

    public static native long counter(int slot);

    public static native void release(int slot);

    /** A pipe: {read end, write end}. */
    public static native int[] pipe();

    /** Blocks in read(2) on {@code fd} until a byte arrives; returns bytes read or -errno. */
    public static native long blockingRead(int fd);

    public static native int writeByte(int fd);

    public static native int closeFd(int fd);

    /** The kernel tid of the calling thread. */
    public static native int tid();

    /** Installs a handler that threadkill did not install on SIGRTMIN+offset; 0 on success. */
    public static native int installForeignHandler(int offset);

    /** Waits, in native code, on a pthread condition variable shared by every caller, until the next broadcast. */
    public static native void waitShared();

    /** Wakes every thread in {@link #waitShared()}. */
    public static native void broadcastShared();

    /** pthread_self() of the calling thread. */
    public static native long pthreadSelf();
}
