package org.threadkill.internal;

/**
 * Where a thread's work sits on its stack, so that a kill can tell "the stuck call ended" from
 * "the thread ended": the frames from the bottom of the stack up to the work's entry, the first
 * frame from the bottom that is not the JDK's thread or pool machinery (for a pool worker, the
 * task's {@code run}; for a plain thread, its {@code Runnable}). The work has ended once the stack
 * no longer starts with those frames, or the thread sits idle in a pool.
 */
public final class StuckWork {
    private final StackTraceElement[] bottom;   // bottom.length frames, outermost last
    private final String entry;

    private StuckWork(StackTraceElement[] bottom, String entry) {
        this.bottom = bottom;
        this.entry = entry;
    }

    /** The work {@code stack} is doing, or null for an empty stack (not started, ended, or frozen in a way we cannot see). */
    public static StuckWork of(StackTraceElement[] stack) {
        if (stack.length == 0) return null;
        int at = stack.length - 1;
        while (at > 0 && isJdk(stack[at])) at--;
        StackTraceElement[] bottom = new StackTraceElement[stack.length - at];
        System.arraycopy(stack, at, bottom, 0, bottom.length);
        return new StuckWork(bottom, stack[at].getClassName() + "." + stack[at].getMethodName());
    }

    /** True when {@code now} no longer holds this work (the thread ended, or went back to its pool). */
    public boolean endedIn(StackTraceElement[] now) {
        if (now.length < bottom.length || Targets.idleInPool(now)) return true;
        for (int i = 1; i <= bottom.length; i++) {
            StackTraceElement a = bottom[bottom.length - i], b = now[now.length - i];
            if (!a.getClassName().equals(b.getClassName()) || !a.getMethodName().equals(b.getMethodName())) return true;
        }
        return false;
    }

    /** The work's entry frame, {@code class.method}. */
    public String entry() {
        return entry;
    }

    /** A frame of the JDK: its class is in a java.* or jdk.* module (com.sun.jna, say, is not). */
    static boolean isJdk(StackTraceElement f) {
        String m = f.getModuleName();
        if (m != null) return m.startsWith("java.") || m.startsWith("jdk.");
        return isJdk(f.getClassName());   // no module recorded: only the JDK's own prefixes count
    }

    static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || (className.startsWith("com.sun.") && !className.startsWith("com.sun.jna."));
    }
}
