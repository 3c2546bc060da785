package org.threadkill.internal;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/** The monitors and java.util.concurrent locks a thread holds, from ThreadMXBean. */
public final class HeldLocks {
    private HeldLocks() {}

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** Descriptions such as {@code monitor java.lang.Object@1b6d3586}; empty when none or unknown. */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static List<String> of(Thread t) {
        List<String> held = new ArrayList<>();
        ThreadInfo info = threadInfo(t.getId());
        if (info == null) return held;
        for (MonitorInfo m : info.getLockedMonitors()) held.add("monitor " + m);
        for (LockInfo l : info.getLockedSynchronizers()) held.add("lock " + l);
        return held;
    }

    public static ThreadInfo threadInfo(long javaId) {
        boolean monitors = MX.isObjectMonitorUsageSupported();
        boolean synchronizers = MX.isSynchronizerUsageSupported();
        ThreadInfo[] infos = MX.getThreadInfo(new long[] {javaId}, monitors, synchronizers);
        return infos.length == 0 ? null : infos[0];
    }
}
