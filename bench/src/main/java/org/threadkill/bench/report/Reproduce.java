package org.threadkill.bench.report;

import org.threadkill.bench.Results;

/** How to run it again, where the raw output is, and what this run could not measure. */
final class Reproduce {
    private Reproduce() {}

    static String render(Results r) {
        StringBuilder items = new StringBuilder();
        for (String p : r.problems) items.append("- ").append(p.replace('\n', ' ')).append('\n');
        return Template.of("reproduce").with("sections", r.sectionMillis)
                .with("problems", r.problems.isEmpty() ? "" : Template.of("problems").with("items", items).render())
                .render();
    }
}
