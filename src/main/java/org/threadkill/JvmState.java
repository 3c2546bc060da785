package org.threadkill;

/** HotSpot's own view of a thread ({@code JavaThread::_thread_state}), which decides safepoints. */
public enum JvmState {
    /** Created, not yet running Java code. */
    NEW,
    /** Running compiled or interpreted Java code: it must reach a safepoint poll for the JVM to stop it. */
    IN_JAVA,
    /** Inside a native method: safe for safepoints; it blocks only when it returns to Java. */
    IN_NATIVE,
    /** Inside the VM itself. */
    IN_VM,
    /** Blocked (sleep, wait, monitor enter, park, suspended): safe for safepoints. */
    BLOCKED,
    /** Between two of the states above. */
    IN_TRANSITION,
    /** Not known: the vmStructs tables are unavailable, or the value was unexpected. */
    UNKNOWN
}
