package org.threadkill.consequences;

import java.util.List;
import java.util.Set;

/**
 * One run of one cell, as the parent saw it.
 *
 * @param outcomes  derived from the evidence (empty only when {@link #error} is set)
 * @param evidence  the sentences behind the outcomes: findings of the child, then what the parent saw
 * @param timeline  the child's events, {@code t=<ms> <key> <text>}
 * @param error     the harness failed (not an outcome of the kill); null normally
 */
public record CellResult(String scenario, Column column, int jdk, String jvm, Set<Outcome> outcomes,
                         List<String> evidence, List<Event> timeline, long durationMs, String ending,
                         String error, String workDir) {

    /** A line of the child's timeline. */
    public record Event(long ms, String key, String text) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "t=%.2f s %s %s", ms / 1000.0, key, text);
        }
    }

    /**
     * The verdict {@code ThreadKill.inspect(victim).verdict(mode)} gave just before the kill, from the
     * child's "verdict" event; null when the cell printed none (no library mode, or it died before).
     */
    public Prediction prediction() {
        for (Event e : timeline) {
            if (!e.key().equals("verdict")) continue;
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(\\w+) effect=(\\w+) jvmSurvives=(\\w+)").matcher(e.text());
            if (m.find()) return new Prediction(m.group(2), Boolean.parseBoolean(m.group(3)));
        }
        return null;
    }

    /** A verdict as printed by the child: effect STOPS, MAY_STOP or NO_EFFECT, and whether the JVM survives. */
    public record Prediction(String effect, boolean jvmSurvives) {
        @Override
        public String toString() {
            return effect + (jvmSurvives ? ", survives" : ", JVM doomed");
        }
    }

    public String cellId() {
        return scenario + " x " + column;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(cellId() + " on JDK " + jdk + ": " + outcomes
                + (error != null ? " ERROR " + error : "") + " (" + durationMs + " ms, " + ending + ", " + workDir + ")");
        for (String e : evidence) sb.append("\n  evidence: ").append(e);
        for (Event e : timeline) sb.append("\n  ").append(e);
        return sb.toString();
    }
}
