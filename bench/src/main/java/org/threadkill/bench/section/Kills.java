package org.threadkill.bench.section;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.threadkill.bench.Children;
import org.threadkill.bench.KillChild;
import org.threadkill.bench.Plan;
import org.threadkill.bench.Results;
import org.threadkill.bench.Run;
import org.threadkill.bench.Section;
import org.threadkill.bench.Stats;
import org.threadkill.bench.Victim;
import org.threadkill.bench.report.Format;

/**
 * A section of kill cells (floor, interrupt, async_exception, native_freeze, native_exit,
 * native_cancel): each cell kills fresh victims of one kind with one mode in child JVMs
 * ({@link KillChild}). Fresh cells run in one child; doomed ones (NATIVE_EXIT, NATIVE_CANCEL) in
 * batches of gated victims, one discarded child per batch.
 */
public final class Kills implements Section {
    /** One cell of the section. */
    private record CellSpec(String mode, Victim.Kind kind, boolean probe, boolean doomed) {}

    private final String name;
    private final List<CellSpec> cells = new ArrayList<>();

    public Kills(String name) {
        this.name = name;
    }

    /** A cell of fresh victims killed one at a time in one child JVM; a probe is a mode not expected to stop them. */
    public Kills fresh(String mode, Victim.Kind kind, boolean probe) {
        cells.add(new CellSpec(mode, kind, probe, false));
        return this;
    }

    public Kills fresh(String mode, boolean probe) {
        for (Victim.Kind k : Victim.Kind.values()) fresh(mode, k, probe);
        return this;
    }

    /** A cell whose mode dooms the JVM: batches of victims created before the first kill. */
    public Kills doomed(String mode, Victim.Kind kind, boolean probe) {
        cells.add(new CellSpec(mode, kind, probe, true));
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void run(Run run) throws Exception {
        for (CellSpec c : cells) {
            if (c.doomed()) doomed(run, c); else fresh(run, c);
        }
    }

    private static void fresh(Run run, CellSpec spec) throws Exception {
        Results r = run.results;
        Plan plan = run.plan;
        Results.Cell c = new Results.Cell(spec.mode(), spec.kind(), spec.probe());
        r.cells.add(c);
        int n = spec.probe() ? plan.probeN : plan.n;
        int warmup = spec.probe() ? 0 : plan.warmup;
        long waitMs = spec.probe() ? 50 : 2000;
        Children.Child ch = run.children.run(spec.mode() + "-" + spec.kind(), List.of(), KillChild.class, Duration.ofMinutes(10),
                spec.mode(), spec.kind().name(), Integer.toString(n), Integer.toString(warmup), Long.toString(waitMs));
        c.children++;
        parseSamples(c, ch);
        if (!ch.finished) {
            c.childrenUnfinished++;
            r.problems.add(c.label() + ": child did not finish: " + ch.why());
        }
        if (spec.probe()) c.notes.add("tried " + n + " times with a " + waitMs + " ms wait: the mode is not expected to stop this victim");
        progress(c);
    }

    private static void doomed(Run run, CellSpec spec) throws Exception {
        Results r = run.results;
        Plan plan = run.plan;
        Results.Cell c = new Results.Cell(spec.mode(), spec.kind(), spec.probe());
        r.cells.add(c);
        int wanted = spec.probe() ? plan.probeN : plan.n;
        int warmup = spec.probe() ? 0 : 2;
        long waitMs = spec.probe() ? 100 : 2000;
        while (c.tries() < wanted) {
            int batch = Math.min(plan.batch, wanted - c.tries());
            int before = c.tries();
            Children.Child ch = run.children.run(spec.mode() + "-" + spec.kind(), List.of("-XX:-UseDynamicNumberOfCompilerThreads",
                    "-XX:-UseDynamicNumberOfGCThreads"), KillChild.class, Duration.ofMinutes(3),
                    spec.mode(), spec.kind().name(), Integer.toString(batch), Integer.toString(warmup), Long.toString(waitMs));
            c.children++;
            parseSamples(c, ch);
            if (!ch.finished) {
                c.childrenUnfinished++;
                c.notes.add("a child JVM ended before its batch was done: " + ch.why());
            }
            if (c.tries() == before) {
                r.problems.add(c.label() + ": a child JVM produced no sample: " + ch.why());
                break;
            }
            if (spec.probe()) break;   // a pending cancel on a spinner ends the batch: one child is enough
        }
        c.notes.add("victims created before the first kill, " + plan.batch + " (+2 warm-up) per child JVM, "
                + "each child discarded after its batch (" + c.children + " child JVMs)");
        progress(c);
    }

    private static void parseSamples(Results.Cell c, Children.Child ch) {
        for (String line : ch.lines) {
            String[] f = line.split(" ");
            if (f[0].equals("s") && f.length >= 6) {
                c.latency.add(Long.parseLong(f[1]));
                c.handler.add(Long.parseLong(f[2]));
                c.observed.add(Long.parseLong(f[3]));
                c.wall.add(Long.parseLong(f[4]));
                c.outcomes.merge(f[5], 1, Integer::sum);
            }
        }
    }

    private static void progress(Results.Cell c) {
        Stats s = c.latencyStats();
        System.out.printf("  %-34s %s median %s µs p99 %s µs%n", c.label(), c.outcomes,
                Format.us(s.median()), Format.us(s.pct(99)));
    }
}
