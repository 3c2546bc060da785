package org.threadkill.bench;

import java.nio.file.Path;

/**
 * The command line of {@link Bench}: {@code --quick|--full}, {@code --out DIR}, {@code --doc FILE},
 * {@code --jmh-jdk HOME}, {@code --python CMD}, {@code --python-script FILE}, {@code --note TEXT},
 * {@code --only NAME,NAME} (only those sections, by {@link org.threadkill.bench.Section#name()}; for
 * working on one of them: the report then says "not measured" for the rest).
 */
public final class Options {
    public boolean quick = true;
    public Path out = Path.of("target", "bench");
    public Path doc = Path.of("docs", "benchmarks.md");
    public String jmhJdk = System.getProperty("java.home");
    public String python = "python3";
    public String pythonScript = System.getProperty("bench.python.script", "bench/python/alternatives.py");
    public String note = "";
    /** Section names to run; empty: all (also {@code -Dbench.sections=a,b}). */
    public java.util.List<String> only = split(System.getProperty("bench.sections", ""));

    public static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick": o.quick = true; break;
                case "--full": o.quick = false; break;
                case "--out": o.out = Path.of(args[++i]); break;
                case "--doc": o.doc = Path.of(args[++i]); break;
                case "--jmh-jdk": o.jmhJdk = args[++i]; break;
                case "--python": o.python = args[++i]; break;
                case "--python-script": o.pythonScript = args[++i]; break;
                case "--note": o.note = args[++i]; break;
                case "--only": o.only = split(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        return o;
    }

    private static java.util.List<String> split(String names) {
        return names.isBlank() ? java.util.List.of() : java.util.List.of(names.trim().split("\\s*,\\s*"));
    }

    /** Raw output of every child JVM and process. */
    public Path raw() {
        return out.resolve("raw");
    }
}
