package org.threadkill.consequences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        for (Scenario s : Scenarios.all()) assertTrue(out.contains("\n  " + s.id() + "\n"), s.id() + " in:\n" + out);
        assertFitsEightyColumns(out);
    }

    /** A mistyped name gets the list and status 2, not a stack trace. */
    @Test
    void unknownScenarioOrModeGetsTheList(@TempDir Path dir) throws Exception {
        for (String[] args : new String[][] {{"monitr", "INTERRUPT"}, {"monitor", "INTERUPT"}, {"sigkill", "NATIVE_EXIT"}}) {
            Run r = start(dir, args);
            assertEquals(2, r.exit(), r.out());
            assertTrue(r.out().contains("\n  monitor\n"), r.out());
            assertFalse(r.out().contains("Exception"), r.out());
            assertFalse(r.out().contains("\tat "), r.out());
        }
    }

    /**
     * 20 back-to-back runs of one cell, alternating JDK 17 and 25 when both are here: each narrates
     * its own child (a pid no other run had, the JDK asked for), whose own files say that pid.
     */
    @Test
    void backToBackRunsEachNarrateTheirOwnChild(@TempDir Path dir) throws Exception {
        Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        Set<String> pids = new HashSet<>();
        Pattern pid = Pattern.compile("child JVM pid (\\d+), JDK (\\d+)[.+]");
        for (int i = 0; i < 20; i++) {
            boolean other = i % 2 == 1 && Files.isDirectory(jdk25);
            Run r = other ? start(dir, "monitor", "INTERRUPT", "--java", jdk25.toString())
                    : start(dir, "monitor", "INTERRUPT");
            assertEquals(0, r.exit(), r.out());
            Matcher m = pid.matcher(r.out());
            assertTrue(m.find(), "run " + i + ":\n" + r.out());
            assertTrue(pids.add(m.group(1)), "run " + i + " narrates pid " + m.group(1) + " again:\n" + r.out());
            String jdk = other ? "25" : String.valueOf(Runtime.version().feature());
            assertEquals(jdk, m.group(2), "run " + i + ":\n" + r.out());
            assertTrue(r.out().contains(", JDK " + jdk + "\n"), "header names JDK " + jdk + ":\n" + r.out());
            assertTrue(r.out().contains("verdict: CLEAN"), r.out());
            assertTrue(r.out().contains("as the suite has seen before"), r.out());
            assertFalse(r.out().contains("does not exit"), r.out());
            Matcher files = Pattern.compile("its files:\\n   (\\S+)").matcher(r.out());
            assertTrue(files.find(), r.out());
            Path stdout = dir.resolve(files.group(1)).resolve("stdout.txt");
            assertTrue(Files.readString(stdout).contains(" pid " + m.group(1) + "\n"), stdout + " is run " + i + "'s own");
            assertFitsEightyColumns(r.out());
        }
    }

    /** The deadline column narrated: the caller's exception and when it came, then the same probes. */
    @Test
    void narratesADeadlineCell(@TempDir Path dir) throws Exception {
        Run r = start(dir, "java-spin", "deadline");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("java-spin x deadline (DEADLINE)"), r.out());
        assertTrue(r.out().contains("DeadlineExceededException after"), r.out());
        assertTrue(r.out().contains("the ladder: INTERRUPT STILL_RUNNING"), r.out());
        assertTrue(r.out().contains("probe newthread"), r.out());
        assertTrue(r.out().contains("verdict: CLEAN"), r.out());
        assertFitsEightyColumns(r.out());
    }

    /** The speaker's tour without pauses: every step narrated, safe way first, the process baseline last. */
    @Test
    void tourWalksEveryStep(@TempDir Path dir) throws Exception {
        String out = run(dir, "tour", "--no-wait");
        List<String> steps = out.lines().filter(l -> l.startsWith("step ")).toList();
        assertEquals(9, steps.size(), out);
        assertTrue(steps.get(0).contains("The safe way"), out);
        assertTrue(steps.get(8).contains("baseline"), out);
        assertEquals(9, out.lines().filter(l -> l.startsWith(">> ")).count(), "a punch line per step:\n" + out);
        assertTrue(out.contains("kill the process (PROCESS)"), out);
        assertFalse(out.contains("\u001b["), "no colour when stdout is not a terminal");
        assertFitsEightyColumns(out);
        Run bad = start(dir, "tour", "--pause");
        assertEquals(2, bad.exit(), bad.out());
        assertFalse(bad.out().contains("Exception"), bad.out());
    }

    /** SIGINT (Ctrl-C) during a cell whose child hangs: the demo exits and leaves no child behind. */
    @Test
    void ctrlCReapsTheChildren(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.txt");
        Process p = new ProcessBuilder(command("java-spin", "NATIVE_EXIT")).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        List<ProcessHandle> children = new ArrayList<>();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("KILL ") && System.nanoTime() < until) Thread.sleep(100);
            assertTrue(Files.readString(log).contains("KILL "), Files.readString(log));
            p.descendants().forEach(children::add);
            assertFalse(children.isEmpty(), "a child JVM runs the cell");
            new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the demo ends on SIGINT");
            for (ProcessHandle c : children) {
                c.onExit().get(10, TimeUnit.SECONDS);
                assertFalse(c.isAlive(), "child " + c.pid() + " still alive");
            }
        } finally {
            p.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static void assertFitsEightyColumns(String out) {
        for (String l : out.split("\n")) assertTrue(l.length() <= 80, l.length() + " columns: " + l);
    }

    /** One cell end to end from the jar: its child JVM (and the victims' natives) come from the jar too. */
    @Test
    void runsACellWhoseChildComesFromTheJar(@TempDir Path dir) throws Exception {
        String out = run(dir, "native-spin", "NATIVE_FREEZE");
        assertTrue(out.contains("verdict: LEAK"), out);
        assertTrue(out.contains("as the suite has seen before"), out);
    }

    record Run(int exit, String out) {}

    private static String run(Path dir, String... args) throws Exception {
        Run r = start(dir, args);
        assertEquals(0, r.exit(), r.out());
        return r.out();
    }

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String extra = System.getProperty("threadkill.test.jvmFlags", "").trim();
        if (!extra.isEmpty()) cmd.addAll(List.of(extra.split("\\s+")));
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Run start(Path dir, String... args) throws Exception {
        List<String> cmd = command(args);
        Path log = dir.resolve("out.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "demo jar still running after 120 s");
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
