package org.threadkill.bench.section;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.threadkill.bench.Results;
import org.threadkill.bench.Run;
import org.threadkill.bench.Section;
import org.threadkill.bench.report.Format;

/**
 * Python's answers (bench/python/alternatives.py): an async exception, multiprocessing's terminate,
 * and the async exception as a call with a timeout (answer 2, for the deadline comparison of issue 11:
 * same budget and grace as {@link Deadlines}' firing deadlines).
 */
public final class PythonAlternatives implements Section {
    @Override
    public String name() {
        return "python";
    }

    @Override
    public void run(Run run) throws Exception {
        Results r = run.results;
        String python = run.options.python;
        List<String> cmd = List.of(python, run.options.pythonScript, Integer.toString(run.plan.pyN),
                Integer.toString(run.plan.pyMp), run.plan.quick ? "1" : "3", Integer.toString(run.plan.dlPyCalls),
                Integer.toString(run.plan.dlFireN), Long.toString(Deadlines.FIRE_BUDGET_MS),
                Long.toString(Deadlines.FIRE_GRACE_MS));
        Path raw = run.options.raw();
        Path so = raw.resolve("python.out");
        Path se = raw.resolve("python.err");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectOutput(so.toFile()).redirectError(se.toFile()).start();
        } catch (IOException e) {
            r.facts.put("python", "not run: " + e.getMessage());
            r.problems.add("python: cannot start " + python + ": " + e.getMessage());
            return;
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) p.destroyForcibly();
        List<String> lines = Files.readAllLines(so);
        Named.parse(r, lines);
        if (!lines.contains("done")) r.problems.add("python: did not finish: " + Files.readString(se));
        System.out.printf("  python async exc caught median %s µs; multiprocessing terminate median %s ms%n",
                Format.us(r.stats("py_async_exc_caught").median()), Format.ms(r.stats("py_mp_terminate").median()));
        System.out.printf("  python answer 2: call that does not fire median %s µs; fired: deadline -> TimedOut median %s µs%n",
                Format.us(r.stats("py_deadline_call").median()), Format.us(r.stats("py_deadline_fire").median()));
    }
}
