package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.probes.AvailabilityProbe;
import org.threadkill.testing.ChildJvm;
import org.threadkill.testing.Platform;

/**
 * A library that cannot load is a state the user can query: isAvailable() is false, the cause says
 * which OS/arch, which resource was looked for and the property that overrides it, every mode that
 * needs it fails with that cause, and INTERRUPT keeps working.
 */
class LoadFailureTest {

    @Test
    void loadsNormally(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).run(AvailabilityProbe.class, Duration.ofSeconds(60));
        assertEquals("true", r.value("available"), r.toString());
        assertEquals("null", r.value("cause"), r.toString());
    }

    @Test
    void unknownArchitecture(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).jvmArgs("-Dos.arch=sparcv9")
                .run(AvailabilityProbe.class, Duration.ofSeconds(60));
        String why = r.toString();
        assertEquals(Integer.valueOf(0), r.exitCode(), why);
        assertEquals("false", r.value("available"), why);
        String cause = r.value("cause");
        // the resource the loader looked for: this OS, the made-up architecture
        String resource = "natives/" + Platform.directory(System.getProperty("os.name"), "sparcv9") + "/"
                + System.mapLibraryName("threadkill");
        assertTrue(cause.contains(System.getProperty("os.name") + "/sparcv9"), cause);
        assertTrue(cause.contains(resource), cause);
        assertTrue(cause.contains("-Dthreadkill.library.path="), cause);
        assertTrue(r.value("NATIVE_FREEZE").startsWith("UnsupportedOperationException"), why);
        assertTrue(r.value("NATIVE_FREEZE").contains(resource), why);
        assertTrue(r.value("ASYNC_EXCEPTION").startsWith("UnsupportedOperationException"), why);
        assertEquals("STOPPED", r.value("INTERRUPT"), why);
    }

    @Test
    void overrideThatDoesNotExist(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-dir/libthreadkill.so");
        ChildJvm.Result r = new ChildJvm(dir).jvmArgs("-Dthreadkill.library.path=" + missing)
                .run(AvailabilityProbe.class, Duration.ofSeconds(60));
        String why = r.toString();
        assertEquals("false", r.value("available"), why);
        assertTrue(r.value("cause").contains(missing.toString()), why);
        assertTrue(r.value("cause").contains("-Dthreadkill.library.path"), why);
        assertEquals("STOPPED", r.value("INTERRUPT"), why);
    }

    @Test
    void overrideThatIsAnotherLibrary(@TempDir Path dir) throws Exception {
        // A valid shared library that is not ours (here the test victims library) must not
        // count as available: every call would fail with UnsatisfiedLinkError.
        Path other = org.threadkill.testing.TestPaths.testNatives().resolve(System.mapLibraryName("threadkill_victims"));
        ChildJvm.Result r = new ChildJvm(dir).jvmArgs("-Dthreadkill.library.path=" + other)
                .run(AvailabilityProbe.class, Duration.ofSeconds(60));
        String why = r.toString();
        assertEquals("false", r.value("available"), why);
        assertTrue(r.value("cause").contains("is not threadkill's"), why);
        assertTrue(r.value("cause").contains(other.toString()), why);
        assertTrue(r.value("NATIVE_FREEZE").startsWith("UnsupportedOperationException"), why);
        assertEquals("STOPPED", r.value("INTERRUPT"), why);
    }
}
