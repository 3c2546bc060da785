package org.threadkill.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.ChildJvm;

/**
 * escalate, damage, taint and the JFR events, each in a child JVM ({@link EscalationProbe}): the
 * native steps leave the child damaged for good.
 */
class EscalateTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STALL = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void javaSpinnerStopsAtAsyncException() throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(STALL).run(EscalationProbe.class, TIMEOUT, "JAVA_SPIN");
        assertEquals(Integer.valueOf(0), r.exitCode(), r::toString);
        assertFalse(r.crashed(), r::toString);
        assertEquals("INTERRUPT:STILL_RUNNING,ASYNC_EXCEPTION:STOPPED", r.value("escalate.steps"), r::toString);
        assertEquals("ASYNC_EXCEPTION", r.value("escalate.stoppedBy"), r::toString);
        assertEquals("[]", r.value("escalate.skipped"), r::toString);
        assertEquals("false", r.value("tainted"), r::toString);
        assertEquals("null", r.value("taintReason"), r::toString);
        assertEquals("true", r.value("damage.empty"), r::toString);
        assertEquals("MAY_STOP", r.value("verdict.INTERRUPT"), r::toString);
        assertEquals("STOPS", r.value("verdict.ASYNC_EXCEPTION"), r::toString);
    }

    @Test
    void nativeHolderReachesFreezeAndDamageNamesTheWaitersAndJfrHasTheEvents() throws Exception {
        Path jfr = dir.resolve("kill.jfr");
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(STALL)
                .jvmArgs("-XX:StartFlightRecording:filename=" + jfr + ",dumponexit=true")
                .run(EscalationProbe.class, TIMEOUT, "HOLDER_NATIVE");
        assertEquals(Integer.valueOf(0), r.exitCode(), r::toString);
        assertFalse(r.crashed(), r::toString);

        // inspect, before anything was done
        assertEquals("IN_NATIVE", r.value("hazards.jvmState"), r::toString);
        assertEquals("org.threadkill.testing.Victims.spin", r.value("hazards.nativeMethod"), r::toString);
        assertEquals("MONITOR:java.lang.Object,LOCK:java.util.concurrent.locks.ReentrantLock$NonfairSync",
                r.value("hazards.held"), r::toString);
        assertEquals("lock-waiter,monitor-waiter", r.value("hazards.waiters"), r::toString);
        assertEquals("NO_EFFECT", r.value("verdict.INTERRUPT"), r::toString);
        assertEquals("NO_EFFECT", r.value("verdict.ASYNC_EXCEPTION"), r::toString);
        assertEquals("MAY_STOP", r.value("verdict.NATIVE_FREEZE"), r::toString);   // native: the safe point may refuse
        assertEquals("MAY_STOP/DOOMED", r.value("verdict.NATIVE_EXIT"), r::toString);   // native: the unwind may get stuck
        assertEquals("MAY_STOP/DOOMED", r.value("verdict.NATIVE_CANCEL"), r::toString);

        // escalate
        assertEquals("INTERRUPT:STILL_RUNNING,ASYNC_EXCEPTION:STILL_RUNNING,NATIVE_FREEZE:STOPPED",
                r.value("escalate.steps"), r::toString);
        assertEquals("NATIVE_FREEZE", r.value("escalate.stoppedBy"), r::toString);
        assertEquals("2", r.value("escalate.hazardsHeld"), r::toString);

        // after
        assertEquals("true", r.value("tainted"), r::toString);
        assertTrue(r.value("taintReason").startsWith("NATIVE_FREEZE reached thread 'victim'"), r::toString);
        assertEquals("1", r.value("tombstones"), r::toString);
        assertEquals("lock-waiter,monitor-waiter", r.value("damage.blocked"), r::toString);
        assertEquals("lock java.util.concurrent.locks.ReentrantLock$NonfairSync,monitor java.lang.Object",
                r.value("damage.locks"), r::toString);
        assertEquals("victim:NATIVE_FREEZE", r.value("damage.owner"), r::toString);
        assertTrue(Long.parseLong(r.value("damage.minBlockedMs")) >= 0, r::toString);

        // JFR: one Kill event per step, Inspection events, in the recording dumped at exit
        assertTrue(Files.isRegularFile(jfr), () -> "no recording at " + jfr + "\n" + r);
        List<RecordedEvent> kills = new ArrayList<>();
        List<RecordedEvent> inspections = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String name = e.getEventType().getName();
            if (name.equals("org.threadkill.Kill")) kills.add(e);
            if (name.equals("org.threadkill.Inspection")) inspections.add(e);
        }
        assertEquals("INTERRUPT:STILL_RUNNING,ASYNC_EXCEPTION:STILL_RUNNING,NATIVE_FREEZE:STOPPED",
                kills.stream().map(e -> e.getString("mode") + ":" + e.getString("outcome"))
                        .collect(Collectors.joining(",")), kills::toString);
        RecordedEvent freeze = kills.get(2);
        assertEquals("victim", freeze.getString("victimName"));
        assertEquals("victim", freeze.getThread("victim").getJavaName());
        assertTrue(freeze.getLong("tid") > 0, freeze::toString);
        assertTrue(freeze.getBoolean("tainted"), freeze::toString);
        assertEquals(2, freeze.getInt("heldCount"), freeze::toString);
        assertTrue(freeze.getString("held").contains("ReentrantLock$NonfairSync"), freeze::toString);
        assertTrue(freeze.getString("held").contains("monitor java.lang.Object@"), freeze::toString);
        assertEquals(2, freeze.getInt("waitersBefore"), freeze::toString);
        assertTrue(freeze.getDuration("latency").toNanos() > 0, freeze::toString);
        assertFalse(kills.get(0).getBoolean("tainted"));
        assertTrue(inspections.size() >= 4, () -> "escalate's own + one per step: " + inspections.size());
        RecordedEvent first = inspections.get(0);
        assertEquals("IN_NATIVE", first.getString("jvmState"), first::toString);
        assertEquals(2, first.getInt("waiterCount"), first::toString);
        assertTrue(first.getString("verdicts").contains("NATIVE_EXIT=MAY_STOP/JVM_DOOMED"), first::toString);

        // and `jfr print` shows them
        String printed = jfrPrint(jfr, "org.threadkill.Kill");
        assertTrue(printed.contains("org.threadkill.Kill") && printed.contains("\"NATIVE_FREEZE\""), printed);
    }

    @Test
    void withoutOptInTheLadderEndsAtTheLastSafeStepAndSaysSo() throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(STALL).withoutNativeOptIn()
                .run(EscalationProbe.class, TIMEOUT, "HOLDER_NATIVE");
        assertEquals(Integer.valueOf(0), r.exitCode(), r::toString);
        assertEquals("INTERRUPT:STILL_RUNNING,ASYNC_EXCEPTION:STILL_RUNNING", r.value("escalate.steps"), r::toString);
        assertEquals("null", r.value("escalate.stoppedBy"), r::toString);
        assertEquals("[NATIVE_FREEZE]", r.value("escalate.skipped"), r::toString);
        assertTrue(r.value("escalate.result").contains("ended at its last safe step"), r::toString);
        assertEquals("MAY_STOP/REFUSED", r.value("verdict.NATIVE_FREEZE"), r::toString);
        assertEquals("false", r.value("tainted"), r::toString);
        assertEquals("0", r.value("tombstones"), r::toString);
    }

    @Test
    void damageReportsADeadlockCycleThroughAFrozenThread() throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(STALL).run(DeadlockProbe.class, TIMEOUT);
        assertEquals(Integer.valueOf(0), r.exitCode(), r::toString);
        assertFalse(r.crashed(), r::toString);
        assertEquals("NATIVE_FREEZE:STOPPED", r.value("escalate.steps"), r::toString);
        assertEquals("BLOCKED", r.value("kill.state"), r::toString);
        assertEquals("partner:BLOCKED", r.value("damage.blocked"), r::toString);
        assertEquals("partner+victim killed victim", r.value("damage.deadlocks"), r::toString);
    }

    @Test
    void escalateReturnsAfterNativeExitOfAThreadInJavaCode() throws Exception {
        // The JVM hangs right after (no safepoint completes again): the stall limit ends the child.
        // escalate prints nothing for 0.5 s (the INTERRUPT step) plus the kill: 8 s of silence is a hang.
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(Duration.ofSeconds(8))
                .run(ExitProbe.class, TIMEOUT);
        assertTrue(r.printed("main.returning=true"), r::toString);
        assertEquals("INTERRUPT:STILL_RUNNING,NATIVE_EXIT:STOPPED", r.value("escalate.steps"), r::toString);
        assertEquals("true", r.value("tainted"), r::toString);
        assertEquals("NATIVE_EXIT:victim", r.value("tombstone"), r::toString);
    }

    private static String jfrPrint(Path recording, String event) throws IOException, InterruptedException {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "jfr");
        Path out = recording.resolveSibling("jfr-print.txt");
        Process p = new ProcessBuilder(tool.toString(), "print", "--events", event, recording.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jfr print did not finish");
        } finally {
            p.destroyForcibly();
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
