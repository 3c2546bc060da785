package org.threadkill.bench.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.threadkill.bench.Results;
import org.threadkill.bench.Victim;

/** Made-up results, the same on every call: to render the report without measuring anything. */
public final class FakeRun {
    private FakeRun() {}

    public static Results fake(boolean problems) {
        Random rnd = new Random(42);
        Results r = new Results();
        r.mode = "full";
        r.machine.put("started", "2026-12-01T00:00:00Z");
        r.machine.put("finished", "2026-12-01T00:10:00Z");
        r.machine.put("loadavg_start", "0.5 0.4 0.3 1/100 1");
        r.machine.put("loadavg_end", "0.6 0.5 0.4 1/100 1");
        r.machine.put("cpu", "Fake CPU");
        r.machine.put("cpus", 2);
        r.machine.put("memory", "8000000 kB");
        r.machine.put("os", "Linux 6.1 amd64");
        r.machine.put("glibc", "glibc 2.36");
        r.machine.put("jdk_kills", "17.0.15 (Debian)");
        r.machine.put("jdk_jmh", "25 (Eclipse Adoptium)");
        r.machine.put("note", problems ? "a note" : "");
        String[][] cells = {{"FLOOR", "SLEEP", "f"}, {"FLOOR", "JAVA_SPIN", "f"}, {"FLOOR", "NATIVE_SPIN", "f"}, {"FLOOR", "NATIVE_READ", "f"},
                {"INTERRUPT", "SLEEP", "f"}, {"INTERRUPT", "JAVA_SPIN", "p"}, {"ASYNC_EXCEPTION", "SLEEP", "f"}, {"ASYNC_EXCEPTION", "JAVA_SPIN", "f"},
                {"ASYNC_EXCEPTION", "NATIVE_READ", "p"},
                {"NATIVE_FREEZE", "SLEEP", "f"}, {"NATIVE_FREEZE", "JAVA_SPIN", "f"}, {"NATIVE_FREEZE", "NATIVE_SPIN", "f"}, {"NATIVE_FREEZE", "NATIVE_READ", "f"},
                {"SUSPEND", "SLEEP", "f"}, {"SUSPEND", "JAVA_SPIN", "f"}, {"SUSPEND", "NATIVE_SPIN", "f"}, {"SUSPEND", "NATIVE_READ", "f"},
                {"NATIVE_EXIT", "NATIVE_SPIN", "f"}, {"NATIVE_EXIT", "NATIVE_READ", "f"}, {"NATIVE_CANCEL", "NATIVE_READ", "f"}, {"NATIVE_CANCEL", "NATIVE_SPIN", "p"}};
        for (String[] c : cells) {
            Results.Cell cell = new Results.Cell(c[0], Victim.Kind.valueOf(c[1]), c[2].equals("p"));
            int n = cell.probe ? 3 : 40;
            for (int i = 0; i < n; i++) {
                cell.latency.add(cell.probe ? -1L : 5_000L + rnd.nextInt(200_000));
                cell.handler.add(3_000L + rnd.nextInt(100_000));
                cell.observed.add(c[0].equals("ASYNC_EXCEPTION") ? 7_000L + rnd.nextInt(90_000) : -1L);
                cell.wall.add(20_000L + rnd.nextInt(500_000));
                cell.outcomes.merge(cell.probe ? "STILL_RUNNING" : "STOPPED", 1, Integer::sum);
            }
            cell.children = 2;
            if (c[0].equals("NATIVE_EXIT")) cell.notes.add("victims created before the first kill");
            if (cell.probe) cell.notes.add("tried 3 times");
            r.cells.add(cell);
        }
        String[] names = {"nativeid_vmstructs", "nativeid_threaddump", "jni_nop", "jni_eetop", "jni_gettid", "heldlocks",
                "py_async_exc_caught", "py_async_exc_joined", "py_mp_start", "py_mp_terminate", "jvm_start_ready",
                "jvm_destroy_reaped", "jvm_cycle", "scale_kill_wall", "scale_kill_latency"};
        long[] base = {300, 2_000_000, 20, 40, 400, 30_000, 40_000, 90_000, 14_000_000, 1_800_000, 80_000_000, 4_500_000,
                85_000_000, 60_000, 30_000};
        for (int k = 0; k < names.length; k++) {
            List<Long> l = r.samples(names[k]);
            for (int i = 0; i < 30; i++) l.add(base[k] + rnd.nextInt((int) Math.min(Integer.MAX_VALUE, base[k])));
        }
        Object[][] facts = {{"python", "Python 3.11.2"}, {"frozen", "1000"}, {"frozen_alive", "1000"}, {"scale_n", 1000},
                {"before_VmRSS", "100000"}, {"blocked_VmRSS", "200000"}, {"frozen_VmRSS", "210000"},
                {"before_VmSize", "3000000"}, {"blocked_VmSize", "5000000"}, {"frozen_VmSize", "5100000"},
                {"gc_ns", "25000000"}, {"baseline_gc_ns", "20000000"}, {"new_thread_ns", "300000"}, {"exit_ns", "400000000"},
                {"baseline_exit_ns", "390000000"}, {"scale_exit_code", 0}, {"jmh_jdk", "25"}};
        for (Object[] f : facts) r.facts.put((String) f[0], f[1]);
        // The safe-point sections (SafePointTables).
        r.facts.put("safepoint_points", List.of("h64_t100", "h1536_t100"));
        for (String p : new String[] {"h64_t100", "h1536_t100"}) {
            for (int i = 0; i < 10; i++) r.samples("kill_wall_" + p).add(200_000L + rnd.nextInt(100_000));
            r.facts.put("longest_safepoint_ns_" + p, 1_200_000L);
            r.facts.put("longest_safepoint_op_" + p, "ThreadDump");
            r.facts.put("safepoints_in_window_" + p, 20);
            r.facts.put("stopped_" + p, "10 of 10");
            for (int i = 0; i < 10; i++) {
                r.samples("check_java_" + p).add(9_000L + rnd.nextInt(1_000));
                r.samples("check_native_" + p).add(2_000L + rnd.nextInt(500));
                r.samples("check_both_" + p).add(11_000L + rnd.nextInt(1_500));
                r.samples("check_suspend_" + p).add(1_000L + rnd.nextInt(500));
                r.samples("check_resume_" + p).add(500L + rnd.nextInt(100));
                r.samples("check_safepoints_" + p).add(0L);
                r.samples("bound_overrun_" + p).add(3_000_000L + rnd.nextInt(1_000_000));
            }
        }
        for (String v : new String[] {"poll", "counted", "regex"}) {
            for (String how : new String[] {"int", "jit"}) {
                r.facts.put("async_stopped_" + v + "_" + how, "1000");
                r.facts.put("async_tries_" + v + "_" + how, "1000");
                r.facts.put("async_planned_" + v + "_" + how, "1000");
                for (int i = 0; i < 10; i++) r.samples("async_latency_" + v + "_" + how).add(500_000L + rnd.nextInt(100_000));
            }
        }
        r.facts.put("libc_stopped", "100");
        r.facts.put("libc_tries", "100");
        for (int i = 0; i < 10; i++) r.samples("libc_freeze_latency").add(300_000L + rnd.nextInt(100_000));
        if (problems) r.facts.put("jmh_vthreads", "skipped: JDK 17 has no virtual threads (21+ needed)");
        String[] workloads = problems ? new String[] {"CpuBench.hash"} : new String[] {"CpuBench.hash", "VThreadBench.manyShortVirtualThreads"};
        for (String w : workloads) {
            Map<String, Map<String, Object>> byCfg = new LinkedHashMap<>();
            for (String cfg : new String[] {"none", "loaded", "jvmti"}) {
                Map<String, Object> m = new LinkedHashMap<>();
                List<Object> scores = new ArrayList<>();
                double s0 = 1000 + rnd.nextInt(100);
                for (int i = 0; i < 5; i++) scores.add(s0 + rnd.nextInt(20));
                m.put("forks", problems ? 1 : 5);
                m.put("scores", scores);
                m.put("mean", s0 + 10);
                m.put("median", s0 + 9);
                m.put("min", s0);
                m.put("max", s0 + 19);
                m.put("stdev_between_forks", 5.0);
                m.put("unit", "ops/s");
                m.put("cpu_ns_per_op", new ArrayList<Object>(List.of(900.0, 910.0)));
                m.put("cpu_ns_per_op_mean", 905.0 + rnd.nextInt(10));
                m.put("cpu_ns_per_op_median", 905.0 + rnd.nextInt(10));
                byCfg.put(cfg, m);
            }
            r.jmh.put(w, byCfg);
        }
        // The deadline section (DeadlineTables): JMH sample-time percentiles per answer, firing deadlines.
        String[] answers = {"plainCall", "plainHandoff", "deadline", "guavaTimeLimiter", "completableFutureGet",
                "junitAssertTimeoutPreemptively"};
        double[] p50 = {0.03, 18, 15, 22, 21, 95};
        for (int k = 0; k < answers.length; k++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", 100_000);
            m.put("mean_ns", p50[k] * 1100);
            m.put("p50_ns", p50[k] * 1000);
            m.put("p90_ns", p50[k] * 1500);
            m.put("p99_ns", p50[k] * 4000);
            m.put("forks", 2);
            r.deadlineCost.put(answers[k], m);
        }
        for (String k : new String[] {"py_plain_call", "py_handoff", "py_deadline_call"}) {
            for (int i = 0; i < 30; i++) r.samples(k).add((k.equals("py_plain_call") ? 100L : 40_000L) + rnd.nextInt(5_000));
        }
        for (int i = 0; i < 30; i++) {
            r.samples("deadline_fire_JAVA_SPIN").add(20_500_000L + rnd.nextInt(2_000_000));
            r.samples("deadline_fire_JAVA_SPIN_beyond_graces").add(500_000L + rnd.nextInt(2_000_000));
            r.samples("deadline_fire_NATIVE_SPIN").add(41_000_000L + rnd.nextInt(2_000_000));
            r.samples("deadline_fire_NATIVE_SPIN_beyond_graces").add(1_000_000L + rnd.nextInt(2_000_000));
            r.samples("py_deadline_fire").add(10_000_000L + rnd.nextInt(5_000_000));
            r.samples("deadline_fire_JAVA_SPIN_step").add(300_000L + rnd.nextInt(500_000));
            r.samples("deadline_fire_NATIVE_SPIN_step").add(60_000L + rnd.nextInt(100_000));
        }
        r.facts.put("deadline_fire_JAVA_SPIN_stopped_by", Map.of("ASYNC_EXCEPTION", 30));
        r.facts.put("deadline_fire_JAVA_SPIN_may_still_run", 0);
        r.facts.put("deadline_fire_NATIVE_SPIN_stopped_by", Map.of("NATIVE_FREEZE", 30));
        r.facts.put("deadline_fire_NATIVE_SPIN_may_still_run", 0);
        r.facts.put("py_deadline_fire_stopped", "30 of 30");
        r.facts.put("py_switch_interval_ms", "5");
        r.facts.put("deadline_jmh_jdk", "25 (Eclipse Adoptium)");
        r.sectionMillis.put("lookup", 1000L);
        r.sectionMillis.put("floor", 2000L);
        if (problems) {
            r.problems.add("scale: child did not exit normally: timed out");
            r.problems.add("python: did not finish:\nTraceback");
        }
        return r;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        for (boolean p : new boolean[] {false, true}) {
            Results r = fake(p);
            Path dir = out.resolve(p ? "problems" : "clean");
            Files.createDirectories(dir);
            Report.write(r, dir.resolve("benchmarks.md"), dir);
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            Summary.print(r, new java.io.PrintStream(b, true, "UTF-8"));
            Files.write(dir.resolve("summary.txt"), b.toByteArray());
            Files.writeString(dir.resolve("ratios_goals.txt"), Ratios.of(r) + "\n" + Goals.of(r));
        }
    }
}
