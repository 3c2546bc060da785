package org.threadkill.run;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.threadkill.KillMode;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.ThreadKilledError;
import org.threadkill.Tombstone;

/**
 * The pool behind {@link KillingExecutors#newFixedThreadPool}: its own workers (a
 * ThreadPoolExecutor whose worker is frozen would lose a thread silently), one watchdog thread that
 * sleeps until the earliest deadline of the running tasks, and one short-lived enforcer thread per
 * deadline that fires (the ladder takes up to its grace per step; stuck tasks are handled side by side).
 * A task's budget counts from when a worker starts it, not from its submission.
 */
final class QuarantiningPool extends AbstractExecutorService implements QuarantiningExecutorService {
    private static final System.Logger LOG = System.getLogger("org.threadkill.run");
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final long SCANNING = Long.MIN_VALUE;
    private static final Job<Object> POISON = new Job<>(() -> null, false);   // shutdown: each worker passes it on

    private final int size;
    private final int maxLost;
    private final Deadline perTask;
    private final long budgetNanos;
    private final String prefix;
    private final AtomicInteger workerSeq = new AtomicInteger();
    private final LinkedBlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();   // in service
    private final List<Tombstone> quarantined = new CopyOnWriteArrayList<>();
    private final List<String> abandoned = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private volatile boolean shutdown;
    private volatile String refusal;            // set once: why new tasks are rejected
    private volatile String doomed;             // set after NATIVE_EXIT / NATIVE_CANCEL: no worker is created again
    private int lost;                           // guarded by lifecycle
    private final Thread watchdog;
    private volatile long wakeAt = Long.MAX_VALUE;

    QuarantiningPool(int size, Deadline perTask, int maxLost) {
        Warmup.ensure();
        this.size = size;
        this.maxLost = maxLost;
        this.perTask = perTask;
        this.budgetNanos = Ladder.saturatedNanos(perTask.budget());
        this.prefix = "threadkill-pool-" + POOLS.incrementAndGet() + "-";
        this.watchdog = new Thread(this::watch, prefix + "watchdog");
        watchdog.setDaemon(true);
        synchronized (lifecycle) {
            for (int i = 0; i < size; i++) startWorker();
        }
        watchdog.start();
    }

    // ---- ExecutorService ----

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new Job<>(callable, false);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new Job<>(Executors.callable(runnable, value), false);
    }

    /**
     * Queues {@code command}. A plain {@code Runnable} (not from {@code submit}) that fails or
     * misses its deadline is reported through {@code System.Logger} ({@code org.threadkill.run}).
     *
     * @throws RejectedExecutionException after shutdown, or once the pool refuses new tasks ({@link #refusal()})
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        Job<?> job = command instanceof Job ? (Job<?>) command : new Job<>(Executors.callable(command, null), true);
        synchronized (lifecycle) {
            if (refusal != null) throw new RejectedExecutionException(refusal);
            if (shutdown) throw new RejectedExecutionException("the pool is shut down");
            queue.add(job);
        }
    }

    @Override
    public void shutdown() {
        synchronized (lifecycle) {
            if (shutdown) return;
            shutdown = true;
            queue.add(POISON);
            lifecycle.notifyAll();
        }
        LockSupport.unpark(watchdog);
    }

    /** Drains the queue and interrupts the running tasks (INTERRUPT only: no kill step is taken). */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> left = new ArrayList<>();
        synchronized (lifecycle) {
            shutdown = true;
            List<Job<?>> drained = new ArrayList<>();
            queue.drainTo(drained);
            for (Job<?> j : drained) if (j != POISON) left.add(j);
            queue.add(POISON);
            lifecycle.notifyAll();
        }
        for (Worker w : workers) {
            Job<?> j = w.current;
            if (j == null) continue;
            synchronized (j) {
                Thread t = j.thread();
                if (t != null && j.isRunning()) t.interrupt();
            }
        }
        LockSupport.unpark(watchdog);
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    /** True once shut down and every worker in service has exited (quarantined and abandoned workers are not waited for). */
    @Override
    public boolean isTerminated() {
        return shutdown && workers.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lifecycle) {
            while (!isTerminated()) {
                long left = end - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(lifecycle, left);
            }
            return true;
        }
    }

    @Override
    public List<Tombstone> quarantined() {
        return List.copyOf(quarantined);
    }

    @Override
    public List<String> abandoned() {
        return List.copyOf(abandoned);
    }

    @Override
    public String refusal() {
        return refusal;
    }

    @Override
    public String toString() {
        return "QuarantiningPool[" + prefix + "*, size " + size + ", in service " + workers.size() + ", queued "
                + queue.size() + ", quarantined " + quarantined.size() + ", abandoned " + abandoned.size()
                + (refusal != null ? ", REFUSING" : shutdown ? ", shut down" : "") + ", " + perTask + "]";
    }

    // ---- workers ----

    /** Under {@link #lifecycle}. */
    private void startWorker() {
        if (doomed != null) return;
        Worker w = new Worker(prefix + "worker-" + workerSeq.incrementAndGet());
        workers.add(w);
        w.start();
    }

    private void workerExited(Worker w, boolean replace) {
        synchronized (lifecycle) {
            boolean wasInService = workers.remove(w);
            if (replace && wasInService) startWorker();
            lifecycle.notifyAll();
        }
        LockSupport.unpark(watchdog);
    }

    private final class Worker extends Thread {
        volatile Job<?> current;
        volatile boolean abandonedFlag;   // set under the job's monitor while the task still ran

        Worker(String name) {
            super(name);
            setDaemon(true);   // a frozen non-daemon thread would keep a normal JVM exit waiting forever
            setUncaughtExceptionHandler((t, e) -> {
                if (!(e instanceof ThreadKilledError)) LOG.log(Level.ERROR, "threadkill pool worker died", e);
            });
        }

        @Override
        public void run() {
            boolean replace = false;
            try {
                while (true) {
                    Job<?> j;
                    try {
                        j = queue.take();
                    } catch (InterruptedException e) {
                        continue;   // shutdownNow's interrupt of a task that had just ended
                    }
                    if (j == POISON) {
                        queue.add(POISON);
                        break;
                    }
                    j.deadlineAt = System.nanoTime() + budgetNanos;
                    current = j;
                    long w = wakeAt;
                    if (w == SCANNING || j.deadlineAt < w) LockSupport.unpark(watchdog);
                    boolean reusable;
                    try {
                        reusable = j.execute();
                    } catch (ThreadKilledError late) {   // landed in our code after the task returned
                        reusable = finishLate(j, late);
                    }
                    current = null;
                    if (j.logFailure && j.taskFailure() != null && !j.isExpired()) {
                        LOG.log(Level.WARNING, "task failed in " + getName(), j.taskFailure());
                    }
                    if (abandonedFlag) break;             // already replaced
                    if (!reusable) {                      // an async exception may be pending: retire
                        replace = true;
                        break;
                    }
                }
            } catch (ThreadKilledError late) {
                replace = true;
            } finally {
                workerExited(this, replace);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean finishLate(Job job, ThreadKilledError late) {
        return job.finish(null, late);
    }

    // ---- deadlines ----

    private void watch() {
        while (true) {
            if (shutdown && workers.isEmpty()) return;
            wakeAt = SCANNING;
            long now = System.nanoTime();
            long next = Long.MAX_VALUE;
            for (Worker w : workers) {
                Job<?> j = w.current;
                if (j == null) continue;
                long d = j.deadlineAt;
                if (d - now <= 0) {
                    if (j.expire() == Job.Expiry.RUNNING) startEnforcer(w, j, d);
                } else if (d < next) {
                    next = d;
                }
            }
            wakeAt = next;
            if (next == Long.MAX_VALUE) LockSupport.park(this);
            else LockSupport.parkNanos(this, next - System.nanoTime());
        }
    }

    private void startEnforcer(Worker w, Job<?> j, long deadlineAt) {
        if (Ladder.noNewThreads) {   // after NATIVE_EXIT: no thread is created; the watchdog enforces itself
            enforce(w, j, deadlineAt);
            return;
        }
        Thread e = new Thread(() -> enforce(w, j, deadlineAt), prefix + "enforcer-" + w.getName().substring(prefix.length()));
        e.setDaemon(true);
        e.start();
    }

    private void enforce(Worker w, Job<?> j, long deadlineAt) {
        Ladder.Outcome o = Ladder.enforce(j, perTask, deadlineAt);
        boolean abandon = false;
        if (!o.threadLost) {
            synchronized (j) {   // the worker reads the flag after its task's finish(), under the same monitor
                if (!j.hasEnded()) {
                    w.abandonedFlag = true;
                    abandon = true;
                }
            }
        }
        synchronized (lifecycle) {
            if (o.threadLost) {
                workers.remove(w);
                quarantined.add(tombstone(w, o));
                lost++;
                if (o.lostBy != KillMode.NATIVE_FREEZE) {
                    Ladder.noNewThreads = true;
                    doomed = o.lostBy + " reached worker '" + w.getName() + "': the C library would give a new "
                            + "thread its stack, so no worker is created again and the JVM is doomed";
                    if (refusal == null) refusal = "the pool refuses new tasks: " + doomed;
                } else {
                    startWorker();
                }
            } else if (abandon) {
                workers.remove(w);
                abandoned.add(w.getName() + " (still running its task: " + (o.skipped.isEmpty() ? "no step stopped it"
                        : "native steps " + o.skipped + " skipped without -D" + ThreadKill.ALLOW_NATIVE_KILL + "=true") + ")");
                lost++;
                startWorker();
            }
            if (lost >= maxLost && refusal == null) {
                refusal = "the pool refuses new tasks: " + lost + " workers lost (limit " + maxLost + "): quarantined "
                        + quarantined + ", abandoned " + abandoned + ". Every frozen worker leaks what it held "
                        + "(monitors, locks, files, native mutexes) and an abandoned one still runs; a pool that keeps "
                        + "losing workers keeps leaking. See docs/deadline.md";
            }
            lifecycle.notifyAll();
        }
        DeadlineExceededException ex = Ladder.exception(perTask, j, o, System.nanoTime() - (deadlineAt - budgetNanos));
        j.complete(null, ex, false);
        if (j.logFailure) LOG.log(Level.WARNING, ex.getMessage());
        LockSupport.unpark(watchdog);
    }

    private static Tombstone tombstone(Worker w, Ladder.Outcome o) {
        long id = Ladder.threadId(w);
        List<Tombstone> all = ThreadKill.tombstones();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).threadId() == id) return all.get(i);
        }
        KillResult last = o.steps.get(o.steps.size() - 1);   // the library keeps none: build it from the step
        return new Tombstone(last.threadName(), last.threadId(), last.tid(), last.mode(), KillOutcome.STOPPED,
                Instant.now(), last.jvmStateBefore(), last.held(), last.detail());
    }
}
