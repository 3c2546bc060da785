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
    /** A new process-private pthread mutex (plain or robust); its address. */
    public static native long mutexNew(boolean robust);

    /** Locks the mutex and naps holding it until {@link #release(int)}; {@link #counter(int)} is 1 while held. */
    public static native int holdMutex(long mutex, int slot);

    /** pthread_mutex_timedlock for up to {@code ms}, unlocking at once: 0, ETIMEDOUT (110), EOWNERDEAD (130) or another errno. */
    public static native int tryMutex(long mutex, int ms);

    public static final int ETIMEDOUT = 110;
    public static final int EOWNERDEAD = 130;

    /** A line-buffered C stdio stream on /dev/null. */
    public static native long stdioOpen();

    /** fprintf in a loop until {@link #release(int)}; {@link #counter(int)} counts lines. */
    public static native void stdioLoop(long file, int slot);

    /** Prints one line once the stream's lock is free (ftrylockfile, bounded): 0, or -1 after {@code ms}. */
    public static native int stdioPrintTimed(long file, int ms);

    /** tgkill(getpid(), tid, sig). */
    public static native int signalThread(int tid, int sig);

    /** Spins inside JNI critical regions on {@code array}, one after another (a moment between two), until {@link #release(int)}. */
    public static native void criticalSpin(int[] array, int slot);

    /** malloc/free in a loop, with {@code work} iterations of arithmetic between rounds, until {@link #release(int)}. */
    public static native void mallocLoop(int slot, int work);

    /** dl_iterate_phdr in a loop whose callback spins (the loader's lock held meanwhile), until {@link #release(int)}. */
    public static native void loaderLoop(int slot);
}
