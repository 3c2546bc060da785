package org.threadkill.bench;

/** One section of a run (its own class under org.threadkill.bench.section): it measures and adds to the results. */
public interface Section {
    String name();

    void run(Run run) throws Exception;
}
