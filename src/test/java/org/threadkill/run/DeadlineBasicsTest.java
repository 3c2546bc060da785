package org.threadkill.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.threadkill.KillMode;

/**
 * What needs no kill beyond an interrupt, in this JVM: values and exceptions pass through, arguments
 * are checked, an interruptible task past its deadline is stopped by INTERRUPT, the pool's
 * ExecutorService contract. Everything that freezes or throws into a thread is in {@link DeadlineTest}.
 */
class DeadlineBasicsTest {
    private static final Deadline SHORT = Deadline.of(Duration.ofMillis(200)).ladder(KillMode.INTERRUPT);

    @Test
    void valuesAndExceptionsPassThroughUnchanged() throws Exception {
        assertEquals("v", Deadline.call(Duration.ofSeconds(5), () -> "v"));
        IOException io = new IOException("io");
        assertSame(io, assertThrows(IOException.class, () -> Deadline.of(Duration.ofSeconds(5)).call(() -> {
            throw io;
        })));
        AssertionError err = new AssertionError("err");
        assertSame(err, assertThrows(AssertionError.class, () -> Deadline.of(Duration.ofSeconds(5)).run(() -> {
            throw err;
        })));
        IllegalStateException ise = new IllegalStateException("ise");
        assertSame(ise, assertThrows(IllegalStateException.class, () -> Deadline.of(Duration.ofSeconds(5)).run(() -> {
            throw ise;
        })));
    }

    @Test
    void theTaskRunsOnARunnerThreadWithTheCallersContextClassLoader() throws Exception {
        ClassLoader mine = new ClassLoader(getClass().getClassLoader()) {};
        Thread me = Thread.currentThread();
        ClassLoader before = me.getContextClassLoader();
        me.setContextClassLoader(mine);
        try {
            Object[] seen = Deadline.call(Duration.ofSeconds(5),
                    () -> new Object[] {Thread.currentThread(), Thread.currentThread().getContextClassLoader()});
            assertTrue(((Thread) seen[0]).getName().startsWith("threadkill-deadline-"));
            assertTrue(((Thread) seen[0]).isDaemon());
            assertSame(mine, seen[1]);
        } finally {
            me.setContextClassLoader(before);
        }
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Deadline.of(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Deadline.of(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> Deadline.of(null));
        assertThrows(IllegalArgumentException.class, () -> SHORT.grace(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> SHORT.ladder(KillMode.INTERRUPT, null));
        assertThrows(NullPointerException.class, () -> SHORT.cancelWith(null));
        assertThrows(IllegalArgumentException.class, () -> KillingExecutors.newFixedThreadPool(0, SHORT));
        assertThrows(IllegalArgumentException.class, () -> KillingExecutors.newFixedThreadPool(1, SHORT, 0));
    }

    @Test
    void settingsAreImmutableAndTheWorstCaseAddsUp() {
        Deadline d = Deadline.of(Duration.ofSeconds(1));
        assertEquals(Deadline.DEFAULT_LADDER, d.ladderSteps());
        Deadline e = d.grace(Duration.ofMillis(100)).cancelWith(() -> {});
        assertEquals(Deadline.DEFAULT_GRACE, d.grace());
        assertNull(d.cooperativeCancel());
        // 1 s + (3 steps + cancel) x 100 ms + 2 x 100 ms of possible deferral
        assertEquals(Duration.ofMillis(1600), e.worstCase());
        assertEquals(List.of(), d.withoutKilling().ladderSteps());
        assertEquals(Duration.ofSeconds(1), d.withoutKilling().grace(Duration.ofMillis(100)).worstCase());   // no step, no cancel
    }

    @Test
    void anInterruptibleTaskIsStoppedByTheInterruptAndNothingElse() {
        long t0 = System.nanoTime();
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class, () -> SHORT.call(() -> {
            Thread.sleep(60_000);
            return null;
        }));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 200 && ms < 200 + 250 + 1000, "took " + ms + " ms");
        assertEquals(KillMode.INTERRUPT, e.stoppedBy());
        assertTrue(e.getCause() instanceof InterruptedException, String.valueOf(e.getCause()));
        assertEquals(KillMode.INTERRUPT, e.killResult().mode());
        assertTrue(e.killResult().stopped());
        assertTrue(e.getMessage().contains("INTERRUPT: stopped it"), e.getMessage());
        assertTrue(e.hazards() != null && e.hazards().threadState() == Thread.State.TIMED_WAITING, String.valueOf(e.hazards()));
    }

    @Test
    void aLadderWithoutKillingAbandonsAndSaysSo() throws Exception {
        Object gate = new Object();
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                () -> Deadline.of(Duration.ofMillis(100)).withoutKilling().call(() -> {
                    long end = System.nanoTime() + 600_000_000L;   // ends by itself
                    while (System.nanoTime() < end) Thread.onSpinWait();
                    return gate;
                }));
        assertTrue(e.taskMayStillRun());
        assertNull(e.killResult());
        assertTrue(e.getMessage().contains("THE TASK MAY STILL BE RUNNING"), e.getMessage());
    }

    @Test
    void thePoolHonoursTheExecutorServiceContract() throws Exception {
        QuarantiningExecutorService pool = KillingExecutors.newFixedThreadPool(2, Deadline.of(Duration.ofSeconds(10)));
        Future<String> f = pool.submit(() -> Thread.currentThread().getName());
        assertTrue(f.get(5, TimeUnit.SECONDS).matches("threadkill-pool-\\d+-worker-\\d"), f.get());
        List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
        int sum = 0;
        for (Future<Integer> r : pool.invokeAll(tasks)) sum += r.get();
        assertEquals(6, sum);
        Future<Object> failing = pool.submit(() -> {
            throw new IOException("boom");
        });
        ExecutionException ee = assertThrows(ExecutionException.class, () -> failing.get(5, TimeUnit.SECONDS));
        assertTrue(ee.getCause() instanceof IOException);
        assertEquals(List.of(), pool.quarantined());
        assertNull(pool.refusal());
        pool.shutdown();
        assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 1));
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        assertTrue(pool.isTerminated());
    }

    @Test
    void aPoolTaskPastItsDeadlineFailsWithTheDeadlineExceededExceptionAsCause() throws Exception {
        QuarantiningExecutorService pool = KillingExecutors.newFixedThreadPool(1, SHORT);
        Future<Object> f = pool.submit(() -> {
            Thread.sleep(60_000);
            return null;
        });
        ExecutionException ee = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        DeadlineExceededException d = (DeadlineExceededException) ee.getCause();
        assertEquals(KillMode.INTERRUPT, d.stoppedBy());
        assertEquals("after", pool.submit(() -> "after").get(5, TimeUnit.SECONDS));   // the same worker, in service
        assertEquals(List.of(), pool.abandoned());
        pool.shutdownNow();
    }
}
