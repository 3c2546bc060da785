package org.threadkill.consequences;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.threadkill.KillMode;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;

/**
 * The child side of one cell: a timeline of events on standard output, findings (an {@link Outcome}
 * with the evidence behind it), bounded probes, and a heartbeat that lets the parent tell a hung JVM
 * from a busy one.
 *
 * <p>Line protocol, read by {@link CellRunner}: {@code ev <ms> <key> <text>}, {@code finding <OUTCOME>
 * <text>}, {@code hb <ms>} (heartbeat, every {@value #HEARTBEAT_MS} ms until main returns).
 */
public final class Cell {
    public static final int HEARTBEAT_MS = 200;
    /** How long a probe may block before it is reported as blocked for good. */
    public static final long PROBE_WAIT_MS = 1500;

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private final long t0 = System.nanoTime();
    private final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    private final Scenario scenario;
    private final Column column;
    private volatile boolean heartbeat;
    /** Main must print its next event before this (nanoTime); Long.MAX_VALUE while unarmed. */
    private volatile long mainDeadline = Long.MAX_VALUE;
    private volatile String mainStep = "";
    private volatile long mainSince;
    private volatile Thread mainThread;
    /** Silence of main allowed between two of its events, unless a step asks for more. */
    public static final long MAIN_SILENCE_MS = 5000;
    private ExecutorService probes;
    private Thread victim;
    private int victimTid = -1;
    private final List<Outcome> found = new ArrayList<>();

    public Cell(Scenario scenario, Column column) {
        this.scenario = scenario;
        this.column = column;
    }

    public Scenario scenario() {
        return scenario;
    }

    public Column column() {
        return column;
    }

    public long ms() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    // ---- the timeline

    public void ev(String key, String text) {
        line("ev " + ms() + " " + key + " " + text.replace('\n', ' '));
        if (Thread.currentThread() == mainThread && mainDeadline != Long.MAX_VALUE) {
            mainStep = key + " " + text;
            mainSince = System.nanoTime();
            mainDeadline = System.nanoTime() + MAIN_SILENCE_MS * 1_000_000;
        }
    }

    /**
     * From now on the main thread must print an event at least every {@value #MAIN_SILENCE_MS} ms
     * (or within the bound of the probe it waits for). When it does not while the heartbeat still
     * runs, main is stuck in an operation that needs the victim (a safepoint or handshake it never
     * joins): the heartbeat thread reports it and stops, so that the parent sees the stall.
     */
    public void watchMain() {
        mainThread = Thread.currentThread();
        mainSince = System.nanoTime();
        mainDeadline = System.nanoTime() + MAIN_SILENCE_MS * 1_000_000;
    }

    private void allowMain(long ms) {
        if (Thread.currentThread() == mainThread && mainDeadline != Long.MAX_VALUE) {
            mainDeadline = System.nanoTime() + ms * 1_000_000;
        }
    }

    /** An outcome and the evidence that shows it. */
    public void finding(Outcome o, String evidence) {
        synchronized (found) {
            found.add(o);
        }
        line("finding " + o + " " + evidence.replace('\n', ' '));
    }

    /** Evidence that explains a cell without being an outcome (e.g. EOWNERDEAD). */
    public void note(String evidence) {
        line("note " + evidence.replace('\n', ' '));
    }

    /**
     * A probe stayed blocked on what the victim held: DEADLOCK when the victim was stopped (frozen or
     * gone: it will never let go); when it still runs (NO_EFFECT) the wait is no consequence of a kill.
     */
    public void blockedForGood(String evidence) {
        if (found(Outcome.NO_EFFECT)) {
            note("blocked, but only because the victim still runs: " + evidence);
        } else {
            finding(Outcome.DEADLOCK, evidence);
        }
    }

    public boolean found(Outcome o) {
        synchronized (found) {
            return found.contains(o);
        }
    }

    private void line(String s) {
        synchronized (out) {
            out.println(s);
        }
    }

    /** Prints a line every {@value #HEARTBEAT_MS} ms; stops when the JVM does (a safepoint that never ends). */
    public void startHeartbeat() {
        heartbeat = true;
        Thread hb = new Thread(() -> {
            while (heartbeat) {
                line("hb " + ms());
                long late = System.nanoTime() - mainDeadline;
                if (late > 0) {
                    finding(Outcome.JVM_HANG, "main has been stuck for " + (System.nanoTime() - mainSince) / 1_000_000
                            + " ms after: " + mainStep + " (threads that need no safepoint still run: "
                            + "this heartbeat did; it stops now)");
                    heartbeat = false;
                    return;
                }
                try {
                    Thread.sleep(HEARTBEAT_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heartbeat");
        hb.setDaemon(true);
        hb.start();
    }

    /**
     * Probe threads are started before the victim, so that a probe does not create a thread after
     * the kill unless it means to (a new thread may get the dead thread's stack).
     */
    public void startProbeThreads() {
        probes = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "probe");
            t.setDaemon(true);
            return t;
        });
        ((java.util.concurrent.ThreadPoolExecutor) probes).prestartAllCoreThreads();
    }

    /** Main is about to return: the heartbeat stops, so that an exit that never completes shows as a stall. */
    public void mainReturning() {
        ev("main.returning", "main returns; the JVM should now exit");
        mainDeadline = Long.MAX_VALUE;
        heartbeat = false;
    }

    // ---- the victim

    /** Records the victim and prints what it holds. */
    public void victim(Thread t) {
        watchMain();
        victim = t;
        try {
            victimTid = (int) ThreadKill.nativeId(t).tid();
        } catch (RuntimeException e) {
            victimTid = -1;
        }
        List<String> held = held(t);
        String extra = scenario.holds();
        if (!extra.isEmpty()) held.add(extra);
        ev("victim.holds", "'" + t.getName() + "' (tid " + victimTid + ", " + (t.isDaemon() ? "daemon" : "non-daemon")
                + ") " + describe(t) + (held.isEmpty() ? "; holds nothing" : "; holds " + String.join(", ", held)));
    }

    public Thread victim() {
        return victim;
    }

    public int victimTid() {
        return victimTid;
    }

    /** Applies a library mode and prints the result. */
    public KillResult kill(Thread t, KillMode mode) {
        ev("kill.start", "ThreadKill.kill('" + t.getName() + "', " + mode + ", 1 s)");
        KillResult r;
        try {
            r = ThreadKill.kill(t, mode, Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            ev("kill.refused", e.toString());
            return null;
        }
        ev("kill.result", r.outcome() + " after " + micros(r.latency()) + " µs"
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
    public void observeVictim(KillResult r) throws InterruptedException {
        long p0 = scenario.progress();
        Thread.sleep(300);
        long p1 = scenario.progress();
        boolean alive = victim.isAlive();
        String os = osState(victimTid);
        boolean stopped = r != null && r.outcome() == KillOutcome.STOPPED;
        String progress = p0 < 0 ? "" : p1 != p0 ? "; still progressing (+" + (p1 - p0) + " in 300 ms)" : "; no progress";
        ev("victim.after", "'" + victim.getName() + "': Java says " + (alive ? "alive, " + victim.getState() : "terminated")
                + "; OS says " + osText(os) + progress);
        if (!alive) return;
        if (!stopped || (p0 >= 0 && p1 != p0)) {
            finding(Outcome.NO_EFFECT, "'" + victim.getName() + "' still runs 300 ms after the kill ("
                    + (r == null ? "no kill result" : "kill said " + r.outcome()) + ", Java " + victim.getState()
                    + ", OS " + osText(os) + progress + ")");
        } else if (os == null) {
            finding(Outcome.LEAK, "the JVM still lists '" + victim.getName() + "' as alive (" + victim.getState()
                    + ") but its OS thread is gone: the Thread, its stack and all it held are never freed");
        } else {
            finding(Outcome.LEAK, "'" + victim.getName() + "' is parked for good (OS " + osText(os)
                    + "): its thread, stack and all it held are never freed");
        }
    }

    /** The kernel's state letter of a thread of this process, or null when the OS no longer has it. */
    public static String osState(int tid) {
        if (tid <= 0) return "?";
        try {
            String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            int p = stat.lastIndexOf(')');
            return stat.substring(p + 2, p + 3);
        } catch (IOException e) {
            return null;
        }
    }

    public String osText(String state) {
        if (state == null) return "gone (a thread the OS no longer has)";
        switch (state) {
            case "R": return "running";
            case "S": return column == Column.NATIVE_FREEZE ? "sleeping (frozen in the kill signal's handler)" : "sleeping";
            case "D": return "in uninterruptible sleep";
            default: return "state " + state;
        }
    }

    /** How the victim looks now to the JVM and to the OS, for probe texts. */
    public String victimNow() {
        return "'" + victim.getName() + "', " + osText(osState(victimTid));
    }

    // ---- probes

    /** What a probe did within its bound. */
    public record ProbeResult(String name, boolean finished, String text, Throwable error, Thread thread) {
        public boolean ok() {
            return finished && error == null;
        }
    }

    /** Runs {@code body} on a probe thread started before the kill; reports it blocked after {@code waitMs}. */
    public ProbeResult bounded(String name, String what, long waitMs, Callable<String> body) throws InterruptedException {
        AtomicReference<Thread> runner = new AtomicReference<>();
        return await(name, what, waitMs, body, (task) -> probes.execute(() -> {
            runner.set(Thread.currentThread());
            task.run();
        }), runner);
    }

    /** Runs {@code body} on a thread created now (it may get a dead thread's stack). */
    public ProbeResult boundedNewThread(String name, String threadName, String what, long waitMs, Callable<String> body)
            throws InterruptedException {
        AtomicReference<Thread> runner = new AtomicReference<>();
        return await(name, what, waitMs, body, (task) -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            runner.set(t);
            t.start();
        }, runner);
    }

    private ProbeResult await(String name, String what, long waitMs, Callable<String> body,
                              java.util.function.Consumer<Runnable> launcher, AtomicReference<Thread> runner)
            throws InterruptedException {
        ev("probe." + name, "start: " + what);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> text = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        long start = System.nanoTime();
        allowMain(waitMs + MAIN_SILENCE_MS);
        launcher.accept(() -> {
            try {
                text.set(body.call());
            } catch (Throwable e) {
                error.set(e);
            } finally {
                done.countDown();
            }
        });
        boolean finished = done.await(waitMs, TimeUnit.MILLISECONDS);
        long took = (System.nanoTime() - start) / 1_000_000;
        Thread t = runner.get();
        if (!finished) {
            ev("probe." + name, "still blocked after " + took + " ms: " + (t == null ? "never started" : describe(t)));
        } else if (error.get() != null) {
            ev("probe." + name, "threw after " + took + " ms: " + error.get());
        } else {
            ev("probe." + name, "done in " + took + " ms" + (text.get() == null || text.get().isEmpty() ? "" : ": " + text.get()));
        }
        return new ProbeResult(name, finished, text.get(), error.get(), t);
    }

    /** Runs {@code body} on main: for what cannot be bounded anyway (a GC that never ends stops every thread). */
    public void inline(String name, String what, Callable<String> body) throws Exception {
        ev("probe." + name, "start: " + what);
        long start = System.nanoTime();
        String text = body.call();
        ev("probe." + name, "done in " + (System.nanoTime() - start) / 1_000_000 + " ms"
                + (text == null || text.isEmpty() ? "" : ": " + text));
    }

    /** GC, a new thread, GC again: the order in which a dead thread's stack gets reused, then walked. */
    public void commonProbes() throws Exception {
        inline("gc", "System.gc()", () -> {
            System.gc();
            return "";
        });
        inline("newthread", "start a new thread and join it (1.5 s at most)", () -> {
            Thread t = new Thread(() -> { }, "probe-new-thread");
            t.start();
            t.join(PROBE_WAIT_MS);
            if (t.isAlive()) {
                finding(Outcome.DEADLOCK, "a new thread did not finish an empty run() within " + PROBE_WAIT_MS + " ms");
                return "did not end";
            }
            return "ran and ended";
        });
        inline("gc2", "System.gc() again", () -> {
            System.gc();
            return "";
        });
    }

    // ---- descriptions

    /** ThreadMXBean's view: state, and the lock it waits for and its owner. */
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
                    sb.append(", ").append(osText(osState(victimTid)));
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

    /** Open file descriptors of this process. */
    public static List<String> openFds() {
        List<String> fds = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            s.forEach(p -> {
                try {
                    Path target = Files.readSymbolicLink(p);
                    // the listing's own directory descriptor is not one of ours
                    if (!target.toString().equals("/proc/" + ProcessHandle.current().pid() + "/fd")) {
                        fds.add(p.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return fds;
    }

    /** Waits (bounded) until the condition holds; false when it never did. */
    public static boolean await(java.util.function.BooleanSupplier condition, long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + maxMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(2);
        }
        return true;
    }
}
