package org.threadkill.safepoint;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.internal.Diagnostics;
import org.threadkill.testing.ChildJvm;
import org.threadkill.testing.Victims;

/**
 * Child-JVM program for {@link SuspendedWindowTest}, run under the suspend_watch agent. Each
 * scenario runs one killer path twice, cold (the first native kill of this JVM) and warm, each
 * time on a thread named {@code killer-<scenario>-<round>...}: the agent names the thread of every
 * class load and call-site link that happens while another thread is suspended, and the test
 * fails on any that ran on a killer. The main thread only waits while killers work, so that it
 * does not show up itself. Argument: control, spinner, libc, jdk, mutual, escalate, inspect.
 */
public final class SuspendedWindowProbe {
    private SuspendedWindowProbe() {}

    private static final Duration FREEZE_WAIT = ChildJvm.scaled(Duration.ofSeconds(2));
    /** A victim that stays unsafe is refused and retried for this long. */
    private static final Duration REFUSED_WAIT = ChildJvm.scaled(Duration.ofMillis(500));
    private static final AtomicLong SINK = new AtomicLong();
    private static int nextSlot = 20;
    /**
     * Pairs often catch each other holding a monitor the facade's inspection did not see (inside
     * their own kill): more rounds, more chances. Before Aftermath warmed MonitorInfo up, JDK 25
     * loaded it on a killer in 2 of 5 runs of one warm round.
     */
    private static final int MUTUAL_WARM_ROUNDS = 8;

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        say("java.version", System.getProperty("java.version"));
        switch (scenario) {
            case "control": control(); break;
            case "spinner": twice(scenario, SuspendedWindowProbe::spinner); break;
            case "libc": twice(scenario, SuspendedWindowProbe::libc); break;
            case "jdk": twice(scenario, SuspendedWindowProbe::jdk); break;
            case "mutual": rounds(scenario, SuspendedWindowProbe::mutual, MUTUAL_WARM_ROUNDS); break;
            case "escalate": twice(scenario, SuspendedWindowProbe::escalate); break;
            case "inspect": twice(scenario, SuspendedWindowProbe::inspect); break;
            default: throw new IllegalArgumentException(scenario);
        }
        say("main.returning", "true");
    }

    interface Round {
        void run(String prefix) throws Exception;
    }

    private static void twice(String scenario, Round round) throws Exception {
        rounds(scenario, round, 1);
    }

    /** Round "cold", then {@code warm} rounds "warm", "warm2", ... */
    private static void rounds(String scenario, Round round, int warm) throws Exception {
        for (int i = 0; i <= warm; i++) {
            String prefix = scenario + "-" + (i == 0 ? "cold" : i == 1 ? "warm" : "warm" + i);
            say("round", prefix);
            round.run(prefix);
            say("round.done", prefix);
        }
    }

    // ---- the positive control: a suspension of our own, then code that never ran

    /** Never loaded before the control's killer creates one while the victim is suspended. */
    static final class NeverLoadedBefore {
        final long x = System.nanoTime();
    }

    record NeverPrinted(int a, String b) {}

    /** Loaded before the suspension, initialised (its first {@code <clinit>}) while it lasts. */
    static final class LoadedNotInitialised {
        static final long AT = System.nanoTime();
    }

    private static void control() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Thread victim = daemon(new Thread(() -> await(never), "victim-control"));
        victim.start();
        Thread.sleep(50);
        AtomicReference<String> result = new AtomicReference<>("not run");
        Class.forName(LoadedNotInitialised.class.getName(), false, SuspendedWindowProbe.class.getClassLoader());
        Thread killer = daemon(new Thread(() -> {
            int err = Diagnostics.suspend(victim);
            try {
                Runnable lambda = () -> SINK.incrementAndGet();   // first link + a hidden class
                lambda.run();
                String concat = "concat " + SINK.get();                   // first indy string concat
                String rec = new NeverPrinted(1, "b").toString();        // first ObjectMethods bootstrap
                long loaded = new NeverLoadedBefore().x;                  // a class loaded now
                long initialised = LoadedNotInitialised.AT;               // a loaded class initialised now
                result.set("suspend " + err + ", ran " + concat.length() + " " + rec.length() + " " + (loaded != 0)
                        + " " + (initialised != 0));
            } finally {
                Diagnostics.resume(victim);
            }
            afterResume();
        }, "killer-control"));
        killer.start();
        killer.join(ChildJvm.scaled(Duration.ofSeconds(30)).toMillis());
        say("control.result", result.get());
        never.countDown();
    }

    /** Not suspended now: the agent must not report this first link (its caller is this method). */
    private static void afterResume() {
        Runnable after = () -> SINK.addAndGet(2);
        after.run();
    }

    // ---- scenarios

    /** A native spinner, then one that holds a monitor of its own while it spins: both frozen. */
    private static void spinner(String prefix) throws Exception {
        int slot = nextSlot++;
        Thread victim = nativeSpinner(slot, "victim-" + prefix);
        kill(prefix, "killer-" + prefix, victim, KillMode.NATIVE_FREEZE, FREEZE_WAIT);

        int slot2 = nextSlot++;
        Object monitor = new Object();
        Thread holder = daemon(new Thread(() -> {
            synchronized (monitor) {
                Victims.spin(slot2);
            }
        }, "victim-" + prefix + "-monitor"));
        holder.start();
        waitForCounter(slot2);
        kill(prefix + "-monitor", "killer-" + prefix + "-monitor", holder, KillMode.NATIVE_FREEZE, FREEZE_WAIT);
    }

    /**
     * Victims the native half refuses while they are inside the C library (refused and retried, a
     * suspension per try; frozen if a try finds them between two calls): a malloc/free loop, and
     * a dl_iterate_phdr loop whose callback runs under the loader's lock.
     */
    private static void libc(String prefix) throws Exception {
        int slot = nextSlot++;
        Thread malloc = daemon(new Thread(() -> Victims.mallocLoop(slot, 0), "victim-" + prefix + "-malloc"));
        malloc.start();
        waitForCounter(slot);
        kill(prefix + "-malloc", "killer-" + prefix + "-malloc", malloc, KillMode.NATIVE_FREEZE, REFUSED_WAIT);
        Victims.release(slot);

        int slot2 = nextSlot++;
        Thread loader = daemon(new Thread(() -> Victims.loaderLoop(slot2), "victim-" + prefix + "-loader"));
        loader.start();
        waitForCounter(slot2);
        kill(prefix + "-loader", "killer-" + prefix + "-loader", loader, KillMode.NATIVE_FREEZE, REFUSED_WAIT);
        Victims.release(slot2);
    }

    /**
     * Victims the Java half refuses for the whole wait, inside the JDK holding a lock of its own:
     * a println whose stream blocks (the PrintStream's monitor, taken in PrintStream code), a class
     * loader's loadClass whose findClass spins (the loader's lock, as a victim suspended inside
     * class loading holds it); and one mostly refused, a MethodType interner (java.lang.invoke).
     */
    private static void jdk(String prefix) throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicBoolean release = new AtomicBoolean();
        // A subclass: an exact PrintStream locks a ReentrantLock on 21+, a subclass its monitor on 17 and 25.
        PrintStream ps = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                while (!release.get()) written.incrementAndGet();
            }
        }, true) {};
        Thread printer = daemon(new Thread(() -> ps.println("victim line"), "victim-" + prefix + "-println"));
        printer.start();
        while (written.get() == 0) Thread.sleep(1);
        kill(prefix + "-println", "killer-" + prefix + "-println", printer, KillMode.NATIVE_FREEZE, REFUSED_WAIT);
        release.set(true);

        SpinningLoader spinning = new SpinningLoader();
        Thread loading = daemon(new Thread(() -> {
            try {
                spinning.loadClass("org.threadkill.never.Loaded");
            } catch (ClassNotFoundException e) {
                // released
            }
        }, "victim-" + prefix + "-loadClass"));
        loading.start();
        while (spinning.spins.get() == 0) Thread.sleep(1);
        kill(prefix + "-loadClass", "killer-" + prefix + "-loadClass", loading, KillMode.NATIVE_FREEZE, REFUSED_WAIT);
        spinning.release = true;

        AtomicLong interned = new AtomicLong();
        Thread invoke = daemon(new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                freshMethodType();
                interned.incrementAndGet();
            }
        }, "victim-" + prefix + "-invoke"));
        invoke.start();
        while (interned.get() == 0) Thread.sleep(1);
        kill(prefix + "-invoke", "killer-" + prefix + "-invoke", invoke, KillMode.NATIVE_FREEZE, REFUSED_WAIT);
        invoke.interrupt();
    }

    /** loadClass holds this loader's lock (it is not parallel capable) while findClass spins. */
    static final class SpinningLoader extends ClassLoader {
        final AtomicLong spins = new AtomicLong();
        volatile boolean release;

        SpinningLoader() {
            super(null);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            while (!release) spins.incrementAndGet();
            throw new ClassNotFoundException(name);
        }
    }

    /** Two threads each freezing the other: each is killer and victim. */
    private static void mutual(String prefix) throws Exception {
        CyclicBarrier go = new CyclicBarrier(2);
        Thread[] pair = new Thread[2];
        KillResult[] results = new KillResult[2];
        CountDownLatch returned = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            int me = i;
            pair[i] = daemon(new Thread(() -> {
                try {
                    go.await();
                    results[me] = ThreadKill.kill(pair[1 - me], KillMode.NATIVE_FREEZE, REFUSED_WAIT);
                } catch (Exception e) {
                    say(prefix + ".error", e.toString());
                } finally {
                    returned.countDown();
                }
            }, "killer-" + prefix + "-" + i));
        }
        pair[0].start();
        pair[1].start();
        // One freezes the other, whose own kill then never returns; or both are refused.
        long until = System.nanoTime() + REFUSED_WAIT.toNanos() + ChildJvm.scaled(Duration.ofSeconds(10)).toNanos();
        while (returned.getCount() > 0 && System.nanoTime() < until) {
            if (returned.getCount() == 1 && (ThreadKill.isFrozen(pair[0]) || ThreadKill.isFrozen(pair[1]))) break;
            returned.await(1, TimeUnit.MILLISECONDS);
        }
        for (int i = 0; i < 2; i++) {
            say(prefix + "." + i, results[i] == null ? "none (frozen: " + ThreadKill.isFrozen(pair[i]) + ")"
                    : results[i].outcome().name());
        }
    }

    /** escalate() with the default ladder on a native spinner: INTERRUPT, ASYNC_EXCEPTION, then the freeze. */
    private static void escalate(String prefix) throws Exception {
        int slot = nextSlot++;
        Thread victim = nativeSpinner(slot, "victim-" + prefix);
        AtomicReference<KillResult> result = new AtomicReference<>();
        Thread killer = daemon(new Thread(() -> result.set(ThreadKill.escalate(victim, ChildJvm.scaled(Duration.ofMillis(300)))),
                "killer-" + prefix));
        killer.start();
        killer.join(ChildJvm.scaled(Duration.ofSeconds(30)).toMillis());
        say(prefix + ".outcome", result.get() == null ? "none" : result.get().outcome() + " by " + result.get().mode());
    }

    /** inspect() first (cold: the first use of the library), then the freeze. */
    private static void inspect(String prefix) throws Exception {
        int slot = nextSlot++;
        Thread victim = nativeSpinner(slot, "victim-" + prefix);
        AtomicReference<String> result = new AtomicReference<>();
        Thread killer = daemon(new Thread(() -> {
            String summary = ThreadKill.inspect(victim).toString();
            KillResult r = ThreadKill.kill(victim, KillMode.NATIVE_FREEZE, FREEZE_WAIT);
            result.set(r.outcome() + " after inspect (" + summary.length() + " chars)");
        }, "killer-" + prefix));
        killer.start();
        killer.join(ChildJvm.scaled(Duration.ofSeconds(30)).toMillis());
        say(prefix + ".outcome", result.get() == null ? "none" : result.get());
    }

    // ---- helpers

    private static void kill(String key, String killerName, Thread victim, KillMode mode, Duration wait) throws Exception {
        AtomicReference<KillResult> result = new AtomicReference<>();
        Thread killer = daemon(new Thread(() -> result.set(ThreadKill.kill(victim, mode, wait)), killerName));
        killer.start();
        killer.join(wait.toMillis() + ChildJvm.scaled(Duration.ofSeconds(20)).toMillis());
        KillResult r = result.get();
        say(key + ".outcome", r == null ? "none (killer still alive: " + killer.isAlive() + ")" : r.outcome().name());
    }

    private static Thread nativeSpinner(int slot, String name) throws InterruptedException {
        Thread t = daemon(new Thread(() -> Victims.spin(slot), name));
        t.start();
        waitForCounter(slot);
        return t;
    }

    private static void waitForCounter(int slot) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Victims.counter(slot) == 0 && System.nanoTime() < deadline) Thread.sleep(1);
    }

    private static final Class<?>[] TYPES = {int.class, long.class, short.class, byte.class, char.class,
        float.class, double.class, boolean.class, String.class, Object.class, int[].class, long[].class};

    private static MethodType freshMethodType() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Class<?>[] params = new Class<?>[1 + rnd.nextInt(7)];
        for (int i = 0; i < params.length; i++) params[i] = TYPES[rnd.nextInt(TYPES.length)];
        return MethodType.methodType(TYPES[rnd.nextInt(TYPES.length)], params);
    }

    private static Thread daemon(Thread t) {
        t.setDaemon(true);
        return t;
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            // ends the thread
        }
    }

    static void say(String key, String value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }
}
