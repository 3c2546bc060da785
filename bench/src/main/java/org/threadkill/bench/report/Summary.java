package org.threadkill.bench.report;

import java.io.PrintStream;
import java.util.Map;

import org.threadkill.bench.Results;

/** What the console shows at the end of a run: the ratios and the goals. */
public final class Summary {
    private Summary() {}

    public static void print(Results r, PrintStream out) {
        out.println("\n=== threadkill benchmarks (" + r.mode + ") ===");
        for (Map.Entry<String, Object> e : Ratios.of(r).entrySet()) {
            out.printf("  %-78s %s%n", e.getKey(), Ratios.show(e.getKey(), (Double) e.getValue()));
        }
        out.println("Goals:");
        for (Map<String, Object> g : Goals.of(r)) {
            Object met = g.get("met");
            out.println("  [" + (met == null ? "not measured" : (Boolean) met ? "met" : "MISSED") + "] " + g.get("goal")
                    + ": " + g.get("measured"));
        }
    }
}
