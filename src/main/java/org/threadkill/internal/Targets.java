package org.threadkill.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.threadkill.KillMode;

/** Facts about a target thread that the facade checks before doing anything to it. */
public final class Targets {
    private Targets() {}

    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    private static MethodHandle findIsVirtual() {
        try {   // Thread.isVirtual() is JDK 21+; we compile for 17
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    public static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) return false;
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The JVM's own threads: members of the root ("system") thread group (Reference Handler,
     * Finalizer, Signal Dispatcher, Attach Listener, Notification Thread, ...) and the JDK's
     * innocuous threads (Common-Cleaner). Null when {@code t} is not one.
     */
    public static String jvmInternalReason(Thread t) {
        ThreadGroup g = t.getThreadGroup();
        if (g != null && g.getParent() == null) {
            return "it belongs to the JVM's own '" + g.getName() + "' thread group";
        }
        if (t.getClass().getName().equals("jdk.internal.misc.InnocuousThread")) {
            return "it is one of the JDK's internal innocuous threads";
        }
        return null;
    }

    /** A carrier of virtual threads: killing its OS thread kills whatever virtual thread it carries. */
    public static boolean isCarrier(Thread t) {
        return t.getClass().getName().equals("jdk.internal.misc.CarrierThread");
    }

    /** Refuses a target that {@code mode} must not touch, naming why. */
    public static void check(Thread t, KillMode mode) {
        if (t.getState() == Thread.State.NEW) {
            throw new IllegalArgumentException("thread '" + t.getName() + "' has not been started");
        }
        if (t == Thread.currentThread() && mode != KillMode.INTERRUPT) {
            throw new IllegalArgumentException(mode + " refused: thread '" + t.getName()
                    + "' is the current thread; a thread cannot " + (mode.isNative() ? "signal itself to death"
                    : "receive an async exception from itself") + " — throw, or return");
        }
        boolean virtual = isVirtual(t);
        if (virtual && mode.isNative()) {
            throw new IllegalArgumentException(mode + " refused: thread '" + t.getName() + "' is a virtual thread; "
                    + "killing its carrier's OS thread would kill whatever virtual thread runs on it next");
        }
        if (virtual && mode == KillMode.ASYNC_EXCEPTION) {
            throw new IllegalArgumentException("ASYNC_EXCEPTION refused: thread '" + t.getName()
                    + "' is a virtual thread; this version supports only INTERRUPT for virtual threads");
        }
        if (mode.isNative() && isCarrier(t)) {
            throw new IllegalArgumentException(mode + " refused: thread '" + t.getName()
                    + "' carries virtual threads; killing it kills the virtual thread mounted on it");
        }
        String internal = jvmInternalReason(t);
        if (internal != null) {
            throw new IllegalArgumentException(mode + " refused: thread '" + t.getName()
                    + "' is a thread of the JVM itself (" + internal + ")");
        }
    }

    public static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }
}
