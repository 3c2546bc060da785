package org.threadkill.bench.section;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.threadkill.bench.Run;
import org.threadkill.testing.Jdk;

/** The machine a run measured on, at its start (and its load at the end). */
public final class Machine {
    private Machine() {}

    public static void record(Run run, String when) throws Exception {
        Map<String, Object> m = run.results.machine;
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        m.put("loadavg_" + when, load);
        if (!when.equals("start")) {
            m.put("finished", Instant.now().toString());
            return;
        }
        m.put("started", Instant.now().toString());
        String cpu = "?";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).trim();
                break;
            }
        }
        m.put("cpu", cpu);
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) m.put("memory", line.substring(9).trim());
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("glibc", command("getconf", "GNU_LIBC_VERSION"));
        m.put("jdk_kills", Jdk.describe(System.getProperty("java.home")));
        m.put("jdk_jmh", Jdk.describe(run.options.jmhJdk));
        m.put("note", run.options.note);
    }

    private static String command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return s;
        } catch (Exception e) {
            return "?";
        }
    }
}
