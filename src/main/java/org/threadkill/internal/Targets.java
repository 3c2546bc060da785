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
        if (t.getName().startsWith("JFR ") || t.getClass().getName().startsWith("jdk.jfr.")) {
            return "it is one of JDK Flight Recorder's threads";
        }
        return null;
    }

    /**
     * True when {@code stack} shows a pool worker waiting for its next task, with no task code on
     * it: {@code ThreadPoolExecutor.getTask} or {@code ForkJoinPool.awaitWork}, reached through
     * nothing but the JDK's queue, lock and park frames. Such a thread is stuck in nothing.
     */
    public static boolean idleInPool(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            String c = f.getClassName(), m = f.getMethodName();
            if (c.equals("java.util.concurrent.ThreadPoolExecutor") && m.equals("getTask")) return true;
            if (c.equals("java.util.concurrent.ForkJoinPool") && (m.equals("awaitWork") || m.equals("runWorker"))) {
                return true;
            }
            boolean waiting = c.equals("jdk.internal.misc.Unsafe") || c.equals("sun.misc.Unsafe")
                    || c.startsWith("java.util.concurrent.locks.")
                    || (c.startsWith("java.util.concurrent.") && (c.contains("Queue") || c.contains("Exchanger")
                            || c.startsWith("java.util.concurrent.ForkJoinPool")));
            if (!waiting) return false;
        }
        return false;
    }

    /** A worker of {@code ForkJoinPool.commonPool()}: shared by the whole JVM (parallel streams, CompletableFuture). */
    public static boolean isCommonPoolWorker(Thread t) {
        return t instanceof java.util.concurrent.ForkJoinWorkerThread
                && ((java.util.concurrent.ForkJoinWorkerThread) t).getPool() == java.util.concurrent.ForkJoinPool.commonPool();
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
        if (mode != KillMode.INTERRUPT && isCarrier(t)) {
            throw new IllegalArgumentException(mode + " refused: thread '" + t.getName()
                    + "' carries virtual threads; " + (mode.isNative() ? "killing it kills"
                    : "an exception thrown in it lands in") + " the virtual thread mounted on it");
        }
        if (mode != KillMode.INTERRUPT && isCommonPoolWorker(t)) {
            throw new IllegalArgumentException(mode + " refused: thread '" + t.getName()
                    + "' is a worker of ForkJoinPool.commonPool(), which the whole JVM shares (parallel streams, "
                    + "CompletableFuture); a frozen or dead worker is lost to all of them. Kill the task's own thread "
                    + "instead, or run such work on a pool of your own");
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
