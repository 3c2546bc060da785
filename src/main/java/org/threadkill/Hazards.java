package org.threadkill;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What killing a thread now would leave behind: a snapshot taken by {@link ThreadKill#inspect}.
 * Nothing is done to the thread; the snapshot can be stale a microsecond later (the thread keeps
 * running), so read it as "what was true just before".
 *
 * <p>The verdicts come from what the consequence suite observed in child JVMs (docs/consequences.md),
 * applied to what was seen here: where the thread was (Java code, native code, blocked), what it
 * held, who already waits on it.
 *
 * @param threadName    the thread's name
 * @param threadId      its Java thread id
 * @param daemon        true for a daemon thread (a non-daemon thread that never ends keeps a normal
 *                      JVM exit waiting)
 * @param threadState   {@link Thread#getState()} at the snapshot
 * @param jvmState      HotSpot's own view ({@link JvmState#UNKNOWN} without the native library)
 * @param inNative      true when the thread executes a native method
 * @param nativeMethod  that native method ({@code class.method}), or null
 * @param topFrames     the top of its stack (at most {@value #TOP_FRAMES} frames)
 * @param held          monitors and {@code java.util.concurrent} locks it holds
 * @param waiters       other threads that were blocked or waiting on one of those
 * @param verdicts      what each {@link KillMode} would do to it and leave behind
 * @param takenAt       when the snapshot was taken
 * @param cost          how long taking it took (it needs ThreadMXBean, i.e. safepoints)
 * @param nativeWaiters threads asleep on a native (pthread) mutex this thread owns (Linux): a
 *                      native library's own lock, which a freeze would leave held for good
 */
public record Hazards(String threadName, long threadId, boolean daemon, Thread.State threadState,
                      JvmState jvmState, boolean inNative, String nativeMethod,
                      List<StackTraceElement> topFrames, List<HeldLock> held, List<Waiter> waiters,
                      Map<KillMode, Verdict> verdicts, Instant takenAt, Duration cost,
                      List<NativeWaiter> nativeWaiters) {

    /** How many frames {@link #topFrames()} keeps. */
    public static final int TOP_FRAMES = 8;

    /**
     * Validates the components and makes the lists and the map unmodifiable copies.
     *
     * @param threadName   the thread's name
     * @param threadId     its Java thread id
     * @param daemon       true for a daemon thread (a non-daemon thread that never ends keeps a normal JVM
     *                     exit waiting)
     * @param threadState  {@link Thread#getState()} at the snapshot
     * @param jvmState     HotSpot's own view ({@link JvmState#UNKNOWN} without the native library)
     * @param inNative     true when the thread executes a native method
     * @param nativeMethod that native method ({@code class.method}), or null
     * @param topFrames    the top of its stack (at most {@value #TOP_FRAMES} frames)
     * @param held         monitors and {@code java.util.concurrent} locks it holds
     * @param waiters      other threads that were blocked or waiting on one of those
     * @param verdicts     what each {@link KillMode} would do to it and leave behind
     * @param takenAt      when the snapshot was taken
     * @param cost         how long taking it took (it needs ThreadMXBean, i.e. safepoints)
     * @param nativeWaiters threads asleep on a native (pthread) mutex this thread owns (Linux): a native library's own lock, which a freeze would leave held for good
     */
    public Hazards {
        Objects.requireNonNull(threadState, "threadState");
        Objects.requireNonNull(jvmState, "jvmState");
        topFrames = List.copyOf(topFrames);
        held = List.copyOf(held);
        waiters = List.copyOf(waiters);
        verdicts = verdicts.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(verdicts));
        nativeWaiters = nativeWaiters == null ? List.of() : List.copyOf(nativeWaiters);
    }

    /**
     * A snapshot without native waiters.
     *
     * @param cost how long taking it took (it needs ThreadMXBean, i.e. safepoints)
     * @param daemon true for a daemon thread (a non-daemon thread that never ends keeps a normal JVM exit waiting)
     * @param held monitors and {@code java.util.concurrent} locks it holds
     * @param inNative true when the thread executes a native method
     * @param jvmState HotSpot's own view ({@link JvmState#UNKNOWN} without the native library)
     * @param nativeMethod that native method ({@code class.method}), or null
     * @param takenAt when the snapshot was taken
     * @param threadId its Java thread id
     * @param threadName the thread's name
     * @param threadState {@link Thread#getState()} at the snapshot
     * @param topFrames the top of its stack (at most {@value #TOP_FRAMES} frames)
     * @param verdicts what each {@link KillMode} would do to it and leave behind
     * @param waiters other threads that were blocked or waiting on one of those
     */
    public Hazards(String threadName, long threadId, boolean daemon, Thread.State threadState,
                   JvmState jvmState, boolean inNative, String nativeMethod,
                   List<StackTraceElement> topFrames, List<HeldLock> held, List<Waiter> waiters,
                   Map<KillMode, Verdict> verdicts, Instant takenAt, Duration cost) {
        this(threadName, threadId, daemon, threadState, jvmState, inNative, nativeMethod, topFrames, held, waiters,
                verdicts, takenAt, cost, List.of());
    }

    /**
     * @param mode a kill mode
     * @return what a kill in {@code mode} would do (null only in a snapshot built without verdicts)
     */
    public Verdict verdict(KillMode mode) {
        return verdicts.get(Objects.requireNonNull(mode, "mode"));
    }

    /**
     * @return the monitors ({@code synchronized}) among {@link #held()}
     */
    public List<HeldLock> monitors() {
        return held.stream().filter(h -> h.kind() == HeldLock.Kind.MONITOR).toList();
    }

    /**
     * @return the {@code java.util.concurrent} locks (ownable synchronizers) among {@link #held()}
     */
    public List<HeldLock> locks() {
        return held.stream().filter(h -> h.kind() == HeldLock.Kind.LOCK).toList();
    }

    /**
     * @param lock one of {@link #held()}
     * @return the waiters on {@code lock}
     */
    public List<Waiter> waitersOn(HeldLock lock) {
        return waiters.stream().filter(w -> w.on().equals(lock)).toList();
    }

    /** Multi-line, for logs and the demo. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("hazards of '").append(threadName).append("' (id ").append(threadId)
          .append(daemon ? ", daemon" : ", non-daemon").append(", ").append(threadState)
          .append(", JVM state ").append(jvmState);
        if (inNative) sb.append(", in native ").append(nativeMethod == null ? "code" : nativeMethod + "()");
        sb.append(")\n");
        for (StackTraceElement f : topFrames) sb.append("    at ").append(f).append('\n');
        if (held.isEmpty()) sb.append("  holds no monitor or lock\n");
        for (HeldLock h : held) {
            sb.append("  holds ").append(h).append('\n');
            for (Waiter w : waitersOn(h)) {
                sb.append("    waited on by '").append(w.threadName()).append("' (id ").append(w.threadId())
                  .append(", ").append(w.state()).append(")\n");
            }
        }
        for (NativeWaiter w : nativeWaiters) sb.append("  native: ").append(w).append('\n');
        for (Verdict v : verdicts.values()) sb.append("  ").append(v).append('\n');
        return sb.substring(0, sb.length() - 1);
    }

    /**
     * A monitor or lock the thread holds.
     *
     * @param kind        monitor ({@code synchronized}) or {@code java.util.concurrent} lock
     * @param className   class of the locked object (for a lock: its synchronizer, e.g.
     *                    {@code ReentrantLock$NonfairSync})
     * @param identityHash the object's identity hash code
     * @param lockedAt    monitors: the frame that first entered it (the outermost); null for locks
     * @param depth       monitors: how many times the thread entered it (a {@code synchronized}
     *                    block re-entered counts once here, with its depth); 1 for locks
     */
    public record HeldLock(Kind kind, String className, int identityHash, StackTraceElement lockedAt, int depth) {
        /** What sort of thing is held. */
        public enum Kind {
            /** An object monitor ({@code synchronized}). */
            MONITOR,
            /** An ownable synchronizer: {@code ReentrantLock}, the write lock of a {@code ReentrantReadWriteLock}... */
            LOCK
        }

        /**
         * Validates the components.
         *
         * @param kind         monitor ({@code synchronized}) or {@code java.util.concurrent} lock
         * @param className    class of the locked object (for a lock: its synchronizer, e.g. {@code
         *                     ReentrantLock$NonfairSync})
         * @param identityHash the object's identity hash code
         * @param lockedAt     monitors: the frame that first entered it (the outermost); null for locks
         * @param depth        monitors: how many times the thread entered it (a {@code synchronized} block
         *                     re-entered counts once here, with its depth); 1 for locks
         */
        public HeldLock {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(className, "className");
            if (depth < 1) throw new IllegalArgumentException("depth < 1: " + depth);
        }

        /**
         * A lock held once (depth 1).
         *
         * @param kind         monitor or {@code java.util.concurrent} lock
         * @param className    class of the locked object
         * @param identityHash the object's identity hash code
         * @param lockedAt     monitors: the frame that entered it; null for locks
         */
        public HeldLock(Kind kind, String className, int identityHash, StackTraceElement lockedAt) {
            this(kind, className, identityHash, lockedAt, 1);
        }

        /**
         * @return {@code class@hexhash}, as {@link java.lang.management.LockInfo#toString()} prints it
         */
        public String id() {
            return new StringBuilder(className).append('@').append(Integer.toHexString(identityHash)).toString();
        }

        @Override
        public String toString() {
            return (kind == Kind.MONITOR ? "monitor " : "lock ") + id()
                    + (lockedAt != null ? " (entered at " + lockedAt + (depth > 1 ? ", " + depth + " times" : "") + ")"
                            : depth > 1 ? " (" + depth + " times)" : "");
        }
    }

    /**
     * Another thread that was blocked or waiting on something the inspected thread holds.
     *
     * @param threadName its name
     * @param threadId   its Java thread id
     * @param state      BLOCKED (entering a monitor), WAITING / TIMED_WAITING (parked on a lock, or
     *                   in {@code Object.wait} on a held monitor: it can only resume once the monitor
     *                   is free)
     * @param on         what it waits for
     */
    public record Waiter(String threadName, long threadId, Thread.State state, HeldLock on) {}

    /** How sure a verdict is that a mode stops the thread. */
    public enum Effect {
        /** The mode stops the thread. */
        STOPS,
        /** Depends on what the thread does next (handles the interrupt, reaches a cancellation point...). */
        MAY_STOP,
        /** Not now: the mechanism cannot reach the thread where it is. */
        NO_EFFECT
    }

    /**
     * What one mode would do, from the snapshot.
     *
     * @param mode        the mode
     * @param effect      whether it stops the thread
     * @param jvmSurvives false for the modes that doom the JVM (hang or crash, sooner or later)
     * @param allowed     false for a native mode while {@code -Dthreadkill.allowNativeKill=true} is
     *                    not set (or a mode this platform lacks)
     * @param consequences one sentence each: how it acts, then what it leaves behind
     */
    public record Verdict(KillMode mode, Effect effect, boolean jvmSurvives, boolean allowed,
                          List<String> consequences) {
        /**
         * Validates the components and makes {@code consequences} an unmodifiable copy.
         *
         * @param mode         the mode
         * @param effect       whether it stops the thread
         * @param jvmSurvives  false for the modes that doom the JVM (hang or crash, sooner or later)
         * @param allowed      false for a native mode while {@code -Dthreadkill.allowNativeKill=true} is
         *                     not set (or a mode this platform lacks)
         * @param consequences one sentence each: how it acts, then what it leaves behind
         */
        public Verdict {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(effect, "effect");
            consequences = List.copyOf(consequences);
        }

        /**
         * @return the consequences as one line
         */
        public String summary() {
            return String.join("; ", consequences);
        }

        @Override
        public String toString() {
            List<String> tags = new ArrayList<>();
            tags.add(effect.name());
            if (!jvmSurvives) tags.add("JVM DOOMED");
            if (!allowed) tags.add("refused here");
            return String.format(java.util.Locale.ROOT, "%-15s %s: %s", mode, tags, summary());
        }
    }
}
