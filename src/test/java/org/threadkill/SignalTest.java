package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.ChildJvm;
import org.threadkill.probes.SignalProbe;

/** The kill signal: configurable, never stolen from another handler; and the warning every native kill logs. */
class SignalTest {

    @Test
    void refusesASignalThatAnotherHandlerOwns(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).run(SignalProbe.class, Duration.ofSeconds(60), "foreign");
        assertEquals("0", r.value("foreign.installed"), r.toString());
        String error = r.value("error");
        assertTrue(error != null && error.startsWith("IllegalStateException"), r.toString());
        assertTrue(error.contains("SIGRTMIN+4") && error.contains("did not install"), error);
        assertTrue(error.contains("-Dthreadkill.signal="), error);
    }

    @Test
    void anotherSignalCanBeChosen(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).jvmArgs("-Dthreadkill.signal=6")
                .run(SignalProbe.class, Duration.ofSeconds(60), "foreign");
        assertEquals("STOPPED", r.value("outcome"), r.toString());
    }

    @Test
    void everyNativeKillLogsAWarningWithWhatTheThreadHeld(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).run(SignalProbe.class, Duration.ofSeconds(60), "held");
        assertEquals("STOPPED", r.value("outcome"), r.toString());
        String lock = r.value("lock");
        assertTrue(r.value("held").contains("monitor " + lock), r.toString());
        String warning = r.stderr().lines().filter(l -> l.startsWith("WARNING: threadkill:")).findFirst().orElse("");
        assertTrue(warning.contains("NATIVE_FREEZE 'holder'"), r.stderr());
        assertTrue(warning.contains("tid " + r.value("tid")), r.stderr());
        assertTrue(warning.contains("monitor " + lock), r.stderr());
        assertTrue(warning.contains("docs/WARNINGS.md"), r.stderr());
    }
}
