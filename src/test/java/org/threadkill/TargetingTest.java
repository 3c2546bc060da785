package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.ChildJvm;
import org.threadkill.probes.TargetingStress;

/**
 * No wrong-thread kill: thousands of kill signals raced against exiting victims, while new threads
 * reuse their stacks and ids, reach only their victims.
 */
class TargetingTest {

    @Test
    void killsRacingExitingThreadsHitOnlyTheirVictims(@TempDir Path dir) throws Exception {
        // Smaller under emulation (scripts/test-arm64), where each kill costs a hundred times more.
        int acks = Integer.getInteger("threadkill.test.targeting.acks", 3000);
        int kills = Integer.getInteger("threadkill.test.targeting.kills", 500);
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(Duration.ofSeconds(30))
                .run(TargetingStress.class, Duration.ofMinutes(3), Integer.toString(acks), Integer.toString(kills));
        String why = r.toString();
        int acked = Integer.parseInt(r.value("acked"));
        int ackTerminated = Integer.parseInt(r.value("ackTerminated"));
        assertEquals(acks, acked + ackTerminated + Integer.parseInt(r.value("ackOther")), why);
        assertTrue(acked > 0 && ackTerminated > 0, "both sides of the race must occur: " + why);
        assertEquals("true", r.value("done"), why);
        assertEquals(Integer.valueOf(0), r.exitCode(), why);
        int stopped = Integer.parseInt(r.value("stopped"));
        int terminated = Integer.parseInt(r.value("terminated"));
        assertEquals(kills, stopped + terminated + Integer.parseInt(r.value("stillRunning")), why);
        // The race is real: both sides of it happened many times.
        assertTrue(stopped > 0 && terminated > 0, "both outcomes must occur: " + why);
        assertEquals("0", r.value("wrongVictims"), why);
        assertEquals("0", r.value("stuckBystanders"), why);
        assertEquals("true", r.value("churnProgressing"), why);
        assertEquals("0", r.value("churnLost"), why);
        assertEquals("0", r.value("straySignals"), why);
    }
}
