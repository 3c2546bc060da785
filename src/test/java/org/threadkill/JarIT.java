package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.probes.AvailabilityProbe;
import org.threadkill.testing.ChildJvm;
import org.threadkill.testing.Platform;

/**
 * The packaged jar, as users get it: it carries its native libraries and loads them by itself, on
 * the class path and on the module path, and its module exports the API packages only (the facade and the run layer).
 */
class JarIT {
    private static final Path JAR = Path.of(System.getProperty("threadkill.jar"));

    /** The runtime dependencies (native-lib-loader, slf4j) and the test classes, without target/classes. */
    private static String dependencies() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("classes") || e.endsWith("test-classes"))
                .filter(e -> !e.endsWith(".jar") || !e.contains("threadkill-"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    @Test
    void carriesItsNativeLibraries() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertTrue(jar.getEntry(Platform.nativeResource("threadkill")) != null, "this platform's library in " + JAR);
            if (new File("/usr/bin/aarch64-linux-gnu-gcc").exists()) {
                String arm = "natives/" + Platform.directory("Linux", "aarch64") + "/libthreadkill.so";
                assertTrue(jar.getEntry(arm) != null, "Linux aarch64 library in " + JAR);
            }
            if (new File("/usr/bin/x86_64-w64-mingw32-gcc").exists()) {
                assertTrue(jar.getEntry(Platform.windowsResource("threadkill")) != null, "Windows library in " + JAR);
            }
        }
    }

    @Test
    void exportsTheApiPackageOnly() {
        ModuleDescriptor d = ModuleFinder.of(JAR).find("org.threadkill").orElseThrow().descriptor();
        assertEquals(Set.of("org.threadkill", "org.threadkill.run"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.packages().contains("org.threadkill.internal"));
    }

    @Test
    void loadsFromTheJarOnTheClassPath(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).classPath(JAR + File.pathSeparator + dependencies())
                .run(AvailabilityProbe.class, Duration.ofSeconds(60));
        assertEquals("true", r.value("available"), r.toString());
        assertEquals("STOPPED", r.value("freeze"), r.toString());
        assertTrue(Files.isRegularFile(JAR));
    }

    /**
     * Two URLClassLoaders over the jar (two webapps, two plugins), each with its own copy of the
     * library out of it: one handler, one taint ({@link ClassLoadersTest} has the variants).
     */
    @Test
    void twoClassLoadersOverTheJarShareOneThreadkill(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Platform.directory().startsWith("linux_"),
                "the copies of the library find one another on Linux only");
        ChildJvm.Result r = new ChildJvm(dir).classPath(dependencies())
                .run(org.threadkill.probes.TwoLoadersProbe.class, Duration.ofSeconds(120), JAR.toString(), JAR.toString(),
                        "open", "AB");
        ClassLoadersTest.assertShared(r, "the oldest copy", "joined the oldest copy");
    }

    @Test
    void loadsFromTheJarOnTheModulePath(@TempDir Path dir) throws Exception {
        String modulePath = Arrays.stream(dependencies().split(File.pathSeparator))
                .filter(e -> e.contains("native-lib-loader") || e.contains("slf4j-api"))
                .collect(Collectors.joining(File.pathSeparator, JAR + File.pathSeparator, ""));
        String classPath = Arrays.stream(dependencies().split(File.pathSeparator))
                .filter(e -> e.endsWith("test-classes") || e.contains("slf4j-nop"))
                .collect(Collectors.joining(File.pathSeparator));
        ChildJvm.Result r = new ChildJvm(dir).classPath(classPath)
                .jvmArgs("--module-path", modulePath, "--add-modules", "org.threadkill",
                        "--enable-native-access=org.threadkill")
                .run(AvailabilityProbe.class, Duration.ofSeconds(60));
        assertEquals("org.threadkill", r.value("module"), r.toString());
        assertEquals("true", r.value("available"), r.toString());
        assertEquals("STOPPED", r.value("freeze"), r.toString());
        assertTrue(!r.stderr().contains("WARNING: A restricted method"), r.toString());
    }
}
