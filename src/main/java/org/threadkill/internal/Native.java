package org.threadkill.internal;

/**
 * Every native method of threadkill. Internal use only: not exported by the module, no argument
 * checks (the public facade validates first), and several of these can destroy the JVM.
 */
public final class Native {
    private Native() {}

    static {
        NativeLibrary.isLoaded();   // any use of a native method loads the library first
    }

    public static final int PLATFORM_POSIX = 0;
    public static final int PLATFORM_WINDOWS = 1;

    // Kill modes understood by the C side (enum tk_mode).
    public static final int MODE_ACK = 0;
    public static final int MODE_FREEZE = 1;
    public static final int MODE_EXIT = 2;
    public static final int MODE_CANCEL = 3;

    // Status codes of kill0 (enum tk_kill_status).
    public static final int KILL_STOPPED = 0;
    public static final int KILL_STILL_RUNNING = 1;
    public static final int KILL_TERMINATED = 2;
    public static final int KILL_NOT_SAFE = 3;
    public static final int KILL_NOT_DELIVERED = 4;

    // Indices of kill0's out array (enum tk_out).
    public static final int OUT_STATUS = 0;
    public static final int OUT_TID = 1;
    public static final int OUT_STATE = 2;
    public static final int OUT_ENTERED_NS = 3;
    public static final int OUT_STOPPED_NS = 4;
    public static final int OUT_JAVA_THREAD = 5;
    public static final int OUT_PTHREAD = 6;
    public static final int OUT_PIDFD = 7;
    public static final int OUT_LEN = 8;

    // JVM thread states (enum tk_jvm_state).
    public static final int STATE_UNKNOWN = 0;
    public static final int STATE_NEW = 1;
    public static final int STATE_IN_NATIVE = 2;
    public static final int STATE_IN_VM = 3;
    public static final int STATE_IN_JAVA = 4;
    public static final int STATE_BLOCKED = 5;
    public static final int STATE_IN_TRANSITION = 6;

    public static final int JVMTI_ERROR_NONE = 0;
    public static final int JVMTI_ERROR_THREAD_NOT_ALIVE = 15;

    public static native int platform0();

    /** Why the vmStructs tables could not be read, or null when they were. */
    public static native String vmStructsProblem0();

    public static native int signalRange0(boolean max);

    public static native void installSignal0(int signo);

    public static native int installedSignal0();

    /** Fills {JavaThread*, tid, pthread_t, state}; false when the thread has no JavaThread. */
    public static native boolean resolve0(Thread t, long[] out);

    /** java.lang.Thread.eetop: the JavaThread*, 0 when not started or terminated. */
    public static native long javaThread0(Thread t);

    public static native int currentTid0();

    /** Sends the kill signal in {@code mode} and watches for up to {@code waitNanos}. */
    public static native void kill0(Thread t, int mode, long waitNanos, int fallbackTid, long[] out);

    public static native int stop0(Thread t, Throwable exception);

    public static native int suspend0(Thread t);

    public static native int resume0(Thread t);

    public static native boolean jvmtiAcquired0();

    public static native String jvmtiErrorName0(int error);

    /** How many times the handler ran for a signal that matched no live request (mis-aimed or late). */
    public static native long straySignals0();
}
