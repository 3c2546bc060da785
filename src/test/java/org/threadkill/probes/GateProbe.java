package org.threadkill.probes;

import org.threadkill.testing.Victims;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;

import org.threadkill.KillMode;
import org.threadkill.ThreadKill;

/**
 * Child-JVM program started without the opt-in that tries every way around it, and prints what
 * each attempt did ({@code <attempt>=refused: ...} or {@code <attempt>=DONE ...}), then whether the
 * victim still runs. Argument "setProperty": sets the property from inside the JVM (before the
 * first use of threadkill, and again after a refused kill). "mode" MODE: one kill in that mode.
 * "reflection": calls the internal
 * classes and their natives directly, access checks suppressed.
 */
public final class GateProbe {
    private GateProbe() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("setProperty")) System.setProperty(ThreadKill.ALLOW_NATIVE_KILL, "true");
        Thread victim = new Thread(() -> Victims.spin(7), "gate-victim");
        victim.setDaemon(true);
        victim.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Victims.counter(7) == 0 && System.nanoTime() < deadline) Thread.sleep(1);
        System.out.println("allowed=" + ThreadKill.nativeKillAllowed());
        if (args[0].equals("mode")) {
            KillMode mode = KillMode.valueOf(args[1]);
            attempt("kill", () -> ThreadKill.kill(victim, mode, Duration.ofSeconds(1)));
        } else if (args[0].equals("setProperty")) {
            attempt("kill", () -> ThreadKill.kill(victim, KillMode.NATIVE_FREEZE, Duration.ofSeconds(1)));
            System.setProperty(ThreadKill.ALLOW_NATIVE_KILL, "true");
            attempt("killAgain", () -> ThreadKill.kill(victim, KillMode.NATIVE_FREEZE, Duration.ofSeconds(1)));
            attempt("escalate", () -> ThreadKill.escalate(victim, Duration.ofMillis(100), KillMode.NATIVE_FREEZE));
        } else {
            Class<?> nat = Class.forName("org.threadkill.internal.Native");
            Class<?> lib = Class.forName("org.threadkill.internal.Library");
            Class<?> diag = Class.forName("org.threadkill.internal.Diagnostics");
            attempt("installSignal0", () -> call(nat, "installSignal0", new Class<?>[] {int.class}, 38));
            attempt("ensureSignalInstalled", () -> call(lib, "ensureSignalInstalled", new Class<?>[0]));
            attempt("kill0", () -> call(nat, "kill0",
                    new Class<?>[] {Thread.class, int.class, long.class, int.class, long[].class},
                    victim, 1, 1_000_000_000L, 0, new long[8]));
            attempt("suspend0", () -> call(nat, "suspend0", new Class<?>[] {Thread.class}, victim));
            attempt("diagnosticSuspend", () -> call(diag, "suspend", new Class<?>[] {Thread.class}, victim));
            attempt("diagnosticAck", () -> call(diag, "acknowledgeSignal",
                    new Class<?>[] {Thread.class, Duration.class}, victim, Duration.ofSeconds(1)));
            attempt("nativeFreeze", () -> ThreadKill.kill(victim, KillMode.NATIVE_FREEZE, Duration.ofSeconds(1)));
        }
        long before = Victims.counter(7);
        Thread.sleep(200);
        System.out.println("victimProgress=" + (Victims.counter(7) - before));
        System.out.println("victimState=" + victim.getState());
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    private static void attempt(String name, Attempt a) {
        try {
            Object r = a.run();
            System.out.println(name + "=DONE " + r);
        } catch (Throwable e) {
            Throwable c = e instanceof InvocationTargetException ? e.getCause() : e;
            System.out.println(name + "=refused: " + c.getClass().getSimpleName() + ": " + c.getMessage());
        }
    }

    private static Object call(Class<?> c, String name, Class<?>[] types, Object... args) throws Exception {
        Method m = c.getDeclaredMethod(name, types);
        m.setAccessible(true);
        return m.invoke(null, args);
    }
}
