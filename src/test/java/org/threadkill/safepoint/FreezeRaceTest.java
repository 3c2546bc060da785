package org.threadkill.safepoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.ChildJvm;

/**
 * Issue 9's race: NATIVE_FREEZE of threads that are exiting at that moment, and pairs of threads
 * freezing each other, in one child JVM; afterwards new threads, thread dumps (in the child, and
 * {@code jcmd Thread.print} from here), MethodType and MethodHandle lookups, GC and one more freeze
 * must work, and every kill must have returned (within its wait + 2 s: nothing blocked it; how
 * many missed the wait + 50 ms goal is printed, not asserted, see the test).
 *
 * <p>The issue asks for 10,000 freezes. They take minutes on two loaded cores (each kill is a few
 * ms, more as frozen threads accumulate), so the default run is smaller; {@code scripts/stress}
 * (or {@code -Dthreadkill.test.stress=full}) runs the full count. Counts can also be set alone:
 * {@code -Dthreadkill.test.freezeRace.kills=N}, {@code -Dthreadkill.test.freezeRace.rounds=N}.
 */
class FreezeRaceTest {

    /** What the test asserts of every kill's overrun beyond its wait: it returned, it did not block. */
    private static final long MAX_OVERRUN_MS = 2_000;
    private static final boolean FULL = "full".equals(System.getProperty("threadkill.test.stress"));

    @Test
    void freezesRacedAgainstExitingThreadsAndEachOtherLeaveTheJvmWorking(@TempDir Path dir) throws Exception {
        int kills = Integer.getInteger("threadkill.test.freezeRace.kills", FULL ? 10_000 : 1_000);
        int rounds = Integer.getInteger("threadkill.test.freezeRace.rounds", FULL ? 1_000 : 100);
        Duration timeout = ChildJvm.scaled(FULL ? Duration.ofMinutes(20) : Duration.ofMinutes(5));
        Watched w = runWatched(dir, timeout, kills, rounds);
        ChildJvm.Result r = w.result;
        String why = r + (w.hangDump != null ? "\n--- thread dump taken while it hung\n" + w.hangDump : "");

        assertNull(w.hangDump, "the child stopped making progress: " + why);
        assertFalse(r.timedOut(), why);
        assertTrue(r.hsErrFiles().isEmpty(), why);
        assertNull(r.value("exiting.error"), why);
        assertNull(r.value("mutual.error"), why);

        // (a) the exiting race: every kill answered, both sides of the race happened, nothing stuck.
        int stopped = Integer.parseInt(r.value("exiting.STOPPED"));
        int terminated = Integer.parseInt(r.value("exiting.ALREADY_TERMINATED"));
        assertEquals(kills, stopped + terminated + Integer.parseInt(r.value("exiting.STILL_RUNNING"))
                + Integer.parseInt(r.value("exiting.WORK_ENDED")), why);
        assertTrue(stopped > 0 && terminated > 0, "both sides of the race must occur: " + why);
        assertEquals("0", r.value("exiting.stuckCreators"), "new threads of the main group kept starting: " + why);
        assertEquals(Integer.toString(stopped), r.value("exiting.frozenAlive"), why);
        assertEquals("0", r.value("exiting.frozenWithoutTombstone"), why);

        // (b) mutual freezes: at most one of each pair frozen, each frozen one with its tombstone.
        assertEquals("0", r.value("mutual.bothFrozen"), why);
        assertEquals("0", r.value("mutual.frozenWithoutTombstone"), why);
        assertEquals("0", r.value("mutual.stuck"), why);
        int oneFrozen = Integer.parseInt(r.value("mutual.oneFrozen"));
        assertEquals(rounds, oneFrozen + Integer.parseInt(r.value("mutual.noneFrozen")), why);
        assertTrue(oneFrozen > 0, "the pairs must freeze each other: " + why);
        // Tombstones are exactly the frozen threads.
        assertEquals(Integer.toString(stopped + oneFrozen), r.value("tombstones"), why);

        // Every kill returned: none blocked on what its victim held. The goal, wait + 50 ms, is
        // measured, NOT asserted: on a machine whose cores are taken by other work, any thread can
        // be kept off a core for longer. Before the Java half read frames by JVMTI and the wait
        // counted from the call's start (three ThreadMXBean safepoints per freeze, the inspect
        // outside the wait), the 10,000-kill runs with ~3,000 threads saw up to 961 ms (17) and
        // 327 ms (25) under a load average of 8-14. After, through scripts/stress on a quiet
        // machine: none beyond 50 ms on 17 (longest 0.5 ms) and 25 (none over the wait); with four
        // busy loops beside it (load 5-7 on two cores), 17: 71 of 10,000 (longest 274 ms).
        // kill.overBound and kill.slow say how many, and which.
        double maxOverrun = Double.parseDouble(r.value("kill.maxOverrunMs"));
        System.out.println("FreezeRaceTest: " + kills + " kills, " + rounds + " rounds; kills beyond wait + 50 ms: "
                + r.value("kill.overBound") + ", longest overrun " + maxOverrun + " ms, " + r.value("threads.live")
                + " threads alive at the end");
        for (String line : r.stdout()) {
            if (line.startsWith("kill.slow=")) System.out.println("  " + line);
        }
        assertTrue(maxOverrun <= ChildJvm.scaled(Duration.ofMillis(MAX_OVERRUN_MS)).toMillis(),
                "every kill returned within its wait + " + MAX_OVERRUN_MS + " ms: " + why);

        // Afterwards the JVM works.
        for (String p : new String[] {"newthreads", "dumpAllThreads", "allStackTraces", "methodType", "findVirtual",
                "gc", "freezeAgain", "tombstonesAgain"}) {
            String v = r.value("probe." + p);
            assertTrue(v != null && v.startsWith("ok"), p + ": " + why);
        }
        assertTrue(r.value("probe.freezeAgain").startsWith("ok STOPPED"), why);
        assertTrue(w.jcmdExit != null && w.jcmdExit == 0 && w.jcmdOutput.contains("Full thread dump"),
                "jcmd Thread.print: exit " + w.jcmdExit + "\n" + tail(w.jcmdOutput) + "\n" + why);
        assertEquals("true", r.value("jcmd.answered"), why);
        assertTrue(r.printed("main.returning=true"), why);
        assertEquals(Integer.valueOf(0), r.exitCode(), why);
    }

    /** What the child did, what jcmd said of it, and the thread dump taken if it hung. */
    private static final class Watched {
        ChildJvm.Result result;
        Integer jcmdExit;
        String jcmdOutput = "";
        String hangDump;
    }

    /**
     * Runs the child and watches its output meanwhile: answers its {@code jcmd.ready=<pid>} with a
     * {@code jcmd <pid> Thread.print}, and takes a jstack dump when it stops printing (or nears its
     * timeout), before ChildJvm's own stall limit kills it.
     */
    private static Watched runWatched(Path dir, Duration timeout, int kills, int rounds) throws Exception {
        Watched w = new Watched();
        Duration hangAfter = ChildJvm.scaled(Duration.ofSeconds(45));
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<ChildJvm.Result> child = runner.submit(() -> new ChildJvm(dir).stallLimit(Duration.ofSeconds(90))
                    .startupGrace(Duration.ofSeconds(30))
                    .run(FreezeRaceProbe.class, timeout, Integer.toString(kills), Integer.toString(rounds)));
            Path out = dir.resolve("stdout.txt");
            long t0 = System.nanoTime();
            long lastSize = -1;
            long lastGrowth = t0;
            boolean jcmdDone = false;
            while (!child.isDone()) {
                Thread.sleep(100);
                long size = Files.exists(out) ? Files.size(out) : 0;
                long now = System.nanoTime();
                if (size != lastSize) {
                    lastSize = size;
                    lastGrowth = now;
                }
                List<String> lines = size > 0 ? Files.readAllLines(out, StandardCharsets.UTF_8) : List.of();
                String ready = value(lines, "jcmd.ready");
                if (!jcmdDone && ready != null) {
                    Tool jcmd = tool(dir, "jcmd", ready, "Thread.print");
                    w.jcmdExit = jcmd.exit;
                    w.jcmdOutput = jcmd.output;
                    Files.writeString(dir.resolve("jcmd.done"), "exit " + jcmd.exit);
                    jcmdDone = true;
                }
                String pid = value(lines, "pid");
                boolean stalled = size > 0 && now - lastGrowth > hangAfter.toNanos();
                boolean nearTimeout = now - t0 > timeout.toNanos() - ChildJvm.scaled(Duration.ofSeconds(60)).toNanos();
                if (w.hangDump == null && pid != null && (stalled || nearTimeout)) {
                    Tool jstack = tool(dir, "jstack", "-l", pid);
                    w.hangDump = (stalled ? "stalled" : "near its timeout") + "; jstack exit " + jstack.exit + "\n"
                            + jstack.output;
                    Files.writeString(dir.resolve("hang-jstack.txt"), w.hangDump);
                }
            }
            w.result = child.get();
            return w;
        } finally {
            runner.shutdownNow();
        }
    }

    private record Tool(Integer exit, String output) {}

    /** A JDK tool against the child, bounded: a hung JVM can hang its attach too. */
    private static Tool tool(Path dir, String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", name).toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, name, ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean ended = p.waitFor(ChildJvm.scaled(Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        return new Tool(ended ? p.exitValue() : null, Files.readString(out, StandardCharsets.UTF_8)
                + (ended ? "" : "\n(" + name + " did not end within 60 s)"));
    }

    private static String value(List<String> lines, String key) {
        for (String line : lines) if (line.startsWith(key + "=")) return line.substring(key.length() + 1);
        return null;
    }

    private static String tail(String s) {
        return s.length() > 3000 ? "..." + s.substring(s.length() - 3000) : s;
    }
}
