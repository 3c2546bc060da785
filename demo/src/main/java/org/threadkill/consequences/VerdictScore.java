package org.threadkill.consequences;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Verdicts scored against observation (issue 10): every run of a cell carries the verdict
 * {@code ThreadKill.inspect(victim).verdict(mode)} gave just before its kill; this compares it with
 * what the cell then saw, per mode, on one JDK.
 *
 * <p>Effect: {@code STOPS} is contradicted when the victim still ran after the kill (NO_EFFECT),
 * {@code NO_EFFECT} when it stopped; {@code MAY_STOP} is a hedge and never contradicted (counted
 * apart). Survival: "survives" is contradicted by JVM_HANG, JVM_CRASH or PROCESS_DIED; "JVM doomed"
 * means sooner or later, so a JVM that lived through the cell is counted apart, not as a miss.
 */
public final class VerdictScore {
    static final Set<Outcome> DEATHS = EnumSet.of(Outcome.JVM_HANG, Outcome.JVM_CRASH, Outcome.PROCESS_DIED);

    /** One contradicted prediction. */
    public record Miss(String scenario, Column column, int jdk, String predicted, Set<Outcome> observed, String what,
                       String workDir) {
        /** A contradicted "stops" or "survives": what the issue forbids. */
        public boolean forbidden() {
            return what.startsWith("STOPS") || what.startsWith("survives");
        }

        @Override
        public String toString() {
            return scenario + " × " + column + " (JDK " + jdk + "): predicted " + predicted + ", observed " + observed
                    + ": " + what + " (" + workDir + ")";
        }
    }

    /** The counts of one mode. */
    public static final class Row {
        int runs;
        int effectAgrees;
        int hedged;
        int survivalAgrees;
        int doomedButLived;
        int unscored;

        public int runs() {
            return runs;
        }

        /** Predictions (effect and survival, two per run) not contradicted. */
        public int agreements() {
            return effectAgrees + hedged + survivalAgrees + doomedButLived;
        }
    }

    private final int jdk;
    private final Map<Column, Row> rows = new LinkedHashMap<>();
    private final List<Miss> misses = new ArrayList<>();

    private VerdictScore(int jdk) {
        this.jdk = jdk;
    }

    public static VerdictScore of(int jdk, List<Matrix.CellRuns> cells) {
        VerdictScore v = new VerdictScore(jdk);
        for (Column c : Column.values()) {
            if (c.mode != null && cells.stream().anyMatch(r -> r.column() == c)) v.rows.put(c, new Row());
        }
        for (Matrix.CellRuns cell : cells) {
            if (cell.column().mode == null) continue;
            for (CellResult r : cell.runs()) v.score(r);
        }
        return v;
    }

    /** Scores one run of one cell. */
    void score(CellResult r) {
        Row row = rows.computeIfAbsent(r.column(), k -> new Row());
        CellResult.Prediction p = r.prediction();
        if (r.error() != null || p == null) {
            row.unscored++;
            return;
        }
        row.runs++;
        boolean ranOn = r.outcomes().contains(Outcome.NO_EFFECT);
        boolean died = r.outcomes().stream().anyMatch(DEATHS::contains);
        switch (p.effect()) {
            case "STOPS":
                if (ranOn) misses.add(miss(r, p, "STOPS, but the victim still ran after the kill"));
                else row.effectAgrees++;
                break;
            case "NO_EFFECT":
                if (!ranOn) misses.add(miss(r, p, "NO_EFFECT, but the victim stopped"));
                else row.effectAgrees++;
                break;
            default:
                row.hedged++;
        }
        if (p.jvmSurvives()) {
            if (died) misses.add(miss(r, p, "survives, but the JVM did not"));
            else row.survivalAgrees++;
        } else if (died) {
            row.survivalAgrees++;
        } else {
            row.doomedButLived++;
        }
    }

    private Miss miss(CellResult r, CellResult.Prediction p, String what) {
        return new Miss(r.scenario(), r.column(), jdk, p.toString(), r.outcomes(), what, r.workDir());
    }

    public List<Miss> misses() {
        return List.copyOf(misses);
    }

    /** The contradicted "stops" and "survives" (the ones a verdict must never get wrong). */
    public List<Miss> forbidden() {
        return misses.stream().filter(Miss::forbidden).toList();
    }

    public Map<Column, Row> rows() {
        return rows;
    }

    /** Agreement over every scored prediction (two per run: effect and survival). */
    public double agreement() {
        int total = 0;
        int agree = 0;
        for (Row r : rows.values()) {
            total += 2 * r.runs;
            agree += r.agreements();
        }
        return total == 0 ? Double.NaN : agree / (double) total;
    }

    private static String pct(int part, int whole) {
        return whole == 0 ? "—" : String.format(Locale.ROOT, "%d/%d", part, whole);
    }

    /** For matrix.json. */
    public Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("jdk", jdk);
        j.put("agreement", Double.isNaN(agreement()) ? null : agreement());
        Map<String, Object> modes = new LinkedHashMap<>();
        for (Map.Entry<Column, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runs", r.runs);
            m.put("effectAgrees", r.effectAgrees);
            m.put("effectHedged", r.hedged);
            m.put("survivalAgrees", r.survivalAgrees);
            m.put("doomedButLived", r.doomedButLived);
            m.put("unscored", r.unscored);
            modes.put(e.getKey().name(), m);
        }
        j.put("modes", modes);
        List<Object> ms = new ArrayList<>();
        for (Miss m : misses) ms.add(m.toString());
        j.put("misses", ms);
        return j;
    }

    private String tableRows(String sep, String start, String end) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Column, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            long modeMisses = misses.stream().filter(m -> m.column() == e.getKey()).count();
            sb.append(start).append(String.join(sep, e.getKey().name(), Integer.toString(r.runs),
                    pct(r.effectAgrees, r.runs - r.hedged), Integer.toString(r.hedged), pct(r.survivalAgrees, r.runs - r.doomedButLived),
                    Integer.toString(r.doomedButLived), Long.toString(modeMisses), Integer.toString(r.unscored))).append(end);
        }
        return sb.toString();
    }

    /** Short heads (the docs table must stay narrow on GitHub); the intro and the legend below say what each counts. */
    private static final String[] HEAD = {"mode", "runs", "effect ok", "hedged", "survival ok", "doomed, lived", "misses",
            "none"};

    private String intro() {
        return String.format(Locale.ROOT, "Each run's verdict (ThreadKill.inspect(victim).verdict(mode), just before the kill) "
                + "against what the run observed, JDK %d: overall agreement %s (%d misses, %d of them a contradicted STOPS or survives).",
                jdk, Double.isNaN(agreement()) ? "—" : String.format(Locale.ROOT, "%.1f %%", 100 * agreement()), misses.size(), forbidden().size());
    }

    /** A section of this JDK's part of docs/consequences.md. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("### Verdicts scored, JDK ").append(jdk).append("\n\n").append(intro()).append("\n\n| ")
                .append(String.join(" | ", HEAD)).append(" |\n|");
        for (int i = 0; i < HEAD.length; i++) sb.append("---|");
        sb.append('\n').append(tableRows(" | ", "| ", " |\n"));
        sb.append('\n');
        if (misses.isEmpty()) sb.append("No miss.\n");
        for (Miss m : misses) sb.append("- miss: ").append(m.toString().replace("|", "\\|")).append('\n');
        return sb.append('\n').toString();
    }

    /** A section of matrix.html. */
    public String html() {
        StringBuilder sb = new StringBuilder("<h2>Verdicts scored</h2>\n<p>").append(Report.esc(intro())).append("</p>\n<table>\n<tr><th>")
                .append(String.join("</th><th>", HEAD)).append("</th></tr>\n");
        sb.append(tableRows("</td><td>", "<tr><td>", "</td></tr>\n")).append("</table>\n");
        sb.append(misses.isEmpty() ? "<p>No miss.</p>\n" : "<ul>\n");
        for (Miss m : misses) sb.append("<li>").append(Report.esc(m.toString())).append("</li>\n");
        if (!misses.isEmpty()) sb.append("</ul>\n");
        return sb.toString();
    }

    /** For the console summary. */
    public String summary() {
        StringBuilder sb = new StringBuilder(intro());
        sb.append('\n').append(String.join(" | ", HEAD)).append('\n').append(tableRows(" | ", "", "\n"));
        for (Miss m : misses) sb.append("miss: ").append(m).append('\n');
        return sb.toString();
    }
}
