package org.threadkill.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one run measured; written to bench.json and rendered into docs/benchmarks.md. */
public final class Results {
    /** One (mode, victim kind) cell of kill measurements. */
    public static final class Cell {
        public final String mode;
        public final Victim.Kind kind;
        /** A mode tried on a victim it is not expected to stop: a few tries, outcome only. */
        public final boolean probe;
        public final List<Long> latency = new ArrayList<>();
        public final List<Long> handler = new ArrayList<>();
        public final List<Long> observed = new ArrayList<>();
        public final List<Long> wall = new ArrayList<>();
        public final Map<String, Integer> outcomes = new LinkedHashMap<>();
        public int children;
        public int childrenUnfinished;
        public final List<String> notes = new ArrayList<>();

        public Cell(String mode, Victim.Kind kind, boolean probe) {
            this.mode = mode;
            this.kind = kind;
            this.probe = probe;
        }

        public Stats latencyStats() {
            return new Stats(latency);
        }

        public int tries() {
            return outcomes.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int stopped() {
            return outcomes.getOrDefault("STOPPED", 0);
        }

        public String label() {
            return mode + " / " + kind;
        }

        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", mode);
            m.put("victim", kind.name());
            m.put("probe", probe);
            m.put("outcomes", outcomes);
            m.put("latency", new Stats(latency).json());
            m.put("handler_latency", new Stats(handler).json());
            m.put("victim_observed", new Stats(observed).json());
            m.put("call_wall", new Stats(wall).json());
            m.put("child_jvms", children);
            m.put("child_jvms_unfinished", childrenUnfinished);
            m.put("notes", notes);
            return m;
        }
    }

    public String mode;
    public final Map<String, Object> machine = new LinkedHashMap<>();
    public final List<Cell> cells = new ArrayList<>();
    /** Named samples in ns: alternatives, lookup, scale. */
    public final Map<String, List<Long>> samples = new LinkedHashMap<>();
    /** Named facts: scale memory, GC, exit, python version, ... */
    public final Map<String, Object> facts = new LinkedHashMap<>();
    /** JMH: workload -> config -> {score, error, unit, forks...}. */
    public final Map<String, Map<String, Map<String, Object>>> jmh = new LinkedHashMap<>();
    /** DeadlineBench (issue 11): benchmark -> {n, mean_ns, p50_ns, p90_ns, p99_ns, forks}, per call. */
    public final Map<String, Map<String, Object>> deadlineCost = new LinkedHashMap<>();
    public final Map<String, Long> sectionMillis = new LinkedHashMap<>();
    public final List<String> problems = new ArrayList<>();

    public Cell cell(String mode, Victim.Kind kind) {
        for (Cell c : cells) if (c.mode.equals(mode) && c.kind == kind) return c;
        return null;
    }

    public List<Long> samples(String name) {
        return samples.computeIfAbsent(name, k -> new ArrayList<>());
    }

    public Stats stats(String name) {
        return new Stats(samples.getOrDefault(name, List.of()));
    }
}
