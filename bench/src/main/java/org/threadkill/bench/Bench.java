package org.threadkill.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark harness (issue 5): one run measures the floor, every kill mode on fresh victims,
 * the alternatives (Python's async exception, a child JVM killed with destroyForcibly), the lookup,
 * the overhead on other work (JMH) and the scale of freezing, then writes target/bench/bench.json and
 * docs/benchmarks.md. Every kill runs in a child JVM of its own cell; NATIVE_EXIT and NATIVE_CANCEL
 * children are discarded after use. Nothing here asserts anything about time.
 *
 * <p>Arguments: {@code --quick|--full}, {@code --out DIR}, {@code --doc FILE}, {@code --jmh-jdk HOME},
 * {@code --python CMD}, {@code --note TEXT}. Needs {@code -Dbench.natives} and {@code -Dbench.python.script}.
 * Exit status: 0, or 1 when the harness could not measure something it should have (a child that
 * was expected to finish did not, JMH failed): the reasons are printed and written to the report.
 */
public final class Bench {
    private Bench() {}

    /** Sizes of one run. */
    static final class Plan {
        final boolean quick;
        final int n, warmup, probeN, batch, scaleN, processN, pyN, pyMp, lookupBatches, dumpCalls;
        final int jmhRounds, jmhWarmups, jmhIterations;
        final TimeValue jmhTime;

        Plan(boolean quick) {
            this.quick = quick;
            n = quick ? 50 : 1000;
            warmup = quick ? 5 : 30;
            probeN = quick ? 2 : 5;
            batch = quick ? 50 : 125;
            scaleN = quick ? 100 : 1000;
            processN = quick ? 3 : 20;
            pyN = quick ? 50 : 1000;
            pyMp = quick ? 3 : 20;
            lookupBatches = quick ? 200 : 2000;
            dumpCalls = quick ? 10 : 200;
            jmhRounds = quick ? 1 : 5;
            jmhWarmups = quick ? 1 : 3;
            jmhIterations = quick ? 2 : 4;
            jmhTime = quick ? TimeValue.milliseconds(400) : TimeValue.seconds(1);
        }
    }

    static Path out = Path.of("target", "bench");
    static Path raw;
    static Path doc = Path.of("docs", "benchmarks.md");
    static String jmhJdk = System.getProperty("java.home");
    static String python = "python3";
    static String note = "";
    static int childSeq;

    public static void main(String[] args) throws Exception {
        boolean quick = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick": quick = true; break;
                case "--full": quick = false; break;
                case "--out": out = Path.of(args[++i]); break;
                case "--doc": doc = Path.of(args[++i]); break;
                case "--jmh-jdk": jmhJdk = args[++i]; break;
                case "--python": python = args[++i]; break;
                case "--note": note = args[++i]; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Plan plan = new Plan(quick);
        raw = out.resolve("raw");
        Files.createDirectories(raw);
        try (var old = Files.list(raw)) {
            old.forEach(p -> p.toFile().delete());
        }
        Results r = new Results();
        r.mode = quick ? "quick" : "full";
        machine(r, "start");

        section(r, "lookup", () -> lookup(r, plan));
        section(r, "floor", () -> {
            for (Victim.Kind k : Victim.Kind.values()) fresh(r, plan, "FLOOR", k, false);
        });
        section(r, "interrupt", () -> {
            fresh(r, plan, "INTERRUPT", Victim.Kind.SLEEP, false);
            fresh(r, plan, "INTERRUPT", Victim.Kind.JAVA_SPIN, true);
            fresh(r, plan, "INTERRUPT", Victim.Kind.NATIVE_SPIN, true);
            fresh(r, plan, "INTERRUPT", Victim.Kind.NATIVE_READ, true);
        });
        section(r, "async_exception", () -> {
            fresh(r, plan, "ASYNC_EXCEPTION", Victim.Kind.SLEEP, false);
            fresh(r, plan, "ASYNC_EXCEPTION", Victim.Kind.JAVA_SPIN, false);
            fresh(r, plan, "ASYNC_EXCEPTION", Victim.Kind.NATIVE_SPIN, true);
            fresh(r, plan, "ASYNC_EXCEPTION", Victim.Kind.NATIVE_READ, true);
        });
        section(r, "native_freeze", () -> {
            for (Victim.Kind k : Victim.Kind.values()) fresh(r, plan, "NATIVE_FREEZE", k, false);
            for (Victim.Kind k : Victim.Kind.values()) fresh(r, plan, "SUSPEND", k, false);
        });
        section(r, "native_exit", () -> {
            doomed(r, plan, "NATIVE_EXIT", Victim.Kind.NATIVE_SPIN, false);
            doomed(r, plan, "NATIVE_EXIT", Victim.Kind.NATIVE_READ, false);
        });
        section(r, "native_cancel", () -> {
            doomed(r, plan, "NATIVE_CANCEL", Victim.Kind.NATIVE_READ, false);
            doomed(r, plan, "NATIVE_CANCEL", Victim.Kind.NATIVE_SPIN, true);
        });
        section(r, "scale", () -> scale(r, plan));
        section(r, "process", () -> processAlternative(r, plan));
        section(r, "python", () -> pythonAlternatives(r, plan));
        section(r, "jmh", () -> jmh(r, plan));
        machine(r, "end");

        Files.writeString(out.resolve("bench.json"), Json.write(json(r)));
        Report.write(r, doc, out);
        Report.printSummary(r, System.out);
        if (!r.problems.isEmpty()) {
            System.out.println("\nThe harness could not measure everything:");
            r.problems.forEach(p -> System.out.println("  - " + p));
            System.exit(1);
        }
    }

    interface Section {
        void run() throws Exception;
    }

    static void section(Results r, String name, Section s) {
        long t0 = System.nanoTime();
        System.out.println("[bench] " + name + " ...");
        try {
            s.run();
        } catch (Exception e) {
            r.problems.add(name + ": " + e);
            e.printStackTrace(System.out);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        r.sectionMillis.put(name, ms);
        System.out.println("[bench] " + name + " took " + ms + " ms");
    }

    // ---- child JVMs -------------------------------------------------------------------------

    static final class Child {
        final List<String> lines;
        final Integer exit;
        final boolean finished;   // printed "done"
        final boolean crashed;    // left an hs_err file
        final String stderrTail;
        final long endNanos;

        Child(List<String> lines, Integer exit, boolean crashed, String stderrTail, long endNanos) {
            this.lines = lines;
            this.exit = exit;
            this.finished = lines.contains("done");
            this.crashed = crashed;
            this.stderrTail = stderrTail;
            this.endNanos = endNanos;
        }

        String why() {
            return (crashed ? "crashed (hs_err)" : exit == null ? "timed out" : "exit " + exit)
                    + (stderrTail.isBlank() ? "" : ": " + stderrTail.strip().replace('\n', ' '));
        }
    }

    static String javaBin(String home) {
        return Path.of(home, "bin", "java").toString();
    }

    static List<String> childFlags() {
        List<String> f = new ArrayList<>();
        f.add("--enable-native-access=ALL-UNNAMED");
        f.add("-Dthreadkill.allowNativeKill=true");
        f.add("-XX:-CreateCoredumpOnCrash");
        f.add("-XX:ErrorFile=" + raw.toAbsolutePath().resolve("hs_err_%p.log"));
        f.add("-Dbench.natives=" + System.getProperty("bench.natives"));
        f.add("-Xms256m");
        f.add("-Xmx256m");
        return f;
    }

    static Child child(String label, List<String> extraFlags, Class<?> main, Duration timeout, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin(System.getProperty("java.home")));
        cmd.addAll(childFlags());
        cmd.addAll(extraFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        String name = String.format("%03d-%s", ++childSeq, label);
        Path so = raw.resolve(name + ".out");
        Path se = raw.resolve(name + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(so.toFile()).redirectError(se.toFile()).start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long end = System.nanoTime();
        if (!done) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(so, StandardCharsets.UTF_8);
        String err = Files.readString(se, StandardCharsets.UTF_8);
        boolean crashed = Files.exists(raw.resolve("hs_err_" + p.pid() + ".log"));
        String tail = err.length() > 600 ? err.substring(err.length() - 600) : err;
        return new Child(lines, done ? p.exitValue() : null, crashed, tail, end);
    }

    /** A cell of fresh victims killed one at a time in one child JVM. */
    static void fresh(Results r, Plan plan, String mode, Victim.Kind kind, boolean probe) throws Exception {
        Results.Cell c = new Results.Cell(mode, kind, probe);
        r.cells.add(c);
        int n = probe ? plan.probeN : plan.n;
        int warmup = probe ? 0 : plan.warmup;
        long waitMs = probe ? 50 : 2000;
        Child ch = child(mode + "-" + kind, List.of(), KillChild.class, Duration.ofMinutes(10),
                mode, kind.name(), Integer.toString(n), Integer.toString(warmup), Long.toString(waitMs));
        c.children++;
        parseSamples(c, ch);
        if (!ch.finished) {
            c.childrenUnfinished++;
            r.problems.add(c.label() + ": child did not finish: " + ch.why());
        }
        if (probe) c.notes.add("tried " + n + " times with a " + waitMs + " ms wait: the mode is not expected to stop this victim");
        progress(c);
    }

    /**
     * NATIVE_EXIT / NATIVE_CANCEL: batches of gated victims per child JVM, all created before the
     * first kill, each child discarded after its batch.
     */
    static void doomed(Results r, Plan plan, String mode, Victim.Kind kind, boolean probe) throws Exception {
        Results.Cell c = new Results.Cell(mode, kind, probe);
        r.cells.add(c);
        int wanted = probe ? plan.probeN : plan.n;
        int warmup = probe ? 0 : 2;
        long waitMs = probe ? 100 : 2000;
        while (c.tries() < wanted) {
            int batch = Math.min(plan.batch, wanted - c.tries());
            int before = c.tries();
            Child ch = child(mode + "-" + kind, List.of("-XX:-UseDynamicNumberOfCompilerThreads",
                    "-XX:-UseDynamicNumberOfGCThreads"), KillChild.class, Duration.ofMinutes(3),
                    mode, kind.name(), Integer.toString(batch), Integer.toString(warmup), Long.toString(waitMs));
            c.children++;
            parseSamples(c, ch);
            if (!ch.finished) {
                c.childrenUnfinished++;
                c.notes.add("a child JVM ended before its batch was done: " + ch.why());
            }
            if (c.tries() == before) {
                r.problems.add(c.label() + ": a child JVM produced no sample: " + ch.why());
                break;
            }
            if (probe) break;   // a pending cancel on a spinner ends the batch: one child is enough
        }
        c.notes.add("victims created before the first kill, " + plan.batch + " (+2 warm-up) per child JVM, "
                + "each child discarded after its batch (" + c.children + " child JVMs)");
        progress(c);
    }

    static void parseSamples(Results.Cell c, Child ch) {
        for (String line : ch.lines) {
            String[] f = line.split(" ");
            if (f[0].equals("s") && f.length >= 6) {
                c.latency.add(Long.parseLong(f[1]));
                c.handler.add(Long.parseLong(f[2]));
                c.observed.add(Long.parseLong(f[3]));
                c.wall.add(Long.parseLong(f[4]));
                c.outcomes.merge(f[5], 1, Integer::sum);
            }
        }
    }

    static void progress(Results.Cell c) {
        Stats s = c.latencyStats();
        System.out.printf("  %-34s %s median %s µs p99 %s µs%n", c.label(), c.outcomes,
                Report.us(s.median()), Report.us(s.pct(99)));
    }

    static void parseNamed(Results r, Child ch) {
        for (String line : ch.lines) {
            String[] f = line.split(" ", 3);
            if (f[0].equals("c") && f.length == 3) r.samples(f[1]).add(Long.parseLong(f[2].trim()));
            if (f[0].equals("i") && f.length == 3) r.facts.put(f[1], f[2]);
        }
    }

    // ---- sections -----------------------------------------------------------------------------

    static void lookup(Results r, Plan plan) throws Exception {
        Child ch = child("lookup", List.of(), LookupChild.class, Duration.ofMinutes(5),
                Integer.toString(plan.lookupBatches), Integer.toString(plan.dumpCalls));
        parseNamed(r, ch);
        if (!ch.finished) r.problems.add("lookup: child did not finish: " + ch.why());
        System.out.printf("  nativeId vmStructs median %d ns, threadDump median %s µs%n",
                r.stats("nativeid_vmstructs").median(), Report.us(r.stats("nativeid_threaddump").median()));
    }

    static void scale(Results r, Plan plan) throws Exception {
        // Baseline first: the same threads blocked in read(2), never killed.
        Child base = child("scale-baseline", List.of(), ScaleChild.class, Duration.ofMinutes(5),
                Integer.toString(plan.scaleN), "block");
        for (String line : base.lines) {
            String[] f = line.split(" ", 3);
            if (f[0].equals("i") && f.length == 3 && f[1].equals("exit_at_ns") && base.exit != null) {
                r.facts.put("baseline_exit_ns", base.endNanos - Long.parseLong(f[2].trim()));
            }
            if (f[0].equals("i") && f.length == 3 && f[1].equals("gc_ns")) r.facts.put("baseline_gc_ns", f[2]);
        }
        Child ch = child("scale", List.of(), ScaleChild.class, Duration.ofMinutes(5), Integer.toString(plan.scaleN),
                "freeze");
        parseNamed(r, ch);
        Object at = r.facts.get("exit_at_ns");
        if (at != null && ch.exit != null) {
            r.facts.put("exit_ns", ch.endNanos - Long.parseLong(at.toString()));
        }
        r.facts.put("scale_n", plan.scaleN);
        r.facts.put("scale_exit_code", ch.exit == null ? "timed out (killed)" : ch.exit);
        r.facts.put("scale_crashed", ch.crashed);
        if (ch.exit == null || ch.exit != 0 || !r.facts.containsKey("exit_at_ns")) {
            r.problems.add("scale: child did not exit normally: " + ch.why());
        }
        System.out.printf("  scale: %s frozen, kill wall median %s µs, gc %s ms, exit %s ms%n", r.facts.get("frozen"),
                Report.us(r.stats("scale_kill_wall").median()), Report.ms(r.facts.get("gc_ns")),
                Report.ms(r.facts.get("exit_ns")));
    }

    /** "Promote the thread to a process": start a child JVM that does the work, then destroyForcibly() it. */
    static void processAlternative(Results r, Plan plan) throws Exception {
        for (int i = 0; i < plan.processN + 1; i++) {
            List<String> cmd = List.of(javaBin(System.getProperty("java.home")), "-cp",
                    System.getProperty("java.class.path"), SpinChild.class.getName());
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            long t1 = System.nanoTime();
            if (!"ready".equals(line)) {
                p.destroyForcibly();
                throw new IllegalStateException("process alternative: child said " + line);
            }
            p.destroyForcibly();
            p.waitFor();
            long t2 = System.nanoTime();
            if (i == 0) continue;   // the first start warms the page cache
            r.samples("jvm_start_ready").add(t1 - t0);
            r.samples("jvm_destroy_reaped").add(t2 - t1);
            r.samples("jvm_cycle").add(t2 - t0);
        }
        System.out.printf("  child JVM start->ready median %s ms, destroyForcibly->reaped median %s ms%n",
                Report.ms(r.stats("jvm_start_ready").median()), Report.ms(r.stats("jvm_destroy_reaped").median()));
    }

    static void pythonAlternatives(Results r, Plan plan) throws Exception {
        String script = System.getProperty("bench.python.script");
        List<String> cmd = List.of(python, script, Integer.toString(plan.pyN), Integer.toString(plan.pyMp),
                plan.quick ? "1" : "3");
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
        for (String line : lines) {
            String[] f = line.split(" ", 3);
            if (f[0].equals("c") && f.length == 3) r.samples(f[1]).add(Long.parseLong(f[2].trim()));
            if (f[0].equals("i") && f.length == 3) r.facts.put(f[1], f[2]);
        }
        if (!lines.contains("done")) r.problems.add("python: did not finish: " + Files.readString(se));
        System.out.printf("  python async exc caught median %s µs; multiprocessing terminate median %s ms%n",
                Report.us(r.stats("py_async_exc_caught").median()), Report.ms(r.stats("py_mp_terminate").median()));
    }

    /** JMH in rounds: each round runs every (workload, config) fork once, so that drift hits all alike. */
    static void jmh(Results r, Plan plan) throws Exception {
        String jdkVersion = javaVersion(jmhJdk);
        r.facts.put("jmh_jdk", jdkVersion);
        int feature = featureOf(jdkVersion);
        List<String> workloads = new ArrayList<>(List.of("CpuBench.hash"));
        if (feature >= 21) {
            workloads.add("VThreadBench.manyShortVirtualThreads");
        } else {
            r.facts.put("jmh_vthreads", "skipped: JDK " + jdkVersion + " has no virtual threads (21+ needed)");
        }
        String[] configs = {"none", "loaded", "jvmti"};
        Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        Path log = raw.resolve("jmh.log");
        Path cpuFile = raw.resolve("jmh-cpu.txt");
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
                            .jvm(javaBin(jmhJdk))
                            .jvmArgs("-Xms1g", "-Xmx1g", "-Dbench.natives=" + System.getProperty("bench.natives"),
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

    static String javaVersion(String home) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(javaBin(home), "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String version = "?", vendor = "";
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (t.startsWith("java.runtime.version = ")) version = t.substring("java.runtime.version = ".length());
            if (t.startsWith("java.vendor = ")) vendor = t.substring("java.vendor = ".length());
        }
        return version + (vendor.isEmpty() ? "" : " (" + vendor + ")");
    }

    static int featureOf(String version) {
        String v = version.split("[^0-9]", 2)[0];
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ---- machine ------------------------------------------------------------------------------

    static void machine(Results r, String when) throws Exception {
        Map<String, Object> m = r.machine;
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        m.put("loadavg_" + when, load);
        if (!when.equals("start")) {
            m.put("finished", Instant.now().toString());
            return;
        }
        m.put("started", Instant.now().toString());
        String cpu = "?";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).trim();
                break;
            }
        }
        m.put("cpu", cpu);
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) m.put("memory", line.substring(9).trim());
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("glibc", run("getconf", "GNU_LIBC_VERSION"));
        m.put("jdk_kills", javaVersion(System.getProperty("java.home")));
        m.put("jdk_jmh", javaVersion(jmhJdk));
        m.put("note", note);
    }

    static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return s;
        } catch (Exception e) {
            return "?";
        }
    }

    // ---- JSON ---------------------------------------------------------------------------------

    static Map<String, Object> json(Results r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("mode", r.mode);
        j.put("machine", r.machine);
        List<Object> cells = new ArrayList<>();
        for (Results.Cell c : r.cells) cells.add(c.json());
        j.put("kills", cells);
        Map<String, Object> named = new LinkedHashMap<>();
        for (String k : r.samples.keySet()) named.put(k, r.stats(k).json());
        j.put("measurements", named);
        j.put("facts", r.facts);
        j.put("jmh", r.jmh);
        j.put("ratios", Report.ratios(r));
        j.put("goals", Report.goals(r));
        j.put("section_ms", r.sectionMillis);
        j.put("problems", r.problems);
        return j;
    }
}
