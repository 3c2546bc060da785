package org.threadkill;

/** What {@link ThreadKill#kill} observed within its wait. */
public enum KillOutcome {
    /** The thread was seen to stop executing: it ended, or (NATIVE_FREEZE) it is parked for good. */
    STOPPED,
    /**
     * The thread was still executing when the wait ran out. This is an honest answer, not an error:
     * an interrupt the thread ignores, an async exception pending while the thread is in native code,
     * or a cancellation waiting for a cancellation point all end here.
     */
    STILL_RUNNING,
    /** The thread had already terminated; nothing was sent to it. */
    ALREADY_TERMINATED
}
