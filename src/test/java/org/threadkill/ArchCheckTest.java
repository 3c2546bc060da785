package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.threadkill.testing.TestPaths;

/**
 * The signal handler's register reads (src/main/c/arch_&lt;cpu&gt;.c), checked on their own by
 * src/test/c/arch_check.c: a thread caught spinning, in futex waits with and without a timeout, in
 * read(), in pthread_cond_timedwait; each time the handler must say whether it interrupted a system
 * call and what it knows of the call's first argument. The build makes arch_check for this machine
 * and, with gcc-aarch64-linux-gnu, for aarch64, which runs here under qemu-user (emulated).
 */
class ArchCheckTest {

    @Test
    void thisMachinesArchFile() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the signal handler is Linux only");
        Path check = TestPaths.testNatives().resolve("arch_check");
        assertTrue(Files.isExecutable(check), "built by CMake: " + check);
        run(List.of(check.toString()), System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86_64");
    }

    @Test
    void aarch64ArchFileUnderQemu() throws Exception {
        Path check = TestPaths.testClasses().resolve("natives").resolve("linux_arm64").resolve("arch_check");
        assumeTrue(!System.getProperty("os.arch").equals("aarch64"), "aarch64 hosts run it natively");
        assumeTrue(Files.isExecutable(check), "no aarch64 cross compiler at build time: " + check);
        String qemu = onPath("qemu-aarch64-static");
        assumeTrue(qemu != null, "qemu-aarch64-static is not installed");
        // The cross toolchain's own arm64 libc (libc6-arm64-cross).
        run(List.of(qemu, "-L", "/usr/aarch64-linux-gnu", check.toString()), "aarch64");
    }

    private static void run(List<String> cmd, String arch) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "arch_check did not finish: " + cmd);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.startsWith("arch " + arch + "\n"), out);
        assertTrue(out.contains("arch_check passed"), out);
        assertEquals(0, p.exitValue(), out);
    }

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }
}
