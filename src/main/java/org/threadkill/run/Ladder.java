package org.threadkill.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.threadkill.Escalation;
import org.threadkill.Hazards;
import org.threadkill.JvmState;
import org.threadkill.KillMode;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.ThreadKilledError;

/**
 * What happens once a task's deadline has passed: the cooperative cancel, then each step of the
 * ladder, each judged by whether the TASK ended within the grace, not by whether its thread died
 * (a runner whose task ended goes back into service; {@link ThreadKill#escalate} would wait for it
 * to die and freeze it at the next step). Runs on the thread that waits for the task (the caller of
 * {@link Deadline#call}, or a pool's enforcer), never on the task's own thread.
 */
final class Ladder {
    private Ladder() {}

    /**
     * Set once NATIVE_EXIT or NATIVE_CANCEL has acted anywhere in the run layer: the C library hands
     * the dead thread's stack to the next thread created, so from then on the layer creates none
     * (the cancel runs on the enforcing thread, a pool's ladder on its watchdog).
     */
    static volatile boolean noNewThreads;

    /** What the ladder did; becomes a {@link DeadlineExceededException}. */
    static final class Outcome {
        String threadName;
        long threadId;
        Hazards hazards;                       // at the deadline
        String cancelReport;                   // null: no cooperative cancel configured
        boolean cancelSufficed;
        Throwable cancelFailure;
        final List<KillResult> steps = new ArrayList<>();
        final List<KillMode> skipped = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        KillMode stoppedBy;                    // the step after which the task ended (or froze)
        boolean threadLost;                    // frozen / exited: never runs again
        KillMode lostBy;
        boolean taskMayStillRun;
        boolean callerInterrupted;
        boolean neverStarted;
        long deadlineToEndNanos = -1;          // deadline -> the task was seen to end
        boolean asyncSent;
        boolean endedLate;                     // ended by itself, after a step's grace and before the next step
    }

    /**
     * Runs the ladder against {@code job}, whose {@link Job#expire()} said RUNNING.
     *
     * @param deadlineAt the System.nanoTime() at which the deadline passed
     */
    static Outcome enforce(Job<?> job, Deadline d, long deadlineAt) {
        Outcome o = new Outcome();
        Thread t = job.thread();
        if (t == null) {   // ended between expire() and now
            o.notes.add("the task ended just as the deadline passed");
            return o;
        }
        o.threadName = t.getName();
        o.threadId = threadId(t);
        o.hazards = inspectQuietly(t, o);
        long graceNanos = saturatedNanos(d.grace());
        // Each phase (the cancel, each step) ends graceNanos after the previous one, counted from the
        // deadline, so that the library's own work (the snapshot above, the one each kill takes) is
        // paid inside the grace, not on top of it. A phase still gets at least a quarter of the grace:
        // a task that would honour an interrupt in 5 ms must not be frozen because a snapshot was slow.
        long[] windowEnd = {deadlineAt};
        long[] settleLeft = {2 * graceNanos};   // all the deferrals of one ladder together (see settle)

        try {
            if (d.cooperativeCancel() != null) {
                cooperativeCancel(job, d, window(windowEnd, graceNanos), o);
                if (job.hasEnded()) {
                    o.cancelSufficed = true;
                    o.deadlineToEndNanos = job.endedAt() - deadlineAt;
                    return o;
                }
            }
            boolean allowed = ThreadKill.nativeKillAllowed();
            for (KillMode mode : d.ladderSteps()) {
                if (mode.isNative() && !allowed) {
                    o.skipped.add(mode);
                    continue;
                }
                if (mode != KillMode.INTERRUPT) {
                    settle(job, t, mode, o, settleLeft);
                    if (job.hasEnded()) {
                        endedLate(job, mode, o);
                        break;
                    }
                }
                long t0 = System.nanoTime();
                long wait = window(windowEnd, graceNanos);
                KillResult raw;
                synchronized (job) {
                    if (!job.isRunning()) {   // ended just after the previous grace: nothing more to do
                        endedLate(job, mode, o);
                        break;
                    }
                    if (mode == KillMode.ASYNC_EXCEPTION) {
                        job.markAsyncSent();
                        o.asyncSent = true;
                    }
                    try {
                        // Java-level steps do not wait here (the thread does not die: it goes back to
                        // service); the wait below is on the task. A native step waits for the freeze.
                        raw = ThreadKill.kill(t, mode, mode.isNative() ? Duration.ofNanos(wait) : Duration.ZERO);
                    } catch (RuntimeException e) {   // unavailable library, refused target...
                        o.steps.add(notTaken(t, mode, e));
                        continue;
                    }
                    if (mode.isNative() && raw.outcome() == KillOutcome.STOPPED) {
                        job.markThreadLost();
                        o.threadLost = true;
                        o.lostBy = mode;
                        o.stoppedBy = mode;
                        o.steps.add(judged(raw, KillOutcome.STOPPED, raw.latency(), mode == KillMode.NATIVE_FREEZE
                                ? "the thread is frozen for good: the task never runs again; what it held stays held"
                                : "the OS thread is gone: the task never runs again; the JVM is doomed (see KillMode)"));
                        break;
                    }
                    if (raw.outcome() == KillOutcome.ALREADY_TERMINATED) {
                        o.steps.add(raw);
                        break;
                    }
                }
                if (mode.isNative()) {
                    // The signal did not take (not safe to freeze within the wait, not delivered):
                    // give the task the rest of the grace all the same, then go on.
                    if (job.hasEnded()) {
                        o.stoppedBy = mode;
                        o.steps.add(judged(raw, KillOutcome.STOPPED, Duration.ofNanos(System.nanoTime() - t0),
                                "the task ended (" + describeEnd(job) + ")"));
                        break;
                    }
                    o.steps.add(raw);
                    continue;
                }
                // The task gets at least a quarter of the grace after the step was sent, whatever the
                // kill() call itself took (its snapshot, a first use's class loading, a busy machine):
                // seen without it on a loaded 2-core box, an interrupt sent 380 ms into its 388 ms
                // window was judged to have no effect, and the task it had ended was reported as
                // "ended after the deadline, not within any step's grace".
                long until = Math.max(t0 + wait, System.nanoTime() + graceNanos / 4);
                windowEnd[0] = Math.max(windowEnd[0], until);
                boolean endedInGrace = mode == KillMode.ASYNC_EXCEPTION ? awaitEndNudging(job, t, until)
                        : job.awaitEnd(Math.max(0, until - System.nanoTime()));
                long took = System.nanoTime() - t0;
                if (endedInGrace) {
                    o.stoppedBy = mode;
                    o.deadlineToEndNanos = job.endedAt() - deadlineAt;
                    o.steps.add(judged(raw, KillOutcome.STOPPED, Duration.ofNanos(job.endedAt() - t0),
                            "the task ended (" + describeEnd(job) + "); " + afterwards(job, mode)));
                    break;
                }
                o.steps.add(judged(raw, KillOutcome.STILL_RUNNING, Duration.ofNanos(took),
                        goesOn(mode, raw.jvmStateBefore())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            o.callerInterrupted = true;
            o.notes.add("the waiting thread was interrupted: the ladder stopped there");
        }
        if (!job.hasEnded() && !o.threadLost) o.taskMayStillRun = true;
        return o;
    }

    /**
     * Waits until {@code deadline} for the task to end, taking the thread's stack trace now and then:
     * a handshake with the thread, after which a pending async exception lands (without it JDK 17
     * and 25 left it pending in most tries against a regex backtrack: the loop polls no safepoint
     * that would deliver it).
     */
    private static boolean awaitEndNudging(Job job, Thread t, long deadline) throws InterruptedException {
        long slice = 1_000_000L;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return job.hasEnded();
            if (job.awaitEnd(Math.min(left, slice))) return true;
            t.getStackTrace();
            slice = Math.min(slice * 2, 2_000_000L);
        }
    }

    /**
     * Waits, within what is left of {@code settleLeft}, while taking {@code mode} now would do harm
     * the step does not need to do, and writes why in the notes:
     * <ul>
     * <li>the thread runs a static initializer ({@code <clinit>} on its stack), or loads a class it
     *     will initialise next ({@code ClassLoader.loadClass} on its stack): an async exception
     *     there leaves the class unusable for the life of the JVM (NoClassDefFoundError), and a freeze
     *     blocks every thread that ever touches the class (the consequence suite's class-init cells;
     *     seen here with Jupiter itself: a test thread unwinding from its ThreadKilledError through
     *     the first initialisation of a JUnit class was frozen there, and the engine's thread blocked
     *     on that class for good);</li>
     * <li>before a native step, the async exception was delivered (the method it was running at the
     *     deadline is gone from its stack): the task is unwinding (finally blocks, handlers), which is
     *     what the previous step asked of it.</li>
     * </ul>
     * When the wait runs out the step is taken all the same, and the notes say so.
     */
    private static void settle(Job<?> job, Thread t, KillMode mode, Outcome o, long[] settleLeft)
            throws InterruptedException {
        StackTraceElement top = o.hazards != null && !o.hazards.topFrames().isEmpty() ? o.hazards.topFrames().get(0) : null;
        long t0 = System.nanoTime();
        String why = null;
        boolean ranOut = false;
        while (!job.hasEnded()) {
            StackTraceElement[] stack = t.getStackTrace();
            String classInit = classInit(stack);
            boolean unwinding = mode.isNative() && o.asyncSent && top != null && stack.length > 0 && !onStack(stack, top);
            if (classInit == null && !unwinding) break;
            why = classInit != null ? classInit
                    : "the async exception had been delivered (" + top.getClassName() + "." + top.getMethodName()
                            + " is gone from its stack) and the task was unwinding";
            if (System.nanoTime() - t0 >= settleLeft[0]) {
                ranOut = true;
                break;
            }
            job.awaitEnd(TimeUnit.MILLISECONDS.toNanos(5));
        }
        long waited = System.nanoTime() - t0;
        settleLeft[0] = Math.max(0, settleLeft[0] - waited);
        if (why != null) {
            o.notes.add(mode + " deferred " + ms(waited) + ": " + why
                    + (ranOut ? "; still so when the wait ran out, so the step was taken all the same"
                              : job.hasEnded() ? "; the task ended meanwhile" : ""));
        }
    }

    /**
     * Why the thread is in the middle of making a class ready, or null: running a static initializer,
     * or loading a class (which it will then initialise; an async exception sent now has been seen
     * landing in the initialiser that followed: JNA's first call on a cold JDK 25, whose
     * ReflectionUtils class was unusable for the rest of the JVM).
     */
    private static String classInit(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            if (f.getMethodName().equals("<clinit>")) return "it was running the static initializer of " + f.getClassName();
        }
        for (StackTraceElement f : stack) {   // ClassLoader.loadClass, loadClassOrNull, a custom loader's override
            if (f.getMethodName().startsWith("loadClass")) {
                return "it was loading a class (" + f.getClassName() + "." + f.getMethodName() + "), which it initialises next";
            }
        }
        return null;
    }

    private static boolean onStack(StackTraceElement[] stack, StackTraceElement frame) {
        for (StackTraceElement f : stack) {
            if (f.getClassName().equals(frame.getClassName()) && f.getMethodName().equals(frame.getMethodName())) return true;
        }
        return false;
    }

    /** The wait of the next phase: to the end of its window, at least a quarter of the grace. */
    private static long window(long[] windowEnd, long graceNanos) {
        long now = System.nanoTime();
        windowEnd[0] = windowEnd[0] + graceNanos < windowEnd[0] ? Long.MAX_VALUE : windowEnd[0] + graceNanos;
        long wait = Math.max(windowEnd[0] - now, graceNanos / 4);
        windowEnd[0] = Math.max(windowEnd[0], now + wait);
        return wait;
    }

    private static void cooperativeCancel(Job<?> job, Deadline d, long graceNanos, Outcome o)
            throws InterruptedException {
        // On a thread of its own: a cancel that blocks (a JDBC driver's cancel can) must not hold the caller.
        Throwable[] failure = new Throwable[1];
        Runnable run = () -> {
            try {
                d.cooperativeCancel().run();
            } catch (Throwable e) {
                synchronized (failure) {
                    failure[0] = e;
                }
            }
        };
        long t0 = System.nanoTime();
        Thread c;
        if (noNewThreads) {   // after NATIVE_EXIT: inline, at the risk of a cancel that blocks
            run.run();
            c = Thread.currentThread();
        } else {
            c = new Thread(run, "threadkill-deadline-cancel");
            c.setDaemon(true);
            c.start();
        }
        boolean ended = job.awaitEnd(graceNanos);
        long took = System.nanoTime() - t0;
        if (c != Thread.currentThread()) c.join(1);
        Throwable f;
        synchronized (failure) {
            f = failure[0];
        }
        o.cancelFailure = f;
        String how = f != null ? "the cancel threw " + f
                : c != Thread.currentThread() && c.isAlive() ? "the cancel had not returned yet" : "the cancel returned";
        o.cancelReport = ended
                ? "cooperative cancel: the task ended " + ms(job.endedAt() - t0) + " later (" + describeEnd(job) + "; " + how + ")"
                : "cooperative cancel: no effect within " + ms(took) + " (" + how + ")";
    }

    private static String goesOn(KillMode mode, JvmState where) {
        if (where == JvmState.IN_NATIVE) {
            return mode == KillMode.ASYNC_EXCEPTION
                    ? "the task goes on: it is in native code, where the exception stays pending until the call returns"
                    : "the task goes on: it is in native code, which does not look at the interrupt";
        }
        return mode == KillMode.ASYNC_EXCEPTION
                ? "the task goes on: it caught the ThreadKilledError (a catch of Throwable), or the exception is still "
                        + "pending (seen on JDK 17 in long regex backtracking)"
                : "the task goes on: it ignores its interrupt";
    }

    /** The task ended after a step's grace, before {@code next} was sent. */
    private static void endedLate(Job<?> job, KillMode next, Outcome o) {
        o.notes.add("the task ended (" + describeEnd(job) + ") before " + next + " was sent");
        o.endedLate = true;
        // Our ThreadKilledError coming out of it: the async exception did it, after its grace.
        if (o.asyncSent && job.taskFailure() instanceof ThreadKilledError) o.stoppedBy = KillMode.ASYNC_EXCEPTION;
    }

    /** What becomes of the thread of a task a Java-level step ended (Job.finish decides the same way). */
    private static String afterwards(Job<?> job, KillMode mode) {
        if (mode == KillMode.ASYNC_EXCEPTION && !(job.taskFailure() instanceof ThreadKilledError)) {
            return "its thread retires: the async exception did not come out of the task and may still be pending";
        }
        return "its thread stays in service";
    }

    private static String describeEnd(Job<?> job) {
        Throwable f = job.taskFailure();
        if (f == null) return "it returned";
        if (f instanceof ThreadKilledError) return "it threw ThreadKilledError";
        return "it threw " + f.getClass().getName();
    }

    private static Hazards inspectQuietly(Thread t, Outcome o) {
        try {
            return ThreadKill.inspect(t);
        } catch (RuntimeException e) {
            o.notes.add("no hazards snapshot: " + e.getMessage());
            return null;
        }
    }

    /** A step as the deadline judges it: its outcome is the task's, not the thread's. */
    private static KillResult judged(KillResult raw, KillOutcome outcome, Duration latency, String detail) {
        return new KillResult(raw.threadName(), raw.threadId(), raw.tid(), raw.mode(), outcome, latency,
                raw.handlerLatency(), raw.jvmStateBefore(), raw.held(), detail, raw.hazards(), null);
    }

    private static KillResult notTaken(Thread t, KillMode mode, RuntimeException e) {
        return new KillResult(t.getName(), threadId(t), -1, mode, KillOutcome.STILL_RUNNING, Duration.ZERO, null,
                JvmState.UNKNOWN, List.of(), "not taken: " + e.getMessage());
    }

    /** The exception the waiting side throws; null when the deadline did nothing (the task ended just in time). */
    static DeadlineExceededException exception(Deadline d, Job<?> job, Outcome o, long elapsedNanos) {
        KillResult last = null;
        if (!o.steps.isEmpty()) {
            Escalation esc = new Escalation(d.ladderSteps(), o.steps, o.skipped, o.hazards);
            last = o.steps.get(o.steps.size() - 1).withHazards(o.hazards).withEscalation(esc);
        }
        String message = message(d, o, elapsedNanos);
        DeadlineExceededException e = new DeadlineExceededException(message, d.budget(), last, o.hazards,
                o.stoppedBy, o.cancelSufficed, o.threadLost, o.taskMayStillRun, o.callerInterrupted, o.threadName);
        Throwable cause = job.taskFailure();
        if (cause != null) e.initCause(cause);
        if (o.cancelFailure != null) e.addSuppressed(o.cancelFailure);
        return e;
    }

    static DeadlineExceededException notStarted(Deadline d, long elapsedNanos) {
        return new DeadlineExceededException("deadline of " + ms(d.budget()) + " passed before the task started "
                + "(no runner thread got to it in " + ms(elapsedNanos) + "); it will not run", d.budget(), null, null,
                null, false, false, false, false, null);
    }

    private static String message(Deadline d, Outcome o, long elapsedNanos) {
        StringBuilder sb = new StringBuilder();
        sb.append(o.callerInterrupted ? "interrupted while waiting for the task" : "deadline of " + ms(d.budget()) + " exceeded");
        sb.append(" (task on '").append(o.threadName).append("', ").append(ms(elapsedNanos)).append(" in all). ");
        if (o.hazards != null) {
            sb.append("At the deadline it was ").append(where(o.hazards));
            sb.append(o.hazards.held().isEmpty() ? ", holding no monitor or lock. "
                    : ", holding " + o.hazards.held() + ". ");
        }
        if (o.cancelReport != null) sb.append(o.cancelReport).append(". ");
        for (KillResult s : o.steps) {
            sb.append(s.mode()).append(": ").append(s.outcome() == KillOutcome.STOPPED ? "stopped it" : s.outcome() == KillOutcome.STILL_RUNNING ? "no effect" : s.outcome().name())
              .append(" after ").append(ms(s.latency().toNanos()));
            if (s.tid() > 0) sb.append(" (tid ").append(s.tid()).append(')');
            if (!s.held().isEmpty()) sb.append(", held ").append(s.held());
            sb.append(": ").append(s.detail()).append(". ");
        }
        if (!o.skipped.isEmpty()) {
            sb.append("Skipped ").append(o.skipped).append(": the JVM does not run with -D")
              .append(ThreadKill.ALLOW_NATIVE_KILL).append("=true. ");
        }
        for (String n : o.notes) sb.append(n).append(". ");
        if (o.cancelSufficed) sb.append("The cooperative cancel sufficed: nothing was killed.");
        else if (o.threadLost && o.lostBy == KillMode.NATIVE_FREEZE) sb.append("The task will never run again; its thread is frozen for good and everything it held stays held.");
        else if (o.threadLost) sb.append("The task will never run again; its OS thread is gone and the JVM is doomed.");
        else if (o.taskMayStillRun) sb.append("THE TASK MAY STILL BE RUNNING on '").append(o.threadName)
                .append("': nothing stopped it; its thread is abandoned (not reused until the task ends).");
        else if (o.endedLate && o.stoppedBy == KillMode.ASYNC_EXCEPTION) sb.append("The task stopped: the async exception landed after its grace; no native step was taken.");
        else if (o.endedLate) sb.append("The task ended after the deadline, not within any step's grace; no native step was taken.");
        else if (o.stoppedBy != null) sb.append(o.stoppedBy.isNative() ? "The task stopped." : "The task stopped; no native step was taken.");
        return sb.toString().trim();
    }

    private static String where(Hazards h) {
        StringBuilder sb = new StringBuilder(h.threadState().name());
        if (h.inNative()) sb.append(" in native code").append(h.nativeMethod() != null ? " (" + h.nativeMethod() + ")" : "");
        else if (h.jvmState() == JvmState.IN_JAVA) sb.append(" in Java code");
        if (!h.topFrames().isEmpty()) sb.append(" at ").append(h.topFrames().get(0));
        return sb.toString();
    }

    static String ms(Duration d) {
        return ms(saturatedNanos(d));
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @SuppressWarnings("deprecation")   // Thread.getId: threadId() is JDK 19+
    static long threadId(Thread t) {
        return t.getId();
    }
}
