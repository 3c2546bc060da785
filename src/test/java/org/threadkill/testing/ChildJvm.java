package org.threadkill.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM with a hard timeout, and reports what really happened: exit
 * status (or that it had to be killed), its output, and any hs_err file it left. A child that
 * crashes or hangs fails one test, never the build.
 *
 * <p>Under emulation (scripts/test-arm64: an arm64 JVM under qemu-user) two system properties of
 * the test JVM apply: {@code threadkill.test.javaLauncher}, words put before the child's java
 * (e.g. {@code qemu-aarch64-static -L <root>}), and {@code threadkill.test.timeScale}, a factor for
 * every timeout, stall limit and startup grace here (emulated JVMs are several times slower), which
 * children inherit for the waits they give to kills ({@link #scaled}).
 */
public final class ChildJvm {
    private final List<String> jvmArgs = new ArrayList<>();
    private final Path workDir;
    private String javaHome = System.getProperty("java.home");
    private Duration stallLimit;
    private Duration startupGrace = Duration.ZERO;
    private boolean allowNativeKill = true;
    private String classPath = classPath();

    public ChildJvm(Path workDir) {
        this.workDir = workDir;
    }

    public ChildJvm jvmArgs(String... args) {
        jvmArgs.addAll(Arrays.asList(args));
        return this;
    }

    /**
     * Treat the child as hung once its standard output has not grown for {@code limit}: it is
     * killed then, and {@link Result#stalled()} says so. Children print a line per step, so
     * silence this long means that no Java thread makes progress.
     */
    public ChildJvm stallLimit(Duration limit) {
        this.stallLimit = scaled(limit);
        return this;
    }

    /**
     * The stall clock starts at the child's first output, or after {@code grace} if it prints nothing:
     * a JVM that starts slowly on a loaded machine is not a hung one.
     */
    public ChildJvm startupGrace(Duration grace) {
        this.startupGrace = scaled(grace);
        return this;
    }

    /** Starts the child without -Dthreadkill.allowNativeKill=true. */
    public ChildJvm withoutNativeOptIn() {
        this.allowNativeKill = false;
        return this;
    }

    public ChildJvm javaHome(String home) {
        this.javaHome = home;
        return this;
    }

    /** The child's class path; by default this JVM's, so that it sees the library and the test classes. */
    public ChildJvm classPath(String cp) {
        this.classPath = cp;
        return this;
    }

    /**
     * The class path of this JVM, made absolute (the child runs in its own work directory): the
     * child sees the library and the test classes.
     */
    public static String classPath() {
        StringBuilder sb = new StringBuilder();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isEmpty()) continue;
            if (sb.length() > 0) sb.append(File.pathSeparatorChar);
            sb.append(Path.of(e).toAbsolutePath());
        }
        return sb.toString();
    }

    /** {@code d} times threadkill.test.timeScale (1 unless an emulated run sets it). */
    public static Duration scaled(Duration d) {
        double scale = Double.parseDouble(System.getProperty("threadkill.test.timeScale", "1"));
        return scale == 1 ? d : Duration.ofNanos((long) (d.toNanos() * scale));
    }

    public Result run(Class<?> main, Duration timeout, String... args) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        timeout = scaled(timeout);
        List<String> cmd = new ArrayList<>();
        String launcher = System.getProperty("threadkill.test.javaLauncher", "").trim();
        if (!launcher.isEmpty()) cmd.addAll(Arrays.asList(launcher.split("\\s+")));
        cmd.add(Path.of(javaHome, "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (allowNativeKill) cmd.add("-Dthreadkill.allowNativeKill=true");
        cmd.add("-XX:-CreateCoredumpOnCrash");
        cmd.add("-XX:ErrorFile=" + workDir.resolve("hs_err_%p.log"));
        cmd.add("-Xmx256m");
        String extra = System.getProperty("threadkill.test.jvmFlags", "").trim();
        if (!extra.isEmpty()) cmd.addAll(Arrays.asList(extra.split("\\s+")));
        cmd.addAll(jvmArgs);
        cmd.add("-Dthreadkill.test.classes=" + TestPaths.testClasses());
        // Children of an emulated run are emulated too: they scale their own waits alike.
        for (String inherited : new String[] {"threadkill.test.timeScale", "threadkill.test.emulator"}) {
            String v = System.getProperty(inherited);
            if (v != null) cmd.add("-D" + inherited + "=" + v);
        }
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));

        File out = workDir.resolve("stdout.txt").toFile();
        File err = workDir.resolve("stderr.txt").toFile();
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(out).redirectError(err).start();
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        boolean timedOut = false;
        boolean stalled = false;
        long lastSize = -1;
        long lastGrowth = t0;
        try {
            while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                long size = out.length();
                if (size != lastSize) {
                    lastSize = size;
                    lastGrowth = now;
                }
                if (now > deadline) {
                    timedOut = true;
                    break;
                }
                boolean started = size > 0 || now - t0 > startupGrace.toNanos();
                if (!started) lastGrowth = now;
                if (stallLimit != null && started && now - lastGrowth > stallLimit.toNanos()) {
                    timedOut = true;
                    stalled = true;
                    break;
                }
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        long end = System.nanoTime();
        long elapsed = end - t0;
        List<String> stdout = Files.readAllLines(out.toPath(), StandardCharsets.UTF_8);
        String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
        List<Path> hsErr = new ArrayList<>();
        try (var files = Files.list(workDir)) {
            files.filter(f -> f.getFileName().toString().startsWith("hs_err_")).forEach(hsErr::add);
        }
        return new Result(p.pid(), timedOut ? null : p.exitValue(), stalled, stdout, stderr, hsErr,
                Duration.ofNanos(elapsed), end, String.join(" ", cmd));
    }

    /**
     * What a child did.
     *
     * @param exitCode null when it had to be killed (timeout or stall)
     * @param stalled  killed because its output stopped growing: no Java thread made progress
     * @param endNanoTime {@link System#nanoTime()} when the child was seen to end (or was killed)
     */
    public record Result(long pid, Integer exitCode, boolean stalled, List<String> stdout, String stderr, List<Path> hsErrFiles,
                         Duration elapsed, long endNanoTime, String command) {

        public boolean timedOut() {
            return exitCode == null;
        }

        public boolean crashed() {
            return !hsErrFiles.isEmpty();
        }

        /** The value of the last {@code key=value} line printed as {@code key}, or null. */
        public String value(String key) {
            String v = null;
            for (String line : stdout) {
                if (line.startsWith(key + "=")) v = line.substring(key.length() + 1);
            }
            return v;
        }

        public boolean printed(String line) {
            return stdout.contains(line);
        }

        /** The last line printed, or "" when none: where a hang or crash began. */
        public String lastLine() {
            return stdout.isEmpty() ? "" : stdout.get(stdout.size() - 1);
        }

        @Override
        public String toString() {
            return "child pid " + pid + (stalled ? " STALLED (killed)" : timedOut() ? " TIMED OUT (killed)" : " exit " + exitCode)
                    + " after " + elapsed.toMillis() + " ms" + (crashed() ? " hs_err " + hsErrFiles : "")
                    + "\n--- stdout\n" + String.join("\n", stdout) + "\n--- stderr\n" + tail(stderr) + "\n--- cmd\n" + command;
        }

        private static String tail(String s) {
            return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
        }
    }
}
