package org.threadkill.bench.report;

import static org.threadkill.bench.report.Format.ms;
import static org.threadkill.bench.report.Format.ns;
import static org.threadkill.bench.report.Format.pct;
import static org.threadkill.bench.report.Format.ratio;
import static org.threadkill.bench.report.Format.us;
import static org.threadkill.bench.report.Format.x;

import org.threadkill.bench.Results;
import org.threadkill.bench.Stats;
import org.threadkill.bench.Victim;

/** The headline: one sentence per finding a reader wants first. */
final class Headline {
    private Headline() {}

    static String render(Results r) {
        StringBuilder b = new StringBuilder();
        long destroy = r.stats("jvm_destroy_reaped").median(), cycle = r.stats("jvm_cycle").median();
        Results.Cell hf = r.cell("NATIVE_FREEZE", Victim.Kind.NATIVE_READ), hfl = r.cell("FLOOR", Victim.Kind.NATIVE_READ);
        if (hf != null && hfl != null) {
            long f = hf.latencyStats().median();
            b.append(Template.of("headline-blocked").with("freeze", us(f)).with("p99", us(hf.latencyStats().pct(99)))
                    .with("overFloor", x(ratio(f, hfl.latencyStats().median()))).with("floor", us(hfl.latencyStats().median()))
                    .with("destroy", ms(destroy)).with("destroyOver", x(ratio(destroy, f)))
                    .with("cycle", ms(cycle)).with("cycleOver", x(ratio(cycle, f))).render());
        }
        Results.Cell as = r.cell("ASYNC_EXCEPTION", Victim.Kind.JAVA_SPIN);
        if (as != null) {
            b.append(Template.of("headline-spin").with("latency", us(as.latencyStats().median()))
                    .with("observed", us(new Stats(as.observed).median()))
                    .with("python", us(r.stats("py_async_exc_caught").median())).render());
        }
        b.append(Template.of("headline-lookup").with("vmstructs", ns(r.stats("nativeid_vmstructs").median()))
                .with("threaddump", ns(r.stats("nativeid_threaddump").median()))
                .with("ratio", x(ratio(r.stats("nativeid_threaddump").median(), r.stats("nativeid_vmstructs").median())))
                .render());
        for (String w : r.jmh.keySet()) {
            b.append(Template.of("headline-overhead").with("workload", w)
                    .with("loadedThroughput", pct(-Ratios.lossPct(r, w, "loaded"), 1)).with("loadedCpu", pct(Ratios.cpuPct(r, w, "loaded"), 1))
                    .with("jvmtiThroughput", pct(-Ratios.lossPct(r, w, "jvmti"), 1)).with("jvmtiCpu", pct(Ratios.cpuPct(r, w, "jvmti"), 1))
                    .render());
        }
        long dl = DeadlineTables.cost(r, "deadline", "p50"), handoff = DeadlineTables.handoff(r);
        if (dl >= 0) {
            b.append(Template.of("headline-deadline").with("deadline", us(dl)).with("overHandoff", x(ratio(dl, handoff)))
                    .with("handoff", us(handoff))
                    .with("guava", x(ratio(DeadlineTables.cost(r, "guavaTimeLimiter", "p50"), handoff)))
                    .with("cf", x(ratio(DeadlineTables.cost(r, "completableFutureGet", "p50"), handoff)))
                    .with("junit", x(ratio(DeadlineTables.cost(r, "junitAssertTimeoutPreemptively", "p50"), handoff)))
                    .with("python", x(ratio(r.stats("py_deadline_call").median(), handoff)))
                    .with("grace", org.threadkill.bench.section.Deadlines.FIRE_GRACE_MS)
                    .with("javaSpin", DeadlineTables.fired(r, "deadline_fire_JAVA_SPIN"))
                    .with("nativeSpin", DeadlineTables.fired(r, "deadline_fire_NATIVE_SPIN")).render());
        }
        if (r.facts.containsKey("frozen")) {
            b.append(Template.of("headline-scale").with("frozen", r.facts.get("frozen"))
                    .with("wall", us(r.stats("scale_kill_wall").median())).with("perThread", ScaleTable.perThread(r, "blocked", "frozen"))
                    .with("gc", ms(r.facts.get("gc_ns"))).with("exit", ms(r.facts.get("exit_ns"))).render());
        }
        return Template.of("headline").with("bullets", b).render();
    }
}
