package org.threadkill.probes;

import org.threadkill.testing.VictimKind;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.testing.ChildJvm;

/**
 * Child-JVM program: starts one victim, kills it with one mode, then probes the aftermath and
 * prints what happened as {@code key=value} lines, flushed one by one, so that the parent can tell
 * exactly where a hang began. Arguments: victim kind, kill mode, optionally a second mode applied
 * to the same victim right after the first.
 */
public final class KillProbe {
    private KillProbe() {}

    public static void main(String[] args) throws Exception {
        VictimKind kind = VictimKind.valueOf(args[0]);
        KillMode mode = KillMode.valueOf(args[1]);
        Thread victim = kind.start("victim");
        say("victim.started", "true");

        KillResult r = ThreadKill.kill(victim, mode, ChildJvm.scaled(Duration.ofSeconds(2)));
        say("kill.outcome", r.outcome().name());
        say("kill.state", r.jvmStateBefore().name());
        say("kill.latency_us", Long.toString(r.latency().toNanos() / 1000));
        say("kill.detail", r.detail());
        if (args.length > 2) {   // a second kill of the same thread, right away
            KillResult again = ThreadKill.kill(victim, KillMode.valueOf(args[2]), ChildJvm.scaled(Duration.ofSeconds(2)));
            say("kill2.outcome", again.outcome().name());
        }

        long p0 = kind.progress();
        Thread.sleep(200);
        say("victim.progressing", Boolean.toString(kind.progress() != p0));
        say("victim.alive", Boolean.toString(victim.isAlive()));

        probe("gc", () -> System.gc());
        probe("stack", () -> say("stack.depth", Integer.toString(victim.getStackTrace().length)));
        probe("newthread", () -> {
            CountDownLatch ran = new CountDownLatch(1);
            Thread t = new Thread(ran::countDown, "probe-new");
            t.start();
            ran.await();
            t.join();
        });
        probe("gc2", () -> System.gc());
        probe("interrupt", victim::interrupt);
        say("main.returning", "true");
    }

    interface Probe {
        void run() throws Exception;
    }

    static void probe(String name, Probe p) throws Exception {
        say("probe." + name, "start");
        long t0 = System.nanoTime();
        p.run();
        say("probe." + name, "ok " + (System.nanoTime() - t0) / 1_000_000 + "ms");
    }

    static void say(String key, String value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }
}
