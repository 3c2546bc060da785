package org.threadkill.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

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

    public static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }
}
