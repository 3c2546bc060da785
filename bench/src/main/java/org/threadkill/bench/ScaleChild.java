package org.threadkill.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;

import org.threadkill.testing.Victims;
import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;

/**
 * Child-JVM program: N threads stuck in read(2) (default stack size), frozen one after another.
 * Prints {@code c scale_kill_wall <ns>} (the whole kill call) and {@code c scale_kill_latency <ns>}
 * per kill; {@code i} lines for /proc/self/status before the victims, with them blocked, and with
 * them frozen; then System.gc(), a new thread, and the time at which it calls System.exit (the
 * parent measures when the process is gone). Arguments: N, and {@code freeze} or {@code block} (the
 * baseline: the same threads, blocked and never killed, to tell what the freeze itself changes).
 */
public final class ScaleChild {
    private ScaleChild() {}

    public static void main(String[] args) throws Exception {
        KillChild.QUIET.setLevel(Level.OFF);
        int n = Integer.parseInt(args[0]);
        boolean freeze = !(args.length > 1 && args[1].equals("block"));
        int[] never = Victims.pipe();
        // Warm the kill path (class loading, JVMTI env, MXBeans) on a few victims first.
        for (int i = 0; i < (freeze ? 5 : 0); i++) {
            KillResult r = ThreadKill.kill(Victim.start(Victim.Kind.NATIVE_READ, 0).thread, KillMode.NATIVE_FREEZE,
                    Duration.ofSeconds(2));
            if (!r.stopped()) throw new IllegalStateException("warm-up freeze failed: " + r);
        }
        System.gc();
        status("before");
        List<Victim> victims = new ArrayList<>();
        for (int i = 0; i < n; i++) victims.add(Victim.startShared(Victim.Kind.NATIVE_READ, never[0], 0));
        status("blocked");
        int stopped = 0;
        for (Victim v : victims) {
            if (!freeze) break;
            long t0 = System.nanoTime();
            KillResult r = ThreadKill.kill(v.thread, KillMode.NATIVE_FREEZE, Duration.ofSeconds(2));
            long wall = System.nanoTime() - t0;
            if (r.stopped()) stopped++;
            KillChild.OUT.println("c scale_kill_wall " + wall);
            KillChild.OUT.println("c scale_kill_latency " + (r.stopped() ? r.latency().toNanos() : -1));
        }
        KillChild.info("frozen", Integer.toString(stopped));
        status("frozen");
        long t0 = System.nanoTime();
        System.gc();
        KillChild.info("gc_ns", Long.toString(System.nanoTime() - t0));
        t0 = System.nanoTime();
        CountDownLatch ran = new CountDownLatch(1);
        Thread fresh = new Thread(ran::countDown, "after-freeze");
        fresh.start();
        ran.await();
        fresh.join();
        KillChild.info("new_thread_ns", Long.toString(System.nanoTime() - t0));
        int alive = 0;
        for (Victim v : victims) if (v.thread.isAlive()) alive++;
        KillChild.info("frozen_alive", Integer.toString(alive));
        KillChild.info("exit_at_ns", Long.toString(System.nanoTime()));
        System.exit(0);
    }

    static void status(String label) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:") || line.startsWith("VmSize:") || line.startsWith("Threads:")) {
                String[] kv = line.split(":\\s+");
                KillChild.info(label + "_" + kv[0], kv[1].replace(" kB", "").trim());
            }
        }
    }
}
