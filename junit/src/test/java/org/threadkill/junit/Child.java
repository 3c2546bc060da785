package org.threadkill.junit;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A main class in a child JVM with a hard timeout, reaped in all cases; its output as key=value lines. */
final class Child {
    private Child() {}

    record Result(Integer exitCode, List<String> stdout, String stderr, long elapsedMs) {
        String value(String key) {
            String v = null;
            for (String l : stdout) if (l.startsWith(key + "=")) v = l.substring(key.length() + 1);
            return v;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " after " + elapsedMs + " ms\n--- stdout\n" + String.join("\n", stdout)
                    + "\n--- stderr\n" + (stderr.length() > 6000 ? "..." + stderr.substring(stderr.length() - 6000) : stderr);
        }
    }

    static Result run(Path dir, Class<?> main, Duration timeout, boolean optIn, String... args) throws Exception {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (optIn) cmd.add("-Dthreadkill.allowNativeKill=true");
        cmd.add("-XX:-CreateCoredumpOnCrash");
        cmd.add("-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"));
        cmd.add("-Xmx256m");
        cmd.add("-Djava.io.tmpdir=" + dir);
        cmd.add("-cp");
        StringBuilder cp = new StringBuilder();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isEmpty()) continue;
            if (cp.length() > 0) cp.append(File.pathSeparatorChar);
            cp.append(Path.of(e).toAbsolutePath());
        }
        cmd.add(cp.toString());
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        File out = dir.resolve("stdout.txt").toFile();
        File err = dir.resolve("stderr.txt").toFile();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out).redirectError(err).start();
        Integer code = null;
        try {
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) code = p.exitValue();
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        return new Result(code, Files.readAllLines(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
}
