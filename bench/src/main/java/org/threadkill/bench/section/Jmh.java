package org.threadkill.bench.section;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.threadkill.bench.Plan;
import org.threadkill.bench.Results;
import org.threadkill.bench.Run;
import org.threadkill.bench.Section;
import org.threadkill.bench.Stats;
import org.threadkill.testing.Jdk;

/**
 * The overhead on other work (org.threadkill.bench.jmh): JMH in rounds, each round runs every
 * (workload, config) fork once, so that drift hits all alike.
 */
public final class Jmh implements Section {
    @Override
    public String name() {
        return "jmh";
    }

    @Override
    public void run(Run run) throws Exception {
        Results r = run.results;
        Plan plan = run.plan;
        String jmhJdk = run.options.jmhJdk;
        String jdkVersion = Jdk.describe(jmhJdk);
        r.facts.put("jmh_jdk", jdkVersion);
        int feature = Jdk.featureOf(jdkVersion);
        List<String> workloads = new ArrayList<>(List.of("CpuBench.hash"));
        if (feature >= 21) {
            workloads.add("VThreadBench.manyShortVirtualThreads");
        } else {
            r.facts.put("jmh_vthreads", "skipped: JDK " + jdkVersion + " has no virtual threads (21+ needed)");
        }
        String[] configs = {"none", "loaded", "jvmti"};
        Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        Path log = run.options.raw().resolve("jmh.log");
        Path cpuFile = run.options.raw().resolve("jmh-cpu.txt");
        for (int round = 0; round < plan.jmhRounds; round++) {
            for (String w : workloads) {
                // rotate the order each round
                for (int k = 0; k < configs.length; k++) {
                    String cfg = configs[(k + round) % configs.length];
                    ChainedOptionsBuilder o = new OptionsBuilder()
                            .include(w.replace(".", "\\.") + "$")
                            .param("lib", cfg)
                            .forks(1)
                            .warmupIterations(plan.jmhWarmups).warmupTime(plan.jmhTime)
                            .measurementIterations(plan.jmhIterations).measurementTime(plan.jmhTime)
                            .jvm(Jdk.java(jmhJdk))
                            // the opt-in in every configuration: the jvmti one acquires JVMTI through the
                            // (gated) diagnostic suspend, and all three must run with the same flags
                            .jvmArgs("-Xms1g", "-Xmx1g", "-Dthreadkill.allowNativeKill=true",
                                    "-Dbench.cpu.out=" + cpuFile.toAbsolutePath())
                            .jvmArgsAppend(feature >= 17 ? "--enable-native-access=ALL-UNNAMED" : "-Dx=y")
                            .shouldFailOnError(true)
                            .output(log.toString() + "." + w + "." + cfg + "." + round);
                    for (RunResult rr : new Runner(o.build()).run()) {
                        double score = rr.getPrimaryResult().getScore();
                        scores.computeIfAbsent(w, x -> new LinkedHashMap<>())
                                .computeIfAbsent(cfg, x -> new ArrayList<>()).add(score);
                        units.put(w, rr.getPrimaryResult().getScoreUnit());
                    }
                }
            }
        }
        Map<String, Map<String, List<Double>>> cpu = new LinkedHashMap<>();
        if (Files.exists(cpuFile)) {
            for (String line : Files.readAllLines(cpuFile)) {
                String[] f = line.trim().split(" ");
                if (f.length != 3) continue;
                String w = f[0].substring(f[0].lastIndexOf('.', f[0].lastIndexOf('.') - 1) + 1);
                cpu.computeIfAbsent(w, x -> new LinkedHashMap<>()).computeIfAbsent(f[1], x -> new ArrayList<>())
                        .add(Double.parseDouble(f[2]));
            }
        }
        for (String w : scores.keySet()) {
            Map<String, Map<String, Object>> byCfg = new LinkedHashMap<>();
            for (String cfg : configs) {
                List<Double> s = scores.get(w).getOrDefault(cfg, List.of());
                Map<String, Object> m = new LinkedHashMap<>();
                double mean = s.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                double sd = Math.sqrt(s.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / Math.max(1, s.size() - 1));
                m.put("forks", s.size());
                m.put("scores", new ArrayList<Object>(s));
                m.put("mean", mean);
                m.put("median", s.isEmpty() ? Double.NaN : new Stats(List.of()).medianOf(s));
                m.put("min", s.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
                m.put("max", s.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
                m.put("stdev_between_forks", s.size() > 1 ? sd : Double.NaN);
                m.put("unit", units.get(w));
                List<Double> c = cpu.getOrDefault(w, Map.of()).getOrDefault(cfg, List.of());
                m.put("cpu_ns_per_op", new ArrayList<Object>(c));
                m.put("cpu_ns_per_op_mean", c.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
                m.put("cpu_ns_per_op_median", c.isEmpty() ? Double.NaN : new Stats(List.of()).medianOf(c));
                byCfg.put(cfg, m);
            }
            r.jmh.put(w, byCfg);
            System.out.printf("  %s: none %.1f, loaded %.1f, jvmti %.1f %s (medians of forks)%n", w,
                    (double) byCfg.get("none").get("median"), (double) byCfg.get("loaded").get("median"),
                    (double) byCfg.get("jvmti").get("median"), units.get(w));
        }
    }
}
