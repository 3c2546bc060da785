package org.threadkill.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.ChildJvm;

/**
 * What users of escalate and repeated kills rely on, each shown in a child JVM: the ladder stops the
 * stuck work, not a healthy pool worker; a frozen thread has one answer; an interrupted killer keeps
 * its waits; a victim holding System.err cannot stop its killer.
 */
class BehaviourTest {

    private static ChildJvm.Result run(Path dir, String... args) throws Exception {
        return new ChildJvm(dir).stallLimit(Duration.ofSeconds(30)).run(BehaviourProbe.class, Duration.ofSeconds(90), args);
    }

    @Test
    void escalateEndsTheTaskAndLeavesThePoolWorking(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = run(dir, "pool", "NATIVE_FREEZE");
        String why = r.toString();
        assertEquals("WORK_ENDED", r.value("escalate.outcome"), why);
        assertEquals("ASYNC_EXCEPTION", r.value("escalate.mode"), why);
        assertTrue(r.value("escalate.detail").contains("the thread lives on"), why);
        assertEquals("true", r.value("stuck.done"), why);
        assertEquals("true", r.value("sameWorker"), "the worker itself must run the next task: " + why);
        assertEquals("0", r.value("tombstones"), "nothing native may have been done: " + why);
        assertEquals("WORK_ENDED", r.value("idle.outcome"), why);
        assertEquals("0", r.value("idle.steps"), why);
        assertTrue(r.value("idle.detail").contains("idle in its pool"), why);
        assertEquals("0", r.value("tombstonesAfterIdle"), why);
        assertEquals("ok", r.value("afterIdle"), why);
        assertTrue(r.printed("main.returning=true"), why);
    }

    @Test
    void aFrozenThreadHasOneAnswer(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = run(dir, "frozenTwice");
        String why = r.toString();
        assertEquals("80", r.value("calls"), why);
        assertEquals("80", r.value("stopped"), "every call says STOPPED, none throws: " + why);
        assertEquals("[]", r.value("others"), why);
        assertEquals("1", r.value("tombstones"), "one thread, one tombstone: " + why);
        assertEquals("true", r.value("isFrozen"), why);
        assertEquals("0", r.value("progress"), why);
        assertTrue(r.value("name").startsWith("victim-n [frozen by threadkill at "), why);
        for (String m : new String[] {"INTERRUPT", "ASYNC_EXCEPTION", "NATIVE_FREEZE", "NATIVE_EXIT", "NATIVE_CANCEL"}) {
            String again = r.value("again." + m);
            assertTrue(again.startsWith("STOPPED 0ms already frozen by threadkill"), m + ": " + why);
        }
        assertEquals("1", r.value("tombstonesAfter"), why);
        assertEquals("true", r.value("dumpMarksIt"), why);
        assertEquals("false", r.value("isFrozenOther"), why);
        assertTrue(r.printed("main.returning=true"), why);
    }

    @Test
    void anInterruptedKillerStillWaitsEveryStep(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = run(dir, "interruptedKiller");
        String why = r.toString();
        assertEquals("STILL_RUNNING", r.value("outcome"), why);
        assertEquals("2", r.value("steps"), why);
        assertTrue(Long.parseLong(r.value("elapsedMs")) >= 1000, "two steps of 500 ms each: " + why);
        assertEquals("true", r.value("stillInterrupted"), "the killer's interrupt is kept for it: " + why);
    }

    @Test
    void aVictimHoldingSystemErrCannotStopItsKiller(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = run(dir, "blockedStream");
        String why = r.toString();
        assertFalse(r.value("kill.outcome") == null, why);
        assertTrue(Long.parseLong(r.value("kill.elapsedMs")) <= 1000 + 50 + 200, "wait + 50 ms (+200 ms for load): " + why);
        assertTrue(Long.parseLong(r.value("after.elapsedMs")) <= 250, why);
        assertEquals("ok", r.value("gc"), why);
        assertTrue(r.printed("main.returning=true"), why);
    }

    @Test
    void aNativeMutexOwnedByTheVictimIsSeenBeforeAndAfter(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = run(dir, "nativeMutex");
        String why = r.toString();
        assertEquals("1", r.value("inspect.nativeWaiters"), why);
        assertEquals("mutex-waiter", r.value("inspect.waiter"), why);
        String memoryOf = r.value("inspect.memoryOf");   // the test mutex is malloc'ed, in some arena
        assertTrue(memoryOf.equals("the heap") || memoryOf.startsWith("anonymous memory"), why);
        assertEquals("false", r.value("inspect.freezeSurvives"), "no promise of survival with a native lock: " + why);
        assertEquals("STOPPED", r.value("kill.outcome"), why);
        assertEquals("1", r.value("damage.nativeBlocked"), why);
        assertEquals("mutex-waiter", r.value("damage.waiter"), why);
        assertEquals("true", r.value("damage.victims"), why);
        assertTrue(r.printed("main.returning=true"), why);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "run {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4, 5})
    void firstUseFromManyThreadsAtOnceDoesNotDeadlock(int run, @TempDir Path dir) throws Exception {
        ChildJvm.Result r = run(dir, "firstUseRace");
        assertEquals("8", r.value("race.done"), r.toString());
        assertTrue(r.printed("main.returning=true"), r.toString());
    }
}
