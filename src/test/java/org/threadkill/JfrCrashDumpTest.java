package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.ChildJvm;
import org.threadkill.testing.JfrCrashProbe;

/**
 * The JFR events of the kill that crashes the JVM are in the crash's emergency dump
 * (hs_err_pid&lt;pid&gt;.jfr): the KillAttempt committed before the signal, and the Kill event with
 * its duration, on JDK 17 and 25. Before the event types were registered at load, Kill was missing from 4
 * of 10 such dumps on JDK 17; on JDK 25 every threadkill event was missing until the types were
 * written into the running recording at registration (see docs/TROUBLESHOOTING.md).
 */
class JfrCrashDumpTest {

    @Test
    void theKillThatCrashesTheJvmIsInItsEmergencyDump(@TempDir Path dir) throws Exception {
        List<RecordedEvent> events = null;
        String why = "";
        // A crash during a GC can stall the JDK's error reporting until ErrorLogTimeout, which then
        // leaves the dump empty or cut short (seen in 2 of 51 crashes of one probe, 1 of 4 of this
        // one). That is the JDK's: such a run is repeated, up to 3 times; three stalls in a row skip the test (nothing observed).
        for (int attempt = 0; attempt < 3 && events == null; attempt++) {
            Path work = Files.createDirectories(dir.resolve("run" + attempt));
            ChildJvm.Result r = new ChildJvm(work)
                    .jvmArgs("-XX:StartFlightRecording", "-XX:ErrorLogTimeout=10")
                    .run(JfrCrashProbe.class, Duration.ofSeconds(120));
            why = why + "\n--- attempt " + attempt + ": " + r;
            assertTrue(r.crashed(), () -> "the probe is meant to crash the JVM:\n" + r);
            Path dump;
            try (Stream<Path> s = Files.list(work)) {
                dump = s.filter(p -> p.getFileName().toString().matches("hs_err_pid\\d+\\.jfr")).findFirst().orElse(null);
            }
            // hs_err_pid<n>.log (the text); the .jfr dump beside it matches the same name pattern
            Path logFile = r.hsErrFiles().stream().filter(p -> p.getFileName().toString().endsWith(".log"))
                    .findFirst().orElse(r.hsErrFiles().get(0));
            String log = new String(Files.readAllBytes(logFile), java.nio.charset.StandardCharsets.ISO_8859_1);
            boolean stalled = (r.stdout() + r.stderr() + log).contains("Timeout during error reporting");
            assertNotNull(dump, () -> "no emergency dump beside the hs_err file:\n" + r);
            why = why + "\ndump " + Files.size(dump) + " bytes" + (stalled ? ", error reporting timed out" : "");
            if (stalled || Files.size(dump) == 0) continue;
            events = new ArrayList<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(dump)) {
                if (e.getEventType().getName().startsWith("org.threadkill.")) events.add(e);
            }
        }
        // Three stalled reports in a row (seen on a loaded machine: the JDK's error reporting times
        // out before it writes the dump): nothing was observed either way, so nothing is claimed.
        assumeTrue(events != null, "three crash reports stalled before the JFR dump was written:" + why);
        String runs = why;
        RecordedEvent attempt = only(events, "org.threadkill.KillAttempt", runs);
        assertEquals("victim", attempt.getString("victimName"), attempt::toString);
        assertEquals("NATIVE_EXIT", attempt.getString("mode"), attempt::toString);
        assertTrue(attempt.getString("held").contains("monitor java.lang.Object@"), attempt::toString);
        assertEquals(1, attempt.getInt("heldCount"), attempt::toString);
        RecordedEvent kill = only(events, "org.threadkill.Kill", runs);
        assertEquals("STOPPED", kill.getString("outcome"), kill::toString);
        assertTrue(kill.getBoolean("tainted"), kill::toString);
        assertTrue(kill.getDuration().toNanos() > 0, kill::toString);
        assertFalse(kill.getStartTime().isBefore(attempt.getStartTime()), "the Kill event began with the attempt");
    }

    private static RecordedEvent only(List<RecordedEvent> events, String name, String runs) {
        List<RecordedEvent> found = events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
        assertEquals(1, found.size(), () -> name + " in the dump: " + found.size() + " of " + events + runs);
        return found.get(0);
    }
}
