package org.threadkill.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.threadkill.bench.report.Goals;
import org.threadkill.bench.report.Ratios;

/** bench.json: every number of a run, with its ratios and goals. */
final class BenchJson {
    private BenchJson() {}

    static Map<String, Object> of(Results r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("mode", r.mode);
        j.put("machine", r.machine);
        List<Object> cells = new ArrayList<>();
        for (Results.Cell c : r.cells) cells.add(c.json());
        j.put("kills", cells);
        Map<String, Object> named = new LinkedHashMap<>();
        for (String k : r.samples.keySet()) named.put(k, r.stats(k).json());
        j.put("measurements", named);
        j.put("facts", r.facts);
        j.put("jmh", r.jmh);
        j.put("deadline_cost", r.deadlineCost);
        j.put("ratios", Ratios.of(r));
        j.put("goals", Goals.of(r));
        j.put("section_ms", r.sectionMillis);
        j.put("problems", r.problems);
        return j;
    }
}
