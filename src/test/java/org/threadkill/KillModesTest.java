package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.threadkill.testing.ChildJvm;
import org.threadkill.probes.KillProbe;
import org.threadkill.testing.VictimKind;

/**
 * Every mode on every kind of victim, each in its own child JVM: the kill's own report, whether the
 * victim still makes progress, and what became of the JVM afterwards (GC, stack trace, a new thread,
 * a second GC, interrupt, normal exit). Everything asserted here was observed on JDK 17 and 25.
 */
class KillModesTest {

    /** scripts/test-arm64: an arm64 JVM under qemu-user, which runs everything many times slower. */
    private static final boolean EMULATED = !System.getProperty("threadkill.test.emulator", "").isEmpty();

    /** What became of the child JVM after the kill. */
    enum Aftermath {
        /** Every probe finished and main returned: exit status 0, no hs_err. */
        HEALTHY,
        /** The first System.gc() never returned (under emulation: an earlier periodic safepoint): the safepoint waits for a thread that no longer exists. */
        HANGS_AT_FIRST_GC,
        /** The JVM died with an hs_err file once a new thread had reused the dead thread's stack. */
        CRASHES
    }

    static Stream<Arguments> cells() {
        return Stream.of(
                cell(KillMode.INTERRUPT, VictimKind.JAVA_SPIN, KillOutcome.STILL_RUNNING, Aftermath.HEALTHY),
                cell(KillMode.INTERRUPT, VictimKind.SLEEP, KillOutcome.STOPPED, Aftermath.HEALTHY),
                cell(KillMode.INTERRUPT, VictimKind.NATIVE_SPIN, KillOutcome.STILL_RUNNING, Aftermath.HEALTHY),
                cell(KillMode.INTERRUPT, VictimKind.NATIVE_READ, KillOutcome.STILL_RUNNING, Aftermath.HEALTHY),
                cell(KillMode.ASYNC_EXCEPTION, VictimKind.JAVA_SPIN, KillOutcome.STOPPED, Aftermath.HEALTHY),
                cell(KillMode.ASYNC_EXCEPTION, VictimKind.SLEEP, KillOutcome.STOPPED, Aftermath.HEALTHY),
                cell(KillMode.ASYNC_EXCEPTION, VictimKind.NATIVE_SPIN, KillOutcome.STILL_RUNNING, Aftermath.HEALTHY),
                cell(KillMode.ASYNC_EXCEPTION, VictimKind.NATIVE_READ, KillOutcome.STILL_RUNNING, Aftermath.HEALTHY),
                cell(KillMode.NATIVE_FREEZE, VictimKind.JAVA_SPIN, KillOutcome.STOPPED, Aftermath.HEALTHY),
                cell(KillMode.NATIVE_FREEZE, VictimKind.SLEEP, KillOutcome.STOPPED, Aftermath.HEALTHY),
                cell(KillMode.NATIVE_FREEZE, VictimKind.NATIVE_SPIN, KillOutcome.STOPPED, Aftermath.HEALTHY),
                cell(KillMode.NATIVE_FREEZE, VictimKind.NATIVE_READ, KillOutcome.STOPPED, Aftermath.HEALTHY),
                cell(KillMode.NATIVE_EXIT, VictimKind.JAVA_SPIN, KillOutcome.STOPPED, Aftermath.HANGS_AT_FIRST_GC),
                cell(KillMode.NATIVE_EXIT, VictimKind.SLEEP, KillOutcome.STOPPED, Aftermath.CRASHES),
                cell(KillMode.NATIVE_EXIT, VictimKind.NATIVE_SPIN, KillOutcome.STOPPED, Aftermath.CRASHES),
                cell(KillMode.NATIVE_EXIT, VictimKind.NATIVE_READ, KillOutcome.STOPPED, Aftermath.CRASHES),
                // No cancellation point in a spin loop: the request waits forever, harmlessly.
                cell(KillMode.NATIVE_CANCEL, VictimKind.JAVA_SPIN, KillOutcome.STILL_RUNNING, Aftermath.HEALTHY),
                cell(KillMode.NATIVE_CANCEL, VictimKind.SLEEP, KillOutcome.STOPPED, Aftermath.CRASHES),
                cell(KillMode.NATIVE_CANCEL, VictimKind.NATIVE_SPIN, KillOutcome.STILL_RUNNING, Aftermath.HEALTHY),
                cell(KillMode.NATIVE_CANCEL, VictimKind.NATIVE_READ, KillOutcome.STOPPED, Aftermath.CRASHES));
    }

    private static Arguments cell(KillMode mode, VictimKind victim, KillOutcome outcome, Aftermath after) {
        return Arguments.of(mode, victim, outcome, after);
    }

    @ParameterizedTest(name = "{0} on {1}: {2}, JVM {3}")
    @MethodSource("cells")
    void modeOnVictim(KillMode mode, VictimKind victim, KillOutcome expected, Aftermath after, @TempDir Path dir)
            throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(Duration.ofSeconds(4))
                .run(KillProbe.class, Duration.ofSeconds(40), victim.name(), mode.name());
        String why = r.toString();

        assertEquals(expected.name(), r.value("kill.outcome"), why);
        if (victim == VictimKind.JAVA_SPIN || victim == VictimKind.NATIVE_SPIN) {
            assertEquals(Boolean.toString(expected != KillOutcome.STOPPED), r.value("victim.progressing"), why);
        }
        if (mode.isNative() && expected == KillOutcome.STOPPED) {
            // The OS thread is parked or gone, yet the JVM still counts it among the living.
            assertEquals("true", r.value("victim.alive"), why);
        }
        switch (after) {
            case HEALTHY:
                assertEquals(Integer.valueOf(0), r.exitCode(), why);
                assertTrue(r.printed("main.returning=true"), why);
                assertTrue(r.hsErrFiles().isEmpty(), why);
                assertTrue(r.value("probe.gc2").startsWith("ok"), why);
                break;
            case HANGS_AT_FIRST_GC:
                assertTrue(r.stalled(), why);
                assertNull(r.exitCode(), why);
                if (EMULATED) {
                    // Under qemu-user the JVM is slow enough to need a periodic "Cleanup" safepoint
                    // about every second (seen with -Xlog:safepoint), so the hang begins at that
                    // one, after the kill and before the first GC has returned.
                    assertTrue(r.printed("kill.outcome=STOPPED"), why);
                    assertTrue(r.stdout().stream().noneMatch(l -> l.startsWith("probe.gc=ok")), why);
                } else {
                    assertEquals("probe.gc=start", r.lastLine(), why);
                }
                assertTrue(r.hsErrFiles().isEmpty(), why);
                break;
            case CRASHES:
                assertFalse(r.hsErrFiles().isEmpty(), "expected an hs_err file: " + why);
                assertFalse(r.printed("main.returning=true"), why);
                assertTrue(r.exitCode() != null && r.exitCode() != 0, why);
                break;
        }
    }

    /** Once NATIVE_EXIT has ended the OS thread, a second kill finds nothing to signal and says so. */
    @ParameterizedTest(name = "NATIVE_EXIT then {0}")
    @org.junit.jupiter.params.provider.EnumSource(value = KillMode.class, names = {"NATIVE_FREEZE", "NATIVE_EXIT", "NATIVE_CANCEL"})
    void secondKillAfterTheOsThreadIsGone(KillMode second, @TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(Duration.ofSeconds(4))
                .run(KillProbe.class, Duration.ofSeconds(40), VictimKind.NATIVE_SPIN.name(), "NATIVE_EXIT", second.name());
        assertEquals("STOPPED", r.value("kill.outcome"), r.toString());
        assertEquals("ALREADY_TERMINATED", r.value("kill2.outcome"), r.toString());
    }
}
