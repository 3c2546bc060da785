package org.threadkill.run;

import java.util.List;
import java.util.concurrent.ExecutorService;

import org.threadkill.Tombstone;

/**
 * An executor whose every task runs under a {@link Deadline}, and that survives tasks it had to
 * freeze: a frozen worker is quarantined (never used again: it holds what it held forever) and
 * replaced, so the pool keeps its size. A task past its deadline fails its {@code Future} with an
 * {@link java.util.concurrent.ExecutionException} whose cause is the {@link DeadlineExceededException}.
 *
 * <p><b>WARNING: this does not make killing safe.</b> Every quarantined worker leaks what it held
 * (monitors, locks, files, native mutexes: other threads that need them block for good), and a task
 * ended by ASYNC_EXCEPTION may have left shared objects half-updated. After a configurable number of
 * lost workers the pool refuses new tasks. See docs/deadline.md and docs/WARNINGS.md.
 */
public interface QuarantiningExecutorService extends ExecutorService {
    /**
     * The workers frozen (or exited) by a native step and replaced, oldest first.
     *
     * @return the workers frozen (or exited) by a native step and replaced, oldest first
     */
    List<Tombstone> quarantined();

    /**
     * The workers given up on while their task still ran (nothing stopped it, e.g. native code
     * without {@code -Dthreadkill.allowNativeKill=true}): replaced, and retired if their task ever ends.
     *
     * @return the workers given up on while their task still ran, oldest first
     */
    List<String> abandoned();

    /**
     * Why the pool refuses new tasks, or null while it accepts them (and is not shut down).
     *
     * @return why the pool refuses new tasks, or null while it accepts them (and is not shut down)
     */
    String refusal();
}
