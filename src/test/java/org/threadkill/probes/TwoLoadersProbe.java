package org.threadkill.probes;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;

import org.threadkill.testing.Victims;

/**
 * Child-JVM program: threadkill loaded by two (then three) URLClassLoaders over the same library
 * (parent: the platform loader, as two webapps or plugins would), each with its own copy of the
 * classes and of the native library. A native spinner frozen from loader A is seen from B, B
 * freezes another, A sees that; the victims live in the application loader. Without the opt-in
 * (argument "closed") every loader is refused, in Java and in C. Prints key=value lines.
 *
 * <p>args[0]: the library's classes directory or jar for loader A (and C); args[1]: the same for
 * loader B (another build, to see the refusal); args[2]: "open", "closed", or "concurrent" (four
 * loaders over args[0] load at once); args[3]: "AB" (A kills first, and installs the handler) or
 * "BA".
 */
public final class TwoLoadersProbe {
    private TwoLoadersProbe() {}

    public static void main(String[] args) throws Exception {
        URL lib = Path.of(args[0]).toUri().toURL();
        if (args[2].equals("concurrent")) {
            concurrent(lib);
            return;
        }
        URL libB = Path.of(args[1]).toUri().toURL();
        boolean open = args[2].equals("open");
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        Loader a = new Loader("A", new URLClassLoader("threadkill-A", new URL[] {lib}, platform));
        Loader b = new Loader("B", new URLClassLoader("threadkill-B", new URL[] {libB}, platform));
        System.out.println("distinct=" + (a.facade != b.facade));
        for (Loader l : new Loader[] {a, b}) {
            System.out.println(l.loader.getName() + ".available=" + l.call("isAvailable"));
            System.out.println(l.loader.getName() + ".cause=" + l.call("unavailabilityCause"));
        }
        if (args[3].equals("BA")) {   // the loader whose library loaded second kills first: it installs the one handler
            Loader first = b;
            b = a;
            a = first;
            a.role = "A";
            b.role = "B";
        }
        Thread one = spinner(1);
        Thread two = spinner(2);
        if (!open) {
            for (Loader l : new Loader[] {a, b}) {
                System.out.println(l.role + ".kill=" + l.kill(one, "NATIVE_FREEZE"));
                System.out.println(l.role + ".kill0=" + l.rawKill(one));
            }
            System.out.println("spinning=" + (advances(1) && advances(2)));
            return;
        }
        System.out.println("A.copies=" + a.diag("copies"));
        System.out.println("B.copies=" + b.diag("copies"));
        System.out.println("B.taintedBefore=" + b.call("isTainted"));

        System.out.println("A.freeze1=" + a.kill(one, "NATIVE_FREEZE"));
        System.out.println("frozen1=" + !advances(1));
        System.out.println("B.tainted=" + b.call("isTainted"));
        System.out.println("B.available=" + b.call("isAvailable"));
        System.out.println("B.isFrozen1=" + b.call("isFrozen", one));
        System.out.println("B.tombstones=" + count(b.call("tombstones")));
        System.out.println("B.refreeze1=" + b.kill(one, "NATIVE_FREEZE"));

        System.out.println("B.freeze2=" + b.kill(two, "NATIVE_FREEZE"));
        System.out.println("frozen2=" + !advances(2));
        System.out.println("A.isFrozen2=" + a.call("isFrozen", two));
        System.out.println("A.tombstones=" + count(a.call("tombstones")));
        System.out.println("A.refreeze2=" + a.kill(two, "NATIVE_FREEZE"));
        System.out.println("A.delivery=" + a.diag("delivery"));
        System.out.println("B.delivery=" + b.diag("delivery"));
        System.out.println("straySignals=" + a.diag("straySignals") + "," + b.diag("straySignals"));

        Loader c = new Loader("C", new URLClassLoader("threadkill-C", new URL[] {lib}, platform));
        System.out.println("C.copies=" + c.diag("copies"));
        System.out.println("C.tainted=" + c.call("isTainted"));
        System.out.println("C.tombstones=" + count(c.call("tombstones")));
        System.out.println("C.taintReason=" + c.call("taintReason"));
        Thread three = spinner(3);
        System.out.println("C.freeze3=" + c.kill(three, "NATIVE_FREEZE"));
        System.out.println("frozen3=" + !advances(3));
        System.out.println("A.tombstones3=" + count(a.call("tombstones")));

        // JVMTI is one environment per JVM (HotSpot grants can_suspend to one only): B's
        // ASYNC_EXCEPTION goes through it too.
        Thread sleeper = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // not this
            }
        }, "sleeper");
        sleeper.setDaemon(true);
        sleeper.start();
        while (sleeper.getState() != Thread.State.TIMED_WAITING) Thread.sleep(1);
        System.out.println("B.async=" + b.kill(sleeper, "ASYNC_EXCEPTION"));
        // The last kill: after NATIVE_EXIT the JVM keeps a dead thread registered.
        Thread four = spinner(4);
        System.out.println("B.exit4=" + b.kill(four, "NATIVE_EXIT"));
        System.out.println("A.tombstones4=" + count(a.call("tombstones")));
        System.out.println("A.taintReason=" + a.call("taintReason"));
        System.out.println("done=true");
    }

    /**
     * Four loaders load their copies at the same moment: each copy waits in its JNI_OnLoad for the
     * oldest to finish its own, so exactly one is the oldest; a freeze from one is seen by all.
     */
    private static void concurrent(URL lib) throws Exception {
        int n = 4;
        java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(n);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        java.util.List<java.util.concurrent.Future<Loader>> loading = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "threadkill-" + i;
            loading.add(pool.submit(() -> {
                Loader l = new Loader(name, new URLClassLoader(name, new URL[] {lib},
                        ClassLoader.getPlatformClassLoader()));
                go.await();
                l.call("isAvailable");   // loads the library
                return l;
            }));
        }
        java.util.List<Loader> loaders = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<Loader> f : loading) loaders.add(f.get());
        pool.shutdown();
        int oldest = 0;
        int joined = 0;
        for (Loader l : loaders) {
            String copies = String.valueOf(l.diag("copies"));
            System.out.println(l.role + ".copies=" + copies);
            if (copies.startsWith("the oldest copy")) oldest++;
            if (copies.startsWith("joined the oldest copy")) joined++;
        }
        System.out.println("oldest=" + oldest);
        System.out.println("joined=" + joined);
        Thread one = spinner(1);
        System.out.println("freeze=" + loaders.get(n - 1).kill(one, "NATIVE_FREEZE"));
        int tainted = 0;
        for (Loader l : loaders) if (Boolean.TRUE.equals(l.call("isTainted"))) tainted++;
        System.out.println("tainted=" + tainted);
        System.out.println("done=true");
    }

    private static Thread spinner(int slot) throws InterruptedException {
        Victims.reset(slot);
        Thread t = new Thread(() -> Victims.spin(slot), "native spinner " + slot);
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Victims.counter(slot) == 0 && System.nanoTime() < deadline) Thread.sleep(1);
        return t;
    }

    /** Whether the spinner in {@code slot} still counts, over 300 ms. */
    private static boolean advances(int slot) throws InterruptedException {
        long before = Victims.counter(slot);
        Thread.sleep(300);
        return Victims.counter(slot) != before;
    }

    private static int count(Object list) {
        return ((java.util.List<?>) list).size();
    }

    /** One class loader's threadkill, reached by reflection. */
    private static final class Loader {
        String role;   // A: the loader that kills first
        final ClassLoader loader;
        final Class<?> facade;

        Loader(String role, ClassLoader loader) throws ClassNotFoundException {
            this.role = role;
            this.loader = loader;
            this.facade = Class.forName("org.threadkill.ThreadKill", true, loader);
        }

        Object call(String method, Object... args) throws Exception {
            for (Method m : facade.getMethods()) {
                if (m.getName().equals(method) && m.getParameterCount() == args.length) return m.invoke(null, args);
            }
            throw new NoSuchMethodException(method);
        }

        Object diag(String method) throws Exception {
            Class<?> d = Class.forName("org.threadkill.internal.Diagnostics", true, loader);
            try {
                return d.getMethod(method).invoke(null);
            } catch (NoSuchMethodException e) {
                return "no such diagnostic";   // a build from before it
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        String kill(Thread t, String mode) throws Exception {
            Class<? extends Enum> modes = (Class<? extends Enum>) Class.forName("org.threadkill.KillMode", true, loader);
            Method kill = facade.getMethod("kill", Thread.class, modes, Duration.class);
            try {
                Object r = kill.invoke(null, t, Enum.valueOf(modes, mode), Duration.ofSeconds(10));
                Object outcome = r.getClass().getMethod("outcome").invoke(r);
                Object detail = r.getClass().getMethod("detail").invoke(r);
                return outcome + ": " + detail;
            } catch (InvocationTargetException e) {
                return e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
            }
        }

        /** Native.kill0 itself, past every Java check: the C side's own gate must refuse it. */
        String rawKill(Thread t) throws Exception {
            Class<?> n = Class.forName("org.threadkill.internal.Native", true, loader);
            Method kill0 = n.getDeclaredMethod("kill0", Thread.class, int.class, long.class, int.class, long[].class);
            kill0.setAccessible(true);
            try {
                kill0.invoke(null, t, 1, 1_000_000_000L, 0, new long[16]);
                return "not refused";
            } catch (InvocationTargetException e) {
                return e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
            }
        }
    }
}
