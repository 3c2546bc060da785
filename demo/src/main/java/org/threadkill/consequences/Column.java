package org.threadkill.consequences;

import org.threadkill.KillMode;

/** A column of the matrix: one way of stopping the work. */
public enum Column {
    INTERRUPT(KillMode.INTERRUPT),
    ASYNC_EXCEPTION(KillMode.ASYNC_EXCEPTION),
    NATIVE_FREEZE(KillMode.NATIVE_FREEZE),
    NATIVE_EXIT(KillMode.NATIVE_EXIT),
    NATIVE_CANCEL(KillMode.NATIVE_CANCEL),
    /**
     * The same work run through {@code org.threadkill.run.Deadline} (its default ladder, a short
     * budget) by a caller thread, as a user would; see {@link DeadlineRun}. Not one mode but a ladder.
     */
    DEADLINE(null),
    /** The baseline: the same work in a child process, ended with {@code Process.destroyForcibly()}. */
    PROCESS(null),
    /** {@code pthread_kill(t, SIGKILL)}: the classic misunderstanding (only the sigkill scenario). */
    SIGKILL_THREAD(null);

    /** The library's mode, or null for the columns that are not one mode. */
    public final KillMode mode;

    Column(KillMode mode) {
        this.mode = mode;
    }

    /** Accepts {@code NATIVE_EXIT}, {@code native-exit}, {@code native_exit}. */
    public static Column parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
}
