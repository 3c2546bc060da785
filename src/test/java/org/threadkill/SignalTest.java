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

    /**
     * The strong delivery (thread pidfd + payload) wherever the kernel has thread pidfds (6.9+),
     * natively; the pidfd without payload only under qemu-user, which refuses a pidfd signal with a
     * siginfo (scripts/test-arm64 says it emulates with -Dthreadkill.test.emulator=qemu-user).
     */
    @Test
    void theInstallProbeChoosesTheStrongestDeliveryThatWorks(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).run(SignalProbe.class, Duration.ofSeconds(60), "delivery");
        String emulator = System.getProperty("threadkill.test.emulator", "");
        String expected = emulator.equals("qemu-user") ? "pidfd"
                : kernelAtLeast(6, 9) ? "pidfd+payload" : "rt_tgsigqueueinfo";
        assertEquals(expected, r.value("delivery"), r.toString());
        assertEquals("true", r.value("acknowledged"), r.toString());
        assertEquals(Boolean.toString(!expected.equals("rt_tgsigqueueinfo")), r.value("pidfd"), r.toString());
        assertEquals("0", r.value("stray"), r.toString());
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] v = System.getProperty("os.version").split("[.-]");
        int ma = Integer.parseInt(v[0]);
        int mi = v.length > 1 ? Integer.parseInt(v[1]) : 0;
        return ma > major || (ma == major && mi >= minor);
    }

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
