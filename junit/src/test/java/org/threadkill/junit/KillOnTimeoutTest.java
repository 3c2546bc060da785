package org.threadkill.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Jupiter engine runs (JUnit Platform launcher, child JVM) of {@link StuckSamples},
 * {@link JupiterTimeoutSamples} and {@link GlobalTimeoutSamples}: the stuck tests fail in time with
 * messages that say what was done (threadkill's, not Jupiter's "timed out after"), the others pass
 * or fail as usual, the suite completes, nothing spins on, and the run ends with the summary of
 * frozen threads.
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

        String loop = assertStuck(r, "infiniteLoop", 1000, "@KillOnTimeout(1 SECONDS)");
        assertTrue(loop.contains("ASYNC_EXCEPTION: stopped it") && loop.contains("no native step was taken"), r::toString);

        String nat = assertStuck(r, "stuckInNativeCode", 1000, "@KillOnTimeout(1 SECONDS)");
        // Blocked in open(2) of a FIFO: frozen, or refused by the freeze's safe point when a stale
        // pointer into libc's allocator sits in the native frames (the scan is conservative): both
        // seen on JDK 17. Either way the test fails in time and says which.
        boolean frozen = nat.contains("NATIVE_FREEZE: stopped it");
        assertTrue(nat.contains("in native code") && (frozen || nat.contains("not frozen")), r::toString);
        assertTrue(nat.contains("monitor java.lang.Object@"), () -> "names the monitor it held: " + r);

        String sleep = assertStuck(r, "sleepsPastAShorterMethodLevelBudget", 300, "@KillOnTimeout(300 MILLISECONDS)");
        assertTrue(sleep.contains("INTERRUPT: stopped it"), r::toString);

        assertEquals("2", r.value("tests.succeeded"), r::toString);
        assertEquals("4", r.value("tests.failed"), r::toString);
        assertTrue(r.stderr().contains("threadkill-junit: 3 tests exceeded their deadline"), r::toString);
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
        String nat = assertStuck(r, "stuckInNativeCode", 1000, "@KillOnTimeout(1 SECONDS)");
        assertTrue(nat.contains("THE TASK MAY STILL BE RUNNING") && nat.contains("Skipped [NATIVE_FREEZE]"), r::toString);
        assertStatus(r, "passesAfterTheStuckOnes", "SUCCESSFUL");
        assertTrue(r.stderr().contains("NOT STOPPED: may still be running"), r::toString);
        assertTrue(r.stderr().contains("no thread was frozen"), r::toString);
    }

    /**
     * Only Jupiter's {@code @Timeout}, the extension registered with {@code @ExtendWith}: an infinite
     * loop (in both of Jupiter's thread modes), a test blocked in native code and one that swallows
     * Throwable are stopped by threadkill's ladder and fail with its message; {@code @KillOnTimeout}
     * on the same method wins over {@code @Timeout}, shorter or longer.
     */
    @Test
    void jupiterTimeoutIsEnforcedByTheLadderWhenTheExtensionIsRegistered() throws Exception {
        Child.Result r = Child.run(dir, LauncherMain.class, Duration.ofSeconds(120), true, dir.resolve("stuck.fifo").toString(),
                JupiterTimeoutSamples.class.getName());
        assertEquals(Integer.valueOf(0), r.exitCode(), r::toString);
        assertEquals("true", r.value("launcher.done"), r::toString);
        String viaTimeout = "@Timeout(1 SECONDS), enforced by threadkill";

        List<String> stopped = new ArrayList<>();
        for (String loop : List.of("infiniteLoop", "infiniteLoopInSeparateThreadMode")) {
            String m = assertStuck(r, loop, 1000, viaTimeout);
            assertTrue(stoppedByTheLadder(m), r::toString);
            stopped.add(m);
        }
        String nat = assertStuck(r, "stuckInNativeCode", 1000, viaTimeout);
        assertTrue(nat.contains("in native code") && (nat.contains("NATIVE_FREEZE: stopped it") || nat.contains("not frozen")),
                r::toString);
        stopped.add(nat);
        String swallows = assertStuck(r, "swallowsThrowable", 1000, viaTimeout);
        assertTrue(swallows.contains("NATIVE_FREEZE: stopped it"), r::toString);
        stopped.add(swallows);
        String shorter = assertStuck(r, "killOnTimeoutWinsWhenShorter", 300, "@KillOnTimeout(300 MILLISECONDS)");
        assertTrue(shorter.contains("INTERRUPT: stopped it"), r::toString);

        assertStatus(r, "killOnTimeoutWinsWhenLonger", "SUCCESSFUL");   // its @Timeout(500 ms) did not fail it
        assertStatus(r, "passesFirst", "SUCCESSFUL");
        assertStatus(r, "passesAfterTheStuckOnes", "SUCCESSFUL");
        assertStatus(r, "failsPlainly", "FAILED");
        assertTrue(r.value("test.failsPlainly").contains("AssertionFailedError: an ordinary failure"), r::toString);
        assertEquals("3", r.value("tests.succeeded"), r::toString);
        assertEquals("6", r.value("tests.failed"), r::toString);
        assertFalse(String.join("\n", r.stdout()).contains("timed out after"), () -> "Jupiter's own verdict leaked: " + r);
        assertEquals("false", r.value("spin.grewInTheLast300ms"), () -> "a stopped loop spins on: " + r);

        assertTrue(r.stderr().contains("threadkill-junit: 5 tests exceeded their deadline"), r::toString);
        assertTrue(r.stderr().contains("JupiterTimeoutSamples.swallowsThrowable(): FROZEN by NATIVE_FREEZE"), r::toString);
        assertFrozenInSummary(r, stopped);
    }

    /**
     * No threadkill annotation at all: the extension registered for the whole run by Jupiter's
     * auto-detection enforces {@code @Timeout} and {@code junit.jupiter.execution.timeout.default}.
     */
    @Test
    void autoDetectedExtensionEnforcesTimeoutAndTheConfiguredDefault() throws Exception {
        Child.Result r = Child.run(dir, LauncherMain.class, Duration.ofSeconds(90), true, dir.resolve("stuck.fifo").toString(),
                GlobalTimeoutSamples.class.getName(), "junit.jupiter.extensions.autodetection.enabled=true",
                "junit.jupiter.execution.timeout.default=1 s");
        assertEquals(Integer.valueOf(0), r.exitCode(), r::toString);
        assertEquals("true", r.value("launcher.done"), r::toString);
        String loop = assertStuck(r, "infiniteLoop", 1000, "@Timeout(1 SECONDS), enforced by threadkill");
        String byDefault = assertStuck(r, "infiniteLoopUnderTheDefaultTimeout", 1000,
                "junit.jupiter.execution.timeout.default=1 s, enforced by threadkill");
        assertTrue(stoppedByTheLadder(loop) && stoppedByTheLadder(byDefault), r::toString);
        assertStatus(r, "passesFirst", "SUCCESSFUL");
        assertStatus(r, "passesAfterTheStuckOnes", "SUCCESSFUL");
        assertFalse(String.join("\n", r.stdout()).contains("timed out after"), () -> "Jupiter's own verdict leaked: " + r);
        assertEquals("false", r.value("spin.grewInTheLast300ms"), () -> "a stopped loop spins on: " + r);
        assertTrue(r.stderr().contains("threadkill-junit: 2 tests exceeded their deadline"), r::toString);
        assertFrozenInSummary(r, List.of(loop, byDefault));
    }

    /** {@code junit.jupiter.execution.timeout.mode=disabled} turns {@code @Timeout} off for threadkill as for Jupiter. */
    @Test
    void timeoutModeDisabledIsHonoured() throws Exception {
        Child.Result r = Child.run(dir, LauncherMain.class, Duration.ofSeconds(60), false, dir.resolve("stuck.fifo").toString(),
                TimeoutModeSamples.class.getName(), "junit.jupiter.execution.timeout.mode=disabled");
        assertEquals(Integer.valueOf(0), r.exitCode(), r::toString);
        for (String test : new String[] {"sleepsPastItsTimeout", "sleepsPastItsKillOnTimeout"}) {
            assertStatus(r, test, "SUCCESSFUL");
            assertTrue(Long.parseLong(r.value("test." + test).split("\\|")[1]) >= 800, r::toString);
        }
        assertFalse(r.stderr().contains("threadkill-junit:"), r::toString);
    }

    /**
     * A spinning loop is stopped by the async exception; on a loaded machine its delivery has been
     * seen to miss its grace (JDK 25, load average 17 on 2 cores), and then the freeze stops it.
     */
    private static boolean stoppedByTheLadder(String message) {
        return message.contains("ASYNC_EXCEPTION: stopped it") || message.contains("NATIVE_FREEZE: stopped it");
    }

    /** The summary counts as many frozen threads as the failures say were frozen. */
    private static void assertFrozenInSummary(Child.Result r, List<String> messages) {
        long frozen = messages.stream().filter(m -> m.contains("NATIVE_FREEZE: stopped it")).count();
        assertTrue(r.stderr().contains(frozen == 0 ? "no thread was frozen"
                : "threadkill-junit: " + frozen + (frozen == 1 ? " thread" : " threads") + " frozen for good in this JVM"), r::toString);
    }

    private static void assertStatus(Child.Result r, String test, String status) {
        String v = r.value("test." + test);
        assertTrue(v != null && v.startsWith(status + "|"), () -> test + " should be " + status + ": " + r);
    }

    /** The test failed, after its budget and within the worst case; returns its message. */
    private static String assertStuck(Child.Result r, String test, long budgetMs, String exceeded) {
        assertStatus(r, test, "FAILED");
        String[] parts = r.value("test." + test).split("\\|", 3);
        long ms = Long.parseLong(parts[1]);
        assertTrue(ms >= budgetMs && ms <= STUCK_TEST_MAX_MS, () -> test + " took " + ms + " ms: " + r);
        assertTrue(parts[2].contains("exceeded " + exceeded), r::toString);
        return parts[2];
    }
}
