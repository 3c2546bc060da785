package org.threadkill.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Order statistics of a sample of durations in nanoseconds (nearest-rank percentiles). */
public final class Stats {
    public final long[] sorted;

    public Stats(List<Long> values) {
        this.sorted = values.stream().mapToLong(Long::longValue).filter(v -> v >= 0).sorted().toArray();
    }

    public int n() {
        return sorted.length;
    }

    public boolean empty() {
        return sorted.length == 0;
    }

    public long pct(double p) {
        if (sorted.length == 0) return -1;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public long median() {
        return pct(50);
    }

    public long max() {
        return sorted.length == 0 ? -1 : sorted[sorted.length - 1];
    }

    public long min() {
        return sorted.length == 0 ? -1 : sorted[0];
    }

    /** The median of a few doubles (the mean of the middle two for an even count). */
    public double medianOf(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    public double mean() {
        return Arrays.stream(sorted).average().orElse(-1);
    }

    /** The JSON form: n and percentiles in ns. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n());
        if (empty()) return m;
        m.put("min_ns", min());
        m.put("p10_ns", pct(10));
        m.put("p25_ns", pct(25));
        m.put("median_ns", median());
        m.put("p75_ns", pct(75));
        m.put("p90_ns", pct(90));
        m.put("p99_ns", pct(99));
        m.put("max_ns", max());
        return m;
    }
}
