package org.threadkill;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the native kills of this JVM broke, as seen now: returned by {@link ThreadKill#damage()}.
 *
 * @param takenAt    when the report was made
 * @param tombstones every thread a native mode reached, oldest first
 * @param blocked    live threads blocked or waiting on a monitor or lock that a killed thread holds:
 *                   they wait forever (or until their timeout, to block again)
 * @param deadlocks  deadlock cycles ({@code ThreadMXBean.findDeadlockedThreads}) that involve a
 *                   killed thread
 * @param nativeBlocked threads asleep on a native (pthread) mutex that a killed thread owns (Linux)
 */
public record DamageReport(Instant takenAt, List<Tombstone> tombstones, List<BlockedThread> blocked,
                           List<Deadlock> deadlocks, List<NativeWaiter> nativeBlocked) {
    /**
     * Validates the components.
     *
     * @param takenAt    when the report was made
     * @param tombstones every thread a native mode reached, oldest first
     * @param blocked    live threads blocked or waiting on a monitor or lock that a killed thread holds:
     *                   they wait forever (or until their timeout, to block again)
     * @param deadlocks  deadlock cycles ({@code ThreadMXBean.findDeadlockedThreads}) that involve a killed
     *                   thread
     * @param nativeBlocked threads asleep on a native (pthread) mutex that a killed thread owns (Linux)
     */
    public DamageReport {
        Objects.requireNonNull(takenAt, "takenAt");
        tombstones = List.copyOf(tombstones);
        blocked = List.copyOf(blocked);
        deadlocks = List.copyOf(deadlocks);
        nativeBlocked = nativeBlocked == null ? List.of() : List.copyOf(nativeBlocked);
    }

    /**
     * A report without native waiters.
     *
     * @param blocked live threads blocked or waiting on a monitor or lock that a killed thread holds: they wait forever (or until their timeout, to block again)
     * @param deadlocks deadlock cycles ({@code ThreadMXBean.findDeadlockedThreads}) that involve a killed thread
     * @param takenAt when the report was made
     * @param tombstones every thread a native mode reached, oldest first
     */
    public DamageReport(Instant takenAt, List<Tombstone> tombstones, List<BlockedThread> blocked,
                        List<Deadlock> deadlocks) {
        this(takenAt, tombstones, blocked, deadlocks, List.of());
    }

    /**
     * @return true when no thread was killed by a native mode
     */
    public boolean isEmpty() {
        return tombstones.isEmpty();
    }

    /**
     * @return true when some live thread is stuck on what a killed thread holds, or in a cycle with one
     */
    public boolean hasVictimsOfTheKill() {
        return !blocked.isEmpty() || !deadlocks.isEmpty() || !nativeBlocked.isEmpty();
    }

    /** Multi-line, for logs and the demo. */
    @Override
    public String toString() {
        if (tombstones.isEmpty()) return "damage: none (no native kill in this JVM)";
        StringBuilder sb = new StringBuilder("damage: ").append(tombstones.size())
                .append(tombstones.size() == 1 ? " thread" : " threads").append(" killed by native modes\n");
        for (Tombstone t : tombstones) sb.append("  killed ").append(t).append('\n');
        if (blocked.isEmpty()) sb.append("  no live thread is blocked on what they hold\n");
        for (BlockedThread b : blocked) sb.append("  ").append(b).append('\n');
        for (Deadlock d : deadlocks) sb.append("  ").append(d).append('\n');
        for (NativeWaiter w : nativeBlocked) sb.append("  native: ").append(w).append(" (killed)\n");
        return sb.substring(0, sb.length() - 1);
    }

    /**
     * A live thread stuck on something a killed thread holds.
     *
     * @param threadName    its name
     * @param threadId      its Java thread id
     * @param state         BLOCKED (monitor entry), WAITING or TIMED_WAITING (parked on a lock, or in
     *                      {@code Object.wait} on a monitor that can never be re-entered)
     * @param lock          what it waits for: {@code monitor class@hash} or {@code lock class@hash}
     * @param killedOwner   the tombstone of the thread that holds it
     * @param blockedAtLeast how long threadkill has seen it blocked on it, without interruption: a
     *                      lower bound, counted from the kill when it already waited then, else from the
     *                      first {@code damage()} that saw it
     */
    public record BlockedThread(String threadName, long threadId, Thread.State state, String lock,
                                Tombstone killedOwner, Duration blockedAtLeast) {
        @Override
        public String toString() {
            return "'" + threadName + "' (id " + threadId + ", " + state + ") waits on " + lock + " held by killed '"
                    + killedOwner.threadName() + "' (" + killedOwner.mode() + "), for at least "
                    + blockedAtLeast.toMillis() + " ms";
        }
    }

    /**
     * A deadlock cycle through at least one killed thread.
     *
     * @param threadIds   the Java ids of the threads in the cycle
     * @param threadNames their names
     * @param killed      the killed threads among them
     */
    public record Deadlock(List<Long> threadIds, List<String> threadNames, List<Tombstone> killed) {
        /**
         * Makes the lists unmodifiable copies.
         *
         * @param threadIds   the Java ids of the threads in the cycle
         * @param threadNames their names
         * @param killed      the killed threads among them
         */
        /**
         * Validates the components.
         *
         * @param threadIds   the Java ids of the threads in the cycle
         * @param threadNames their names
         * @param killed      the killed threads among them
         */
        public Deadlock {
            threadIds = List.copyOf(threadIds);
            threadNames = List.copyOf(threadNames);
            killed = List.copyOf(killed);
        }

        @Override
        public String toString() {
            return "deadlock cycle " + threadNames + " through killed "
                    + killed.stream().map(Tombstone::threadName).toList();
        }
    }
}
