package org.threadkill.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.threadkill.bench.Results;

/**
 * Writes one run as docs/benchmarks.md (or target/bench/benchmarks.md for --quick) and its SVG chart.
 * The report is its sections in order, each rendered by its own class from its templates
 * (src/main/resources/report/*.md).
 */
public final class Report {
    private Report() {}

    public static void write(Results r, Path doc, Path out) throws IOException {
        String svgName = doc.getFileName().toString().replace(".md", "") + "-latency.svg";
        String svg = LatencyChart.render(r);
        Files.writeString(out.resolve(svgName), svg);
        if (doc.getParent() != null) Files.createDirectories(doc.getParent());
        Files.writeString(doc.resolveSibling(svgName), svg);
        Files.writeString(doc, markdown(r, svgName));
    }

    static String markdown(Results r, String svgName) {
        return MachineTable.render(r)
                + Headline.render(r)
                + GoalsTable.render(r)
                + KillLatency.render(r, svgName)
                + Alternatives.render(r)
                + DeadlineTables.render(r)
                + LookupTable.render(r)
                + JmhTables.render(r)
                + ScaleTable.render(r)
                + SafePointTables.render(r)
                + RatiosTable.render(r)
                + Reproduce.render(r);
    }
}
