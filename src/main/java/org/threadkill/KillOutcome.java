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
    /**
     * The stuck work ended and the thread lives on: the call it was stuck in when the kill started
     * is no longer on its stack (a pool worker back in its queue, a loop that caught the exception
     * and moved on). Java-level modes only; {@link ThreadKill#escalate} takes no harsher step after it.
     */
    WORK_ENDED,
    /** The thread had already terminated; nothing was sent to it. */
    ALREADY_TERMINATED
}
