package org.threadkill.consequences;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The consequence suite as tests: every cell whose outcome is known on this JDK runs once in its
 * own child JVM, and its observed outcome set must be the one recorded in its scenario (for a cell
 * known to vary: one of the sets seen; the matrix measures how often). Cells run two at a time
 * ({@code -Dthreadkill.consequences.parallel}); each is bounded by a 3 s stall limit and a hard timeout.
 * {@code -Dthreadkill.consequences.columns=DEADLINE,...} runs only those columns' cells.
 */
class ConsequenceTest {
    private static final int PARALLEL = Integer.getInteger("threadkill.consequences.parallel", 2);
    private static final String COLUMNS = System.getProperty("threadkill.consequences.columns", "");

    @TestFactory
    Stream<DynamicTest> everyKnownCell() {
        int jdk = Runtime.version().feature();
        Path work = Path.of("target", "consequence-cells").toAbsolutePath();
        CellRunner runner = new CellRunner(work, null);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "cell-runner");
            t.setDaemon(true);
            return t;
        });
        List<DynamicTest> tests = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            for (Column c : s.columns()) {
                Expectation e = s.expected(c, jdk);
                if (e == null || (!COLUMNS.isBlank() && !wanted(c))) continue;
                Future<CellResult> f = pool.submit(() -> runner.run(s, c, 0));
                tests.add(DynamicTest.dynamicTest(s.id() + " x " + c + " -> " + e, () -> {
                    CellResult r = f.get(CellRunner.HARD_TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
                    assertNull(r.error(), () -> "harness error:\n" + r);
                    assertTrue(e.matches(r.outcomes()), () -> "expected " + e + " on JDK " + jdk + ", observed "
                            + r.outcomes() + "\n" + r);
                }));
            }
        }
        pool.shutdown();
        if (tests.isEmpty()) fail("no cell has a known outcome on JDK " + jdk);
        return tests.stream();
    }

    private static boolean wanted(Column c) {
        for (String name : COLUMNS.split(",")) {
            if (Column.parse(name) == c) return true;
        }
        return false;
    }

    /** Every cell of every scenario has what the tests assert on both JDKs CI runs. */
    @Test
    void everyCellIsKnownOnJdk17And25() {
        List<String> unknown = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            for (Column c : s.columns()) {
                for (int jdk : new int[] {17, 25}) {
                    if (s.expected(c, jdk) == null) unknown.add(s.id() + " x " + c + " on JDK " + jdk);
                }
            }
        }
        assertTrue(unknown.isEmpty(), () -> "cells without a recorded outcome: " + unknown);
    }

    @Test
    void scenarioIdsAreUnique() {
        List<String> ids = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            assertNotNull(s.id());
            assertTrue(!ids.contains(s.id()), "duplicate scenario id " + s.id());
            ids.add(s.id());
        }
        assertTrue(ids.size() >= 14, "the issue asks for 14 scenarios at least; found " + ids);
    }
}
