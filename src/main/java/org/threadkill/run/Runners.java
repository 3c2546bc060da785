package org.threadkill.run;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.threadkill.ThreadKilledError;

/**
 * The daemon threads {@link Deadline} runs tasks on: a cached set, most recently used first, each
 * leaving after a minute idle. A runner whose task was ended by a Java-level step goes back into
 * service; a frozen one never comes back (it never returns from its signal handler); one that was
 * sent an ASYNC_EXCEPTION that never came out of the task retires (the exception may still be
 * pending, and would land in the next task).
 */
final class Runners {
    private Runners() {}

    static final String NAME_PREFIX = "threadkill-deadline-";
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final ConcurrentLinkedDeque<Runner> IDLE = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static volatile String doomed;   // why no new runner may be created (after NATIVE_EXIT / NATIVE_CANCEL)


    /** Hands {@code job} to an idle runner, or to a new one. */
    static void dispatch(Job<?> job) {
        Warmup.ensure();
        Runner r = IDLE.pollFirst();
        if (r != null) {
            r.hand(job);
            return;
        }
        String why = doomed != null ? doomed : Ladder.noNewThreads ? "NATIVE_EXIT or NATIVE_CANCEL reached a pool worker" : null;
        if (why != null) {
            throw new IllegalStateException("no new runner thread is created: " + why + "; the C library would give "
                    + "it the dead thread's stack. This JVM is doomed: see KillMode.NATIVE_EXIT");
        }
        r = new Runner(job);
        r.start();
    }

    /**
     * After NATIVE_EXIT or NATIVE_CANCEL the C library hands the dead thread's stack to the next
     * thread created: creating one of our own would be inviting that.
     */
    static void doom(String why) {
        doomed = why;
        Ladder.noNewThreads = true;
    }

    /** How many runners are idle now (tests). */
    static int idleCount() {
        return IDLE.size();
    }

    private static final class Runner extends Thread {
        private volatile Job<?> next;

        Runner(Job<?> first) {
            super(NAME_PREFIX + SEQ.incrementAndGet());
            setDaemon(true);
            // A late ThreadKilledError that lands while the runner retires ends it quietly.
            setUncaughtExceptionHandler((t, e) -> {
                if (!(e instanceof ThreadKilledError)) e.printStackTrace();
            });
            this.next = first;
        }

        void hand(Job<?> job) {
            next = job;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (true) {
                Job<?> job = awaitJob();
                if (job == null) return;
                boolean reusable;
                try {
                    reusable = job.execute();
                } catch (ThreadKilledError late) {   // landed in our own code after the task returned
                    reusable = finishLate(job, late);
                }
                if (!reusable) return;
                IDLE.offerFirst(this);
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static boolean finishLate(Job job, ThreadKilledError late) {
            return job.finish(null, late);
        }

        private Job<?> awaitJob() {
            long idleUntil = System.nanoTime() + IDLE_NANOS;
            while (true) {
                Job<?> j = next;
                if (j != null) {
                    next = null;
                    return j;
                }
                long left = idleUntil - System.nanoTime();
                if (left <= 0) {
                    if (IDLE.removeFirstOccurrence(this)) return null;
                    idleUntil = Long.MAX_VALUE / 2;   // taken by a caller: its job is on the way
                    continue;
                }
                LockSupport.parkNanos(this, left);
                Thread.interrupted();   // an idle runner has nothing to interrupt
            }
        }
    }
}
