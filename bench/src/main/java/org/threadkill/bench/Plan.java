package org.threadkill.bench;

import org.openjdk.jmh.runner.options.TimeValue;

/** Sizes of one run: --quick (CI, under 2 minutes) or --full (the committed report). */
public final class Plan {
    public final boolean quick;
    public final int n, warmup, probeN, batch, scaleN, processN, pyN, pyMp, lookupBatches, dumpCalls;
    public final int jmhRounds, jmhWarmups, jmhIterations;
    public final TimeValue jmhTime;
    /** Deadlines (issue 11): DeadlineBench's JMH sizes; tries of a deadline that fires; Python calls timed one by one. */
    public final int dlForks, dlWarmups, dlIterations, dlFireN, dlFireWarmup, dlPyCalls;
    public final TimeValue dlTime;

    public Plan(boolean quick) {
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
        dlForks = quick ? 1 : 2;
        dlWarmups = quick ? 1 : 3;
        dlIterations = quick ? 2 : 5;
        dlTime = quick ? TimeValue.milliseconds(300) : TimeValue.seconds(1);
        dlFireN = quick ? 20 : 1000;
        dlFireWarmup = quick ? 3 : 20;
        dlPyCalls = quick ? 2000 : 20000;
    }
}
