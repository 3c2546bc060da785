package org.threadkill.bench.report;

import static org.threadkill.bench.report.Format.ratio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.threadkill.bench.Results;
import org.threadkill.bench.Stats;
import org.threadkill.bench.Victim;

/** The ratios of one run (written to bench.json, the report's ratio table and the console). */
public final class Ratios {
    private Ratios() {}

    static final String[] THREAD_MODES = {"INTERRUPT", "ASYNC_EXCEPTION", "NATIVE_FREEZE", "NATIVE_EXIT", "NATIVE_CANCEL"};

    /** The cells of a mode that measured a latency (probes left out). */
    static List<Results.Cell> measured(Results r, String mode) {
        List<Results.Cell> l = new ArrayList<>();
        for (Results.Cell c : r.cells) if (c.mode.equals(mode) && !c.probe && !c.latencyStats().empty()) l.add(c);
        return l;
    }

    public static Map<String, Object> of(Results r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Results.Cell f : measured(r, "NATIVE_FREEZE")) {
            Results.Cell floor = r.cell("FLOOR", f.kind);
            if (floor != null) m.put("freeze_over_floor_median." + f.kind,
                    ratio(f.latencyStats().median(), floor.latencyStats().median()));
        }
        long destroy = r.stats("jvm_destroy_reaped").median();
        long cycle = r.stats("jvm_cycle").median();
        for (String mode : THREAD_MODES) {
            for (Results.Cell c : measured(r, mode)) {
                m.put("jvm_destroy_over_mode_median." + mode + "." + c.kind, ratio(destroy, c.latencyStats().median()));
                m.put("jvm_start_and_destroy_over_mode_median." + mode + "." + c.kind, ratio(cycle, c.latencyStats().median()));
            }
        }
        m.put("nativeid_threaddump_over_vmstructs",
                ratio(r.stats("nativeid_threaddump").median(), r.stats("nativeid_vmstructs").median()));
        Results.Cell async = r.cell("ASYNC_EXCEPTION", Victim.Kind.JAVA_SPIN);
        if (async != null) {
            m.put("python_async_exc_caught_over_async_exception_observed",
                    ratio(r.stats("py_async_exc_caught").median(), new Stats(async.observed).median()));
        }
        long handoff = DeadlineTables.handoff(r);
        for (String[] a : DeadlineTables.ANSWERS) {
            long p50 = DeadlineTables.cost(r, a[0], "p50");
            if (p50 >= 0 && !a[0].equals("plainHandoff")) m.put("deadline_cost_over_plain_handoff_median." + a[0], ratio(p50, handoff));
        }
        if (!r.stats("py_deadline_call").empty()) {
            m.put("deadline_cost_over_plain_handoff_median.python_answer_2", ratio(r.stats("py_deadline_call").median(), handoff));
            m.put("python_answer_2_over_python_handoff_median",
                    ratio(r.stats("py_deadline_call").median(), r.stats("py_handoff").median()));
        }
        for (String w : r.jmh.keySet()) {
            m.put("jmh_throughput_loss_pct.loaded." + w, lossPct(r, w, "loaded"));
            m.put("jmh_throughput_loss_pct.jvmti." + w, lossPct(r, w, "jvmti"));
            m.put("jmh_cpu_per_op_added_pct.loaded." + w, cpuPct(r, w, "loaded"));
            m.put("jmh_cpu_per_op_added_pct.jvmti." + w, cpuPct(r, w, "jvmti"));
        }
        return m;
    }

    /** A ratio as the tables and the console show it: a percentage for JMH, a factor otherwise. */
    static String show(String key, double v) {
        return key.startsWith("jmh_") ? Format.pct(v, 2) : Format.x(v);
    }

    /** The median over forks of a configuration's throughput (robust to one disturbed fork). */
    static double throughput(Results r, String w, String cfg) {
        Object v = r.jmh.get(w).get(cfg).get("median");
        return v instanceof Double ? (Double) v : Double.NaN;
    }

    /** (highest − lowest fork) / median of a configuration's throughput, in %. */
    static double forkSpreadPct(Results r, String w, String cfg) {
        Map<String, Object> m = r.jmh.get(w).get(cfg);
        double lo = (Double) m.get("min"), hi = (Double) m.get("max"), med = (Double) m.get("median");
        return 100 * (hi - lo) / med;
    }

    static double cpu(Results r, String w, String cfg) {
        Object v = r.jmh.get(w).get(cfg).get("cpu_ns_per_op_median");
        return v instanceof Double ? (Double) v : Double.NaN;
    }

    /** Throughput lost (positive: slower), in %. */
    static double lossPct(Results r, String w, String cfg) {
        double none = throughput(r, w, "none");
        return 100 * (none - throughput(r, w, cfg)) / none;
    }

    /** CPU time added per operation, in %. */
    static double cpuPct(Results r, String w, String cfg) {
        double none = cpu(r, w, "none");
        return 100 * (cpu(r, w, cfg) - none) / none;
    }
}
