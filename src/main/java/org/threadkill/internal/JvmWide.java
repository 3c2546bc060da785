package org.threadkill.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What is one per JVM however many class loaders load threadkill (two webapps, two plugin loaders,
 * two URLClassLoaders over the same jar): the native-kill token, the threads frozen, the
 * tombstones. Each class loader has its own copy of our classes and of the native library; the
 * oldest copy of the library keeps the first set offered ({@link Native#jvmWide0}), and every later
 * loader takes that one. So these hold JDK types only ({@link Aftermath} encodes its tombstones):
 * no class of ours, and so no class loader kept alive by another loader's threadkill.
 *
 * <p>Without the native library nothing native can reach a thread, and a loader keeps its own
 * (empty) set; so does one whose classes are of another layout than the set kept (another version
 * of the Java side over the same native build).
 */
final class JvmWide {
    private JvmWide() {}

    private static final String LAYOUT = "threadkill.JvmWide/1: kill token, frozen threads, tombstones";

    /** The thread in the middle of a native kill, or null ({@link KillToken}). */
    static final AtomicReference<Thread> KILL_TOKEN;
    /** Threads threadkill froze, and when: never unfrozen. */
    static final ConcurrentHashMap<Thread, Instant> FROZEN;
    /** Tombstones, each as {@link Aftermath} encodes it; guarded by the list itself. */
    static final List<Object[]> TOMBSTONES;
    /** True when this class loader shares the set of an older one (or was the first to offer it). */
    static final boolean SHARED;

    static {
        Object[] mine = {LAYOUT, new AtomicReference<Thread>(), new ConcurrentHashMap<Thread, Instant>(),
                new ArrayList<Object[]>()};
        Object[] used = mine;
        boolean shared = false;
        if (Library.isLoaded()) {
            try {
                Object kept = Native.jvmWide0(mine);
                if (kept instanceof Object[] && ((Object[]) kept).length == mine.length
                        && LAYOUT.equals(((Object[]) kept)[0])) {
                    used = (Object[]) kept;
                    shared = true;
                }
            } catch (UnsatisfiedLinkError e) {
                // a library of another version (-Dthreadkill.library.path): this loader's own set
            }
        }
        KILL_TOKEN = cast(used[1]);
        FROZEN = cast(used[2]);
        TOMBSTONES = cast(used[3]);
        SHARED = shared;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
