package org.threadkill.run;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

import org.threadkill.KillMode;
import org.threadkill.ThreadKill;

/**
 * Runs a task with a time budget, and stops the task when the budget runs out.
 *
 * <p><b>WARNING: past its budget the task is stopped by force, and force has costs.</b> The
 * default ladder is INTERRUPT (safe), then ASYNC_EXCEPTION (a {@link org.threadkill.ThreadKilledError}
 * at whatever bytecode the task is at: objects it was updating may be left half-updated for other
 * threads to see), then NATIVE_FREEZE (its thread never runs again: every monitor, lock, file and
 * native mutex it held stays held forever; the JVM is marked tainted). The native step is taken only
 * when the JVM runs with {@code -Dthreadkill.allowNativeKill=true}; without it, a task stuck in
 * native code is abandoned and the exception says it may still run. Read docs/deadline.md and
 * docs/WARNINGS.md. Prefer {@link #cancelWith} with the API's own cancel (e.g.
 * {@code Statement::cancel}): it is tried first and, when it works, nothing is killed.
 *
 * <p>The task runs on a daemon runner thread ({@code threadkill-deadline-N}, a small cached set),
 * never on the caller: the caller waits for the task for the budget, then runs the ladder, and
 * returns within {@link #worstCase()} (the budget plus the grace of the cancel and of each step, and a
 * bounded deferral), whatever the task does.
 * Each step is judged by whether the task ended within its grace, not by whether the runner
 * thread died: a runner whose task ended by a Java-level step goes back into service; a frozen
 * runner is never reused. The task runs with its caller's context class loader; its thread locals
 * (and anything else bound to the thread, such as a transaction or a logging context) are the
 * runner's, not the caller's.
 *
 * <p>Instances are immutable; each {@code with}-style method returns a new one.
 * <pre>{@code
 * String s = Deadline.of(Duration.ofSeconds(2)).cancelWith(stmt::cancel).call(() -> query(stmt));
 * }</pre>
 */
public final class Deadline {
    /** The ladder used when none is given: INTERRUPT, ASYNC_EXCEPTION, NATIVE_FREEZE. Never NATIVE_EXIT. */
    public static final List<KillMode> DEFAULT_LADDER =
            List.of(KillMode.INTERRUPT, KillMode.ASYNC_EXCEPTION, KillMode.NATIVE_FREEZE);
    /** How long each step (and the cooperative cancel) may take when no grace is given. */
    public static final Duration DEFAULT_GRACE = Duration.ofMillis(250);

    private final Duration budget;
    private final Runnable cancel;
    private final List<KillMode> ladder;
    private final Duration grace;

    private Deadline(Duration budget, Runnable cancel, List<KillMode> ladder, Duration grace) {
        this.budget = budget;
        this.cancel = cancel;
        this.ladder = ladder;
        this.grace = grace;
    }

    /**
     * A deadline of {@code budget} with the default ladder and grace.
     *
     * @throws IllegalArgumentException if the budget is zero or negative
     * @param budget how long the task may run before the deadline passes
     * @return a deadline of {@code budget} with the default ladder and grace
     */
    public static Deadline of(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        if (budget.isNegative() || budget.isZero()) throw new IllegalArgumentException("budget must be positive: " + budget);
        return new Deadline(budget, null, DEFAULT_LADDER, DEFAULT_GRACE);
    }

    /**
     * Runs {@code task} with the default ladder and grace: {@code Deadline.of(budget).call(task)}.
     * Same warning as {@link #call(Callable)}.
     *
     * @param <T> the type of the task's result
     * @param budget how long the task may run before the deadline passes
     * @param task the work to run
     * @return what {@code task} returned within the budget
     * @throws Exception whatever the task throws within its budget
     */
    public static <T> T call(Duration budget, Callable<T> task) throws Exception {
        return of(budget).call(task);
    }

    /**
     * The cooperative cancel, run first at the deadline, on a thread of its own (e.g.
     * {@code stmt::cancel}, {@code socket::close}, a flag the task checks). When the task ends within
     * the grace after it, no kill step is taken and {@link DeadlineExceededException#killResult()} is null.
     *
     * @param cooperativeCancel asks the task to stop by its own means, run at the deadline before any kill step
     * @return a copy of this deadline with that cooperative cancel
     */
    public Deadline cancelWith(Runnable cooperativeCancel) {
        return new Deadline(budget, Objects.requireNonNull(cooperativeCancel, "cooperativeCancel"), ladder, grace);
    }

    /**
     * The kill steps taken after the cooperative cancel, mildest first; none for "cancel, then
     * abandon". NATIVE_EXIT and NATIVE_CANCEL doom the JVM: if you name them, no runner thread is
     * created after one of them has acted (the C library would give it the dead thread's stack).
     *
     * <p><b>WARNING:</b> each native mode damages the JVM as {@link KillMode} says.
     *
     * @param modes the kill steps, mildest first; none: no kill at all
     * @return a copy of this deadline with that ladder
     */
    public Deadline ladder(KillMode... modes) {
        Objects.requireNonNull(modes, "modes");
        for (KillMode m : modes) Objects.requireNonNull(m, "a mode of the ladder is null");
        return new Deadline(budget, cancel, List.copyOf(Arrays.asList(modes)), grace);
    }

    /**
     * No kill step at all: at the deadline, the cooperative cancel (if any), then the task is
     * abandoned (it may go on running; the exception says so). The same as {@code ladder()} with no mode.
     *
     * @return a copy of this deadline without kill steps
     */
    public Deadline withoutKilling() {
        return new Deadline(budget, cancel, List.of(), grace);
    }

    /**
     * How long the cooperative cancel and each step may take to end the task before the next one.
     *
     * @param perStep how long each step may take to end the task before the next one
     * @return a copy of this deadline with that grace
     */
    public Deadline grace(Duration perStep) {
        Objects.requireNonNull(perStep, "perStep");
        if (perStep.isNegative()) throw new IllegalArgumentException("grace is negative: " + perStep);
        return new Deadline(budget, cancel, ladder, perStep);
    }

    /** @return the budget: how long the task may run */
    public Duration budget() {
        return budget;
    }

    /**
     * The kill steps, mildest first (named so as not to be mistaken for {@link #ladder(KillMode...)} with no mode).
     *
     * @return the kill steps, mildest first (named so as not to be mistaken for {@link #ladder(KillMode...)} with no mode)
     */
    public List<KillMode> ladderSteps() {
        return ladder;
    }

    /** @return how long the cooperative cancel and each step may take before the next one */
    public Duration grace() {
        return grace;
    }

    /**
     * The cooperative cancel, or null.
     *
     * @return the cooperative cancel, or null
     */
    public Runnable cooperativeCancel() {
        return cancel;
    }

    /**
     * The longest a call should take: the budget, the cancel's grace if there is a cancel, each
     * step's grace, and twice the grace more that the ladder may wait before an ASYNC_EXCEPTION or a
     * native step while the task runs a static initializer or is visibly unwinding (see
     * docs/deadline.md). The library's own work can add to it when it takes longer than a grace
     * (its thread snapshots take milliseconds to tens of milliseconds; the first, up to a second, is
     * taken in the background when the run layer is first used).
     *
     * @return the longest a call should take
     */
    public Duration worstCase() {
        long steps = ladder.size() + (cancel != null ? 1 : 0);
        boolean mayDefer = ladder.stream().anyMatch(m -> m != KillMode.INTERRUPT);
        return budget.plus(grace.multipliedBy(steps + (mayDefer ? 2 : 0)));
    }

    /**
     * Runs {@code task} on a runner thread and returns its value, or throws what it threw, or, once
     * the budget has passed, stops it as this deadline says and throws {@link DeadlineExceededException}.
     *
     * <p><b>WARNING:</b> see the class comment: past the budget the task is stopped by force.
     *
     * @throws DeadlineExceededException the budget passed (or the caller was interrupted); the
     *         exception says what was done and whether the task may still be running
     * @throws Exception                 what the task threw within its budget (an {@link Error} as it is)
     * @param <T> the type of the task's result
     * @param task the work to run
     * @return what {@code task} returned within the budget
     */
    public <T> T call(Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        Job<T> job = new Job<>(task, false);
        job.contextLoader = Thread.currentThread().getContextClassLoader();
        long t0 = System.nanoTime();
        Runners.dispatch(job);
        long budgetNanos = Ladder.saturatedNanos(budget);
        boolean ended;
        try {
            ended = job.awaitEnd(budgetNanos);
        } catch (InterruptedException e) {
            throw interrupted(job, t0);
        }
        if (!ended) {
            long deadlineAt = System.nanoTime();
            switch (job.expire()) {
                case NOT_STARTED:
                    throw Ladder.notStarted(this, deadlineAt - t0);
                case RUNNING:
                    Ladder.Outcome o = Ladder.enforce(job, this, deadlineAt);
                    if (o.threadLost && o.lostBy != KillMode.NATIVE_FREEZE) {
                        Runners.doom(o.lostBy + " reached '" + o.threadName + "'");
                    }
                    throw Ladder.exception(this, job, o, System.nanoTime() - t0);
                default:
                    break;   // it ended just as the budget ran out: its own outcome
            }
        }
        Throwable f = job.taskFailure();
        if (f == null) return job.taskValue();
        if (f instanceof Exception) throw (Exception) f;
        if (f instanceof Error) throw (Error) f;
        throw new java.lang.reflect.UndeclaredThrowableException(f);
    }

    /**
     * Runs {@code task} as {@link #call(Callable)} does.
     *
     * <p><b>WARNING:</b> see the class comment: past the budget the task is stopped by force.
     *
     * @throws DeadlineExceededException the budget passed, or the caller was interrupted
     * @param task the work to run
     */
    public void run(Runnable task) throws DeadlineExceededException {
        Objects.requireNonNull(task, "task");
        try {
            call(() -> {
                task.run();
                return null;
            });
        } catch (RuntimeException | DeadlineExceededException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unreachable: a Runnable threw a checked exception", e);
        }
    }

    /** The caller was interrupted before the deadline: a cooperative interrupt to the task, and say so. */
    private DeadlineExceededException interrupted(Job<?> job, long t0) {
        Thread.currentThread().interrupt();
        boolean sent = false;
        String name = null;
        synchronized (job) {
            Thread t = job.thread();
            if (t != null && job.isRunning()) {
                name = t.getName();
                ThreadKill.kill(t, KillMode.INTERRUPT, Duration.ZERO);
                sent = true;
            }
        }
        if (job.expire() == Job.Expiry.NOT_STARTED) sent = false;
        boolean stillRunning = sent && !job.hasEnded();
        long took = System.nanoTime() - t0;
        return new DeadlineExceededException("the caller was interrupted after " + Ladder.ms(took) + " of a "
                + Ladder.ms(budget) + " budget; its interrupt flag is set again. "
                + (stillRunning ? "The task on '" + name + "' was interrupted (the only step taken) and MAY STILL BE RUNNING."
                        : sent ? "The task on '" + name + "' was interrupted (the only step taken) and had ended when this returned."
                        : job.hasEnded() ? "The task had ended." : "The task had not started; it will not run."),
                budget, null, null, null, false, false, stillRunning, true, name);
    }

    @Override
    public String toString() {
        return "Deadline[" + Ladder.ms(budget) + ", cancel " + (cancel != null ? "yes" : "no") + ", ladder " + ladder
                + ", grace " + Ladder.ms(grace) + "]";
    }
}
