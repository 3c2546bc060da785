package org.threadkill.run;

import java.util.Objects;

/**
 * Executors whose tasks run under a {@link Deadline}.
 *
 * <p><b>WARNING:</b> a task past its deadline is stopped by the deadline's ladder, by force; see
 * {@link Deadline} and {@link QuarantiningExecutorService} for what that leaves behind.
 */
public final class KillingExecutors {
    private KillingExecutors() {}

    /** How many lost workers (quarantined or abandoned) a pool takes before it refuses new tasks, by default. */
    public static final int DEFAULT_MAX_LOST = 8;

    /**
     * A pool of {@code threads} daemon workers ({@code threadkill-pool-N-worker-M}), each task
     * under {@code perTask}; refuses new tasks after {@value #DEFAULT_MAX_LOST} lost workers.
     * Same warning as the class.
     *
     * @param perTask the deadline each task runs under
     * @param threads how many workers the pool keeps
     * @return the pool
     */
    public static QuarantiningExecutorService newFixedThreadPool(int threads, Deadline perTask) {
        return newFixedThreadPool(threads, perTask, DEFAULT_MAX_LOST);
    }

    /**
     * As {@link #newFixedThreadPool(int, Deadline)}, refusing new tasks once {@code maxLost}
     * workers have been quarantined or abandoned. Same warning as the class.
     *
     * @throws IllegalArgumentException if {@code threads < 1} or {@code maxLost < 1}
     * @param maxLost how many lost workers (quarantined or abandoned) the pool takes before it refuses new tasks
     * @param perTask the deadline each task runs under
     * @param threads how many workers the pool keeps
     * @return as {@link #newFixedThreadPool(int, Deadline)}, refusing new tasks once {@code maxLost} workers have been quarantined or abandoned
     */
    public static QuarantiningExecutorService newFixedThreadPool(int threads, Deadline perTask, int maxLost) {
        Objects.requireNonNull(perTask, "perTask");
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1: " + threads);
        if (maxLost < 1) throw new IllegalArgumentException("maxLost must be at least 1: " + maxLost);
        return new QuarantiningPool(threads, perTask, maxLost);
    }
}
