package org.threadkill.bench;

import org.openjdk.jmh.runner.options.TimeValue;

/** Sizes of one run: --quick (CI, under 2 minutes) or --full (the committed report). */
public final class Plan {
    public final boolean quick;
    public final int n, warmup, probeN, batch, scaleN, processN, pyN, pyMp, lookupBatches, dumpCalls;
    public final int jmhRounds, jmhWarmups, jmhIterations;
    public final TimeValue jmhTime;

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
    }
}
