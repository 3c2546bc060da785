package org.threadkill.internal;

import org.threadkill.JvmState;
import org.threadkill.NativeThreadId;

/**
 * Thread to OS thread: HotSpot's vmStructs tables (a few memory reads, in C), or, where they are
 * missing or {@code -Dthreadkill.lookup=threadDump} asks for it, the JVM's thread dump.
 */
public final class Lookup {
    private Lookup() {}

    /** Forces the thread-dump lookup ({@code threadDump}) instead of vmStructs; for tests and benchmarks. */
    public static final String PROPERTY = "threadkill.lookup";

    /** The OS identity of a started platform thread, or null when it has no OS thread (not started, ended). */
    public static NativeThreadId nativeId(Thread t) {
        Library.ensureLoaded();
        if (useVmStructs()) {
            long[] ids = new long[Native.RESOLVE_LEN];
            if (Native.resolve0(t, ids)) {
                return new NativeThreadId(ids[Native.RESOLVE_TID], ids[Native.RESOLVE_PTHREAD],
                        jvmState((int) ids[Native.RESOLVE_STATE]), NativeThreadId.Source.VM_STRUCTS);
            }
        } else if (Native.javaThread0(t) != 0) {
            long tid = ThreadDumpLookup.tid(t);
            if (tid > 0) return new NativeThreadId(tid, 0, JvmState.UNKNOWN, NativeThreadId.Source.THREAD_DUMP);
        }
        return null;
    }

    /** HotSpot's view of {@code t}, or UNKNOWN where it cannot be read. */
    public static JvmState stateOf(Thread t) {
        if (!Library.isLoaded() || Targets.isVirtual(t) || !useVmStructs()) return JvmState.UNKNOWN;
        long[] ids = new long[Native.RESOLVE_LEN];
        return Native.resolve0(t, ids) ? jvmState((int) ids[Native.RESOLVE_STATE]) : JvmState.UNKNOWN;
    }

    /** The tid a kill must aim at when vmStructs are not used: from the thread dump; 0 when they are used. */
    static int fallbackTid(Thread t) {
        return useVmStructs() ? 0 : (int) ThreadDumpLookup.tid(t);
    }

    static boolean useVmStructs() {
        return !"threadDump".equals(System.getProperty(PROPERTY)) && Native.vmStructsProblem0() == null;
    }

    static JvmState jvmState(int code) {
        switch (code) {
            case Native.STATE_NEW: return JvmState.NEW;
            case Native.STATE_IN_NATIVE: return JvmState.IN_NATIVE;
            case Native.STATE_IN_VM: return JvmState.IN_VM;
            case Native.STATE_IN_JAVA: return JvmState.IN_JAVA;
            case Native.STATE_BLOCKED: return JvmState.BLOCKED;
            case Native.STATE_IN_TRANSITION: return JvmState.IN_TRANSITION;
            default: return JvmState.UNKNOWN;
        }
    }
}
