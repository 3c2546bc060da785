package org.threadkill.consequences;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.threadkill.testing.Json;

/** Writes one JDK's matrix as JSON, as a self-contained HTML page, and as its section of docs/consequences.md. */
public final class Report {
    /** Worst first: the colour of a cell is that of its worst outcome. */
    static final List<Outcome> SEVERITY = List.of(Outcome.PROCESS_DIED, Outcome.JVM_CRASH, Outcome.JVM_HANG,
            Outcome.CORRUPTION, Outcome.DEADLOCK, Outcome.LEAK, Outcome.NO_EFFECT, Outcome.CLEAN);
    static final Map<Outcome, String> COLOUR = Map.of(
            Outcome.CLEAN, "#2e7d32", Outcome.NO_EFFECT, "#757575", Outcome.LEAK, "#f9a825",
            Outcome.DEADLOCK, "#ef6c00", Outcome.CORRUPTION, "#8e24aa", Outcome.JVM_HANG, "#d32f2f",
            Outcome.JVM_CRASH, "#7f0000", Outcome.PROCESS_DIED, "#000000");

    private final int jdk;
    private final String jvm;
    private final List<Scenario> scenarios;
    private final List<Column> columns;
    private final List<Matrix.CellRuns> cells;
    private final long elapsedMs;
    private final String generated = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

    public Report(int jdk, String jvm, List<Scenario> scenarios, List<Column> columns, List<Matrix.CellRuns> cells, long elapsedMs) {
        this.jdk = jdk;
        this.jvm = jvm;
        this.scenarios = scenarios;
        this.columns = columns;
        this.cells = cells;
        this.elapsedMs = elapsedMs;
    }

    private Matrix.CellRuns cell(Scenario s, Column c) {
        for (Matrix.CellRuns r : cells) {
            if (r.scenario() == s && r.column() == c) return r;
        }
        return null;
    }

    private List<Column> usedColumns() {
        List<Column> used = new ArrayList<>();
        for (Column c : columns) {
            if (cells.stream().anyMatch(r -> r.column() == c)) used.add(c);
        }
        return used;
    }

    static Set<Outcome> union(Matrix.CellRuns c) {
        Set<Outcome> u = EnumSet.noneOf(Outcome.class);
        c.variants().keySet().forEach(u::addAll);
        return u;
    }

    static Outcome worst(Set<Outcome> s) {
        for (Outcome o : SEVERITY) {
            if (s.contains(o)) return o;
        }
        return null;
    }

    /** "DEADLOCK, LEAK" or "DEADLOCK, LEAK 3/4 · LEAK 1/4". */
    static String label(Matrix.CellRuns c) {
        Map<Set<Outcome>, Integer> v = c.variants();
        if (v.isEmpty()) return "error";
        if (v.size() == 1 && c.errors() == 0) return join(v.keySet().iterator().next());
        StringBuilder sb = new StringBuilder();
        int n = c.runs().size();
        for (Map.Entry<Set<Outcome>, Integer> e : v.entrySet()) {
            if (sb.length() > 0) sb.append(" · ");
            sb.append(join(e.getKey())).append(' ').append(e.getValue()).append('/').append(n);
        }
        if (c.errors() > 0) sb.append(" · error ").append(c.errors()).append('/').append(n);
        return sb.toString();
    }

    static String join(Set<Outcome> s) {
        List<String> names = new ArrayList<>();
        for (Outcome o : SEVERITY) {
            if (s.contains(o)) names.add(o.name());
        }
        return String.join(", ", names);
    }

    /** Evidence of the first run of each variant (and of errors). */
    static Map<String, List<String>> evidenceByVariant(Matrix.CellRuns c) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (CellResult r : c.runs()) {
            String key = r.error() != null ? "error" : join(r.outcomes());
            if (m.containsKey(key)) continue;
            List<String> ev = new ArrayList<>(r.evidence());
            if (r.error() != null) ev.add("harness error: " + r.error());
            m.put(key, ev);
        }
        return m;
    }

    static CellResult representative(Matrix.CellRuns c) {
        return c.runs().get(0);
    }

    // ---- JSON

    /** matrix.json: everything the tables show, and the evidence and timeline behind each cell. */
    public String json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("jdk", jdk);
        j.put("jvm", jvm);
        j.put("generated", generated);
        j.put("elapsedMs", elapsedMs);
        List<Object> columns = new ArrayList<>();
        for (Column c : usedColumns()) columns.add(c.name());
        j.put("columns", columns);
        List<Object> rows = new ArrayList<>();
        for (Scenario s : scenarios) rows.add(Map.of("id", s.id(), "title", s.title()));
        j.put("scenarios", rows);
        List<Object> cellList = new ArrayList<>();
        for (Matrix.CellRuns c : cells) {
            Expectation e = c.expected();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", c.scenario().id());
            m.put("mode", c.column().name());
            m.put("jdk", jdk);
            m.put("repeats", c.runs().size());
            m.put("outcomes", outcomes(union(c)));
            List<Object> variants = new ArrayList<>();
            for (Map.Entry<Set<Outcome>, Integer> v : c.variants().entrySet()) {
                Map<String, Object> vm = new LinkedHashMap<>();
                vm.put("outcomes", outcomes(v.getKey()));
                vm.put("count", v.getValue());
                variants.add(vm);
            }
            m.put("variants", variants);
            m.put("errors", c.errors());
            m.put("expected", e == null ? null : e.toString());
            m.put("verdict", c.verdict());
            m.put("durationMs", c.meanMillis());
            m.put("evidence", new LinkedHashMap<String, Object>(evidenceByVariant(c)));
            List<Object> tl = new ArrayList<>();
            for (CellResult.Event ev : representative(c).timeline()) tl.add(ev.toString());
            m.put("timeline", tl);
            m.put("ending", representative(c).ending());
            cellList.add(m);
        }
        j.put("cells", cellList);
        j.put("verdictScore", VerdictScore.of(jdk, cells).json());
        return Json.write(j);
    }

    private static List<Object> outcomes(Set<Outcome> s) {
        List<Object> l = new ArrayList<>();
        for (Outcome o : SEVERITY) {
            if (s.contains(o)) l.add(o.name());
        }
        return l;
    }

    // ---- HTML

    public String html() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>threadkill consequence matrix, JDK ")
          .append(jdk).append("</title>\n<style>\n")
          .append("body{font-family:system-ui,sans-serif;margin:1.5em;background:#fafafa;color:#222}\n")
          .append("table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.35em .5em;vertical-align:top}\n")
          .append("th{background:#eee;font-size:.9em}td.row{max-width:26em;font-size:.85em}td.row b{font-size:1.1em}\n")
          .append("td.cell{color:#fff;font-weight:600;font-size:.8em;cursor:pointer;min-width:8em;text-align:center}\n")
          .append("td.cell:hover{outline:3px solid #222}td.na{background:#fff;color:#aaa;text-align:center}\n")
          .append(".legend span{display:inline-block;color:#fff;padding:.2em .5em;margin:.1em;font-size:.8em;border-radius:3px}\n")
          .append("#detail{margin-top:1em;padding:1em;background:#fff;border:1px solid #ccc;white-space:pre-wrap;font-family:monospace;font-size:.85em}\n")
          .append(".flag{font-size:.75em;font-weight:400}\n</style></head><body>\n");
        sb.append("<h1>What killing a thread leaves behind: JDK ").append(jdk).append("</h1>\n<p>")
          .append(esc(jvm)).append(". Generated ").append(generated).append(" by <code>scripts/matrix</code> in ")
          .append(elapsedMs / 1000).append(" s. Every cell ran in its own child JVM; its outcomes come from what was observed. ")
          .append("Hover a cell for its evidence, click it for the timeline.</p>\n<p class=\"legend\">");
        for (Outcome o : SEVERITY) {
            sb.append("<span style=\"background:").append(COLOUR.get(o)).append("\" title=\"").append(esc(o.meaning))
              .append("\">").append(o).append("</span>");
        }
        sb.append("</p>\n<table>\n<tr><th>scenario</th>");
        List<Column> used = usedColumns();
        for (Column c : used) sb.append("<th>").append(c).append("</th>");
        sb.append("</tr>\n");
        StringBuilder details = new StringBuilder();
        int idx = 0;
        for (Scenario s : scenarios) {
            sb.append("<tr><td class=\"row\"><b>").append(esc(s.id())).append("</b><br>").append(esc(s.title())).append("</td>");
            for (Column c : used) {
                Matrix.CellRuns r = cell(s, c);
                if (r == null) {
                    sb.append("<td class=\"na\">—</td>");
                    continue;
                }
                Outcome w = worst(union(r));
                String bg = w == null ? "#555" : COLOUR.get(w);
                StringBuilder hover = new StringBuilder();
                for (Map.Entry<String, List<String>> ev : evidenceByVariant(r).entrySet()) {
                    for (String line : ev.getValue()) hover.append(line).append('\n');
                }
                StringBuilder detail = new StringBuilder();
                detail.append(s.id()).append(" × ").append(c).append(" on JDK ").append(jdk).append(": ").append(label(r))
                      .append("\nrepeats: ").append(r.runs().size()).append(", mean ").append(r.meanMillis()).append(" ms; ")
                      .append(r.verdict()).append(r.expected() == null ? "" : " (expected " + r.expected() + ")").append("\n\nevidence:\n");
                for (Map.Entry<String, List<String>> ev : evidenceByVariant(r).entrySet()) {
                    detail.append(" [").append(ev.getKey()).append("]\n");
                    for (String line : ev.getValue()) detail.append("   ").append(line).append('\n');
                }
                detail.append("\ntimeline of run 1 (").append(representative(r).ending()).append("):\n");
                for (CellResult.Event e : representative(r).timeline()) detail.append("   ").append(e).append('\n');
                details.append("D[").append(idx).append("]=").append(Json.string(detail.toString())).append(";\n");
                String flag = r.verdict().equals("as expected") ? "" : "<br><span class=\"flag\">" + esc(r.verdict()) + "</span>";
                sb.append("<td class=\"cell\" style=\"background:").append(bg).append("\" title=\"").append(esc(hover.toString()))
                  .append("\" onclick=\"show(").append(idx).append(")\">").append(esc(label(r)).replace(" · ", "<br>"))
                  .append(flag).append("</td>");
                idx++;
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n<div id=\"detail\">Click a cell.</div>\n");
        sb.append(VerdictScore.of(jdk, cells).html());
        sb.append("<script>\nvar D=[];\n").append(details)
          .append("function show(i){document.getElementById('detail').textContent=D[i];}\n</script>\n</body></html>\n");
        return sb.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---- Markdown

    public static String anchor(int jdk, String scenario, Column c) {
        return "jdk" + jdk + "-" + scenario + "-" + c.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String markdownSection() {
        StringBuilder sb = new StringBuilder();
        int runs = cells.stream().mapToInt(c -> c.runs().size()).sum();
        sb.append("<!-- BEGIN JDK ").append(jdk).append(" -->\n## JDK ").append(jdk).append("\n\n")
          .append(jvm).append(". ").append(cells.size()).append(" cells, ").append(runs).append(" runs (cells known to vary ran several times; ")
          .append("the count says how often each outcome set was seen), ").append(elapsedMs / 1000).append(" s, generated ")
          .append(generated).append(".\n\n| scenario |");
        List<Column> used = usedColumns();
        for (Column c : used) sb.append(' ').append(c).append(" |");
        sb.append("\n|---|");
        for (int i = 0; i < used.size(); i++) sb.append("---|");
        sb.append('\n');
        for (Scenario s : scenarios) {
            sb.append("| **").append(s.id()).append("**: ").append(s.title().replace("|", "\\|")).append(" |");
            for (Column c : used) {
                Matrix.CellRuns r = cell(s, c);
                if (r == null) {
                    sb.append(" — |");
                    continue;
                }
                String mark = r.verdict().equals("as expected") ? "" : " ⚠ " + r.verdict();
                sb.append(" [").append(label(r)).append("](#").append(anchor(jdk, s.id(), c)).append(")").append(mark).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\n### Evidence, JDK ").append(jdk).append("\n\n");
        for (Scenario s : scenarios) {
            for (Column c : used) {
                Matrix.CellRuns r = cell(s, c);
                if (r == null) continue;
                sb.append("<a id=\"").append(anchor(jdk, s.id(), c)).append("\"></a>**").append(s.id()).append(" × ").append(c)
                  .append("**: ").append(label(r)).append('\n');
                for (Map.Entry<String, List<String>> ev : evidenceByVariant(r).entrySet()) {
                    for (String line : ev.getValue()) {
                        sb.append("- ").append(r.variants().size() > 1 ? "[" + ev.getKey() + "] " : "")
                          .append(line.replace("|", "\\|").replace("<", "&lt;").replace("*", "\\*")).append('\n');
                    }
                }
                sb.append('\n');
            }
        }
        sb.append(VerdictScore.of(jdk, cells).markdown());
        sb.append("<!-- END JDK ").append(jdk).append(" -->\n");
        return sb.toString();
    }

    private static final String HEADER = "# The consequence matrix\n\n"
            + "<!-- Generated by scripts/matrix (org.threadkill.consequences.Matrix). Do not edit by hand: run\n"
            + "     scripts/matrix on each JDK; each run replaces its own JDK's section and keeps the others. -->\n\n"
            + "What each way of stopping a thread left behind, observed by the consequence suite: every cell is a\n"
            + "child JVM that starts a victim, kills it, probes the aftermath and reports what it saw. Outcomes come\n"
            + "from evidence (exit status and signal, hs_err files, a heartbeat that stops when the JVM stops,\n"
            + "bounded probe waits, ThreadMXBean states, /proc), never from expectations. `PROCESS` is the\n"
            + "baseline: the same work in a child process ended with `Process.destroyForcibly()`.\n"
            + "Why each outcome happens: [how-it-works.md](how-it-works.md).\n\n"
            + "| outcome | meaning |\n|---|---|\n"
            + "| CLEAN | the victim stopped, every probe finished, the JVM exited normally |\n"
            + "| NO_EFFECT | the victim still ran 300 ms after the kill |\n"
            + "| LEAK | a descriptor stayed open, or the victim's thread stays (parked for good, or listed by the JVM after the OS dropped it) |\n"
            + "| DEADLOCK | a probe stayed blocked (1.5 s) on something the dead or frozen victim held |\n"
            + "| CORRUPTION | an invariant was seen broken (a == b, mutual exclusion, a class that can no longer be used) |\n"
            + "| JVM_HANG | the child printed nothing (not even its 200 ms heartbeat) for " + CellRunner.STALL.toMillis() / 1000 + " s, or never exited after main returned |\n"
            + "| JVM_CRASH | hs_err file / fatal signal |\n"
            + "| PROCESS_DIED | killed by a signal without an hs_err file |\n\n";

    /** Replaces this JDK's section of the Markdown file, keeping the others (sorted by JDK). */
    public static void updateMarkdown(Path file, int jdk, String section) throws IOException {
        Map<Integer, String> sections = new TreeMap<>();
        if (Files.exists(file)) {
            String old = Files.readString(file, StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("<!-- BEGIN JDK (\\d+) -->.*?<!-- END JDK \\1 -->\\n", Pattern.DOTALL).matcher(old);
            while (m.find()) sections.put(Integer.parseInt(m.group(1)), m.group());
        }
        sections.put(jdk, section);
        StringBuilder sb = new StringBuilder(HEADER);
        for (String s : sections.values()) sb.append(s).append('\n');
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        Files.writeString(file, sb.toString().stripTrailing() + "\n", StandardCharsets.UTF_8);
    }

    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("JDK ").append(jdk).append(" (").append(jvm).append("): ").append(cells.size()).append(" cells, ")
          .append(cells.stream().mapToInt(c -> c.runs().size()).sum()).append(" runs in ").append(elapsedMs / 1000).append(" s\n");
        Map<String, Integer> verdicts = new TreeMap<>();
        for (Matrix.CellRuns c : cells) verdicts.merge(c.verdict(), 1, Integer::sum);
        sb.append("verdicts: ").append(verdicts).append('\n');
        int w = scenarios.stream().mapToInt(s -> s.id().length()).max().orElse(10);
        List<Column> used = usedColumns();
        sb.append(String.format(Locale.ROOT, "%-" + w + "s", "scenario"));
        for (Column c : used) sb.append(" | ").append(String.format(Locale.ROOT, "%-22s", c));
        sb.append('\n');
        for (Scenario s : scenarios) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s", s.id()));
            for (Column c : used) {
                Matrix.CellRuns r = cell(s, c);
                String l = r == null ? "—" : label(r) + (r.verdict().equals("as expected") ? "" : " (" + r.verdict() + ")");
                sb.append(" | ").append(String.format(Locale.ROOT, "%-22s", l));
            }
            sb.append('\n');
        }
        sb.append('\n').append(VerdictScore.of(jdk, cells).summary());
        for (Matrix.CellRuns c : cells) {
            if (c.verdict().equals("UNEXPECTED") || c.verdict().equals("ERROR")) {
                sb.append("\n").append(c.verdict()).append(": ").append(c.scenario().id()).append(" × ").append(c.column())
                  .append(" saw ").append(label(c)).append(", expected ").append(c.expected());
                for (CellResult r : c.runs()) {
                    if (r.error() != null || (c.expected() != null && !c.expected().matches(r.outcomes()))) {
                        sb.append("\n  run in ").append(r.workDir()).append(": ").append(r.error() != null ? r.error() : r.evidence());
                    }
                }
            }
        }
        return sb.toString();
    }
}
