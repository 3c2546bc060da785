package org.threadkill.bench.report;

import java.util.Map;

import org.threadkill.bench.Results;

/** The goals of the benchmark issue and whether this run met them. */
final class GoalsTable {
    private GoalsTable() {}

    static String render(Results r) {
        StringBuilder rows = new StringBuilder();
        for (Map<String, Object> g : Goals.of(r)) {
            Object met = g.get("met");
            rows.append("| ").append(g.get("goal")).append(" | ").append(g.get("measured")).append(" | ")
                    .append(met == null ? "not measured" : (Boolean) met ? "**met**" : "**missed**").append(" | ")
                    .append(g.get("note")).append(" |\n");
        }
        return Template.of("goals").with("rows", rows).render();
    }
}
