package org.threadkill.bench.section;

import java.time.Duration;
import java.util.List;

import org.threadkill.bench.Children;
import org.threadkill.bench.Results;
import org.threadkill.bench.Run;
import org.threadkill.bench.ScaleChild;
import org.threadkill.bench.Section;
import org.threadkill.bench.report.Format;

/** Many threads stuck in read(2), frozen one after another in one JVM, against a baseline that only blocks them. */
public final class Scale implements Section {
    @Override
    public String name() {
        return "scale";
    }

    @Override
    public void run(Run run) throws Exception {
        Results r = run.results;
        int n = run.plan.scaleN;
        // Baseline first: the same threads blocked in read(2), never killed.
        Children.Child base = run.children.run("scale-baseline", List.of(), ScaleChild.class, Duration.ofMinutes(5),
                Integer.toString(n), "block");
        for (String line : base.lines) {
            String[] f = line.split(" ", 3);
            if (f[0].equals("i") && f.length == 3 && f[1].equals("exit_at_ns") && base.exit != null) {
                r.facts.put("baseline_exit_ns", base.endNanos - Long.parseLong(f[2].trim()));
            }
            if (f[0].equals("i") && f.length == 3 && f[1].equals("gc_ns")) r.facts.put("baseline_gc_ns", f[2]);
        }
        Children.Child ch = run.children.run("scale", List.of(), ScaleChild.class, Duration.ofMinutes(5), Integer.toString(n),
                "freeze");
        Named.parse(r, ch.lines);
        Object at = r.facts.get("exit_at_ns");
        if (at != null && ch.exit != null) {
            r.facts.put("exit_ns", ch.endNanos - Long.parseLong(at.toString()));
        }
        r.facts.put("scale_n", n);
        r.facts.put("scale_exit_code", ch.exit == null ? "timed out (killed)" : ch.exit);
        r.facts.put("scale_crashed", ch.crashed);
        if (ch.exit == null || ch.exit != 0 || !r.facts.containsKey("exit_at_ns")) {
            r.problems.add("scale: child did not exit normally: " + ch.why());
        }
        System.out.printf("  scale: %s frozen, kill wall median %s µs, gc %s ms, exit %s ms%n", r.facts.get("frozen"),
                Format.us(r.stats("scale_kill_wall").median()), Format.ms(r.facts.get("gc_ns")),
                Format.ms(r.facts.get("exit_ns")));
    }
}
