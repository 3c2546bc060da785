package org.threadkill.bench.section;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.threadkill.bench.Children;
import org.threadkill.bench.Results;
import org.threadkill.bench.Run;
import org.threadkill.bench.SafePointChild;
import org.threadkill.bench.Section;

/**
 * The freeze's do-no-harm goals (issue 9) and ASYNC_EXCEPTION's landing (issue 10), each in child JVMs
 * of {@link SafePointChild}: (a) the whole {@code kill()} call and the longest non-GC safepoint during
 * the kills, along a heap-size axis and a thread-count axis; (b) how often ASYNC_EXCEPTION stops a
 * thread in pure Java code within 100 ms; (c) how often a freeze finds a safe point, within 1 s, for a
 * thread that spends most of its time in libc.
 */
public final class SafePoints implements Section {
    /** One point of the heap / thread axes: label, MiB of live objects, idle threads, -Xmx. */
    record Point(String label, int mib, int threads, String xmx) {}

    static List<Point> points(boolean quick) {
        if (quick) {
            return List.of(new Point("h64_t100", 64, 100, "-Xmx512m"), new Point("h256_t100", 256, 100, "-Xmx1g"),
                    new Point("h64_t2000", 64, 2000, "-Xmx512m"));
        }
        return List.of(new Point("h64_t100", 64, 100, "-Xmx512m"), new Point("h1536_t100", 1536, 100, "-Xmx3g"),
                new Point("h4096_t100", 4096, 100, "-Xmx6g"), new Point("h64_t2000", 64, 2000, "-Xmx512m"),
                new Point("h1536_t2000", 1536, 2000, "-Xmx3g"));
    }

    static final List<String> ASYNC_VICTIMS = List.of("poll", "counted", "regex");

    @Override
    public String name() {
        return "safepoints";
    }

    @Override
    public void run(Run run) throws Exception {
        Results r = run.results;
        boolean quick = run.plan.quick;
        int kills = quick ? 5 : 50;   // --quick stays within its time: a refused freeze costs its whole 2 s wait
        List<Object> labels = new ArrayList<>();
        for (Point p : points(quick)) {
            Path log = Files.createTempFile("threadkill-safepoint-" + p.label(), ".log");
            Children.Child ch = run.children.run("safepoints-" + p.label(),
                    List.of(p.xmx(), "-Xlog:safepoint=info:file=" + log + ":uptimemillis"), SafePointChild.class,
                    Duration.ofMinutes(5), "heap", Integer.toString(p.mib()), Integer.toString(p.threads()),
                    Integer.toString(kills), p.label());
            Named.parse(r, ch.lines);
            if (!ch.finished) r.problems.add("safepoints " + p.label() + ": child did not finish: " + ch.why());
            Object window = r.facts.get("window_" + p.label());
            if (window != null) {
                String[] w = window.toString().trim().split(" ");
                Longest l = longestNonGc(Files.readAllLines(log), Long.parseLong(w[0]), Long.parseLong(w[1]));
                r.facts.put("longest_safepoint_ns_" + p.label(), l.ns);
                r.facts.put("longest_safepoint_op_" + p.label(), l.op);
                r.facts.put("safepoints_in_window_" + p.label(), l.count);
            }
            Files.deleteIfExists(log);
            labels.add(p.label());
        }
        r.facts.put("safepoint_points", labels);

        int tries = quick ? 50 : 1000;
        for (String v : ASYNC_VICTIMS) {
            for (boolean interpreted : new boolean[] {true, false}) {
                String label = v + (interpreted ? "_int" : "_jit");
                Children.Child ch = run.children.run("async-" + label, interpreted ? List.of("-Xint") : List.of(),
                        SafePointChild.class, Duration.ofMinutes(quick ? 2 : 10), "async", v, Integer.toString(tries), label);
                Named.parse(r, ch.lines);
                if (!ch.finished) r.problems.add("async " + label + ": child did not finish: " + ch.why());
            }
        }

        Children.Child libc = run.children.run("libc-freeze", List.of(), SafePointChild.class, Duration.ofMinutes(quick ? 2 : 5),
                "libc", Integer.toString(quick ? 20 : 100));
        Named.parse(r, libc.lines);
        if (!libc.finished) r.problems.add("libc freeze: child did not finish: " + libc.why());
        System.out.printf("  safepoints: libc frozen %s of %s; async poll_jit %s of %s%n", r.facts.get("libc_stopped"),
                r.facts.get("libc_tries"), r.facts.get("async_stopped_poll_jit"), r.facts.get("async_tries_poll_jit"));
    }

    /** The longest non-GC safepoint of a log, and its operation. */
    record Longest(long ns, String op, int count) {}

    // JDK 17: Safepoint "ThreadDump", Time since last: 1 ns, Reaching safepoint: 2 ns, At safepoint: 3 ns, Total: 5 ns
    // JDK 25 adds fields (Cleanup, Leaving safepoint) but keeps "Reaching safepoint", "At safepoint" and "Total".
    private static final Pattern LINE = Pattern.compile("^\\[(\\d+)ms\\].*Safepoint \"([^\"]+)\".*?Reaching safepoint: (\\d+) ns.*?At safepoint: (\\d+) ns(?:.*?Total: (\\d+) ns)?");

    static Longest longestNonGc(List<String> lines, long fromMs, long toMs) {
        long best = -1;
        String op = "none";
        int count = 0;
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) continue;
            long at = Long.parseLong(m.group(1));
            if (at < fromMs || at > toMs + 50) continue;
            String name = m.group(2);
            if (isGc(name)) continue;
            count++;
            long ns = m.group(5) != null ? Long.parseLong(m.group(5)) : Long.parseLong(m.group(3)) + Long.parseLong(m.group(4));
            if (ns > best) {
                best = ns;
                op = name;
            }
        }
        return new Longest(best, op, count);
    }

    static boolean isGc(String op) {
        return op.startsWith("G1") || op.startsWith("ParallelGC") || op.startsWith("Serial") || op.startsWith("GenCollect")
                || op.startsWith("CollectFor") || op.startsWith("Z") || op.startsWith("Shenandoah");
    }
}
