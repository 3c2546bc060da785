package org.threadkill.run;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.threadkill.ThreadKilledError;

/**
 * One task run under a deadline, and the state the ladder and the thread running it agree on.
 *
 * <p>Every transition of {@link #state} happens under this object's monitor, and so does every
 * kill step ({@link Ladder}): a step is taken only while the task still runs, and a thread whose
 * task ends during a step waits for the step to be over before it can take another task. That is
 * what stops a ladder from reaching a thread that has gone back to its pool (issue 10).
 *
 * <p>A late {@link ThreadKilledError} (an ASYNC_EXCEPTION that stayed pending until the task had
 * returned) can land at any bytecode of the runner's own code; {@link #finish} can be called again
 * and completes what a first call left undone.
 */
final class Job<T> implements RunnableFuture<T> {
    enum State { QUEUED, RUNNING, ENDED, CANCELLED }

    /** What {@link #expire()} found at the deadline. */
    enum Expiry { ENDED, NOT_STARTED, RUNNING, ALREADY_EXPIRED }

    final Callable<T> task;
    /** Pool only: report a failure to the log (the task came through execute(), nobody reads its Future). */
    final boolean logFailure;

    private State state = State.QUEUED;          // guarded by this
    private Thread thread;                       // the thread running the task, while RUNNING
    private boolean expired;                     // the deadline was declared: the ladder decides the result
    private boolean asyncSent;                   // an ASYNC_EXCEPTION step was sent to the thread
    private boolean asyncSeen;                   // ...and came back out of the task (it is spent)
    private boolean threadLost;                  // frozen or exited by a native step: never runs again
    private T value;
    private Throwable failure;
    private long startedAt;
    private long endedAt;
    volatile long deadlineAt;                    // pool: System.nanoTime() by which the task must end
    ClassLoader contextLoader;                   // Deadline: the caller's, set on the runner while the task runs

    private final CountDownLatch ended = new CountDownLatch(1);   // the task ended (or will never start)
    private final CountDownLatch completed = new CountDownLatch(1);  // the Future has its result
    private Object result;                       // guarded by this; the Future's value
    private Throwable resultFailure;             // ...or its failure (ExecutionException's cause)
    private boolean cancelledByUser;

    Job(Callable<T> task, boolean logFailure) {
        this.task = task;
        this.logFailure = logFailure;
    }

    // ---- the thread that runs it ----

    /**
     * Runs the task on the current thread. Returns false when the thread must not take another task:
     * an ASYNC_EXCEPTION was sent and may still be pending (it would land in the next task).
     */
    boolean execute() {
        synchronized (this) {
            if (state != State.QUEUED) return true;   // cancelled before it started
            state = State.RUNNING;
            thread = Thread.currentThread();
            startedAt = System.nanoTime();
        }
        T v = null;
        Throwable f = null;
        Thread me = Thread.currentThread();
        ClassLoader own = contextLoader != null ? me.getContextClassLoader() : null;
        try {
            if (contextLoader != null) me.setContextClassLoader(contextLoader);
            v = task.call();
        } catch (Throwable t) {
            f = t;
        } finally {
            if (contextLoader != null) me.setContextClassLoader(own);
        }
        return finish(v, f);
    }

    /** The task ended with {@code v} or {@code f}; idempotent (a late async exception may interrupt a first call). */
    boolean finish(T v, Throwable f) {
        boolean reusable;
        synchronized (this) {
            if (f instanceof ThreadKilledError && asyncSent) asyncSeen = true;
            if (state == State.RUNNING) {
                value = v;
                failure = f;
                state = State.ENDED;
                thread = null;
                endedAt = System.nanoTime();
            }
            ended.countDown();
            if (!expired) complete(failure == null ? value : null, failure, true);
            reusable = !(asyncSent && !asyncSeen) && !threadLost;
        }
        Thread.interrupted();   // a ladder's INTERRUPT (or the user's cancel) must not reach the next task
        return reusable;
    }

    // ---- the side that waits and enforces ----

    boolean awaitEnd(long nanos) throws InterruptedException {
        return ended.await(nanos, TimeUnit.NANOSECONDS);
    }

    boolean hasEnded() {
        return ended.getCount() == 0;
    }

    /** At the deadline: decides, under the monitor, whether the ladder has work to do. */
    synchronized Expiry expire() {
        switch (state) {
            case QUEUED:
                state = State.CANCELLED;
                expired = true;
                ended.countDown();
                return Expiry.NOT_STARTED;
            case RUNNING:
                if (expired) return Expiry.ALREADY_EXPIRED;
                expired = true;
                return Expiry.RUNNING;
            default:
                return Expiry.ENDED;
        }
    }

    synchronized boolean isExpired() {
        return expired;
    }

    synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    synchronized Thread thread() {
        return thread;
    }

    synchronized void markAsyncSent() {
        asyncSent = true;
    }

    synchronized void markThreadLost() {
        threadLost = true;
    }

    /** Nanoseconds from start to end; -1 while running or never started. */
    synchronized long ranNanos() {
        return state == State.ENDED ? endedAt - startedAt : -1;
    }

    synchronized long endedAt() {
        return endedAt;
    }

    synchronized Throwable taskFailure() {
        return failure;
    }

    synchronized T taskValue() {
        return value;
    }

    // ---- the Future (pool) ----

    /** Sets the Future's outcome once. Called under the monitor or from the enforcer. */
    synchronized void complete(Object v, Throwable f, boolean fromTask) {
        if (completed.getCount() == 0) return;
        if (fromTask && expired) return;
        result = v;
        resultFailure = f;
        completed.countDown();
    }

    @Override
    public void run() {
        execute();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        synchronized (this) {
            if (completed.getCount() == 0) return false;
            cancelledByUser = true;
            if (state == State.QUEUED) {
                state = State.CANCELLED;
                ended.countDown();
            } else if (state == State.RUNNING && mayInterruptIfRunning && thread != null) {
                thread.interrupt();   // only the cooperative step: Future.cancel promises nothing more
            }
            resultFailure = new CancellationException("cancelled");
            completed.countDown();
            return true;
        }
    }

    @Override
    public synchronized boolean isCancelled() {
        return cancelledByUser;
    }

    @Override
    public boolean isDone() {
        return completed.getCount() == 0;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        completed.await();
        return report();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!completed.await(timeout, unit)) throw new TimeoutException("the task has not completed within " + timeout + " " + unit);
        return report();
    }

    @SuppressWarnings("unchecked")
    private synchronized T report() throws ExecutionException {
        if (resultFailure instanceof CancellationException) {
            CancellationException c = new CancellationException("the task was cancelled");
            c.initCause(resultFailure);
            throw c;
        }
        if (resultFailure != null) throw new ExecutionException(resultFailure);
        return (T) result;
    }
}
