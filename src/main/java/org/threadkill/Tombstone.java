package org.threadkill;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A thread that a native mode reached: it will never run again (or, for a pending
 * {@link KillMode#NATIVE_CANCEL}, may end at any moment), and everything it held stays held.
 * Listed by {@link ThreadKill#tombstones()}; the reason {@link ThreadKill#isTainted()} is true.
 *
 * @param threadName     the victim's name at the kill
 * @param threadId       its Java thread id (the JVM keeps reporting it as the owner of what it held)
 * @param tid            the kernel tid signalled
 * @param mode           the native mode used
 * @param outcome        what the kill observed: STOPPED, or STILL_RUNNING when the signal arrived
 *                       but the thread had not ended yet (a cancellation waiting for its point)
 * @param killedAt       when the kill returned
 * @param jvmStateBefore HotSpot's view of the thread before the kill
 * @param held           the monitors and locks it held ({@code monitor class@hash}, {@code lock class@hash})
 * @param detail         the kill's own sentence on what happened
 */
public record Tombstone(String threadName, long threadId, long tid, KillMode mode, KillOutcome outcome,
                        Instant killedAt, JvmState jvmStateBefore, List<String> held, String detail) {
    /**
     * Validates the components and makes {@code held} an unmodifiable copy.
     *
     * @param threadName     the victim's name at the kill
     * @param threadId       its Java thread id (the JVM keeps reporting it as the owner of what it held)
     * @param tid            the kernel tid signalled
     * @param mode           the native mode used
     * @param outcome        what the kill observed: STOPPED, or STILL_RUNNING when the signal arrived but
     *                       the thread had not ended yet (a cancellation waiting for its point)
     * @param killedAt       when the kill returned
     * @param jvmStateBefore HotSpot's view of the thread before the kill
     * @param held           the monitors and locks it held ({@code monitor class@hash}, {@code lock
     *                       class@hash})
     * @param detail         the kill's own sentence on what happened
     */
    public Tombstone {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(killedAt, "killedAt");
        held = List.copyOf(held);
    }

    @Override
    public String toString() {
        return mode + " '" + threadName + "' (id " + threadId + ", tid " + tid + ", was " + jvmStateBefore + ") at "
                + killedAt + ": " + outcome + (held.isEmpty() ? "" : "; holds forever " + held);
    }
}
