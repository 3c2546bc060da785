package org.threadkill.bench.report;

import static org.threadkill.bench.report.Format.pct;

import java.util.Locale;
import java.util.Map;

import org.threadkill.bench.Results;

/** JMH: throughput and CPU per operation of other work, with the library absent, loaded, or with JVMTI acquired. */
final class JmhTables {
    private JmhTables() {}

    static String render(Results r) {
        StringBuilder rows = new StringBuilder();
        for (String w : r.jmh.keySet()) {
            Map<String, Map<String, Object>> c = r.jmh.get(w);
            rows.append("| ").append(w).append(" (").append(c.get("none").get("unit")).append(") | ")
                    .append(cell(c.get("none"))).append(" | ").append(cell(c.get("loaded"))).append(" | ")
                    .append(cell(c.get("jvmti"))).append(" | ")
                    .append(pct(Ratios.lossPct(r, w, "loaded"), 1)).append(" | ")
                    .append(pct(Ratios.lossPct(r, w, "jvmti"), 1)).append(" |\n");
        }
        StringBuilder cpuRows = new StringBuilder();
        for (String w : r.jmh.keySet()) {
            cpuRows.append("| ").append(w).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f | %,.0f | %,.0f | %+.1f%% | %+.1f%%",
                            Ratios.cpu(r, w, "none"), Ratios.cpu(r, w, "loaded"), Ratios.cpu(r, w, "jvmti"),
                            Ratios.cpuPct(r, w, "loaded"), Ratios.cpuPct(r, w, "jvmti"))).append(" |\n");
        }
        Object vthreads = r.facts.get("jmh_vthreads");
        return Template.of("jmh")
                .with("vthreads", r.facts.containsKey("jmh_vthreads") ? Template.of("jmh-vthreads").with("note", vthreads).render() : "")
                .with("rows", rows).with("cpuRows", cpuRows).render();
    }

    private static String cell(Map<String, Object> m) {
        double median = (Double) m.get("median"), min = (Double) m.get("min"), max = (Double) m.get("max");
        return (Integer) m.get("forks") > 1 ? String.format(Locale.ROOT, "%,.1f (%,.1f–%,.1f)", median, min, max)
                : String.format(Locale.ROOT, "%,.1f", median);
    }
}
