package org.threadkill.internal;

import org.threadkill.KillMode;

/**
 * The opt-in that every destructive path checks: {@code -Dthreadkill.allowNativeKill=true} on the
 * JVM's command line (or in {@code JAVA_TOOL_OPTIONS}). Read once: the C side reads it when the
 * library loads, from the properties the JVM started with, and keeps its own copy that guards its
 * entry points; a {@code System.setProperty} at any later time changes nothing, here or there.
 */
public final class Gate {
    private Gate() {}

    /** The system property that must be {@code true} at JVM start for any {@code NATIVE_*} mode. */
    public static final String PROPERTY = "threadkill.allowNativeKill";
    /** Where the warnings live. */
    public static final String WARNINGS_PAGE = Docs.WARNINGS;

    // Without the library nothing native can run, and the value only shapes messages.
    private static final boolean OPEN = Library.isLoaded() ? Native.gateOpen0() : Boolean.getBoolean(PROPERTY);

    /** True when the JVM started with the opt-in. */
    public static boolean isOpen() {
        return OPEN;
    }

    /** Refuses a native mode without the opt-in. */
    public static void requireFor(KillMode mode) {
        if (!OPEN) {
            throw new IllegalStateException(mode + " is refused: native kill modes damage the JVM and are off "
                    + "unless it starts with -D" + PROPERTY + "=true (setting the property later has no effect). "
                    + "Read " + WARNINGS_PAGE + " first: what each mode leaves behind, and what to use instead.");
        }
    }

    /** Refuses a diagnostic entry without the opt-in. */
    static void require(String what) {
        if (!OPEN) {
            throw new IllegalStateException(what + " is refused: the JVM did not start with -D" + PROPERTY + "=true");
        }
    }
}
