package org.threadkill.safepoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.ChildJvm;

/**
 * NATIVE_FREEZE never parks a thread where the JVM or the C library needs it: inside a JNI critical
 * region (when the GC locks regions out), the C library's allocator, the dynamic loader's lock, or
 * the JDK's logging and printing. Before the safe point, each of these hung the whole JVM (3 of 3
 * runs each, issue 9). Each case is a child JVM that must then GC, allocate, start a thread, walk
 * all stacks, intern a MethodType, print, log and exit normally.
 */
class SafePointTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "critical, -XX:+UseG1GC",
        "critical, -XX:+UseParallelGC",
        "critical, -XX:+UseSerialGC",
        "malloc, -XX:+UseG1GC",
        "mallocWithWork, -XX:+UseG1GC",
        "loader, -XX:+UseG1GC",
        "logger, -XX:+UseG1GC",
    })
    void theJvmLivesOnAfterTheFreeze(String victim, String gc, @TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).jvmArgs(gc).stallLimit(Duration.ofSeconds(30))
                .run(SafePointProbe.class, Duration.ofSeconds(120), victim);
        String why = r.toString();
        assertEquals("true", r.value("victim.started"), why);
        String outcome = r.value("kill.outcome");
        assertTrue("STOPPED".equals(outcome) || "STILL_RUNNING".equals(outcome), why);
        // The probe's wait and the slack for load, both scaled under emulation (scripts/test-arm64).
        long bound = ChildJvm.scaled(Duration.ofMillis(2000 + 250)).toMillis();
        assertTrue(Long.parseLong(r.value("kill.elapsedMs")) <= bound, "within the wait (+250 ms for load): " + why);
        if ("STILL_RUNNING".equals(outcome)) {
            assertTrue(r.value("kill.detail").startsWith("not frozen:"), why);
            assertEquals("true", r.value("victim.progressing"), why);
        } else {
            assertEquals("false", r.value("victim.progressing"), why);
        }
        // The whole point: whatever the outcome, the JVM keeps working and exits normally.
        for (String p : new String[] {"gc", "alloc", "newthread", "stacks", "methodtype", "stderr", "log", "gc2"}) {
            assertTrue(r.value("probe." + p) != null && r.value("probe." + p).startsWith("ok"), p + ": " + why);
        }
        assertTrue(r.printed("main.returning=true"), why);
        assertEquals(Integer.valueOf(0), r.exitCode(), why);
        assertTrue(r.hsErrFiles().isEmpty(), why);
        // What the safe point must refuse, it names.
        switch (victim) {
            case "malloc":
                if ("STILL_RUNNING".equals(outcome)) assertTrue(r.value("kill.detail").contains("the C library"), why);
                break;
            case "loader":
                if ("STILL_RUNNING".equals(outcome)) {
                    assertTrue(r.value("kill.detail").contains("dynamic loader") || r.value("kill.detail").contains("C library"), why);
                }
                break;
            case "mallocWithWork":
                assertEquals("STOPPED", outcome, "a thread often outside libc is frozen there: " + why);
                break;
            default:
                break;
        }
    }
}
