package org.threadkill;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link ThreadKill#kill} did and observed.
 *
 * @param threadName     the victim's name when the kill started
 * @param threadId       the victim's Java thread id
 * @param tid            the kernel tid signalled, or -1 when no signal was sent
 * @param mode           the mode applied
 * @param outcome        what was observed within the wait
 * @param latency        from the call to the observation of {@link KillOutcome#STOPPED}; the whole
 *                       wait otherwise
 * @param handlerLatency native modes: from the call to the signal handler's first instruction on the
 *                       victim; {@code null} when no handler ran
 * @param jvmStateBefore HotSpot's view of the victim just before the kill
 * @param held           monitors and locks the victim held (native modes: never released)
 * @param detail         a sentence on what happened, for logs and humans
 * @param hazards        the {@link ThreadKill#inspect} snapshot taken just before the kill (for
 *                       {@link ThreadKill#escalate}: before the first step); null when none was
 *                       taken (virtual thread, already terminated)
 * @param escalation     {@link ThreadKill#escalate} only: every step taken; null for {@link ThreadKill#kill}
 */
public record KillResult(String threadName, long threadId, long tid, KillMode mode, KillOutcome outcome,
                         Duration latency, Duration handlerLatency, JvmState jvmStateBefore,
                         List<String> held, String detail, Hazards hazards, Escalation escalation) {

    /**
     * Validates the components and makes {@code held} an unmodifiable copy.
     *
     * @param threadName     the victim's name when the kill started
     * @param threadId       the victim's Java thread id
     * @param tid            the kernel tid signalled, or -1 when no signal was sent
     * @param mode           the mode applied
     * @param outcome        what was observed within the wait
     * @param latency        from the call to the observation of {@link KillOutcome#STOPPED}; the whole wait
     *                       otherwise
     * @param handlerLatency native modes: from the call to the signal handler's first instruction on the
     *                       victim; {@code null} when no handler ran
     * @param jvmStateBefore HotSpot's view of the victim just before the kill
     * @param held           monitors and locks the victim held (native modes: never released)
     * @param detail         a sentence on what happened, for logs and humans
     * @param hazards        the {@link ThreadKill#inspect} snapshot taken just before the kill (for {@link
     *                       ThreadKill#escalate}: before the first step); null when none was taken (virtual
     *                       thread, already terminated)
     * @param escalation     {@link ThreadKill#escalate} only: every step taken; null for {@link
     *                       ThreadKill#kill}
     */
    public KillResult {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(latency, "latency");
        held = List.copyOf(held);
    }

    /**
     * A result without hazards snapshot or escalation.
     *
     * @param threadName     the victim's name
     * @param threadId       its Java thread id
     * @param tid            the kernel thread id signalled; -1 when no signal was sent
     * @param mode           the mode applied
     * @param outcome        what was observed
     * @param latency        from the call to the observed stop; the whole wait when it did not stop
     * @param handlerLatency native modes: until the signal handler ran on the victim; null when none ran
     * @param jvmStateBefore HotSpot's view of the thread just before the kill
     * @param held           what it held ({@code monitor class@hash}, {@code lock class@hash})
     * @param detail         one sentence on what happened
     */
    public KillResult(String threadName, long threadId, long tid, KillMode mode, KillOutcome outcome,
                      Duration latency, Duration handlerLatency, JvmState jvmStateBefore,
                      List<String> held, String detail) {
        this(threadName, threadId, tid, mode, outcome, latency, handlerLatency, jvmStateBefore, held, detail,
                null, null);
    }

    /**
     * @param h the hazards snapshot taken before the kill
     * @return this result with {@code h} as its hazards snapshot
     */
    public KillResult withHazards(Hazards h) {
        return new KillResult(threadName, threadId, tid, mode, outcome, latency, handlerLatency, jvmStateBefore,
                held, detail, h, escalation);
    }

    /**
     * @param e the escalation this result ends
     * @return this result as the end of {@code e}
     */
    public KillResult withEscalation(Escalation e) {
        return new KillResult(threadName, threadId, tid, mode, outcome, latency, handlerLatency, jvmStateBefore,
                held, detail, hazards, e);
    }

    /**
     * @return true when the thread was seen to stop (ended, or frozen for good)
     */
    public boolean stopped() {
        return outcome == KillOutcome.STOPPED;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(mode).append(" '").append(threadName).append("' (id ").append(threadId);
        if (tid > 0) sb.append(", tid ").append(tid);
        sb.append(", was ").append(jvmStateBefore).append("): ").append(outcome)
          .append(" after ").append(HumanTime.of(latency));
        if (handlerLatency != null) sb.append(" (handler entered at ").append(HumanTime.of(handlerLatency)).append(')');
        if (!held.isEmpty()) sb.append("; held ").append(held);
        if (detail != null && !detail.isEmpty()) sb.append("; ").append(detail);
        if (escalation != null) sb.append("; ").append(escalation);
        return sb.toString();
    }
}
