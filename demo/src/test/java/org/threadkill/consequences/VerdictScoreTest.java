package org.threadkill.consequences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Verdicts scored against observation (issue 10). The scoring itself on made-up runs, and real cells:
 * each library mode of the scenarios named by {@code -Dthreadkill.verdicts.only} (default: the
 * process-lock scenarios and the two spinners; {@code all} for every scenario) runs once in its child
 * JVM, and no verdict of "stops" or "the JVM survives" may be contradicted by what it observed.
 */
class VerdictScoreTest {
    private static final String ONLY = System.getProperty("threadkill.verdicts.only",
            "critical-region,malloc-loop,loader-lock,logging-loop,native-spin,java-spin");

    private static CellResult run(Column c, String verdict, Outcome... seen) {
        Set<Outcome> o = EnumSet.noneOf(Outcome.class);
        o.addAll(List.of(seen));
        return new CellResult("made-up", c, 17, "17", o, List.of(), List.of(new CellResult.Event(1, "verdict", verdict)),
                10, "exit 0", null, "nowhere");
    }

    @Test
    void contradictedStopsAndSurvivesAreMissesHedgesAreNot() {
        List<CellResult> runs = List.of(
                run(Column.NATIVE_FREEZE, "NATIVE_FREEZE effect=STOPS jvmSurvives=true allowed=true", Outcome.LEAK),
                run(Column.NATIVE_FREEZE, "NATIVE_FREEZE effect=STOPS jvmSurvives=true allowed=true", Outcome.NO_EFFECT),
                run(Column.NATIVE_FREEZE, "NATIVE_FREEZE effect=MAY_STOP jvmSurvives=true allowed=true", Outcome.LEAK, Outcome.JVM_HANG),
                run(Column.NATIVE_EXIT, "NATIVE_EXIT effect=STOPS jvmSurvives=false allowed=true", Outcome.LEAK),
                run(Column.INTERRUPT, "INTERRUPT effect=NO_EFFECT jvmSurvives=true allowed=true", Outcome.CLEAN));
        VerdictScore v = VerdictScore.of(17, List.of(new Matrix.CellRuns(new org.threadkill.consequences.scenarios.NativeSpin(),
                Column.NATIVE_FREEZE, runs)));
        List<String> what = v.misses().stream().map(VerdictScore.Miss::what).toList();
        assertEquals(List.of("STOPS, but the victim still ran after the kill", "survives, but the JVM did not",
                "NO_EFFECT, but the victim stopped"), what);
        assertEquals(2, v.forbidden().size());
        assertEquals(1, v.rows().get(Column.NATIVE_EXIT).doomedButLived);
        assertEquals(1, v.rows().get(Column.NATIVE_FREEZE).hedged);
        assertEquals(7 / 10.0, v.agreement(), 1e-9);
        assertTrue(v.markdown().contains("| NATIVE_FREEZE | 3 |"), v.markdown());
    }

    @Test
    void noCellContradictsItsVerdict() throws Exception {
        CellRunner runner = new CellRunner(Path.of("target", "verdict-cells").toAbsolutePath(), null);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Matrix.CellRuns> cells = new ArrayList<>();
        List<Future<CellResult>> futures = new ArrayList<>();
        List<Scenario> rowOf = new ArrayList<>();
        List<Column> colOf = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            if (!ONLY.equals("all") && !List.of(ONLY.split(",")).contains(s.id())) continue;
            for (Column c : s.columns()) {
                if (c.mode == null) continue;
                futures.add(pool.submit(() -> runner.run(s, c, 0)));
                rowOf.add(s);
                colOf.add(c);
            }
        }
        pool.shutdown();
        for (int i = 0; i < futures.size(); i++) {
            CellResult r = futures.get(i).get(CellRunner.HARD_TIMEOUT.toSeconds() * 4, TimeUnit.SECONDS);
            assertNull(r.error(), () -> "harness error:\n" + r);
            cells.add(new Matrix.CellRuns(rowOf.get(i), colOf.get(i), List.of(r)));
        }
        assertTrue(cells.size() >= 5, "cells run: " + cells.size());
        VerdictScore v = VerdictScore.of(Runtime.version().feature(), cells);
        int unscored = v.rows().values().stream().mapToInt(r -> r.unscored).sum();
        assertEquals(0, unscored, () -> "every cell prints its verdict:\n" + v.summary());
        assertTrue(v.forbidden().isEmpty(), () -> "contradicted verdicts:\n" + v.summary());
    }
}
