package org.threadkill.bench;

import java.nio.file.Files;
import java.util.List;

import org.threadkill.bench.report.Report;
import org.threadkill.bench.report.Summary;
import org.threadkill.bench.section.Deadlines;
import org.threadkill.bench.section.Jmh;
import org.threadkill.bench.section.Kills;
import org.threadkill.bench.section.Lookup;
import org.threadkill.bench.section.Machine;
import org.threadkill.bench.section.ProcessAlternative;
import org.threadkill.bench.section.PythonAlternatives;
import org.threadkill.bench.section.SafePoints;
import org.threadkill.bench.section.Scale;
import org.threadkill.testing.Json;

/**
 * The benchmark harness (issue 5): one run measures the floor, every kill mode on fresh victims,
 * the alternatives (Python's async exception, a child JVM killed with destroyForcibly), the lookup,
 * the cost of a deadline against the other answers (issue 11), the overhead on other work (JMH) and
 * the scale of freezing, then writes target/bench/bench.json and
 * docs/benchmarks.md. Every kill runs in a child JVM of its own cell; NATIVE_EXIT and NATIVE_CANCEL
 * children are discarded after use. Nothing here asserts anything about time.
 *
 * <p>Each section is a class of {@code org.threadkill.bench.section}; the report is rendered by
 * {@code org.threadkill.bench.report} from templates. Arguments: see {@link Options}. Exit status: 0,
 * or 1 when the harness could not measure something it should have (a child that was expected to
 * finish did not, JMH failed): the reasons are printed and written to the report.
 */
public final class Bench {
    private Bench() {}

    /** The sections of a run, in order. Adding a benchmark is adding a Section here. */
    static List<Section> sections() {
        return List.of(
                new Lookup(),
                new Kills("floor").fresh("FLOOR", false),
                new Kills("interrupt").fresh("INTERRUPT", Victim.Kind.SLEEP, false)
                        .fresh("INTERRUPT", Victim.Kind.JAVA_SPIN, true)
                        .fresh("INTERRUPT", Victim.Kind.NATIVE_SPIN, true)
                        .fresh("INTERRUPT", Victim.Kind.NATIVE_READ, true),
                new Kills("async_exception").fresh("ASYNC_EXCEPTION", Victim.Kind.SLEEP, false)
                        .fresh("ASYNC_EXCEPTION", Victim.Kind.JAVA_SPIN, false)
                        .fresh("ASYNC_EXCEPTION", Victim.Kind.NATIVE_SPIN, true)
                        .fresh("ASYNC_EXCEPTION", Victim.Kind.NATIVE_READ, true),
                new Kills("native_freeze").fresh("NATIVE_FREEZE", false).fresh("SUSPEND", false),
                new Kills("native_exit").doomed("NATIVE_EXIT", Victim.Kind.NATIVE_SPIN, false)
                        .doomed("NATIVE_EXIT", Victim.Kind.NATIVE_READ, false),
                new Kills("native_cancel").doomed("NATIVE_CANCEL", Victim.Kind.NATIVE_READ, false)
                        .doomed("NATIVE_CANCEL", Victim.Kind.NATIVE_SPIN, true),
                new Scale(),
                new SafePoints(),
                new ProcessAlternative(),
                new PythonAlternatives(),
                new Deadlines(),
                new Jmh());
    }

    public static void main(String[] args) throws Exception {
        Run run = new Run(Options.parse(args));
        Files.createDirectories(run.options.raw());
        try (var old = Files.walk(run.options.raw())) {
            old.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(run.options.raw()))
                    .forEach(p -> p.toFile().delete());
        }
        Results r = run.results;
        Machine.record(run, "start");
        // --only a,b (or -Dbench.sections=a,b) runs only those sections, for working on one of them.
        List<String> only = run.options.only;
        List<String> names = sections().stream().map(Section::name).collect(java.util.stream.Collectors.toList());
        for (String o : only) {
            if (!names.contains(o)) throw new IllegalArgumentException("--only: no section '" + o + "'; sections: " + names);
        }
        for (Section s : sections()) {
            if (only.isEmpty() || only.contains(s.name())) section(run, s);
        }
        Machine.record(run, "end");

        Files.writeString(run.options.out.resolve("bench.json"), Json.write(BenchJson.of(r)));
        Report.write(r, run.options.doc, run.options.out);
        Summary.print(r, System.out);
        if (!r.problems.isEmpty()) {
            System.out.println("\nThe harness could not measure everything:");
            r.problems.forEach(p -> System.out.println("  - " + p));
            System.exit(1);
        }
    }

    private static void section(Run run, Section s) {
        Results r = run.results;
        long t0 = System.nanoTime();
        System.out.println("[bench] " + s.name() + " ...");
        try {
            s.run(run);
        } catch (Exception e) {
            r.problems.add(s.name() + ": " + e);
            e.printStackTrace(System.out);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        r.sectionMillis.put(s.name(), ms);
        System.out.println("[bench] " + s.name() + " took " + ms + " ms");
    }
}
