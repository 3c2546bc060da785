package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.ChildJvm;
import org.threadkill.probes.GateProbe;

/**
 * The opt-in cannot be opened from inside the JVM: neither by setting the property, nor by calling
 * the internal classes or their natives directly. Each case is a child JVM started without
 * {@code -Dthreadkill.allowNativeKill=true}; its victim must still be running at the end.
 */
class GateTest {

    @Test
    void settingThePropertyInsideTheJvmOpensNothing(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).withoutNativeOptIn()
                .run(GateProbe.class, Duration.ofSeconds(60), "setProperty");
        assertEquals("false", r.value("allowed"), r.toString());
        for (String attempt : new String[] {"kill", "killAgain", "escalate"}) {
            String v = r.value(attempt);
            assertTrue(v != null && v.startsWith("refused: IllegalStateException")
                    || attempt.equals("escalate") && v != null && v.contains("STILL_RUNNING"), attempt + ": " + r);
        }
        assertVictimRuns(r);
    }

    @Test
    void internalClassesAndNativesRefuseWithoutTheOptIn(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).withoutNativeOptIn()
                .run(GateProbe.class, Duration.ofSeconds(60), "reflection");
        assertEquals("false", r.value("allowed"), r.toString());
        for (String attempt : new String[] {"installSignal0", "ensureSignalInstalled", "kill0", "suspend0",
                "diagnosticSuspend", "diagnosticAck", "nativeFreeze"}) {
            String v = r.value(attempt);
            assertTrue(v != null && v.startsWith("refused: IllegalStateException")
                    && v.contains("-Dthreadkill.allowNativeKill=true"), attempt + ": " + r);
        }
        assertVictimRuns(r);
    }

    @Test
    void theOptInOnTheCommandLineOpensIt(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).run(GateProbe.class, Duration.ofSeconds(60), "setProperty");
        assertEquals("true", r.value("allowed"), r.toString());
        assertTrue(r.value("kill").startsWith("DONE") && r.value("kill").contains("STOPPED"), r.toString());
    }

    private static void assertVictimRuns(ChildJvm.Result r) {
        assertTrue(Long.parseLong(r.value("victimProgress")) > 0, "the victim must still run: " + r);
        assertEquals("RUNNABLE", r.value("victimState"), r.toString());
    }
}
