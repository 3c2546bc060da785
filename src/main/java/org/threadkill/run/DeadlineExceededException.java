package org.threadkill.run;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.threadkill.Hazards;
import org.threadkill.KillMode;
import org.threadkill.KillResult;

/**
 * A task's deadline passed. The message says what was done (the cooperative cancel, each step of
 * the ladder and what it achieved) and whether the task may still be running. Its cause, when there
 * is one, is what the task itself ended with after the deadline (the {@code SQLException} a
 * cancelled statement threw, the {@link org.threadkill.ThreadKilledError} of an ASYNC_EXCEPTION step).
 *
 * <p>Also thrown, with {@link #callerInterrupted()} true and the caller's interrupt flag set again,
 * when the thread waiting for the task is interrupted: the ladder stops there (only a cooperative
 * INTERRUPT is sent to the task).
 */
public class DeadlineExceededException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    private final transient Duration budget;
    private final transient KillResult killResult;
    private final transient Hazards hazards;
    private final transient KillMode stoppedBy;
    /** See {@link #cancelSufficed()}. */
    private final boolean cancelSufficed;
    /** See {@link #threadLost()}. */
    private final boolean threadLost;
    /** See {@link #taskMayStillRun()}. */
    private final boolean taskMayStillRun;
    /** See {@link #callerInterrupted()}. */
    private final boolean callerInterrupted;
    /** See {@link #threadName()}. */
    private final String threadName;

    DeadlineExceededException(String message, Duration budget, KillResult killResult, Hazards hazards,
                              KillMode stoppedBy, boolean cancelSufficed, boolean threadLost,
                              boolean taskMayStillRun, boolean callerInterrupted, String threadName) {
        super(message);
        this.budget = budget;
        this.killResult = killResult;
        this.hazards = hazards;
        this.stoppedBy = stoppedBy;
        this.cancelSufficed = cancelSufficed;
        this.threadLost = threadLost;
        this.taskMayStillRun = taskMayStillRun;
        this.callerInterrupted = callerInterrupted;
        this.threadName = threadName;
    }

    /**
     * What the ladder did: its last step, as the deadline judged it (STOPPED means the task ended
     * within the grace, or the thread was frozen), with {@link KillResult#escalation()} listing every
     * step. Null when no step was taken: the cooperative cancel sufficed, the task never started, or
     * every step was skipped (native steps without {@code -Dthreadkill.allowNativeKill=true}).
     *
     * @return the ladder's last step, as the deadline judged it; null when no step was taken
     */
    public KillResult killResult() {
        return killResult;
    }

    /**
     * What the task's thread was doing and held when the deadline passed ({@code ThreadKill.inspect}); null if unknown.
     *
     * @return what the task's thread was doing and held when the deadline passed ({@code ThreadKill.inspect}); null if unknown
     */
    public Hazards hazards() {
        return hazards;
    }

    /**
     * The budget that passed.
     *
     * @return the budget that passed
     */
    public Duration budget() {
        return budget;
    }

    /**
     * The step after which the task ended or froze; null when none did (or the cancel sufficed).
     *
     * @return the step after which the task ended or froze; null when none did (or the cancel sufficed)
     */
    public KillMode stoppedBy() {
        return stoppedBy;
    }

    /**
     * True when the cooperative cancel ({@link Deadline#cancelWith}) ended the task: nothing was killed.
     *
     * @return true when the cooperative cancel ({@link Deadline#cancelWith}) ended the task: nothing was killed
     */
    public boolean cancelSufficed() {
        return cancelSufficed;
    }

    /**
     * True when a native step reached the task's thread: it never runs again and everything it held
     * stays held (NATIVE_FREEZE), or the JVM is doomed (NATIVE_EXIT, NATIVE_CANCEL).
     *
     * @return true when a native step reached the task's thread
     */
    public boolean threadLost() {
        return threadLost;
    }

    /**
     * True when nothing stopped the task: it may still be running (and burning a core, and holding
     * what it holds) on an abandoned thread. Typical without {@code -Dthreadkill.allowNativeKill=true}
     * for a task stuck in native code.
     *
     * @return true when nothing stopped the task: it may still be running on an abandoned thread
     */
    public boolean taskMayStillRun() {
        return taskMayStillRun;
    }

    /**
     * True when the waiting thread was interrupted and the ladder stopped early.
     *
     * @return true when the waiting thread was interrupted and the ladder stopped early
     */
    public boolean callerInterrupted() {
        return callerInterrupted;
    }

    /**
     * The name of the thread that ran the task; null if it never started.
     *
     * @return the name of the thread that ran the task; null if it never started
     */
    public String threadName() {
        return threadName;
    }
}
