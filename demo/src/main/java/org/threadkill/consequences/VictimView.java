package org.threadkill.consequences;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.threadkill.KillMode;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;

/**
 * The victim of a cell as the JVM and the OS see it: what it holds before the kill, the kill itself,
 * and whether it still runs, is parked for good or is gone afterwards.
 */
public final class VictimView {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private final Scenario scenario;
    private final Column column;
    private final Timeline timeline;
    private final Findings findings;
    private Thread victim;
    private int victimTid = -1;
    /** A Deadline's ladder ended with a freeze that held. */
    private boolean frozenByLadder;

    VictimView(Scenario scenario, Column column, Timeline timeline, Findings findings) {
        this.scenario = scenario;
        this.column = column;
        this.timeline = timeline;
        this.findings = findings;
    }

    /** Records the victim and prints what it holds. */
    public void record(Thread t) {
        victim = t;
        try {
            victimTid = (int) ThreadKill.nativeId(t).tid();
        } catch (RuntimeException e) {
            victimTid = -1;
        }
        List<String> held = held(t);
        String extra = scenario.holds();
        if (!extra.isEmpty()) held.add(extra);
        timeline.ev("victim.holds", "'" + t.getName() + "' (tid " + victimTid + ", " + (t.isDaemon() ? "daemon" : "non-daemon")
                + ") " + describe(t) + (held.isEmpty() ? "; holds nothing" : "; holds " + String.join(", ", held)));
    }

    public Thread thread() {
        return victim;
    }

    public int tid() {
        return victimTid;
    }

    /** Applies a library mode and prints the result. */
    public KillResult kill(Thread t, KillMode mode) {
        timeline.ev("kill.start", "ThreadKill.kill('" + t.getName() + "', " + mode + ", 1 s)");
        KillResult r;
        try {
            r = ThreadKill.kill(t, mode, Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            timeline.ev("kill.refused", e.toString());
            return null;
        }
        timeline.ev("kill.result", r.outcome() + " after " + micros(r.latency()) + " µs"
                + (r.handlerLatency() != null ? " (signal handler entered at " + micros(r.handlerLatency()) + " µs)" : "")
                + "; was " + r.jvmStateBefore() + "; " + r.detail());
        return r;
    }

    private static String micros(Duration d) {
        return String.format(Locale.ROOT, "%.0f", d.toNanos() / 1000.0);
    }

    /**
     * Looks at the victim 300 ms after the kill: still running (NO_EFFECT), gone from the OS but
     * still listed by the JVM or parked for good (LEAK), or ended.
     */
    public void observe(KillResult r) throws InterruptedException {
        observe(r, () -> false);
    }

    /**
     * {@link #observe} for a victim that is a task on a thread that outlives it (a Deadline's runner):
     * when the work has ended, its thread living on, idle, is no leak.
     */
    public void observeWork(KillResult r, java.util.function.BooleanSupplier workEnded) throws InterruptedException {
        frozenByLadder = r != null && r.mode() == KillMode.NATIVE_FREEZE && r.outcome() == KillOutcome.STOPPED;
        observe(r, workEnded);
    }

    private void observe(KillResult r, java.util.function.BooleanSupplier workEnded) throws InterruptedException {
        long p0 = scenario.progress();
        Thread.sleep(300);
        long p1 = scenario.progress();
        boolean alive = victim.isAlive();
        String os = Proc.osState(victimTid);
        boolean stopped = r != null && r.outcome() == KillOutcome.STOPPED;
        String progress = p0 < 0 ? "" : p1 != p0 ? "; still progressing (+" + (p1 - p0) + " in 300 ms)" : "; no progress";
        timeline.ev("victim.after", "'" + victim.getName() + "': Java says " + (alive ? "alive, " + victim.getState() : "terminated")
                + "; OS says " + osText(os) + progress);
        if (!alive) return;
        if (workEnded.getAsBoolean()) {
            timeline.ev("victim.work", "the work has ended; its thread lives on, back among the Deadline's runners");
            return;
        }
        if (!stopped || (p0 >= 0 && p1 != p0)) {
            findings.add(Outcome.NO_EFFECT, "'" + victim.getName() + "' still runs 300 ms after the kill ("
                    + (r == null ? "no kill result" : "kill said " + r.outcome()) + ", Java " + victim.getState()
                    + ", OS " + osText(os) + progress + ")");
        } else if (os == null) {
            findings.add(Outcome.LEAK, "the JVM still lists '" + victim.getName() + "' as alive (" + victim.getState()
                    + ") but its OS thread is gone: the Thread, its stack and all it held are never freed");
        } else {
            findings.add(Outcome.LEAK, "'" + victim.getName() + "' is parked for good (OS " + osText(os)
                    + "): its thread, stack and all it held are never freed");
        }
    }

    public String osText(String state) {
        if (state == null) return "gone (a thread the OS no longer has)";
        switch (state) {
            case "R": return "running";
            case "S": return column == Column.NATIVE_FREEZE || frozenByLadder ? "sleeping (frozen in the kill signal's handler)" : "sleeping";
            case "D": return "in uninterruptible sleep";
            default: return "state " + state;
        }
    }

    /** How the victim looks now to the JVM and to the OS, for probe texts. */
    public String now() {
        return "'" + victim.getName() + "', " + osText(Proc.osState(victimTid));
    }

    /** ThreadMXBean's view: state, and the lock it waits for and its owner (told apart when it is the victim). */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public String describe(Thread t) {
        ThreadInfo info = MX.getThreadInfo(new long[] {t.getId()}, true, true)[0];
        if (info == null) return "'" + t.getName() + "' terminated";
        StringBuilder sb = new StringBuilder("'" + t.getName() + "' " + info.getThreadState());
        if (info.getLockName() != null) {
            sb.append(" on ").append(info.getLockName());
            if (info.getLockOwnerName() != null) {
                sb.append(" owned by '").append(info.getLockOwnerName()).append("'");
                if (victim != null && info.getLockOwnerId() == victim.getId()) {
                    sb.append(", ").append(osText(Proc.osState(victimTid)));
                }
            }
        }
        return sb.toString();
    }

    /** Monitors and java.util.concurrent locks the thread holds. */
    @SuppressWarnings("deprecation")
    public static List<String> held(Thread t) {
        List<String> held = new ArrayList<>();
        ThreadInfo info = MX.getThreadInfo(new long[] {t.getId()}, true, true)[0];
        if (info == null) return held;
        for (MonitorInfo m : info.getLockedMonitors()) held.add("monitor " + m);
        for (LockInfo l : info.getLockedSynchronizers()) held.add("lock " + l);
        return held;
    }
}
