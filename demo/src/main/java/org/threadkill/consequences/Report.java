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

    /** Plain-language column head, for the page, the docs and the narration. */
    public static String head(Column c) {
        switch (c) {
            case INTERRUPT: return "interrupt";
            case ASYNC_EXCEPTION: return "async exception";
            case NATIVE_FREEZE: return "freeze";
            case NATIVE_EXIT: return "exit";
            case NATIVE_CANCEL: return "cancel";
            case DEADLINE: return "deadline";
            case PROCESS: return "kill the process";
            case SIGKILL_THREAD: return "SIGKILL thread";
            default: return c.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

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

    /** Text and background of a cell whose worst outcome this is: every pair at least 4.5:1 (WCAG AA). */
    static final Map<Outcome, String[]> CELL_COLOURS = Map.of(
            Outcome.CLEAN, new String[] {"#ffffff", "#1b5e20"},
            Outcome.NO_EFFECT, new String[] {"#ffffff", "#545454"},
            Outcome.LEAK, new String[] {"#111111", "#f9a825"},
            Outcome.DEADLOCK, new String[] {"#ffffff", "#b33c00"},
            Outcome.CORRUPTION, new String[] {"#ffffff", "#6a1b9a"},
            Outcome.JVM_HANG, new String[] {"#ffffff", "#b71c1c"},
            Outcome.JVM_CRASH, new String[] {"#ffffff", "#6d0000"},
            Outcome.PROCESS_DIED, new String[] {"#ffffff", "#000000"});

    /** What an outcome means, in a few words, for the legend on the page. */
    static String plain(Outcome o) {
        switch (o) {
            case CLEAN: return "stopped, nothing left behind";
            case NO_EFFECT: return "kept running";
            case LEAK: return "a thread, file or memory stays for good";
            case DEADLOCK: return "another thread waits forever on what it held";
            case CORRUPTION: return "other threads see broken state";
            case JVM_HANG: return "the whole JVM stopped";
            case JVM_CRASH: return "the whole JVM crashed";
            case PROCESS_DIED: return "the process died";
            default: return o.meaning;
        }
    }

    /** The columns as the page and the docs show them: the process baseline first, always in view. */
    List<Column> shownColumns() {
        List<Column> used = usedColumns();
        List<Column> shown = new ArrayList<>();
        if (used.contains(Column.PROCESS)) shown.add(Column.PROCESS);
        for (Column c : used) {
            if (c != Column.PROCESS) shown.add(c);
        }
        return shown;
    }

    /**
     * The page for a projector at 1920x1080: big type, every text at least 4.5:1 against its
     * background, plain column heads, the legend written out, and the evidence of the selected cell
     * in a panel that is always visible (click a cell, or step through the cells with the arrow
     * keys or a clicker's page keys; {@code #cN} in the address opens cell N).
     */
    public String html() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>threadkill consequence matrix, JDK ")
          .append(jdk).append("</title>\n<style>\n")
          .append("html{font-size:20px}\n")
          .append("body{font-family:system-ui,sans-serif;margin:0;padding:1rem 1.5rem;color:#111111;background:#fafafa}\n")
          .append("h1{font-size:2rem;margin:.2rem 0 .4rem}\n")
          .append("p.sub{font-size:1rem;margin:.2rem 0 .8rem;color:#333333;background:#fafafa}\n")
          .append(".wrap{display:flex;gap:1.2rem;align-items:flex-start}\n")
          .append(".left{flex:1 1 auto;min-width:0;overflow-x:auto}\n")
          .append("table{border-collapse:collapse;width:100%}\n")
          .append("th,td{border:2px solid #ffffff;padding:.3rem .35rem;vertical-align:middle}\n")
          .append("th{color:#111111;background:#dddddd;font-size:1.1rem}\n")
          .append("th.base{color:#ffffff;background:#1b5e20}\n")
          .append("td.row{color:#111111;background:#eeeeee;font-size:1.1rem;font-weight:700;white-space:nowrap}\n")
          .append("td.cell{font-weight:700;font-size:1rem;cursor:pointer;text-align:center;line-height:1.25}\n")
          .append("td.cell.sel{outline:5px solid #0d47a1;outline-offset:-5px}\n")
          .append("td.na{color:#595959;background:#ffffff;text-align:center}\n")
          .append(".flag{font-size:.85rem;font-weight:400}\n")
          .append(".legend{display:flex;flex-wrap:wrap;gap:.3rem .8rem;margin:.3rem 0 .8rem;padding:0;list-style:none}\n")
          .append(".legend li{font-size:1rem;color:#111111;background:#fafafa}\n")
          .append(".legend b{display:inline-block;padding:.1rem .4rem;margin-right:.3rem;border-radius:3px}\n")
          .append("#detail{flex:0 0 30%;position:sticky;top:1rem;max-height:calc(100vh - 2rem);overflow:auto;"
                  + "color:#111111;background:#ffffff;border:3px solid #0d47a1;padding:.8rem 1rem;font-size:1.05rem}\n")
          .append("#detail h2{font-size:1.4rem;margin:0 0 .4rem}\n")
          .append("#detail .what{font-size:1rem;color:#333333;background:#ffffff;margin:0 0 .5rem}\n")
          .append("#detail ul{margin:.2rem 0 .6rem;padding-left:1.2rem}\n")
          .append("#detail li{margin:.25rem 0}\n")
          .append("#detail pre{font-size:.8rem;white-space:pre-wrap;color:#111111;background:#f2f2f2;padding:.4rem}\n");
        for (Outcome o : SEVERITY) {
            String[] c = CELL_COLOURS.get(o);
            sb.append(".o-").append(o.name()).append("{color:").append(c[0]).append(";background:").append(c[1]).append("}\n");
        }
        sb.append(".o-error{color:#ffffff;background:#424242}\n</style></head><body>\n");
        sb.append("<h1>What killing a thread leaves behind: JDK ").append(jdk).append("</h1>\n<p class=\"sub\">")
          .append(esc(jvm)).append(". Every cell ran in its own child JVM; what it shows was observed there. ")
          .append("Click a cell, or step with the arrow keys, to see its evidence on the right. Generated ")
          .append(generated).append(" by <code>scripts/matrix</code> in ").append(elapsedMs / 1000).append(" s.</p>\n")
          .append("<ul class=\"legend\">");
        for (Outcome o : SEVERITY) {
            sb.append("<li><b class=\"o-").append(o.name()).append("\">").append(word(o).replace("**", "")).append("</b>")
              .append(esc(plain(o)))
              .append("</li>");
        }
        sb.append("</ul>\n<div class=\"wrap\"><div class=\"left\"><table>\n<tr><th>scenario</th>");
        List<Column> shown = shownColumns();
        for (Column c : shown) {
            sb.append(c == Column.PROCESS ? "<th class=\"base\">" : "<th>").append(esc(head(c))).append("</th>");
        }
        sb.append("</tr>\n");
        StringBuilder details = new StringBuilder();
        int idx = 0;
        for (Scenario s : scenarios) {
            sb.append("<tr><td class=\"row\">").append(esc(s.id())).append("</td>");
            for (Column c : shown) {
                Matrix.CellRuns r = cell(s, c);
                if (r == null) {
                    sb.append("<td class=\"na\">&mdash;</td>");
                    continue;
                }
                Outcome w = worst(union(r));
                String cls = w == null ? "o-error" : "o-" + w.name();
                StringBuilder d = new StringBuilder();
                d.append("<h2>").append(esc(s.id())).append(" &times; ").append(esc(head(c))).append("</h2>")
                 .append("<p class=\"what\">").append(esc(s.title())).append("</p>")
                 .append("<p><b class=\"").append(cls).append("\" style=\"padding:.1rem .4rem\">").append(esc(pageLabel(r)))
                 .append("</b></p><p>").append(r.runs().size()).append(r.runs().size() == 1 ? " run" : " runs").append(", ")
                 .append(esc(r.verdict())).append(r.expected() == null ? "" : " (seen before: " + esc(r.expected().toString()) + ")")
                 .append("</p>");
                for (Map.Entry<String, List<String>> ev : evidenceByVariant(r).entrySet()) {
                    d.append("<b>").append(esc(ev.getKey())).append("</b><ul>");
                    for (String line : ev.getValue()) d.append("<li>").append(esc(line)).append("</li>");
                    d.append("</ul>");
                }
                d.append("<b>timeline of run 1</b> (").append(esc(representative(r).ending())).append(")<pre>");
                for (CellResult.Event e : representative(r).timeline()) {
                    if (!e.key().equals("hazards")) d.append(esc(e.toString())).append('\n'); // said short by hazards.*
                }
                d.append("</pre>");
                details.append("D[").append(idx).append("]=").append(Json.string(d.toString())).append(";\n");
                String flag = r.verdict().equals("as expected") ? "" : "<br><span class=\"flag\">" + esc(r.verdict()) + "</span>";
                sb.append("<td class=\"cell ").append(cls).append("\" id=\"cell-").append(idx).append("\" onclick=\"show(")
                  .append(idx).append(")\">").append(esc(pageLabel(r)).replace(" · ", "<br>"))
                  .append(flag).append("</td>");
                idx++;
            }
            sb.append("</tr>\n");
        }
        sb.append("</table></div>\n<div id=\"detail\"></div></div>\n");
        sb.append(VerdictScore.of(jdk, cells).html());
        sb.append("<script>\nvar D=[],cur=-1;\n").append(details)
          .append("function show(i){if(i<0||i>=D.length)return;if(cur>=0)document.getElementById('cell-'+cur).classList.remove('sel');")
          .append("cur=i;var c=document.getElementById('cell-'+i);c.classList.add('sel');")
          .append("document.getElementById('detail').innerHTML=D[i];}\n")
          .append("document.addEventListener('keydown',function(e){")
          .append("if(['ArrowRight','ArrowDown','PageDown',' '].indexOf(e.key)>=0){show(cur+1);e.preventDefault();}")
          .append("else if(['ArrowLeft','ArrowUp','PageUp'].indexOf(e.key)>=0){show(cur-1);e.preventDefault();}});\n")
          .append("var m=/^#c(\\d+)$/.exec(location.hash);show(m?parseInt(m[1],10):0);\n</script>\n</body></html>\n");
        return sb.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---- Markdown

    public static String anchor(int jdk, String scenario, Column c) {
        return "jdk" + jdk + "-" + scenario + "-" + c.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A word per outcome for the docs (GitHub shows no colour): the JVM-dooming ones in bold capitals. */
    static String word(Outcome o) {
        switch (o) {
            case CLEAN: return "safe";
            case NO_EFFECT: return "no effect";
            case LEAK: return "leak";
            case DEADLOCK: return "deadlock";
            case CORRUPTION: return "corrupt";
            case JVM_HANG: return "**HANG**";
            case JVM_CRASH: return "**CRASH**";
            case PROCESS_DIED: return "**DIED**";
            default: return o.name();
        }
    }

    /** "**CRASH** + deadlock + leak", worst first. */
    static String words(Set<Outcome> s) {
        List<String> w = new ArrayList<>();
        for (Outcome o : SEVERITY) {
            if (s.contains(o)) w.add(word(o));
        }
        return String.join(" + ", w);
    }

    /**
     * A docs cell, short: the words of every outcome seen ("**CRASH** + deadlock + leak"), then
     * " ~" when the runs did not all agree (the evidence below the table gives the counts). A cell
     * that hung, crashed or died does not also say "leak" (moot once the JVM is lost), and one whose
     * runs varied names only the hang, crash or death (the evidence lists the rest): the table stays
     * narrow enough for GitHub.
     */
    static String shortLabel(Matrix.CellRuns c) {
        Map<Set<Outcome>, Integer> v = c.variants();
        if (v.isEmpty()) return "error";
        Set<Outcome> seen = EnumSet.copyOf(union(c));
        Set<Outcome> fatal = EnumSet.noneOf(Outcome.class);
        for (Outcome o : List.of(Outcome.JVM_CRASH, Outcome.JVM_HANG, Outcome.PROCESS_DIED)) {
            if (seen.contains(o)) fatal.add(o);
        }
        if (!fatal.isEmpty()) {
            if (v.size() > 1) seen = fatal;
            else seen.remove(Outcome.LEAK);
        }
        String w = words(seen);
        return w + (v.size() > 1 ? " ~" : "") + (c.errors() > 0 ? " + error" : "");
    }

    /** A page cell: the docs' words without Markdown, one outcome set per line, counts when the runs varied. */
    static String pageLabel(Matrix.CellRuns c) {
        Map<Set<Outcome>, Integer> v = c.variants();
        if (v.isEmpty()) return "error";
        if (v.size() == 1 && c.errors() == 0) return words(v.keySet().iterator().next()).replace("**", "");
        StringBuilder sb = new StringBuilder();
        int n = c.runs().size();
        for (Map.Entry<Set<Outcome>, Integer> e : v.entrySet()) {
            if (sb.length() > 0) sb.append(" · ");
            sb.append(words(e.getKey()).replace("**", "")).append(' ').append(e.getValue()).append('/').append(n);
        }
        if (c.errors() > 0) sb.append(" · error ").append(c.errors()).append('/').append(n);
        return sb.toString();
    }

    public String markdownSection() {
        StringBuilder sb = new StringBuilder();
        int runs = cells.stream().mapToInt(c -> c.runs().size()).sum();
        sb.append("<!-- BEGIN JDK ").append(jdk).append(" -->\n## JDK ").append(jdk).append("\n\n")
          .append(jvm).append(". ").append(cells.size()).append(" cells, ").append(runs).append(" runs (cells known to vary ran several times; ")
          .append("the count says how often each outcome set was seen), ").append(elapsedMs / 1000).append(" s, generated ")
          .append(generated).append(". A cell links to its evidence; ~ marks a cell whose runs did not all agree (the evidence ")
          .append("counts them); a cell that hung or crashed does not also say leak, and one whose runs varied names only the hang ")
          .append("or crash (its evidence has the rest); (!) a cell not seen so before.\n\n| scenario |");
        List<Column> used = shownColumns();
        for (Column c : used) sb.append(' ').append(head(c)).append(" |");
        sb.append("\n|---|");
        for (int i = 0; i < used.size(); i++) sb.append("---|");
        sb.append('\n');
        for (Scenario s : scenarios) {
            sb.append("| ").append(s.id()).append(" |");
            for (Column c : used) {
                Matrix.CellRuns r = cell(s, c);
                if (r == null) {
                    sb.append(" |");
                    continue;
                }
                String mark = r.verdict().equals("as expected") ? "" : " (!) " + r.verdict();
                sb.append(" [").append(shortLabel(r)).append("](#").append(anchor(jdk, s.id(), c)).append(")").append(mark).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\n### Evidence, JDK ").append(jdk).append("\n\n");
        for (Scenario s : scenarios) {
            for (Column c : used) {
                Matrix.CellRuns r = cell(s, c);
                if (r == null) continue;
                sb.append("<a id=\"").append(anchor(jdk, s.id(), c)).append("\"></a>**").append(s.id()).append(" × ").append(head(c))
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

    /** The top of docs/consequences.md: what it is, the legend, the scenarios (the tables name them by id). */
    static String header() {
        StringBuilder sb = new StringBuilder("# The consequence matrix\n\n"
            + "<!-- Generated by scripts/matrix (org.threadkill.consequences.Matrix). Do not edit by hand: run\n"
            + "     scripts/matrix on each JDK; each run replaces its own JDK's section and keeps the others. -->\n\n"
            + "What each way of stopping a thread left behind, observed by the consequence suite: every cell is a\n"
            + "child JVM that starts a victim, stops it one way, probes the aftermath and reports what it saw.\n"
            + "Outcomes come from evidence (exit status and signal, hs_err files, a heartbeat that stops when the\n"
            + "JVM stops, bounded probe waits, ThreadMXBean states, /proc), never from expectations.\n"
            + "**kill the process**, the first column, is the baseline: the same work in a child process ended\n"
            + "with `Process.destroyForcibly()`. Why each outcome happens: [how-it-works.md](how-it-works.md).\n\n"
            + "The columns: **interrupt** `Thread.interrupt()`; **async exception** an exception thrown into the\n"
            + "thread (`ASYNC_EXCEPTION`); **freeze** the OS thread parked for good (`NATIVE_FREEZE`); **exit**\n"
            + "the OS thread ended (`NATIVE_EXIT`); **cancel** `pthread_cancel` (`NATIVE_CANCEL`); **deadline** the\n"
            + "same work run by a caller thread through `Deadline.of(" + DeadlineRun.BUDGET.toSeconds() + " s).run(work)` "
            + "(the run layer's default ladder: interrupt,\n"
            + "async exception, freeze; docs/deadline.md); **SIGKILL thread** `tgkill(pid, tid, SIGKILL)`.\n\n"
            + "| word | outcome | meaning |\n|---|---|---|\n"
            + "| safe | CLEAN | the victim stopped, every probe finished, the JVM exited normally |\n"
            + "| no effect | NO_EFFECT | the victim still ran 300 ms after the kill |\n"
            + "| leak | LEAK | a descriptor stayed open, or the victim's thread stays (parked for good, or listed by the JVM after the OS dropped it) |\n"
            + "| deadlock | DEADLOCK | a probe stayed blocked (1.5 s) on something the dead or frozen victim held |\n"
            + "| corrupt | CORRUPTION | an invariant was seen broken (a == b, mutual exclusion, a class that can no longer be used) |\n"
            + "| **HANG** | JVM_HANG | the child printed nothing (not even its 200 ms heartbeat) for " + CellRunner.STALL.toMillis() / 1000 + " s, or never exited after main returned |\n"
            + "| **CRASH** | JVM_CRASH | hs_err file / fatal signal |\n"
            + "| **DIED** | PROCESS_DIED | killed by a signal without an hs_err file |\n\n"
            + "Bold capitals: the whole JVM is lost. The scenarios:\n\n");
        for (Scenario s : Scenarios.all()) sb.append("- **").append(s.id()).append("**: ").append(s.title()).append('\n');
        return sb.append('\n').toString();
    }

    /** Replaces this JDK's section of the Markdown file, keeping the others (sorted by JDK). */
    public static void updateMarkdown(Path file, int jdk, String section) throws IOException {
        Map<Integer, String> sections = new TreeMap<>();
        if (Files.exists(file)) {
            String old = Files.readString(file, StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("<!-- BEGIN JDK (\\d+) -->.*?<!-- END JDK \\1 -->\\n", Pattern.DOTALL).matcher(old);
            while (m.find()) sections.put(Integer.parseInt(m.group(1)), m.group());
        }
        sections.put(jdk, section);
        StringBuilder sb = new StringBuilder(header());
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
