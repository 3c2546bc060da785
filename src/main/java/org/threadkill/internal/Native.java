package org.threadkill.internal;

/**
 * Every native method of threadkill, package-private: only the classes of this package call them,
 * and nothing outside the library can (the module does not export this package; on the class path
 * the class is not public). The C side refuses every destructive entry point ({@link #kill0},
 * {@link #installSignal0}, {@link #suspend0}, {@link #resume0}) unless the JVM started with the
 * opt-in property ({@link Gate}), whoever calls it. No argument checks here: the facade validates.
 *
 * <p>The constants below are the single source of truth for the C side: {@code javac -h} turns
 * them into {@code org_threadkill_internal_Native_*} macros, and the JNI entry file checks every C
 * value against them at compile time, on every platform.
 */
final class Native {
    private Native() {}

    // No static initializer: Library loads the library and is the only way in (every caller asks
    // Library.isLoaded or ensureLoaded first). A Native that initialised Library would deadlock
    // against a first use that initialises Library, which calls into Native, on another thread.

    // Kill modes understood by the C side.
    static final int MODE_ACK = 0;      // diagnostic: the handler only acknowledges (the benchmark floor)
    static final int MODE_FREEZE = 1;
    static final int MODE_EXIT = 2;
    static final int MODE_CANCEL = 3;
    /** Or-ed into MODE_FREEZE: the caller holds the thread JVMTI-suspended already and resumes it. */
    static final int MODE_FLAG_SUSPENDED = 0x100;
    /** Or-ed into MODE_FREEZE: the top frame is a JDK leaf native (JavaSafePoint.inLeafNative); the native scan may stop at the JDK's own code. */
    static final int MODE_FLAG_LEAF_NATIVE = 0x200;

    // Status codes of kill0.
    static final int KILL_STOPPED = 0;
    static final int KILL_STILL_RUNNING = 1;
    static final int KILL_TERMINATED = 2;
    static final int KILL_NOT_SAFE = 3;
    static final int KILL_NOT_DELIVERED = 4;
    static final int KILL_NO_SLOT = 5;

    // Indices of kill0's out array.
    static final int OUT_STATUS = 0;
    static final int OUT_TID = 1;
    static final int OUT_STATE = 2;
    static final int OUT_ENTERED_NS = 3;
    static final int OUT_STOPPED_NS = 4;
    static final int OUT_JAVA_THREAD = 5;
    static final int OUT_PTHREAD = 6;
    static final int OUT_PIDFD = 7;
    static final int OUT_REASON = 8;
    static final int OUT_WHERE = 9;
    /** FREEZE: how long the native half of the safe-point check took, from the handler's facts to the verdict. */
    static final int OUT_CHECK_NS = 10;
    static final int OUT_LEN = 11;

    // Why a freeze let the thread go (OUT_REASON).
    static final int UNSAFE_NONE = 0;
    static final int UNSAFE_STATE = 1;
    static final int UNSAFE_LIBC = 2;
    static final int UNSAFE_LOADER = 3;
    static final int UNSAFE_JVM = 4;
    static final int UNSAFE_RUNTIME = 5;
    static final int UNSAFE_CRITICAL = 6;
    static final int UNSAFE_STACK = 7;

    // Indices of resolve0's out array.
    static final int RESOLVE_JAVA_THREAD = 0;
    static final int RESOLVE_TID = 1;
    static final int RESOLVE_PTHREAD = 2;
    static final int RESOLVE_STATE = 3;
    static final int RESOLVE_LEN = 4;

    // JVM thread states, our own stable codes for HotSpot's JavaThreadState.
    static final int STATE_UNKNOWN = 0;
    static final int STATE_NEW = 1;
    static final int STATE_IN_NATIVE = 2;
    static final int STATE_IN_VM = 3;
    static final int STATE_IN_JAVA = 4;
    static final int STATE_BLOCKED = 5;
    static final int STATE_IN_TRANSITION = 6;

    // JVMTI error codes we act on (checked against jvmti.h in C).
    static final int JVMTI_ERROR_NONE = 0;
    static final int JVMTI_ERROR_THREAD_NOT_ALIVE = 15;

    /**
     * Whether the JVM started with {@code -Dthreadkill.allowNativeKill=true}, as read by the C side
     * once, when the library loaded, from the JVM's startup properties (a later
     * {@code System.setProperty} changes nothing).
     */
    static native boolean gateOpen0();

    /** The demonstration switch -Dthreadkill.demo.uncheckedFreeze=true, read by C at load. */
    static native boolean uncheckedFreeze0();

    /** Names the code at {@code address} from the freeze's own tables ("the C library, in malloc"). */
    static native String codeAt0(long address);

    /** Why the vmStructs tables could not be read, or null when they were. */
    static native String vmStructsProblem0();

    /** SIGRTMIN ({@code max} false) or SIGRTMAX; 0 where there are no real-time signals. */
    static native int signalRange0(boolean max);

    /** Installs the kill signal's handler once. Refused unless the gate is open. */
    static native void installSignal0(int signo);

    /** Fills {@code out[RESOLVE_*]}; false when the thread has no JavaThread (not started, or ended). */
    static native boolean resolve0(Thread t, long[] out);

    /** java.lang.Thread.eetop: the JavaThread*, 0 when not started or terminated. */
    static native long javaThread0(Thread t);

    /**
     * Sends the kill signal in {@code mode} (MODE_*) and watches for up to {@code waitNanos};
     * fills {@code out[OUT_*]}. Refused unless the gate is open.
     */
    static native void kill0(Thread t, int mode, long waitNanos, int fallbackTid, long[] out);

    /** JVMTI StopThread; returns the JVMTI error code. */
    static native int stop0(Thread t, Throwable exception);

    static native String jvmtiErrorName0(int error);

    /**
     * The thread's Java frames, innermost first, by JVMTI GetStackTrace: a handshake with that
     * thread alone, never a safepoint (ThreadMXBean's stack traces stop the world). Fills each
     * frame's declaring class, method name and modifiers, as many as the arrays hold; returns how
     * many frames there were, up to one more than the arrays hold (the stack is deeper), or minus
     * a JVMTI error code. Refused unless the gate is open.
     */
    static native int stack0(Thread t, Class<?>[] classes, String[] names, int[] modifiers);

    /**
     * The JVM's one {@link JvmWide} state: the first {@code candidate} any class loader's
     * threadkill offered, kept by the oldest copy of the library in the process.
     */
    static native Object jvmWide0(Object candidate);

    // ---- for Diagnostics only (tests and benchmarks) ----

    /** Whether this copy of the library joined an older one (another class loader's), or why not. */
    static native String copies0();

    /** How kills reach their thread: on Linux the delivery chosen when the signal was installed. */
    static native String delivery0();

    static native int currentTid0();

    /** JVMTI SuspendThread; refused unless the gate is open. */
    static native int suspend0(Thread t);

    /** JVMTI ResumeThread; refused unless the gate is open. */
    static native int resume0(Thread t);

    static native boolean jvmtiAcquired0();

    /** How many times the handler ran for a signal that matched no live request (mis-aimed or late). */
    static native long straySignals0();
}
