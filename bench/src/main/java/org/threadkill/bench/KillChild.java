package org.threadkill.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.threadkill.testing.Victims;
import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.internal.Diagnostics;

/**
 * Child-JVM program: kills fresh victims of one kind with one mode and prints one line per kill,
 * flushed at once (a child that dies half-way keeps what it measured):
 * {@code s <latency ns> <handler ns|-1> <victim-observed ns|-1> <call wall ns> <outcome>}.
 *
 * <p>Arguments: mode (FLOOR, SUSPEND or a KillMode), victim kind, kills, warm-up kills, wait ms. FLOOR sends
 * the same signal with a handler that only acknowledges (internal {@code Native.kill0(MODE_ACK)}).
 * SUSPEND is no kill: it times the JVMTI SuspendThread (and ResumeThread) that NATIVE_FREEZE makes
 * around its signal, to explain the difference between the freeze and the floor.
 * NATIVE_EXIT and NATIVE_CANCEL doom the JVM: their victims are all created first, parked at a gate,
 * so that no thread is created after the first kill; the child then halts and is discarded.
 */
public final class KillChild {
    private KillChild() {}

    /** Held so that JUL keeps the level: one WARNING per native kill would flood stderr. */
    static final Logger QUIET = Logger.getLogger("org.threadkill");

    static final PrintStream OUT = System.out;
    static final long STACK = 256 * 1024;

    public static void main(String[] args) throws Exception {
        QUIET.setLevel(Level.OFF);
        String mode = args[0];
        Victim.Kind kind = Victim.Kind.valueOf(args[1]);
        int n = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        Duration wait = Duration.ofMillis(Long.parseLong(args[4]));
        info("jdk", Runtime.version().toString());
        if (mode.equals("NATIVE_EXIT") || mode.equals("NATIVE_CANCEL")) {
            doomed(KillMode.valueOf(mode), kind, n, warmup, wait);
        } else {
            fresh(mode, kind, n, warmup, wait);
        }
        OUT.println("done");
        OUT.flush();
        if (mode.equals("NATIVE_EXIT") || mode.equals("NATIVE_CANCEL") || mode.equals("NATIVE_FREEZE")) {
            Runtime.getRuntime().halt(0);   // the parent reaps us anyway; exit itself is measured by ScaleChild
        }
    }

    private static void fresh(String mode, Victim.Kind kind, int n, int warmup, Duration wait) throws Exception {
        boolean floor = mode.equals("FLOOR");
        boolean suspend = mode.equals("SUSPEND");
        if (!ThreadKill.isAvailable()) throw new IllegalStateException("threadkill not available", ThreadKill.unavailabilityCause());
        if (floor) Diagnostics.installSignal();
        KillMode km = floor || suspend ? null : KillMode.valueOf(mode);
        for (int i = 0; i < warmup + n; i++) {
            Victim v = Victim.start(kind, STACK);
            long t0 = System.nanoTime();
            long latency, handler;
            String outcome;
            if (suspend) {
                // Not a kill: what NATIVE_FREEZE does before its signal (JVMTI SuspendThread), and after.
                int err = Diagnostics.suspend(v.thread);
                latency = System.nanoTime() - t0;
                long t1 = System.nanoTime();
                Diagnostics.resume(v.thread);
                handler = System.nanoTime() - t1;   // the resume, reported in the handler column
                outcome = err == 0 ? "SUSPENDED" : "JVMTI_ERROR_" + err;
            } else if (floor) {
                Diagnostics.Ack ack = Diagnostics.acknowledgeSignal(v.thread, wait);
                outcome = ack.acknowledged() ? "STOPPED" : ack.terminated() ? "TERMINATED" : "NOT_DELIVERED";
                latency = ack.handlerNanos();
                handler = latency;
            } else {
                KillResult r = ThreadKill.kill(v.thread, km, wait);
                outcome = r.outcome().name();
                latency = r.stopped() ? r.latency().toNanos() : -1;
                handler = r.handlerLatency() == null ? -1 : r.handlerLatency().toNanos();
            }
            long wall = System.nanoTime() - t0;
            long observed = v.observedNs != 0 ? v.observedNs - t0 : -1;
            if (i >= warmup) sample(latency, handler, observed, wall, outcome);
            // Frozen victims stay parked for good; every other survivor is ended before the next.
            if (!(km == KillMode.NATIVE_FREEZE && "STOPPED".equals(outcome))) v.end();
        }
        if (floor) info("stray_signals", Long.toString(Diagnostics.straySignals()));
    }

    private static void doomed(KillMode mode, Victim.Kind kind, int n, int warmup, Duration wait) throws Exception {
        int[] never = Victims.pipe();   // nobody ever writes to it
        List<Victim> victims = new ArrayList<>();
        for (int i = 0; i < warmup + n; i++) victims.add(Victim.startGated(kind, never[0], STACK));
        ThreadKill.isAvailable();
        info("victims_created", Integer.toString(victims.size()));
        for (int i = 0; i < victims.size(); i++) {
            Victim v = victims.get(i);
            v.open();
            long t0 = System.nanoTime();
            KillResult r = ThreadKill.kill(v.thread, mode, wait);
            long wall = System.nanoTime() - t0;
            long handler = r.handlerLatency() == null ? -1 : r.handlerLatency().toNanos();
            if (i >= warmup) sample(r.stopped() ? r.latency().toNanos() : -1, handler, -1, wall, r.outcome().name());
            if (!r.stopped()) {
                // A pending cancel on a spinner: stop the loop so that it does not eat a core;
                // nothing more is measured in this JVM after that.
                Victims.release(v.slot);
                break;
            }
        }
    }

    static void sample(long latency, long handler, long observed, long wall, String outcome) {
        OUT.println("s " + latency + " " + handler + " " + observed + " " + wall + " " + outcome);
        OUT.flush();
    }

    static void info(String key, String value) {
        OUT.println("i " + key + " " + value.replace('\n', ' '));
        OUT.flush();
    }
}
