package org.threadkill.safepoint;

import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.testing.ChildJvm;
import org.threadkill.testing.Victims;

/**
 * Child-JVM program: a victim inside one of the process-wide locks of the JVM or the C library is
 * frozen (or refused), then everything that would hang if the freeze had parked it there is tried,
 * each step printed before and after. Argument: critical, malloc, mallocWithWork, loader, logger.
 */
public final class SafePointProbe {
    private SafePointProbe() {}

    private static final int SLOT = 9;

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Thread victim = new Thread(() -> run(kind), "victim-" + kind);
        victim.setDaemon(true);
        victim.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (progress(kind) == 0 && System.nanoTime() < deadline) Thread.sleep(1);
        Thread.sleep(100);
        say("victim.started", Boolean.toString(progress(kind) > 0));
        ThreadKill.inspect(victim);   // the first use of a JVM loads some hundred classes: not timed here
        long t0 = System.nanoTime();
        KillResult r = ThreadKill.kill(victim, KillMode.NATIVE_FREEZE, ChildJvm.scaled(Duration.ofSeconds(2)));
        say("kill.elapsedMs", Long.toString((System.nanoTime() - t0) / 1_000_000));
        say("kill.outcome", r.outcome().name());
        say("kill.detail", r.detail());
        long p0 = progress(kind);
        Thread.sleep(200);
        say("victim.progressing", Boolean.toString(progress(kind) != p0));

        probe("gc", System::gc);
        probe("alloc", () -> {
            List<byte[]> keep = new ArrayList<>();
            for (int i = 0; i < 64; i++) keep.add(new byte[1 << 20]);
            keep.clear();
            System.gc();
        });
        probe("newthread", () -> {
            CountDownLatch ran = new CountDownLatch(1);
            Thread t = new Thread(ran::countDown, "probe-new");
            t.start();
            if (!ran.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("new thread never ran");
            t.join();
        });
        probe("stacks", () -> say("stacks.count", Integer.toString(Thread.getAllStackTraces().size())));
        probe("methodtype", () -> MethodType.methodType(SafePointProbe.class, long[].class, short.class, char[].class));
        probe("stderr", () -> System.err.println("main can still print"));
        probe("log", () -> System.getLogger("probe").log(System.Logger.Level.INFO, "main can still log"));
        probe("gc2", System::gc);
        say("main.returning", "true");
    }

    private static void run(String kind) {
        switch (kind) {
            case "critical": Victims.criticalSpin(new int[16], SLOT); break;
            case "malloc": Victims.mallocLoop(SLOT, 0); break;
            case "mallocWithWork": Victims.mallocLoop(SLOT, 20_000); break;
            case "loader": Victims.loaderLoop(SLOT); break;
            case "logger": {
                System.Logger log = System.getLogger("victim");   // JUL's ConsoleHandler: System.err
                for (long i = 0;; i++) {
                    log.log(System.Logger.Level.INFO, "victim line " + i);
                    LOGGED++;
                }
            }
            default: throw new IllegalArgumentException(kind);
        }
    }

    private static volatile long LOGGED;

    private static long progress(String kind) {
        return kind.equals("logger") ? LOGGED : Victims.counter(SLOT);
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
