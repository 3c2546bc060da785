package org.threadkill.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Jupiter engine run of {@link StuckSamples} (JUnit Platform launcher, child JVM): the stuck
 * tests fail in time with messages that say what was done, the others pass or fail as usual, the
 * suite completes, and the run ends with the summary of frozen threads.
 */
class KillOnTimeoutTest {
    /** Budget 1 s, three steps of 250 ms and up to two more of deferral (Deadline.worstCase), plus slack for a loaded 2-core machine. */
    private static final long STUCK_TEST_MAX_MS = 1000 + 5 * 250 + 1000;

    @TempDir
    Path dir;

    @Test
    void stuckTestsFailInTimeAndTheSuiteRunsOnWithTheNativeStep() throws Exception {
        Child.Result r = Child.run(dir, LauncherMain.class, Duration.ofSeconds(90), true, dir.resolve("stuck.fifo").toString());
        assertEquals(Integer.valueOf(0), r.exitCode(), r::toString);
        assertEquals("true", r.value("launcher.done"), r::toString);

        assertStatus(r, "passesFirst", "SUCCESSFUL");
        assertStatus(r, "passesAfterTheStuckOnes", "SUCCESSFUL");
        assertStatus(r, "failsPlainly", "FAILED");
        assertTrue(r.value("test.failsPlainly").contains("an ordinary failure"), r::toString);

        String loop = assertStuck(r, "infiniteLoop", 1000);
        assertTrue(loop.contains("ASYNC_EXCEPTION: stopped it") && loop.contains("no native step was taken"), r::toString);

        String nat = assertStuck(r, "stuckInNativeCode", 1000);
        // Blocked in open(2) of a FIFO: frozen, or refused by the freeze's safe point when a stale
        // pointer into libc's allocator sits in the native frames (the scan is conservative): both
        // seen on JDK 17. Either way the test fails in time and says which.
        boolean frozen = nat.contains("NATIVE_FREEZE: stopped it");
        assertTrue(nat.contains("in native code") && (frozen || nat.contains("not frozen")), r::toString);
        assertTrue(nat.contains("monitor java.lang.Object@"), () -> "names the monitor it held: " + r);

        String sleep = assertStuck(r, "sleepsPastAShorterMethodLevelBudget", 300);
        assertTrue(sleep.contains("INTERRUPT: stopped it"), r::toString);

        assertEquals("2", r.value("tests.succeeded"), r::toString);
        assertEquals("4", r.value("tests.failed"), r::toString);
        assertTrue(r.stderr().contains("threadkill-junit: 3 tests exceeded @KillOnTimeout:"), r::toString);
        if (frozen) {
            assertTrue(r.stderr().contains("StuckSamples.stuckInNativeCode(): FROZEN by NATIVE_FREEZE"), r::toString);
            assertTrue(r.stderr().contains("threadkill-junit: 1 thread frozen for good in this JVM"), r::toString);
        } else {
            assertTrue(r.stderr().contains("StuckSamples.stuckInNativeCode(): NOT STOPPED: may still be running"), r::toString);
        }
        assertTrue(r.stderr().contains("StuckSamples.infiniteLoop(): stopped by ASYNC_EXCEPTION"), r::toString);
    }

    @Test
    void withoutTheOptInTheNativeTestIsAbandonedAndSaysSo() throws Exception {
        Child.Result r = Child.run(dir, LauncherMain.class, Duration.ofSeconds(90), false, dir.resolve("stuck.fifo").toString());
        assertEquals(Integer.valueOf(0), r.exitCode(), r::toString);
        assertEquals("true", r.value("launcher.done"), r::toString);
        String nat = assertStuck(r, "stuckInNativeCode", 1000);
        assertTrue(nat.contains("THE TASK MAY STILL BE RUNNING") && nat.contains("Skipped [NATIVE_FREEZE]"), r::toString);
        assertStatus(r, "passesAfterTheStuckOnes", "SUCCESSFUL");
        assertTrue(r.stderr().contains("NOT STOPPED: may still be running"), r::toString);
        assertTrue(r.stderr().contains("no thread was frozen"), r::toString);
    }

    private static void assertStatus(Child.Result r, String test, String status) {
        String v = r.value("test." + test);
        assertTrue(v != null && v.startsWith(status + "|"), () -> test + " should be " + status + ": " + r);
    }

    /** The test failed, after its budget and within the worst case; returns its message. */
    private static String assertStuck(Child.Result r, String test, long budgetMs) {
        assertStatus(r, test, "FAILED");
        String[] parts = r.value("test." + test).split("\\|", 3);
        long ms = Long.parseLong(parts[1]);
        assertTrue(ms >= budgetMs && ms <= STUCK_TEST_MAX_MS, () -> test + " took " + ms + " ms: " + r);
        assertTrue(parts[2].contains("exceeded @KillOnTimeout"), r::toString);
        return parts[2];
    }
}
