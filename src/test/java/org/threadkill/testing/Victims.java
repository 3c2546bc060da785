package org.threadkill.testing;

/**
 * Native victims (src/test/c/victims.c): threads that spin or block inside native code, out of
 * reach of interrupt() and async exceptions. Used by the library's tests, the consequence suite and
 * the benchmarks; the library is found on the class path (test classes or the test-jar).
 */
public final class Victims {
    private Victims() {}

    /** Victim slots: each spinner or gated victim has its own counter, release flag, phase and tid. */
    public static final int SLOTS = 8192;

    static {
        NativeResources.load(Victims.class, "threadkill_victims");
    }

    /** Spins in native code until {@link #release(int)}; bumps {@link #counter(int)} as it goes. */
    public static native void spin(int slot);

    /** Records the tid, passes the gate (a read of one byte; -1: none), then spins until {@link #release}. */
    public static native void spinGated(int slot, int gateFd);

    /** Records the tid, passes the gate, then blocks in read(2) on {@code blockFd}; bytes read or -errno. */
    public static native long blockingReadGated(int slot, int gateFd, int blockFd);

    /** Records the calling thread's tid in {@code slot}. */
    public static native void recordTid(int slot);

    /** Clears a slot's counter, release flag, phase and tid. */
    public static native void reset(int slot);

    public static native long counter(int slot);

    /** 1 once past the gate and about to spin or block. */
    public static native int phase(int slot);

    /** The tid recorded in {@code slot}, 0 before. */
    public static native int slotTid(int slot);

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
    /** The state letter of a task of this process in /proc (R, S, D, ...); 0 when it is gone. */
    public static native int kernelState(int tid);

    /** A JNI call that does nothing. */
    public static native long nop(long x);
}
