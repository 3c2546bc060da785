package org.threadkill.bench.report;

import static org.threadkill.bench.report.Format.ms;
import static org.threadkill.bench.report.Format.row;
import static org.threadkill.bench.report.Format.us;

import java.util.List;
import java.util.Locale;

import org.threadkill.bench.Results;
import org.threadkill.bench.Stats;

/** Many threads frozen in one JVM: the cost per kill, memory, GC, a new thread, exit. */
final class ScaleTable {
    private ScaleTable() {}

    static String render(Results r) {
        StringBuilder s = new StringBuilder();
        Stats wall = r.stats("scale_kill_wall"), lat = r.stats("scale_kill_latency");
        row(s, "frozen", r.facts.getOrDefault("frozen", "–") + " of " + r.facts.getOrDefault("scale_n", "?")
                + " (still `isAlive()`: " + r.facts.getOrDefault("frozen_alive", "–") + ")");
        row(s, "time per kill: the whole `kill()` call, median / p99 / max (µs)", us(wall.median()) + " / " + us(wall.pct(99)) + " / " + us(wall.max()));
        row(s, "time per kill: call → handler entered, median / p99 (µs)", us(lat.median()) + " / " + us(lat.pct(99)));
        row(s, "first vs last 10%: median call time (µs)", us(firstLast(r.samples("scale_kill_wall"), true)) + " → "
                + us(firstLast(r.samples("scale_kill_wall"), false)));
        row(s, "memory per blocked thread, before the freeze (VmRSS / VmSize)", perThread(r, "before", "blocked"));
        row(s, "memory added per frozen thread by the freeze (VmRSS / VmSize)", perThread(r, "blocked", "frozen"));
        row(s, "`System.gc()` with all of them frozen (ms); baseline, the same threads only blocked", ms(r.facts.get("gc_ns"))
                + "; " + ms(r.facts.get("baseline_gc_ns")));
        row(s, "a new thread started and joined afterwards (ms)", ms(r.facts.get("new_thread_ns")));
        row(s, "`System.exit(0)` → process gone (ms); baseline, the same threads only blocked", ms(r.facts.get("exit_ns"))
                + " (exit code " + r.facts.getOrDefault("scale_exit_code", "?") + "); " + ms(r.facts.get("baseline_exit_ns")));
        return Template.of("scale").with("n", r.facts.getOrDefault("scale_n", "?")).with("rows", s).render();
    }

    /** The median of the first (or last) tenth of the kills, in the order they were made. */
    static long firstLast(List<Long> inOrder, boolean first) {
        int k = Math.max(1, inOrder.size() / 10);
        if (inOrder.size() < 2) return -1;
        return new Stats(first ? inOrder.subList(0, k) : inOrder.subList(inOrder.size() - k, inOrder.size())).median();
    }

    static String perThread(Results r, String from, String to) {
        try {
            double n = Double.parseDouble(r.facts.get("scale_n").toString());
            long rss = Long.parseLong(r.facts.get(to + "_VmRSS").toString()) - Long.parseLong(r.facts.get(from + "_VmRSS").toString());
            long vsz = Long.parseLong(r.facts.get(to + "_VmSize").toString()) - Long.parseLong(r.facts.get(from + "_VmSize").toString());
            return String.format(Locale.ROOT, "%.1f KiB / %.1f KiB", rss / n, vsz / n);
        } catch (RuntimeException e) {
            return "–";
        }
    }
}
