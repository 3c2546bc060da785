package org.threadkill.bench.report;

import static org.threadkill.bench.report.Format.row;

import java.util.Map;

import org.threadkill.bench.Results;

/** Every ratio of the run, by its key in bench.json. */
final class RatiosTable {
    private RatiosTable() {}

    static String render(Results r) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Object> e : Ratios.of(r).entrySet()) {
            row(s, "`" + e.getKey() + "`", Ratios.show(e.getKey(), (Double) e.getValue()));
        }
        return Template.of("ratios").with("rows", s).render();
    }
}
