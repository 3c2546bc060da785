package org.threadkill.consequences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.Platform;

/** The runnable jar, as a speaker gets it: self-contained, and its child JVMs run from it. */
class DemoJarIT {
    private static final Path JAR = Path.of(System.getProperty("threadkill.demo.jar"));

    @Test
    void carriesTheLibraryTheKitAndBothNativeLibraries() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (String e : new String[] {Platform.nativeResource("threadkill"), Platform.nativeResource("threadkill_victims"),
                    "org/threadkill/ThreadKill.class", "org/threadkill/testing/ChildJvm.class",
                    "org/threadkill/consequences/scenarios/Monitor.class", "org/threadkill/demo/Main.class"}) {
                assertTrue(jar.getEntry(e) != null, e + " in " + JAR);
            }
            Manifest m = jar.getManifest();
            assertEquals("org.threadkill.demo.Main", m.getMainAttributes().getValue("Main-Class"));
            assertEquals("ALL-UNNAMED", m.getMainAttributes().getValue("Enable-Native-Access"));
        }
    }

    @Test
    void listsEveryScenario(@TempDir Path dir) throws Exception {
        String out = run(dir, "list");
        for (Scenario s : Scenarios.all()) assertTrue(out.contains("  " + s.id() + " "), s.id() + " in:\n" + out);
    }

    /** One cell end to end from the jar: its child JVM (and the victims' natives) come from the jar too. */
    @Test
    void runsACellWhoseChildComesFromTheJar(@TempDir Path dir) throws Exception {
        String out = run(dir, "native-spin", "NATIVE_FREEZE");
        assertTrue(out.contains("verdict: LEAK"), out);
        assertTrue(out.contains("as the suite has seen before"), out);
    }

    private static String run(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String extra = System.getProperty("threadkill.test.jvmFlags", "").trim();
        if (!extra.isEmpty()) cmd.addAll(List.of(extra.split("\\s+")));
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("out.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "demo jar still running after 120 s");
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
