package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.ChildJvm;
import org.threadkill.testing.Consumer;

/**
 * The packaged jar as a dependency, in an application that has no logging set up: a consumer JVM
 * with nothing but the jar, its runtime dependencies and its own class on its path prints nothing but its own lines, leaves
 * nothing in its temporary directory (not even when it halts without running shutdown hooks), takes
 * {@code -Dthreadkill.extractDir}, and when that directory is mounted noexec says so.
 */
class ConsumerIT {
    private static final Path JAR = Path.of(System.getProperty("threadkill.jar")).toAbsolutePath();
    private static final List<String> OWN_OUTPUT =
            List.of("available=true", "tid.known=true", "held=0", "interrupt=STOPPED", "done");

    /** The jar and its runtime dependencies, as Maven resolves them for a project that depends on it. */
    private static String artifactPath() throws IOException {
        String deps = Files.readString(Path.of(System.getProperty("threadkill.runtime.classpath"))).trim();
        return deps.isEmpty() ? JAR.toString() : JAR + File.pathSeparator + deps;
    }

    /** The consumer's own class, alone in a directory: no test kit, no dependency on the path. */
    private static Path consumerClasses(Path dir) throws IOException {
        String name = Consumer.class.getName().replace('.', '/') + ".class";
        Path from = Path.of(System.getProperty("threadkill.test.classes")).resolve(name);
        Path to = dir.resolve("consumer-classes").resolve(name);
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        return dir.resolve("consumer-classes");
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static ChildJvm.Result consume(Path dir, Path tmp, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-Djava.io.tmpdir=" + tmp));
        args.addAll(List.of(extra));
        return new ChildJvm(dir).withoutNativeOptIn()
                .classPath(artifactPath() + File.pathSeparator + consumerClasses(dir))
                .jvmArgs(args.toArray(new String[0]))
                .run(Consumer.class, Duration.ofSeconds(60));
    }

    @Test
    void printsNothingButItsOwnOutput(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        ChildJvm.Result r = consume(dir, tmp);
        assertEquals(Integer.valueOf(0), r.exitCode(), r::toString);
        assertEquals(OWN_OUTPUT, r.stdout(), r::toString);
        assertEquals("", r.stderr(), r::toString);
    }

    @Test
    void leavesNothingInTempDirectories(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        ChildJvm.Result normal = consume(dir, tmp);
        assertEquals(OWN_OUTPUT, normal.stdout(), normal::toString);
        assertEquals(List.of(), listing(tmp), "java.io.tmpdir after a normal exit");
        ChildJvm.Result halted = new ChildJvm(dir).withoutNativeOptIn()
                .classPath(artifactPath() + File.pathSeparator + dir.resolve("consumer-classes"))
                .jvmArgs("-Djava.io.tmpdir=" + tmp).run(Consumer.class, Duration.ofSeconds(60), "halt");
        assertEquals(OWN_OUTPUT, halted.stdout(), halted::toString);
        assertEquals(List.of(), listing(tmp), "java.io.tmpdir after Runtime.halt");
    }

    @Test
    void extractsIntoTheDirectoryTheyChoose(@TempDir Path dir) throws Exception {
        Path chosen = Files.createDirectories(dir.resolve("chosen"));
        Path missing = dir.resolve("no-such-tmp");   // java.io.tmpdir unusable: only the property can work
        ChildJvm.Result r = consume(dir, missing, "-Dthreadkill.extractDir=" + chosen);
        assertEquals(OWN_OUTPUT, r.stdout(), r::toString);
        // JDK 25 itself warns about the missing java.io.tmpdir; nothing else may appear
        assertEquals("", r.stderr().replace("WARNING: java.io.tmpdir directory does not exist\n", ""), r::toString);
        assertEquals(List.of(), listing(chosen), r::toString);

        ChildJvm.Result without = consume(dir, missing);
        assertEquals("available=false", without.stdout().get(0), without::toString);
        assertTrue(without.value("cause").contains(missing + " does not exist"), without::toString);
        assertTrue(without.value("cause").contains("-Dthreadkill.extractDir"), without::toString);
    }

    /**
     * A tmpfs mounted noexec, in a private mount namespace ({@code unshare}) so that the test needs
     * no root and leaves no mount behind; skipped where unprivileged namespaces are not allowed.
     */
    @Test
    void saysSoWhenTheDirectoryIsMountedNoexec(@TempDir Path dir) throws Exception {
        Path noexec = Files.createDirectories(dir.resolve("noexec"));
        Path classes = consumerClasses(dir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of("unshare", "--mount", "--map-root-user", "sh", "-c",
                "mount -t tmpfs -o noexec,size=8m tmpfs \"$0\" || exit 97; d=$0; \"$@\"; "
                        + "echo \"left=$(ls -A \"$d\" | tr '\\n' ' ')\"",
                noexec.toString(), java.toString(), "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + noexec,
                "-cp", artifactPath() + File.pathSeparator + classes, Consumer.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "consumer did not finish");
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        assumeTrue(p.exitValue() != 97 && !out.contains("unshare:"),
                () -> "cannot mount a noexec tmpfs here (unshare/mount refused): " + out);
        assertTrue(out.startsWith("available=false\n"), out);
        assertTrue(out.contains("mounted noexec"), out);
        assertTrue(out.contains("-Dthreadkill.extractDir="), out);
        assertFalse(out.contains("build libthreadkill"), out);   // the library is there; building it would not help
        assertTrue(out.contains("\nleft=\n"), "the copy is deleted after the failed load: " + out);
    }
}
