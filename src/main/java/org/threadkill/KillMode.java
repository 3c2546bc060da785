package org.threadkill;

/**
 * How {@link ThreadKill#kill} tries to stop a thread, from cooperative to destructive.
 *
 * <p><b>WARNING: the {@code NATIVE_*} modes damage the JVM.</b> They are refused unless the JVM runs
 * with {@code -Dthreadkill.allowNativeKill=true}. What each one breaks was observed in child JVMs by
 * the consequence suite; see docs/WARNINGS.md and docs/consequences.md.
 */
public enum KillMode {
    /**
     * {@link Thread#interrupt()}. Cooperative and safe; no effect on a thread that ignores interrupts
     * or runs native code.
     */
    INTERRUPT(false),

    /**
     * An asynchronous {@link ThreadKilledError} thrown into the thread through JVMTI
     * {@code StopThread} (what {@code Thread.stop} did; still available on JDK 25).
     *
     * <p><b>WARNING:</b> the exception lands at an arbitrary bytecode: {@code finally} blocks run and
     * monitors are released, but objects the thread was updating can be left half-updated for other
     * threads to see. A thread inside native code is not reached until it returns to Java (the kill
     * reports {@link KillOutcome#STILL_RUNNING}); a thread that catches {@code Throwable} survives it.
     */
    ASYNC_EXCEPTION(false),

    /**
     * The thread never runs again, and the JVM survives. The thread is first brought to a state the
     * JVM treats as safe (JVMTI {@code SuspendThread} when it runs Java code; in native code or
     * blocked it already is), then a signal parks it for good in a handler that never returns.
     * Windows: {@code SuspendThread}.
     *
     * <p><b>WARNING:</b> everything the thread held stays held forever: monitors and
     * {@code java.util.concurrent} locks (other threads block on them), open files, native mutexes
     * (including the C library's own, such as a stdio stream's lock if it was inside {@code printf}), its
     * stack memory. A non-daemon frozen thread keeps a normal JVM exit waiting; {@code System.exit}
     * still works. GC, new threads, thread dumps and {@code interrupt()} keep working.
     */
    NATIVE_FREEZE(true),

    /**
     * The OS thread really ends: a signal whose handler calls {@code pthread_exit}. Windows:
     * {@code TerminateThread}.
     *
     * <p><b>WARNING: the JVM is doomed.</b> It still believes the thread alive: {@code join} never
     * returns, a non-daemon victim blocks normal exit. If the thread was running Java code, the next
     * safepoint never completes and the whole JVM freezes. The C library hands the dead thread's
     * stack to the next thread created (the JVM creates some on its own), and the next GC walks
     * frames that thread overwrote: the JVM crashes. Monitors held are never released (on JDK 17 a
     * thread reusing the stack has been seen entering a monitor the dead thread held: mutual
     * exclusion broken). Nothing can be repaired afterwards; use only to demonstrate, or when the
     * process is about to be discarded.
     */
    NATIVE_EXIT(true),

    /**
     * {@code pthread_cancel} of the thread: it acts at the thread's next cancellation point, which is
     * often inside the JVM (a sleep, a wait, a lock), or never. When it acts, the aftermath is that
     * of {@link #NATIVE_EXIT}. Not available on Windows ({@link UnsupportedOperationException}).
     *
     * <p><b>WARNING: the JVM is doomed</b> once the cancellation acts; see {@link #NATIVE_EXIT}.
     */
    NATIVE_CANCEL(true);

    private final boolean nativeMode;

    KillMode(boolean nativeMode) {
        this.nativeMode = nativeMode;
    }

    /**
     * @return true for the modes that signal the OS thread and need
     *         {@code -Dthreadkill.allowNativeKill=true}
     */
    public boolean isNative() {
        return nativeMode;
    }
}
