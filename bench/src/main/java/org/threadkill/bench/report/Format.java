package org.threadkill.bench.report;

import java.util.Locale;

/** How the report writes numbers: µs, ms, ns, ratios, percentages. */
public final class Format {
    private Format() {}

    public static String us(long ns) {
        if (ns < 0) return "–";
        double u = ns / 1000.0;
        return u < 10 ? String.format(Locale.ROOT, "%.2f", u)
                : u < 100 ? String.format(Locale.ROOT, "%.1f", u) : String.format(Locale.ROOT, "%,.0f", u);
    }

    public static String ms(Object ns) {
        if (ns == null) return "–";
        long v = Long.parseLong(ns.toString());
        return v < 0 ? "–" : String.format(Locale.ROOT, "%.1f", v / 1e6);
    }

    /** Milliseconds with two decimals: {@code 0.35}. */
    public static String ms2(long ns) {
        return ns < 0 ? "–" : String.format(Locale.ROOT, "%.2f", ns / 1e6);
    }

    public static String ns(long v) {
        if (v < 0) return "–";
        return v < 10_000 ? v + " ns" : us(v) + " µs";
    }

    public static String x(double ratio) {
        if (!Double.isFinite(ratio)) return "–";
        return ratio >= 100 ? String.format(Locale.ROOT, "%,.0f×", ratio) : String.format(Locale.ROOT, "%.2f×", ratio);
    }

    public static double ratio(long a, long b) {
        return a > 0 && b > 0 ? (double) a / b : Double.NaN;
    }

    /** A signed percentage with the given decimals: {@code +1.2%}. */
    public static String pct(double v, int decimals) {
        return String.format(Locale.ROOT, "%+." + decimals + "f%%", v);
    }

    /** A markdown table row of two cells. */
    static void row(StringBuilder s, String k, Object v) {
        s.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }
}
