package org.threadkill;

import java.time.Duration;
import java.util.Locale;

/** Durations as people read them in a log line: "43 µs", "1.5 ms", "300 ms", "2.0 s", "3 h". */
final class HumanTime {
    private HumanTime() {}

    static String of(Duration d) {
        if (d == null) return "?";
        if (d.isNegative()) return "-" + of(d.negated());
        long s = d.getSeconds();
        if (s >= 3600) return (s / 3600) + " h";
        if (s >= 60) return (s / 60) + " min";
        long nanos = s * 1_000_000_000L + d.getNano();   // < 60 s: no overflow
        if (nanos < 1_000L) return nanos + " ns";
        if (nanos < 10_000_000L) return trim(nanos / 1_000.0, nanos < 1_000_000L ? " µs" : null);
        if (nanos < 1_000_000_000L) return Math.round(nanos / 1_000_000.0) + " ms";
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String trim(double micros, String unit) {
        if (unit != null) return (micros < 100 ? String.format(Locale.ROOT, "%.1f", micros) : Long.toString(Math.round(micros))) + unit;
        return String.format(Locale.ROOT, "%.1f ms", micros / 1_000.0);
    }
}
