package org.threadkill.consequences;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.threadkill.testing.Jdk;

/**
 * Runs every cell (scenario x column) on one JVM, each in its own child JVM, and writes
 * {@code target/consequences/matrix.json}, {@code matrix.html} and the JDK's section of
 * {@code docs/consequences.md}. Main of {@code scripts/matrix}.
 *
 * <pre>
 * Matrix [--java JAVA_HOME] [--only scenario,...] [--columns NATIVE_EXIT,...] [--repeat N]
 *        [--variable-repeat N] [--parallel N] [--out DIR] [--docs FILE | --no-docs]
 * </pre>
 * Cells whose scenario says they vary run {@code --variable-repeat} times (default 8), the others
 * {@code --repeat} times (default 1).
 */
public final class Matrix {
    private Matrix() {}

    /** All the runs of one cell. */
    public record CellRuns(Scenario scenario, Column column, List<CellResult> runs) {
        public Map<Set<Outcome>, Integer> variants() {
            Map<Set<Outcome>, Integer> v = new LinkedHashMap<>();
            for (CellResult r : runs) {
                if (r.error() == null) v.merge(r.outcomes(), 1, Integer::sum);
            }
            return v;
        }

        public int errors() {
            return (int) runs.stream().filter(r -> r.error() != null).count();
        }

        public int jdk() {
            return runs.stream().mapToInt(CellResult::jdk).filter(j -> j > 0).findFirst().orElse(0);
        }

        public Expectation expected() {
            return scenario.expected(column, jdk());
        }

        /** "as expected", "UNEXPECTED", "new" (nothing expected on this JDK), "ERROR". */
        public String verdict() {
            if (errors() > 0) return "ERROR";
            Expectation e = expected();
            if (e == null) return "new";
            for (Set<Outcome> s : variants().keySet()) {
                if (!e.matches(s)) return "UNEXPECTED";
            }
            return "as expected";
        }

        public long meanMillis() {
            return (long) runs.stream().mapToLong(CellResult::durationMs).average().orElse(0);
        }
    }

    public static void main(String[] args) throws Exception {
        String javaHome = null;
        String only = null;
        String columns = null;
        int repeat = 1;
        int variableRepeat = 8;
        int parallel = 2;
        Path out = Path.of("target", "consequences");
        Path docs = Path.of("docs", "consequences.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--java": javaHome = args[++i]; break;
                case "--only": only = args[++i]; break;
                case "--columns": columns = args[++i]; break;
                case "--repeat": repeat = Integer.parseInt(args[++i]); break;
                case "--variable-repeat": variableRepeat = Integer.parseInt(args[++i]); break;
                case "--parallel": parallel = Integer.parseInt(args[++i]); break;
                case "--out": out = Path.of(args[++i]); break;
                case "--docs": docs = Path.of(args[++i]); break;
                case "--no-docs": docs = null; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: Matrix [--java JAVA_HOME] [--only ids] [--columns cols] [--repeat N] "
                        + "[--variable-repeat N] [--parallel N] [--out DIR] [--docs FILE | --no-docs]");
            }
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            if (only == null || List.of(only.split(",")).contains(s.id())) scenarios.add(s);
        }
        int jdk = Jdk.feature(javaHome);
        List<Column> wanted = new ArrayList<>();
        for (Column c : Column.values()) {
            if (columns == null || List.of(columns.toUpperCase(Locale.ROOT).replace('-', '_').split(",")).contains(c.name())) wanted.add(c);
        }

        Files.createDirectories(out);
        CellRunner runner = new CellRunner(out.resolve("work").toAbsolutePath(), javaHome);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Scenario> rowOf = new ArrayList<>();
        List<Column> colOf = new ArrayList<>();
        List<List<Future<CellResult>>> futures = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        int total = 0;
        long t0 = System.nanoTime();
        for (Scenario s : scenarios) {
            for (Column c : wanted) {
                if (!s.columns().contains(c)) continue;
                Expectation e = s.expected(c, jdk);
                int n = e != null && !e.isCertain() ? Math.max(repeat, variableRepeat) : repeat;
                total += n;
                List<Future<CellResult>> fs = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    int rep = k;
                    fs.add(pool.submit(() -> {
                        CellResult r = runner.run(s, c, rep);
                        progress(done.incrementAndGet(), t0, r);
                        return r;
                    }));
                }
                rowOf.add(s);
                colOf.add(c);
                futures.add(fs);
            }
        }
        totalRuns = total;
        List<CellRuns> cells = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            List<CellResult> runs = new ArrayList<>();
            for (Future<CellResult> f : futures.get(i)) runs.add(f.get());
            cells.add(new CellRuns(rowOf.get(i), colOf.get(i), runs));
        }
        pool.shutdown();
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        System.err.println();

        String jvm = cells.stream().flatMap(c -> c.runs().stream()).map(CellResult::jvm).filter(v -> !v.equals("?"))
                .map(v -> v.substring(v.indexOf(' ') + 1))
                .findFirst().orElse("?");
        Report report = new Report(jdk, jvm, scenarios, wanted, cells, elapsedMs);
        Path json = out.resolve("matrix.json");
        Files.writeString(json, report.json());
        Files.writeString(out.resolve("matrix-jdk" + jdk + ".json"), report.json());
        Path html = out.resolve("matrix.html");
        Files.writeString(html, report.html());
        Files.writeString(out.resolve("matrix-jdk" + jdk + ".html"), report.html());
        if (docs != null && only == null && columns == null) {
            Report.updateMarkdown(docs, jdk, report.markdownSection());
        }
        System.out.println(report.summary());
        System.out.println("wrote " + json + ", " + html + (docs != null && only == null && columns == null ? ", " + docs : ""));
        long problems = cells.stream().filter(c -> c.verdict().equals("UNEXPECTED") || c.verdict().equals("ERROR")).count();
        System.exit(problems == 0 ? 0 : 1);
    }

    private static volatile int totalRuns;

    private static synchronized void progress(int done, long t0, CellResult last) {
        long s = (System.nanoTime() - t0) / 1_000_000_000L;
        String line = String.format(Locale.ROOT, "\r[%d/%d cells, %d:%02d] %-60s", done, totalRuns, s / 60, s % 60,
                last.cellId() + " -> " + (last.error() != null ? "ERROR" : last.outcomes()));
        System.err.print(line.length() > 130 ? line.substring(0, 130) : line);
        System.err.flush();
    }
}
