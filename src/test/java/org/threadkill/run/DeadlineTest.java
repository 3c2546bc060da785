package org.threadkill.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.ChildJvm;

/**
 * {@link Deadline} and the quarantining pool against real victims, each in a child JVM
 * ({@link DeadlineProbe}): budget 300 ms, grace 250 ms per step, so a call must return within
 * 300 + 3 x 250 ms plus a margin for a loaded 2-core machine.
 */
class DeadlineTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STALL = Duration.ofSeconds(20);
    /** Slack over the deadline's worst case: the library's snapshots take tens of ms here, more under load. */
    private static final long MARGIN_MS = 750;

    @TempDir
    Path dir;

    private ChildJvm.Result probe(String scenario) throws Exception {
        return new ChildJvm(dir).stallLimit(STALL).run(DeadlineProbe.class, TIMEOUT, scenario);
    }

    private static void assertClean(ChildJvm.Result r) {
        assertEquals(Integer.valueOf(0), r.exitCode(), r::toString);
        assertFalse(r.crashed(), r::toString);
        assertTrue(r.printed("probe.done=true"), r::toString);
    }

    private static void assertWithinWorstCase(ChildJvm.Result r) {
        long elapsed = Long.parseLong(r.value("call.elapsedMs"));
        long worst = Long.parseLong(r.value("call.worstCaseMs"));
        assertTrue(elapsed >= DeadlineProbe.BUDGET.toMillis(), () -> "returned before the budget: " + r);
        assertTrue(elapsed <= worst + MARGIN_MS, () -> "took " + elapsed + " ms, worst case " + worst + " ms: " + r);
    }

    @Test
    void javaSpinnerIsStoppedByAsyncExceptionAndItsRunnerGoesBackIntoService() throws Exception {
        ChildJvm.Result r = probe("JAVA_SPIN");
        assertClean(r);
        assertWithinWorstCase(r);
        assertEquals("ASYNC_EXCEPTION", r.value("exc.stoppedBy"), r::toString);
        assertEquals("INTERRUPT:STILL_RUNNING,ASYNC_EXCEPTION:STOPPED", r.value("exc.steps"), r::toString);
        assertEquals("org.threadkill.ThreadKilledError", r.value("exc.cause"), r::toString);
        assertEquals("false", r.value("exc.threadLost"), r::toString);
        assertEquals("false", r.value("tainted"), r::toString);   // no native step was taken
        assertEquals(r.value("call.thread"), r.value("next.thread"), r::toString);
        assertTrue(r.value("exc.message").contains("no native step was taken"), r::toString);
    }

    @Test
    void loopThatSwallowsThrowableIsFrozenAndItsRunnerNeverReused() throws Exception {
        ChildJvm.Result r = probe("CATCH_THROWABLE");
        assertClean(r);
        assertWithinWorstCase(r);
        assertEquals("NATIVE_FREEZE", r.value("exc.stoppedBy"), r::toString);
        assertEquals("INTERRUPT:STILL_RUNNING,ASYNC_EXCEPTION:STILL_RUNNING,NATIVE_FREEZE:STOPPED",
                r.value("exc.steps"), r::toString);
        assertEquals("1", r.value("victim.swallowed"), r::toString);   // it did catch the ThreadKilledError
        assertFrozenAndReplaced(r);
    }

    @Test
    void runawayRegexIsStoppedInTime() throws Exception {
        // JDK 25 delivers the async exception; JDK 17 has been seen to leave it pending inside the
        // backtracking (then the freeze ends it). Either way the call returns in time.
        ChildJvm.Result r = probe("REGEX");
        assertClean(r);
        assertWithinWorstCase(r);
        assertTrue(Set.of("ASYNC_EXCEPTION", "NATIVE_FREEZE").contains(r.value("exc.stoppedBy")), r::toString);
        assertEquals("IN_JAVA/false", r.value("exc.hazards"), r::toString);
        if (r.value("exc.stoppedBy").equals("NATIVE_FREEZE")) assertFrozenAndReplaced(r);
        else assertEquals(r.value("call.thread"), r.value("next.thread"), r::toString);
    }

    @Test
    void nativeReadIsFrozen() throws Exception {
        ChildJvm.Result r = probe("NATIVE_READ");
        assertClean(r);
        assertWithinWorstCase(r);
        assertEquals("IN_NATIVE/true", r.value("exc.hazards"), r::toString);
        assertEquals("INTERRUPT:STILL_RUNNING,ASYNC_EXCEPTION:STILL_RUNNING,NATIVE_FREEZE:STOPPED",
                r.value("exc.steps"), r::toString);
        assertFrozenAndReplaced(r);
    }

    private static void assertFrozenAndReplaced(ChildJvm.Result r) {
        assertEquals("true", r.value("exc.threadLost"), r::toString);
        assertEquals("false", r.value("exc.mayStillRun"), r::toString);
        assertEquals("true", r.value("tainted"), r::toString);
        assertTrue(Long.parseLong(r.value("frozen.tid")) > 0, r::toString);
        assertEquals("S", r.value("frozen.state"), r::toString);   // the frozen OS thread is still there, asleep
        assertNotEquals(r.value("call.thread"), r.value("next.thread"), r::toString);
        assertTrue(r.value("exc.message").contains("frozen for good"), r::toString);
    }

    @Test
    void aTaskInsideAStaticInitializerIsNeitherThrownIntoNorFrozenThere() throws Exception {
        ChildJvm.Result r = probe("CLINIT_SLOW");
        assertClean(r);
        assertWithinWorstCase(r);
        assertEquals("INTERRUPT:STILL_RUNNING", r.value("exc.steps"), r::toString);   // nothing after the interrupt
        assertTrue(r.value("exc.message").contains("ASYNC_EXCEPTION deferred")
                && r.value("exc.message").contains("static initializer of org.threadkill.run.DeadlineProbe$SlowInit")
                && r.value("exc.message").contains("the task ended meanwhile"), r::toString);
        assertEquals("null", r.value("exc.cause"), r::toString);   // it returned: the initializer completed
        assertEquals("42", r.value("later.value"), r::toString);   // and the class works for everyone
        assertEquals("false", r.value("tainted"), r::toString);
    }

    @Test
    void aTaskLoadingAClassIsNotThrownIntoUntilTheLoadIsDone() throws Exception {
        ChildJvm.Result r = probe("CLASSLOAD_SLOW");
        assertClean(r);
        assertWithinWorstCase(r);
        assertEquals("INTERRUPT:STILL_RUNNING", r.value("exc.steps"), r::toString);
        assertTrue(r.value("exc.message").contains("ASYNC_EXCEPTION deferred")
                && r.value("exc.message").contains("it was loading a class (org.threadkill.run.DeadlineProbe$SlowLoader.loadClass)")
                && r.value("exc.message").contains("the task ended meanwhile"), r::toString);
        assertEquals("null", r.value("exc.cause"), r::toString);
        assertEquals("false", r.value("tainted"), r::toString);
    }

    @Test
    void interruptibleTaskStopsAtTheInterrupt() throws Exception {
        ChildJvm.Result r = probe("INTERRUPTIBLE");
        assertClean(r);
        assertWithinWorstCase(r);
        assertEquals("INTERRUPT", r.value("exc.stoppedBy"), r::toString);
        assertEquals("INTERRUPT:STOPPED", r.value("exc.steps"), r::toString);
        assertEquals("java.lang.InterruptedException", r.value("exc.cause"), r::toString);
        assertEquals("false", r.value("tainted"), r::toString);
        assertEquals(r.value("call.thread"), r.value("next.thread"), r::toString);
        // the runner's interrupt flag was cleared: the next task on it did not see it
    }

    @Test
    void normalTaskReturnsItsValue() throws Exception {
        ChildJvm.Result r = probe("NORMAL");
        assertClean(r);
        assertEquals("value", r.value("call.value"), r::toString);
        assertTrue(Long.parseLong(r.value("call.elapsedMs")) < DeadlineProbe.BUDGET.toMillis(), r::toString);
        assertEquals(r.value("call.thread"), r.value("next.thread"), r::toString);
        assertTrue(r.value("call.thread").startsWith("threadkill-deadline-"), r::toString);
    }

    @Test
    void withoutOptInTheNativeReadIsAbandonedAndSaysSoThenEndsWhenReleased() throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(STALL).withoutNativeOptIn()
                .run(DeadlineProbe.class, TIMEOUT, "NATIVE_READ_RELEASED");
        assertClean(r);
        assertWithinWorstCase(r);
        assertEquals("INTERRUPT:STILL_RUNNING,ASYNC_EXCEPTION:STILL_RUNNING", r.value("exc.steps"), r::toString);
        assertEquals("[NATIVE_FREEZE]", r.value("exc.skipped"), r::toString);
        assertEquals("true", r.value("exc.mayStillRun"), r::toString);
        assertTrue(r.value("exc.message").contains("THE TASK MAY STILL BE RUNNING"), r::toString);
        assertEquals("false", r.value("before.release.ended"), r::toString);   // it really was still running
        // once the read returns, the pending ThreadKilledError lands and ends it; the runner is reused
        assertEquals("true", r.value("after.release.ended"), r::toString);
        assertEquals("org.threadkill.ThreadKilledError", r.value("after.release.with"), r::toString);
        assertEquals(r.value("call.thread"), r.value("next.thread"), r::toString);
        assertEquals("false", r.value("tainted"), r::toString);
    }

    @Test
    void cooperativeCancelSufficesAndNothingIsKilled() throws Exception {
        ChildJvm.Result r = probe("COOPERATIVE");
        assertClean(r);
        assertEquals("true", r.value("exc.cancelSufficed"), r::toString);
        assertEquals("null", r.value("exc.killResult"), r::toString);
        assertEquals("java.lang.IllegalStateException", r.value("exc.cause"), r::toString);
        assertEquals("false", r.value("tainted"), r::toString);
        long elapsed = Long.parseLong(r.value("call.elapsedMs"));
        assertTrue(elapsed <= DeadlineProbe.BUDGET.toMillis() + DeadlineProbe.GRACE.toMillis() + MARGIN_MS, r::toString);
    }

    @Test
    void callerInterruptStopsTheWaitRestoresTheFlagAndSaysSo() throws Exception {
        ChildJvm.Result r = probe("CALLER_INTERRUPT");
        assertClean(r);
        assertEquals("true", r.value("exc.callerInterrupted"), r::toString);
        assertEquals("true", r.value("flag.after"), r::toString);
        assertEquals("null", r.value("exc.killResult"), r::toString);
        assertTrue(r.value("exc.message").startsWith("the caller was interrupted"), r::toString);
        assertTrue(Long.parseLong(r.value("call.elapsedMs")) < 5_000, r::toString);   // not the 20 s budget
    }

    @Test
    void poolOfFourSurvivesStuckTasksKeepsItsSizeAndRunsLaterTasks() throws Exception {
        ChildJvm.Result r = probe("POOL");
        assertClean(r);
        assertEquals("ASYNC_EXCEPTION,NATIVE_FREEZE,NATIVE_FREEZE,ASYNC_EXCEPTION", r.value("stuck.outcomes"), r::toString);
        assertEquals("12", r.value("normal.ok"), r::toString);
        assertEquals("2", r.value("pool.quarantined"), r::toString);
        assertEquals("4", r.value("pool.inService"), r::toString);
        assertEquals("later", r.value("pool.later"), r::toString);
        assertEquals("true", r.value("pool.terminated"), r::toString);
        assertEquals("0", r.value("pool.abandoned"), r::toString);
        for (String line : r.stdout()) {
            if (line.startsWith("quarantined.state.")) assertTrue(line.endsWith("=S"), r::toString);
        }
        // the four stuck tasks were handled side by side, not one after the other
        long elapsed = Long.parseLong(r.value("pool.elapsedMs"));
        assertTrue(elapsed <= 1050 + MARGIN_MS + 500, r::toString);
    }

    @Test
    void poolRefusesNewTasksAfterItsLimitOfLostWorkers() throws Exception {
        ChildJvm.Result r = probe("POOL_LIMIT");
        assertClean(r);
        assertEquals("2", r.value("pool.quarantined"), r::toString);
        assertEquals("true", r.value("rejected"), r::toString);
        String m = r.value("rejected.message");
        assertTrue(m.contains("2 workers lost (limit 2)") && m.contains("leaks what it held"), r::toString);
    }

    @Test
    void withoutOptInAPoolAbandonsTheNativeTaskReplacesItsWorkerAndRetiresItWhenTheTaskEnds() throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(STALL).withoutNativeOptIn()
                .run(DeadlineProbe.class, TIMEOUT, "POOL_NO_OPT_IN");
        assertClean(r);
        assertEquals("true", r.value("stuck.mayStillRun"), r::toString);
        assertEquals("1", r.value("pool.abandoned"), r::toString);
        assertEquals("0", r.value("pool.quarantined"), r::toString);
        assertFalse(r.value("later.ranOn").contains("worker-1"), r::toString);   // the abandoned one takes nothing
        // replaced while its task still ran (the pool keeps two in service), retired once the task ended
        assertEquals("threadkill-pool-1-worker-1,threadkill-pool-1-worker-2,threadkill-pool-1-worker-3",
                r.value("workers.beforeRelease"), r::toString);
        assertEquals("threadkill-pool-1-worker-2,threadkill-pool-1-worker-3", r.value("workers.afterRelease"), r::toString);
        assertEquals("false", r.value("tainted"), r::toString);
    }

    @Test
    void afterNativeExitThePoolCreatesNoWorkerAndRefusesNewTasks() throws Exception {
        // NATIVE_EXIT dooms the JVM; the child may crash later (after its last line): only what it printed counts.
        ChildJvm.Result r = probe("POOL_EXIT");
        assertEquals("true", r.value("stuck.threadLost"), r::toString);
        assertEquals("threadkill-pool-1-worker-1,threadkill-pool-1-worker-2", r.value("workers"), r::toString);
        assertEquals("1", r.value("pool.quarantined"), r::toString);
        assertTrue(r.value("refusal").contains("NATIVE_EXIT reached worker"), r::toString);
        assertEquals("true", r.value("rejected"), r::toString);
    }

    @Test
    void futureCancelInterruptsOnlyAndTheWorkerComesBackWithACleanFlag() throws Exception {
        ChildJvm.Result r = probe("FUTURE_CANCEL");
        assertClean(r);
        assertEquals("true", r.value("cancel"), r::toString);
        assertEquals("true", r.value("interrupted"), r::toString);
        assertEquals("true", r.value("isCancelled"), r::toString);
        assertEquals("clean", r.value("next"), r::toString);
        assertEquals("false", r.value("tainted"), r::toString);
    }
}
