package org.threadkill.bench.section;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;
import org.threadkill.bench.Children;
import org.threadkill.bench.DeadlineChild;
import org.threadkill.bench.Plan;
import org.threadkill.bench.Results;
import org.threadkill.bench.Run;
import org.threadkill.bench.Section;
import org.threadkill.bench.Victim;
import org.threadkill.bench.jmh.DeadlineBench;
import org.threadkill.bench.report.Format;
import org.threadkill.testing.Jdk;

/**
 * Deadlines (issue 11): what a {@code Deadline.call} costs when the deadline does not fire, side by
 * side with the other answers and a plain handoff to a waiting thread (JMH {@link DeadlineBench},
 * sample time: every call's time, so medians and tails), and how long after a deadline that does
 * fire its caller holds the exception (child JVMs of {@link DeadlineChild}: a task spinning in Java,
 * and one spinning in native code with the opt-in, which only the freeze stops). Python's answer
 * (a thread and {@code PyThreadState_SetAsyncExc}) is timed by the python section in the same run.
 */
public final class Deadlines implements Section {
    /** The budget of a deadline that fires: short, since only what comes after it is timed. */
    public static final long FIRE_BUDGET_MS = 5;
    /** The grace of each step of the ladder (Deadline.DEFAULT_GRACE is 250 ms: far too long for 1000 tries). */
    public static final long FIRE_GRACE_MS = 20;
    /** The kinds of task a firing deadline is timed against. */
    public static final List<Victim.Kind> FIRE_KINDS = List.of(Victim.Kind.JAVA_SPIN, Victim.Kind.NATIVE_SPIN);

    @Override
    public String name() {
        return "deadline";
    }

    @Override
    public void run(Run run) throws Exception {
        Results r = run.results;
        r.facts.put("deadline_fire_budget_ms", FIRE_BUDGET_MS);
        r.facts.put("deadline_fire_grace_ms", FIRE_GRACE_MS);
        cost(run);
        for (Victim.Kind kind : FIRE_KINDS) fire(run, kind);
    }

    /** DeadlineBench in one JMH run: every answer in its own fork(s), one after another. */
    private static void cost(Run run) throws Exception {
        Results r = run.results;
        Plan plan = run.plan;
        String jdk = run.options.jmhJdk;
        String version = Jdk.describe(jdk);
        r.facts.put("deadline_jmh_jdk", version);
        OptionsBuilder o = new OptionsBuilder();
        o.include(DeadlineBench.class.getName().replace(".", "\\.") + "\\.")
                .mode(Mode.SampleTime)
                .forks(plan.dlForks)
                .warmupIterations(plan.dlWarmups).warmupTime(plan.dlTime)
                .measurementIterations(plan.dlIterations).measurementTime(plan.dlTime)
                .jvm(Jdk.java(jdk))
                // no opt-in: a deadline that does not fire takes no native step; the library is
                // loaded all the same (the run layer's warm-up snapshot), hence the access flag
                .jvmArgs("-Xms1g", "-Xmx1g")
                .jvmArgsAppend(Jdk.featureOf(version) >= 17 ? "--enable-native-access=ALL-UNNAMED" : "-Dx=y")
                .shouldFailOnError(true)
                .output(run.options.raw().resolve("jmh-deadline.log").toString());
        for (RunResult rr : new Runner(o.build()).run()) {
            Result<?> p = rr.getPrimaryResult();
            String bench = rr.getParams().getBenchmark();
            bench = bench.substring(bench.lastIndexOf('.') + 1);
            double toNs = nanosPer(p.getScoreUnit());
            Statistics st = p.getStatistics();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", st.getN());
            m.put("mean_ns", st.getMean() * toNs);
            m.put("p50_ns", st.getPercentile(50) * toNs);
            m.put("p90_ns", st.getPercentile(90) * toNs);
            m.put("p99_ns", st.getPercentile(99) * toNs);
            m.put("forks", plan.dlForks);
            r.deadlineCost.put(bench, m);
        }
        for (Map.Entry<String, Map<String, Object>> e : r.deadlineCost.entrySet()) {
            System.out.printf("  %s: median %s µs%n", e.getKey(), Format.us(Math.round((Double) e.getValue().get("p50_ns"))));
        }
    }

    private static double nanosPer(String unit) {
        switch (unit) {
            case "ns/op": return 1;
            case "us/op": return 1e3;
            case "ms/op": return 1e6;
            case "s/op": return 1e9;
            default: throw new IllegalStateException("DeadlineBench: unexpected unit " + unit);
        }
    }

    /**
     * Firing deadlines against one kind of task, in child JVMs of {@code batch} tries each (every
     * NATIVE_SPIN try leaves a frozen runner behind; the ladder's snapshot grows with the threads).
     */
    private static void fire(Run run, Victim.Kind kind) throws Exception {
        Results r = run.results;
        Plan plan = run.plan;
        String key = "deadline_fire_" + kind;
        List<Long> latency = r.samples(key);
        List<Long> beyond = r.samples(key + "_beyond_graces");
        List<Long> step = r.samples(key + "_step");
        Map<String, Integer> stoppedBy = new LinkedHashMap<>();
        int mayStillRun = 0;
        int left = plan.dlFireN;
        int slot = 0;
        for (int child = 0; left > 0; child++) {
            int n = Math.min(left, plan.batch);
            Children.Child ch = run.children.run("deadline-" + kind, List.of(), DeadlineChild.class, Duration.ofMinutes(10),
                    kind.name(), Integer.toString(n), Integer.toString(plan.dlFireWarmup), Long.toString(FIRE_BUDGET_MS),
                    Long.toString(FIRE_GRACE_MS), Integer.toString(slot));
            slot += n + plan.dlFireWarmup;
            int got = 0;
            for (String line : ch.lines) {
                String[] f = line.split(" ");
                if (f[0].equals("i") && f.length > 2 && f[1].equals("first_message") && child == 0) {
                    r.facts.put(key + "_first_message", line.substring("i first_message ".length()));
                }
                if (!f[0].equals("f") || f.length != 6) continue;
                long ns = Long.parseLong(f[1]);
                int phases = Integer.parseInt(f[3]);
                latency.add(ns);
                // Every phase before the one that worked was waited out to the end of its grace: what
                // is left is the working step and the machinery. The goal (deadline -> exception <=
                // the graces + 5 ms) is then: this <= one grace + 5 ms.
                beyond.add(Math.max(0, ns - (phases - 1) * FIRE_GRACE_MS * 1_000_000));
                if (!f[2].equals("NONE")) step.add(Long.parseLong(f[5]));   // the last step taken, if it worked
                stoppedBy.merge(f[2], 1, Integer::sum);
                if (Boolean.parseBoolean(f[4])) mayStillRun++;
                got++;
            }
            if (!ch.finished) r.problems.add("deadline: " + kind + " child did not finish: " + ch.why());
            if (got == 0) break;
            left -= got;
        }
        r.facts.put(key + "_stopped_by", stoppedBy);
        r.facts.put(key + "_may_still_run", mayStillRun);
        System.out.printf("  deadline fired, %s: deadline -> caller's exception median %s µs, p99 %s µs; stopped by %s%n",
                kind, Format.us(r.stats(key).median()), Format.us(r.stats(key).pct(99)), stoppedBy);
    }
}
