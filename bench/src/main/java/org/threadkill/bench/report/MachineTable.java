package org.threadkill.bench.report;

import static org.threadkill.bench.report.Format.row;

import java.util.Map;

import org.threadkill.bench.Results;

/** The report's title, what generated it, and the machine it ran on. */
final class MachineTable {
    private MachineTable() {}

    static String render(Results r) {
        Map<String, Object> m = r.machine;
        StringBuilder rows = new StringBuilder();
        row(rows, "CPU", m.get("cpu") + " — " + m.get("cpus") + " CPUs available");
        row(rows, "memory", m.get("memory"));
        row(rows, "OS", m.get("os") + ", " + m.get("glibc"));
        row(rows, "JDK (kills, lookup, scale)", m.get("jdk_kills"));
        row(rows, "JDK (JMH)", m.get("jdk_jmh"));
        row(rows, "Python", r.facts.getOrDefault("python", "–"));
        row(rows, "load average (1/5/15 min) at start → end", m.get("loadavg_start") + " → " + m.get("loadavg_end"));
        String note = String.valueOf(m.get("note"));
        return Template.of("header").with("mode", r.mode).with("started", m.get("started"))
                .with("note", note.isBlank() ? "" : Template.of("header-note").with("note", note).render())
                .with("rows", rows).render();
    }
}
