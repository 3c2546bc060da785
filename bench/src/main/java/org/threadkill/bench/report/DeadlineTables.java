package org.threadkill.bench.report;

import static org.threadkill.bench.report.Format.ms;
import static org.threadkill.bench.report.Format.ratio;
import static org.threadkill.bench.report.Format.us;
import static org.threadkill.bench.report.Format.x;

import java.util.List;
import java.util.Map;

import org.threadkill.bench.Plan;
import org.threadkill.bench.Results;
import org.threadkill.bench.Stats;
import org.threadkill.bench.Victim;
import org.threadkill.bench.section.Deadlines;

/** Deadlines (issue 11): the cost of a call that does not fire, side by side; the latency of one that does. */
final class DeadlineTables {
    private DeadlineTables() {}

    /** DeadlineBench's benchmarks in the table's order: method, label, what it does per call. */
    static final String[][] ANSWERS = {
        {"plainCall", "plain call", "the task on the caller's thread, no deadline"},
        {"plainHandoff", "**plain handoff**", "`executor.submit(task).get()`, one waiting thread"},
        {"deadline", "threadkill `Deadline.call`", "an idle runner thread unparked; the caller waits on a latch"},
        {"guavaTimeLimiter", "Guava `SimpleTimeLimiter.callWithTimeout`", "submit to a cached pool, `get(timeout)`"},
        {"completableFutureGet", "`CompletableFuture.supplyAsync(…).get(timeout)`", "on a cached pool"},
        {"junitAssertTimeoutPreemptively", "JUnit `assertTimeoutPreemptively`", "a new single-thread executor per call"},
    };
    /** The Python rows: sample name, label, what it does per call. */
    static final String[][] PYTHON = {
        {"py_plain_call", "Python: plain call", "the task called directly"},
        {"py_handoff", "Python: handoff", "`queue.Queue` to one waiting thread and back"},
        {"py_deadline_call", "Python: answer 2", "a new thread, `join(timeout)`; the async exception only if it fires"},
    };

    /** A DeadlineBench percentile (p50, p90, p99) or the mean, in ns; -1 when not measured. */
    static long cost(Results r, String bench, String stat) {
        Map<String, Object> m = r.deadlineCost.get(bench);
        Object v = m == null ? null : m.get(stat + "_ns");
        return v instanceof Number ? Math.round(((Number) v).doubleValue()) : -1;
    }

    static long handoff(Results r) {
        return cost(r, "plainHandoff", "p50");
    }

    /** {@code median / p99} of a firing deadline's latency, in ms, or "not measured". */
    static String fired(Results r, String key) {
        Stats s = r.stats(key);
        return s.empty() ? "not measured" : ms(s.median()) + " / " + ms(s.pct(99)) + " ms";
    }

    /** The goal of a deadline that fires: what is left after the graces waited out, p99, in ns. */
    static long goalNanos() {
        return (Deadlines.FIRE_GRACE_MS + 5) * 1_000_000;
    }

    static String render(Results r) {
        StringBuilder rows = new StringBuilder();
        long handoff = handoff(r);
        for (String[] a : ANSWERS) {
            long p50 = cost(r, a[0], "p50");
            rows.append("| ").append(a[1]).append(" | ").append(a[2]).append(" | ");
            if (p50 < 0) {
                rows.append("not measured | | | | |\n");
                continue;
            }
            rows.append(us(p50)).append(" | ").append(us(cost(r, a[0], "p90"))).append(" | ")
                    .append(us(cost(r, a[0], "p99"))).append(" | ").append(us(cost(r, a[0], "mean"))).append(" | ")
                    .append(x(ratio(p50, handoff))).append(" |\n");
        }
        for (String[] p : PYTHON) {
            Stats s = r.stats(p[0]);
            rows.append("| ").append(p[1]).append(" | ").append(p[2]).append(" | ");
            if (s.empty()) {
                rows.append("not measured | | | | |\n");
                continue;
            }
            rows.append(us(s.median())).append(" | ").append(us(s.pct(90))).append(" | ").append(us(s.pct(99)))
                    .append(" | ").append(us(Math.round(s.mean()))).append(" | ").append(x(ratio(s.median(), handoff)))
                    .append(" |\n");
        }
        Object forks = r.deadlineCost.isEmpty() ? "–" : r.deadlineCost.values().iterator().next().get("forks");
        return Template.of("deadline")
                .with("forks", forks).with("jdk", r.facts.getOrDefault("deadline_jmh_jdk", "–"))
                .with("rows", rows).with("pyCalls", r.stats("py_handoff").n())
                .with("pyHandoff", us(r.stats("py_handoff").median()))
                .with("pyOverHandoff", x(ratio(r.stats("py_deadline_call").median(), r.stats("py_handoff").median())))
                .with("fireJdk", r.machine.getOrDefault("jdk_kills", "–"))
                .with("budget", Deadlines.FIRE_BUDGET_MS).with("grace", Deadlines.FIRE_GRACE_MS)
                .with("batch", new Plan("quick".equals(r.mode)).batch)
                .with("goalMs", goalNanos() / 1_000_000)
                .with("switchMs", r.facts.getOrDefault("py_switch_interval_ms", "–"))
                .with("fireRows", fireRows(r)).render();
    }

    private static String fireRows(Results r) {
        StringBuilder s = new StringBuilder();
        for (Victim.Kind k : Deadlines.FIRE_KINDS) {
            String key = "deadline_fire_" + k;
            fireRow(s, r, k == Victim.Kind.JAVA_SPIN ? "spinning in Java (ignores interrupts)" : "spinning in native code",
                    "threadkill `Deadline.call`", key, key + "_beyond_graces", key + "_step",
                    stoppedBy(r.facts.get(key + "_stopped_by"), r.facts.get(key + "_may_still_run")));
        }
        fireRow(s, r, "spinning in Python bytecode", "Python: answer 2", "py_deadline_fire", "py_deadline_fire", null,
                "the async exception; helper ended: " + r.facts.getOrDefault("py_deadline_fire_stopped", "–"));
        return s.toString();
    }

    static String stoppedBy(Object tally, Object mayStillRun) {
        if (tally == null) return "–";
        String t = tally.toString().replace("{", "").replace("}", "").replace("=", " ×");
        return mayStillRun == null || "0".equals(mayStillRun.toString()) ? t : t + "; may still run: " + mayStillRun;
    }

    private static void fireRow(StringBuilder s, Results r, String task, String answer, String key, String beyondKey,
                                String stepKey, String stoppedBy) {
        Stats st = r.stats(key), b = r.stats(beyondKey), step = stepKey == null ? new Stats(List.of()) : r.stats(stepKey);
        s.append("| ").append(task).append(" | ").append(answer).append(" | ");
        if (st.empty()) {
            s.append("0 | not measured | | | | | | | |\n");
            return;
        }
        s.append(st.n()).append(" | ").append(stoppedBy).append(" | ").append(ms(st.median())).append(" | ")
                .append(ms(st.pct(99))).append(" | ").append(ms(st.max())).append(" | ").append(ms(b.median()))
                .append(" | ").append(ms(b.pct(99))).append(" | ")
                .append(step.empty() ? "–" : Format.ms2(step.median()) + " / " + Format.ms2(step.pct(99))).append(" | ")
                .append(b.pct(99) <= goalNanos() ? "yes" : "**no**")
                .append(" |\n");
    }
}
