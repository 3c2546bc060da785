package org.threadkill.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.bench.Results;

/** The report renders from its templates without measuring anything: every section, every placeholder filled. */
class ReportTest {
    private static final String[] SECTIONS = {"# Benchmarks", "## Headline", "## Goals", "## Kill latency",
        "## The alternatives", "## Deadlines: the cost of a call with a time limit", "### When the deadline fires",
        "## Lookup: `ThreadKill.nativeId(Thread)`", "## Overhead on the rest of the JVM (JMH)",
        "## Scale: 1000 threads", "## Do no harm: the freeze's safe point", "## Ratios", "## How to reproduce"};

    @Test
    void rendersEverySectionInOrder(@TempDir Path dir) throws Exception {
        Results r = FakeRun.fake(false);
        Report.write(r, dir.resolve("benchmarks.md"), dir);
        String md = Files.readString(dir.resolve("benchmarks.md"));
        int at = -1;
        for (String s : SECTIONS) {
            int i = md.indexOf(s);
            assertTrue(i > at, s + " missing or out of order in:\n" + md);
            at = i;
        }
        assertFalse(md.contains("{{"), md);
        assertFalse(md.contains("## Problems in this run"), md);
        assertTrue(md.contains("| 1536 MiB, 100 threads |"), md);
        assertTrue(md.contains("This run's worst kind: 1000 of 1000 planned tries (met at this sample size"), md);
        assertTrue(md.contains("This run: 100 of 100 (met at this sample size)"), md);
        assertTrue(md.contains("![kill latency distributions](benchmarks-latency.svg)"), md);
        assertTrue(md.contains("| threadkill `Deadline.call` | an idle runner thread unparked; the caller waits on a latch"
                + " | 15.0 | 22.5 | 60.0 | 16.5 | 0.83× |"), md);
        assertTrue(md.contains("| spinning in native code | threadkill `Deadline.call` | 30 | NATIVE_FREEZE ×30 |"), md);
        assertTrue(md.contains("- **Deadlines**: a `Deadline.call` that does not fire costs 15.0 µs (median), 0.83× a plain handoff"), md);
        assertTrue(md.contains("| a `Deadline.call` that does not fire costs no more than a plain handoff to a waiting thread"
                + " (median) | 15.0 µs vs 18.0 µs: 0.83× | **met** |"), md);
        assertTrue(Files.readString(dir.resolve("benchmarks-latency.svg")).startsWith("<svg"));
    }

    @Test
    void listsTheProblemsOfARun(@TempDir Path dir) throws Exception {
        Results r = FakeRun.fake(true);
        String md = Report.markdown(r, "x.svg");
        assertTrue(md.contains("\n## Problems in this run\n\n- scale: child did not exit normally: timed out\n"
                + "- python: did not finish: Traceback\n"), md);
        assertTrue(md.contains("> **Note:** a note\n"), md);
        assertTrue(md.contains("Virtual threads: skipped"), md);
    }

    @Test
    void aTemplateRefusesMissingAndUnknownValues() {
        assertEquals("## Ratios\n\n| ratio | value |\n|---|---|\nX\n", Template.of("ratios").with("rows", "X").render());
        try {
            Template.of("ratios").render();
            throw new AssertionError("rendered without a value for {{rows}}");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("rows"));
        }
        try {
            Template.of("ratios").with("rows", "").with("nope", 1).render();
            throw new AssertionError("accepted a value for no placeholder");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("nope"));
        }
    }
}
