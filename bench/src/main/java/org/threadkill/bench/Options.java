package org.threadkill.bench;

import java.nio.file.Path;

/**
 * The command line of {@link Bench}: {@code --quick|--full}, {@code --out DIR}, {@code --doc FILE},
 * {@code --jmh-jdk HOME}, {@code --python CMD}, {@code --python-script FILE}, {@code --note TEXT}.
 */
public final class Options {
    public boolean quick = true;
    public Path out = Path.of("target", "bench");
    public Path doc = Path.of("docs", "benchmarks.md");
    public String jmhJdk = System.getProperty("java.home");
    public String python = "python3";
    public String pythonScript = System.getProperty("bench.python.script", "bench/python/alternatives.py");
    public String note = "";

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
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        return o;
    }

    /** Raw output of every child JVM and process. */
    public Path raw() {
        return out.resolve("raw");
    }
}
