package org.threadkill.consequences;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.threadkill.KillResult;
import org.threadkill.run.Deadline;
import org.threadkill.run.DeadlineExceededException;

/**
 * The {@link Column#DEADLINE} cell: the scenario's {@link Scenario#work} run as a user would, through
 * the public {@link Deadline} API (its default ladder INTERRUPT, ASYNC_EXCEPTION, NATIVE_FREEZE and
 * grace, a short budget; the child runs with the native opt-in, as for the native columns), by a
 * caller thread. The victim is the Deadline's runner thread the work runs on. What the caller got
 * back, and when, is printed; the probes then read the aftermath as for every other column.
 */
final class DeadlineRun {
    /**
     * Long enough for every scenario's work to get into position (and be looked at) before it passes
     * on a busy machine; at a load of 9 on 2 cores some took longer (then a note says so).
     */
    static final Duration BUDGET = Duration.ofSeconds(3);
    /** How much longer than {@link Deadline#worstCase()} the caller is waited for before it counts as stuck. */
    private static final long CALLER_SLACK_MS = 5000;

    private final Cell cell;
    private final Scenario scenario;
    private final Deadline deadline = Deadline.of(BUDGET);
    private final AtomicReference<Thread> runner = new AtomicReference<>();
    private volatile boolean workEnded;
    private volatile long callStart;
    private volatile long callEnd;
    private volatile Throwable callerGot;
    private DeadlineExceededException answer;
    private Thread caller;

    DeadlineRun(Cell cell, Scenario scenario) {
        this.cell = cell;
        this.scenario = scenario;
    }

    /** Starts the caller and returns the runner thread once the work on it is in position. */
    Thread start() throws Exception {
        // The run layer's first use loads its classes, warms up and starts a runner: done now, so that
        // nothing lazy happens at the deadline (the runner is reused for the work).
        Deadline.of(Duration.ofSeconds(10)).call(() -> null);
        Runnable work = scenario.work(cell);
        if (work == null) throw new IllegalStateException(scenario.id() + " has no work() to hand to a Deadline");
        Runnable task = () -> {
            runner.set(Thread.currentThread());
            try {
                work.run();
            } finally {
                workEnded = true;
            }
        };
        caller = new Thread(() -> {
            callStart = System.nanoTime();
            try {
                deadline.run(task);
            } catch (Throwable e) {
                callerGot = e;
            } finally {
                callEnd = System.nanoTime();
            }
        }, "caller");
        caller.setDaemon(true);
        cell.timeline().ev("deadline.start", "'caller' runs the work with Deadline.of(" + ms(BUDGET) + ").run(work): ladder "
                + deadline.ladderSteps() + ", grace " + ms(deadline.grace()) + " per step; worst case "
                + ms(deadline.worstCase()));
        caller.start();
        Waits.until(() -> runner.get() != null, 5000);
        Thread t = runner.get();
        if (t == null) throw new IllegalStateException("the Deadline never started the work");
        scenario.awaitInPosition(cell, t);
        return t;
    }

    /** Whether the work has ended (returned or thrown): its runner thread lives on, idle. */
    boolean workEnded() {
        return workEnded;
    }

    /**
     * Waits (bounded) for the caller to get its answer back and prints it; returns the exception's
     * {@link DeadlineExceededException#killResult()}, or null when there is none.
     */
    KillResult awaitCaller() throws InterruptedException {
        long inPosition = (System.nanoTime() - callStart) / 1_000_000;
        if (callEnd != 0 || inPosition >= BUDGET.toMillis()) {
            // A machine this busy: the ladder met the work before the look (the outcome is still what it did).
            cell.timeline().note("the work was in position and looked at " + inPosition + " ms into its " + ms(BUDGET)
                    + " budget: the deadline passed first, the look above is from after (part of) the ladder");
        }
        long worst = deadline.worstCase().toMillis();
        long wait = Math.max(0, worst - inPosition) + CALLER_SLACK_MS;
        cell.watchdog().allowMain(wait + Watchdog.MAIN_SILENCE_MS);
        caller.join(wait);
        if (callEnd == 0) {
            cell.findings().add(Outcome.DEADLOCK, "the caller of Deadline.run is still blocked " + (worst + CALLER_SLACK_MS)
                    + " ms after it called (worst case " + worst + " ms): " + cell.victim().describe(caller));
            return null;
        }
        long took = (callEnd - callStart) / 1_000_000;
        String when = took + " ms = budget " + BUDGET.toMillis() + " ms + " + (took - BUDGET.toMillis()) + " ms (worst case "
                + worst + " ms)";
        Throwable got = callerGot;
        if (!(got instanceof DeadlineExceededException)) {
            cell.timeline().ev("deadline.caller", (got == null ? "the work RETURNED" : "the caller got " + got) + " after " + when);
            return null;
        }
        DeadlineExceededException e = (DeadlineExceededException) got;
        answer = e;
        KillResult k = e.killResult();
        cell.timeline().ev("deadline.caller", "DeadlineExceededException after " + when + "; stopped by "
                + (e.stoppedBy() == null ? "nothing" : e.stoppedBy()) + (e.threadLost() ? "; thread lost" : "")
                + (e.taskMayStillRun() ? "; the task MAY STILL RUN" : ""));
        cell.timeline().ev("deadline.steps", k == null ? "no step taken" : k.escalation() != null
                ? k.escalation().summary() : k.mode() + " " + k.outcome());
        if (k != null) {
            cell.timeline().ev("kill.result", "last step " + k.mode() + ": " + k.outcome() + "; was " + k.jvmStateBefore()
                    + "; as the deadline judged it: " + k.detail());
        }
        if (took > worst) {
            cell.timeline().note("the caller got its exception " + (took - worst) + " ms after the Deadline's worst case ("
                    + worst + " ms)");
        }
        return k;
    }

    /**
     * After the look at the victim: where the caller's exception and what the cell saw disagree
     * (it says nothing stopped the task, which had ended; or that the task is stopped, which runs on),
     * a note says so. Not an outcome of its own: the outcomes are what the probes saw.
     */
    void checkAnswer() {
        DeadlineExceededException e = answer;
        if (e == null) return;
        boolean saysStopped = e.stoppedBy() != null || e.cancelSufficed() || e.threadLost();
        if (workEnded && !saysStopped) {
            cell.timeline().note("the caller's exception says no step stopped the task (last step "
                    + (e.killResult() == null ? "none" : e.killResult().mode() + " " + e.killResult().outcome())
                    + (e.taskMayStillRun() ? "" : ", and not that it may still run") + "), but the work had ended");
        } else if (!workEnded && !e.threadLost() && !e.taskMayStillRun()) {
            cell.timeline().note("the caller's exception says the task was stopped (by " + e.stoppedBy()
                    + "), but the work has not ended");
        }
    }

    private static String ms(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
