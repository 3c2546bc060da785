package org.threadkill.bench.report;

import static org.threadkill.bench.report.Format.ratio;
import static org.threadkill.bench.report.Format.us;
import static org.threadkill.bench.report.Format.x;

import org.threadkill.bench.Results;
import org.threadkill.bench.Stats;
import org.threadkill.bench.Victim;

/** Kill latency per mode and victim, the cells where a mode does not apply, and what the freeze adds to the floor. */
final class KillLatency {
    private KillLatency() {}

    static String render(Results r, String chart) {
        long destroy = r.stats("jvm_destroy_reaped").median();
        StringBuilder rows = new StringBuilder();
        for (Results.Cell c : r.cells) {
            if (c.probe || c.mode.equals("SUSPEND")) continue;
            Stats l = c.latencyStats();
            Results.Cell floor = r.cell("FLOOR", c.kind);
            boolean isFloor = c.mode.equals("FLOOR");
            rows.append("| ").append(isFloor ? "floor (signal + ack)" : c.mode).append(" | ").append(c.kind).append(" | ")
                    .append(c.stopped()).append('/').append(c.tries()).append(" | ")
                    .append(us(l.median())).append(" | ").append(us(l.pct(90))).append(" | ").append(us(l.pct(99)))
                    .append(" | ").append(us(l.max())).append(" | ")
                    .append(us(new Stats(c.handler).median())).append(" | ").append(us(new Stats(c.observed).median()))
                    .append(" | ").append(us(new Stats(c.wall).median())).append(" | ")
                    .append(isFloor || floor == null ? "" : x(ratio(l.median(), floor.latencyStats().median())))
                    .append(" | ").append(isFloor ? "" : x(ratio(destroy, l.median()))).append(" |\n");
        }
        StringBuilder probes = new StringBuilder();
        for (Results.Cell c : r.cells) {
            if (!c.probe) continue;
            probes.append("| ").append(c.mode).append(" | ").append(c.kind).append(" | ").append(c.outcomes).append(" | ")
                    .append(String.join("; ", c.notes)).append(" |\n");
        }
        StringBuilder breakdown = new StringBuilder();
        for (Victim.Kind k : Victim.Kind.values()) {
            Results.Cell f = r.cell("FLOOR", k), su = r.cell("SUSPEND", k), fr = r.cell("NATIVE_FREEZE", k);
            if (f == null || su == null || fr == null) continue;
            Stats fs = f.latencyStats(), ss = su.latencyStats(), rs = new Stats(su.handler), zs = fr.latencyStats();
            breakdown.append("| ").append(k).append(" | ").append(us(fs.median())).append(" / ").append(us(fs.pct(99)))
                    .append(" | ").append(us(ss.median())).append(" / ").append(us(ss.pct(99)))
                    .append(" | ").append(us(rs.median())).append(" / ").append(us(rs.pct(99)))
                    .append(" | ").append(us(zs.median())).append(" / ").append(us(zs.pct(99)))
                    .append(" | ").append(us(zs.median() - fs.median())).append(" |\n");
        }
        StringBuilder notes = new StringBuilder();
        for (Results.Cell c : r.cells) {
            if (c.probe || c.notes.isEmpty()) continue;
            notes.append("- ").append(c.label()).append(": ").append(String.join("; ", c.notes)).append('\n');
        }
        return Template.of("kill-latency").with("chart", chart).with("rows", rows).with("heldLocks", heldLocks(r))
                .with("probes", probes).with("breakdown", breakdown)
                .with("notes", notes.length() == 0 ? "" : Template.of("kill-notes").with("items", notes).render())
                .render();
    }

    /** Why the whole kill() call of a native mode takes longer than its latency; empty when not measured. */
    private static String heldLocks(Results r) {
        Stats held = r.stats("heldlocks");
        Results.Cell frz = r.cell("NATIVE_FREEZE", Victim.Kind.NATIVE_READ);
        if (held.empty() || frz == null) return "";
        Results.Cell fs = r.cell("FLOOR", Victim.Kind.JAVA_SPIN), fb = r.cell("FLOOR", Victim.Kind.NATIVE_READ);
        String floorCalls = fs == null || fb == null ? "" : Template.of("kill-floor-calls")
                .with("spinWall", us(new Stats(fs.wall).median())).with("blockedWall", us(new Stats(fb.wall).median()))
                .with("spinHandler", us(fs.latencyStats().median())).with("blockedHandler", us(fb.latencyStats().median()))
                .render();
        return Template.of("kill-held-locks").with("freezeWall", us(new Stats(frz.wall).median()))
                .with("heldLocks", us(held.median())).with("floorCalls", floorCalls).render();
    }
}
