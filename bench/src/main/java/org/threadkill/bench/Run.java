package org.threadkill.bench;

/** What every section of one run shares: its options and sizes, where children go, the results so far. */
public final class Run {
    public final Options options;
    public final Plan plan;
    public final Children children;
    public final Results results = new Results();

    public Run(Options options) {
        this.options = options;
        this.plan = new Plan(options.quick);
        this.children = new Children(options.raw());
        results.mode = options.quick ? "quick" : "full";
    }
}
