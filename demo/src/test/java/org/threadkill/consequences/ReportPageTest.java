package org.threadkill.consequences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The matrix page and the docs table as an audience and a GitHub reader get them, rendered from
 * every scenario's recorded expectations (no child JVM): every text colour pair of the page's CSS
 * at least 4.5:1 (WCAG 2 contrast), plain column heads, nothing that only a hover shows. Writes
 * target/consequences/sample/matrix.html, which scripts/page-shots screenshots in headless Chromium.
 */
class ReportPageTest {
    static final double MIN_CONTRAST = 4.5;

    /** A report whose every cell shows what the suite has seen on this JDK (the first variant). */
    static Report sample(int jdk) {
        List<Matrix.CellRuns> cells = new ArrayList<>();
        List<Scenario> scenarios = Scenarios.all();
        for (Scenario s : scenarios) {
            for (Column c : s.columns()) {
                Expectation e = s.expected(c, jdk);
                List<CellResult> runs = new ArrayList<>();
                List<Set<Outcome>> variants = e == null ? List.of(Set.of(Outcome.CLEAN)) : e.variants();
                for (Set<Outcome> v : variants) {
                    List<String> ev = new ArrayList<>();
                    for (Outcome o : v) ev.add(o + ": what the child saw (sample text for the page's layout)");
                    runs.add(new CellResult(s.id(), c, jdk, jdk + " sample", v, ev,
                            List.of(new CellResult.Event(100, "jvm", jdk + " sample"),
                                    new CellResult.Event(400, "kill.start", "ThreadKill.kill('victim', " + c + ", 1 s)")),
                            1000, "exit 0", null, "/nowhere"));
                }
                cells.add(new Matrix.CellRuns(s, c, runs));
            }
        }
        return new Report(jdk, "JDK " + jdk + " (sample from the recorded expectations)", scenarios,
                List.of(Column.values()), cells, 180_000);
    }

    @Test
    void everyTextOfThePageHasContrastAtLeastFourAndAHalf() throws Exception {
        String html = sample(17).html();
        Path out = Path.of("target", "consequences", "sample");
        Files.createDirectories(out);
        Files.writeString(out.resolve("matrix.html"), html, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("consequences.md"), sample(17).markdownSection() + "\n" + sample(25).markdownSection(),
                StandardCharsets.UTF_8);

        String css = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));
        Map<String, String> body = decls(css, "body");
        assertTrue(body.containsKey("color") && body.containsKey("background"), "body sets both colours");
        Matcher rule = Pattern.compile("([^{}]+)\\{([^}]*)\\}").matcher(css);
        int pairs = 0;
        List<String> low = new ArrayList<>();
        while (rule.find()) {
            Map<String, String> d = parse(rule.group(2));
            if (!d.containsKey("color") && !d.containsKey("background")) continue;
            String fg = d.getOrDefault("color", body.get("color"));
            String bg = d.getOrDefault("background", body.get("background"));
            double ratio = contrast(fg, bg);
            pairs++;
            if (ratio < MIN_CONTRAST) {
                low.add(String.format(Locale.ROOT, "%s: %s on %s = %.2f:1", rule.group(1).trim(), fg, bg, ratio));
            }
        }
        assertTrue(pairs >= 8 + 5, "found the colour pairs of the CSS: " + pairs);
        assertTrue(low.isEmpty(), "contrast under " + MIN_CONTRAST + ":1: " + low);
        // Every colour the page uses is one the check saw in the CSS (no inline colours).
        assertFalse(Pattern.compile("style=\"[^\"]*(color|background)").matcher(html).find(), "inline colours");
    }

    @Test
    void thePageSaysItInWordsWithoutHovering() {
        String html = sample(17).html();
        assertFalse(html.contains(" title=\""), "no tooltip-only content");
        for (String head : List.of("interrupt", "async exception", "freeze", "exit", "cancel", "deadline", "kill the process")) {
            assertTrue(html.contains(">" + head + "</th>"), head);
        }
        for (Outcome o : Outcome.values()) assertTrue(html.contains(Report.plain(o)), "legend says what " + o + " means");
        assertTrue(html.contains("<div id=\"detail\">"), "a details panel");
        int cells = Scenarios.all().stream().mapToInt(s -> s.columns().size()).sum();
        assertTrue(html.contains("id=\"cell-" + (cells - 1) + "\""), "every cell is on the page");
        assertFalse(html.contains("id=\"cell-" + cells + "\""), "every cell is on the page once");
        assertTrue(html.contains("show(m?parseInt(m[1],10):0)"), "the first cell's evidence is shown on load");
    }

    @Test
    void theDocsTableIsNarrowAndShowsTheBaselineFirst() {
        String md = sample(17).markdownSection();
        String head = md.lines().filter(l -> l.startsWith("| scenario |")).findFirst().orElseThrow();
        assertTrue(head.startsWith("| scenario | kill the process |"), head);
        for (String l : md.lines().filter(l -> l.startsWith("| ")).toList()) {
            String seen = l.replaceAll("\\]\\(#[^)]*\\)", "").replace("[", "").replace("**", "");
            assertTrue(seen.length() <= 130, seen.length() + " characters a reader sees: " + seen);
        }
    }

    static Map<String, String> decls(String css, String selector) {
        Matcher m = Pattern.compile("(?:^|\\n)" + Pattern.quote(selector) + "\\{([^}]*)\\}").matcher(css);
        assertTrue(m.find(), selector + " in the CSS");
        return parse(m.group(1));
    }

    static Map<String, String> parse(String block) {
        Map<String, String> d = new HashMap<>();
        for (String decl : block.split(";")) {
            int c = decl.indexOf(':');
            if (c < 0) continue;
            String k = decl.substring(0, c).trim();
            String v = decl.substring(c + 1).trim();
            if ((k.equals("color") || k.equals("background")) && v.matches("#[0-9a-fA-F]{6}")) d.put(k, v);
            else if (k.equals("color") || k.equals("background")) d.put(k, "unparsed " + v);
        }
        return d;
    }

    /** WCAG 2 contrast ratio of two #rrggbb colours. */
    static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    static double luminance(String hex) {
        if (!hex.matches("#[0-9a-fA-F]{6}")) throw new AssertionError("not a #rrggbb colour: " + hex);
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    @Test
    void theContrastFormulaIsWcags() {
        assertEquals(21.0, contrast("#000000", "#ffffff"), 1e-9);
        assertEquals(1.0, contrast("#777777", "#777777"), 1e-9);
        // The old LEAK cell: white on amber.
        assertTrue(contrast("#ffffff", "#f9a825") < 2.0);
    }
}
