package org.threadkill.bench.report;

import static org.threadkill.bench.report.Format.ms;
import static org.threadkill.bench.report.Format.ratio;
import static org.threadkill.bench.report.Format.us;
import static org.threadkill.bench.report.Format.x;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.threadkill.bench.LookupChild;
import org.threadkill.bench.Results;
import org.threadkill.bench.Stats;
import org.threadkill.bench.Victim;

/**
 * The four goals of the benchmark issue and the two of the deadline issue (11), judged on one run
 * (bench.json, the goals table, the console).
 */
public final class Goals {
    private Goals() {}

    public static List<Map<String, Object>> of(Results r) {
        List<Map<String, Object>> g = new ArrayList<>();
        // 1. NATIVE_FREEZE within 2x of the floor (median), per victim kind
        {
            StringBuilder measured = new StringBuilder();
            boolean met = true, any = false;
            for (Results.Cell f : Ratios.measured(r, "NATIVE_FREEZE")) {
                Results.Cell floor = r.cell("FLOOR", f.kind);
                if (floor == null) continue;
                double q = ratio(f.latencyStats().median(), floor.latencyStats().median());
                if (!Double.isFinite(q)) continue;
                any = true;
                met &= q <= 2.0;
                measured.append(String.format(Locale.ROOT, "%s %s (%s vs %s µs); ", f.kind, x(q),
                        us(f.latencyStats().median()), us(floor.latencyStats().median())));
            }
            StringBuilder why = new StringBuilder("before its signal the freeze reads the victim's ids, checks that its "
                    + "OS thread still exists (a /proc lookup), suspends it through JVMTI `SuspendThread`, waits until "
                    + "HotSpot shows it in native code or blocked, and opens a thread pidfd; the floor is only the signal "
                    + "(the handler's verdict exchange comes after the handler entered, outside the latency). "
                    + "SuspendThread alone, median:");
            for (Victim.Kind k : Victim.Kind.values()) {
                Results.Cell su = r.cell("SUSPEND", k);
                if (su != null) why.append(' ').append(k).append(' ').append(us(su.latencyStats().median())).append(" µs;");
            }
            why.append(" a victim in Java code must first reach a safepoint poll and block");
            StringBuilder verdict = new StringBuilder();
            for (Results.Cell f : Ratios.measured(r, "NATIVE_FREEZE")) {
                Results.Cell floor = r.cell("FLOOR", f.kind);
                if (floor == null) continue;
                double q = ratio(f.latencyStats().median(), floor.latencyStats().median());
                verdict.append(verdict.length() == 0 ? "" : ", ").append(f.kind).append(q <= 2.0 ? " met" : " missed");
            }
            g.add(goal("NATIVE_FREEZE median within 2× of the floor", verdict + " — " + measured, any ? met : null,
                    why.toString()));
        }
        // 2. nativeId < 1 µs median on vmStructs
        {
            long v = r.stats("nativeid_vmstructs").median();
            g.add(goal("nativeId under 1 µs median (vmStructs)", v < 0 ? "not measured" : v + " ns",
                    v < 0 ? null : v < 1000, "per call, in batches of " + LookupChild.BATCH + " calls, JIT-compiled caller"));
        }
        // 3. every thread-level mode >= 1000x faster than the process alternative
        {
            long destroy = r.stats("jvm_destroy_reaped").median();
            long cycle = r.stats("jvm_cycle").median();
            StringBuilder measured = new StringBuilder();
            boolean metDestroy = true, metCycle = true, any = false;
            double worst = Double.POSITIVE_INFINITY;
            String worstCell = "";
            for (String mode : Ratios.THREAD_MODES) {
                for (Results.Cell c : Ratios.measured(r, mode)) {
                    double q = ratio(destroy, c.latencyStats().median());
                    double qc = ratio(cycle, c.latencyStats().median());
                    if (!Double.isFinite(q)) continue;
                    any = true;
                    metDestroy &= q >= 1000;
                    metCycle &= qc >= 1000;
                    if (q < worst) {
                        worst = q;
                        worstCell = c.label();
                    }
                }
            }
            double best = 0, worstCycle = Double.POSITIVE_INFINITY;
            String bestCell = "", worstCycleCell = "";
            for (String mode : Ratios.THREAD_MODES) {
                for (Results.Cell c : Ratios.measured(r, mode)) {
                    double q = ratio(destroy, c.latencyStats().median());
                    double qc = ratio(cycle, c.latencyStats().median());
                    if (q > best) {
                        best = q;
                        bestCell = c.label();
                    }
                    if (qc < worstCycle) {
                        worstCycle = qc;
                        worstCycleCell = c.label();
                    }
                }
            }
            measured.append(String.format(Locale.ROOT, "destroyForcibly → reaped %s ms median: from %s (%s) to %s (%s)",
                    ms(destroy), x(worst), worstCell, x(best), bestCell));
            g.add(goal("every thread-level mode ≥ 1000× faster than the process alternative", measured.toString(),
                    any ? metDestroy : null,
                    "judged against the time to stop the process (destroyForcibly → reaped), like for like with the "
                            + "kill latency; that needs every median under " + us(destroy / 1000) + " µs, below the signal "
                            + "floor itself. Against the whole cycle a task would pay to run in a child JVM (start "
                            + ms(cycle) + " ms + destroy): " + (metCycle ? "met for every cell" : "missed, worst "
                            + worstCycleCell + " " + x(worstCycle)) + "; per-cell ratios in the kill table"));
        }
        // 4. loaded-library overhead <= 2% on both JMH workloads
        {
            StringBuilder measured = new StringBuilder();
            boolean met = true, any = false, noisy = false;
            for (String w : r.jmh.keySet()) {
                double pct = Ratios.lossPct(r, w, "loaded"), cpuPct = Ratios.cpuPct(r, w, "loaded");
                double spread = Ratios.forkSpreadPct(r, w, "none");
                if (!Double.isFinite(pct)) continue;
                any = true;
                // Throughput is only a verdict when the forks of the baseline agree to within the goal's
                // width; otherwise the CPU time per operation decides, and the report says so.
                int forks = (Integer) r.jmh.get(w).get("none").get("forks");
                boolean judgeOnThroughput = forks >= 3 && spread <= 4.0;
                noisy |= !judgeOnThroughput;
                met &= judgeOnThroughput ? pct <= 2.0 : cpuPct <= 2.0;
                measured.append(String.format(Locale.ROOT, "%s: throughput %+.1f%% lost (baseline forks spread "
                        + "%.0f%%%s), CPU per op %+.1f%%; ", w, pct, spread,
                        judgeOnThroughput ? "" : forks < 3 ? ", " + forks + " fork(s): too few to judge" : ": too noisy to judge",
                        cpuPct));
            }
            String missing = r.jmh.size() < 2 ? " (only " + r.jmh.size() + " workload(s) measured: "
                    + r.facts.getOrDefault("jmh_vthreads", "") + ")" : "";
            g.add(goal("overhead of the loaded library ≤ 2% on both JMH workloads", measured + missing,
                    any && r.jmh.size() >= 2 ? met : null,
                    "judged on JMH throughput versus the same JVM without the library loaded (positive = slower) when "
                            + "the baseline has at least 3 forks that agree within 4%; otherwise on the CPU time of the process per "
                            + "operation over the same iterations, which other work on the machine disturbs far less"
                            + (noisy ? " — that was the case here, so this verdict rests on CPU time" : "")
                            + ". Acquiring the JVMTI environment is not part of this goal: see the JMH table"));
        }
        deadlineGoals(r, g);
        return g;
    }

    /** Issue 11: a deadline that does not fire costs no more than a plain handoff; one that fires ends within its graces + 5 ms. */
    private static void deadlineGoals(Results r, List<Map<String, Object>> g) {
        long dl = DeadlineTables.cost(r, "deadline", "p50"), handoff = DeadlineTables.handoff(r);
        double q = ratio(dl, handoff);
        g.add(goal("a `Deadline.call` that does not fire costs no more than a plain handoff to a waiting thread (median)",
                Double.isFinite(q) ? String.format(Locale.ROOT, "%s µs vs %s µs: %s", us(dl), us(handoff), x(q)) : "not measured",
                Double.isFinite(q) ? q <= 1.0 : null,
                "JMH sample time, one run, every answer in forks of its own; the handoff is `submit(task).get()` on an "
                        + "executor with one waiting thread. No form of `Deadline` runs the task on the caller's own thread, "
                        + "so the goal of ≤ 1 µs for one has nothing to judge"));
        StringBuilder measured = new StringBuilder();
        boolean met = true, any = false;
        for (Victim.Kind k : org.threadkill.bench.section.Deadlines.FIRE_KINDS) {
            String key = "deadline_fire_" + k;
            Stats beyond = r.stats(key + "_beyond_graces");
            if (beyond.empty()) continue;
            any = true;
            met &= beyond.pct(99) <= DeadlineTables.goalNanos();
            Object mayStillRun = r.facts.get(key + "_may_still_run");
            if (mayStillRun != null && !"0".equals(mayStillRun.toString())) met = false;
            measured.append(String.format(Locale.ROOT, "%s: p99 %s ms after the graces waited out (deadline → exception "
                    + "p99 %s ms; stopped by %s); ", k, ms(beyond.pct(99)), ms(r.stats(key).pct(99)),
                    DeadlineTables.stoppedBy(r.facts.get(key + "_stopped_by"), mayStillRun)));
        }
        g.add(goal("deadline → caller's exception ≤ the graces of the steps taken + 5 ms (p99)",
                any ? measured.toString() : "not measured", any ? met : null,
                "grace " + org.threadkill.bench.section.Deadlines.FIRE_GRACE_MS + " ms per step, default ladder, in child "
                        + "JVMs with the opt-in; each step that did not stop the task is waited out to the end of its grace, "
                        + "so the goal is met when what is left is ≤ one grace + 5 ms = " + ms(DeadlineTables.goalNanos())
                        + " ms at p99, and no task was left running"));
    }

    static Map<String, Object> goal(String name, String measured, Boolean met, String note) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("goal", name);
        m.put("measured", measured.strip());
        m.put("met", met);
        m.put("note", note);
        return m;
    }
}
