package org.threadkill.consequences;

/**
 * What a cell of the consequence matrix left behind (DESIGN.md §5). Derived from evidence, never
 * assumed; a cell may carry several.
 */
public enum Outcome {
    /** The victim stopped and nothing was left behind. */
    CLEAN("stopped, nothing left behind"),
    /** A file descriptor, memory or a thread was left. */
    LEAK("fd, memory or thread left"),
    /** Another thread blocks for good on what the victim held. */
    DEADLOCK("another thread blocks for good on what the victim held"),
    /** An invariant was seen broken. */
    CORRUPTION("an invariant seen broken"),
    /** The whole JVM stopped making progress (or could not exit). */
    JVM_HANG("the whole JVM stopped making progress"),
    /** Fatal signal, hs_err file. */
    JVM_CRASH("fatal signal / hs_err"),
    /** The process died without a crash report. */
    PROCESS_DIED("the process died"),
    /** The victim kept running. */
    NO_EFFECT("the victim kept running");

    public final String meaning;

    Outcome(String meaning) {
        this.meaning = meaning;
    }
}
