package org.threadkill;

import java.util.List;

/**
 * How {@link ThreadKill#escalate} got to its result: carried by {@link KillResult#escalation()}.
 *
 * @param ladder     the modes asked for, in order
 * @param steps      every step taken, in order, each with its outcome and latency; the last one is
 *                   the escalation's result
 * @param skipped    native modes of the ladder not tried because the JVM does not run with
 *                   {@code -Dthreadkill.allowNativeKill=true}
 * @param hazards    the snapshot taken before the first step (null for a virtual thread)
 */
public record Escalation(List<KillMode> ladder, List<KillResult> steps, List<KillMode> skipped, Hazards hazards) {
    /**
     * Makes the lists unmodifiable copies.
     *
     * @param ladder  the modes asked for, in order
     * @param steps   every step taken, in order, each with its outcome and latency; the last one is the
     *                escalation's result
     * @param skipped native modes of the ladder not tried because the JVM does not run with {@code
     *                -Dthreadkill.allowNativeKill=true}
     * @param hazards the snapshot taken before the first step (null for a virtual thread)
     */
    public Escalation {
        ladder = List.copyOf(ladder);
        steps = List.copyOf(steps);
        skipped = List.copyOf(skipped);
    }

    /**
     * @return the mode that stopped the thread or ended its stuck work, or null when none did
     */
    public KillMode stoppedBy() {
        if (steps.isEmpty()) return null;
        KillResult last = steps.get(steps.size() - 1);
        return last.outcome() == KillOutcome.STOPPED || last.outcome() == KillOutcome.WORK_ENDED ? last.mode() : null;
    }

    /**
     * @return true when native steps were left out for want of the opt-in property
     */
    public boolean endedAtLastSafeStep() {
        return !skipped.isEmpty();
    }

    /**
     * @return one line: each step with its outcome and latency
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (KillResult r : steps) {
            if (sb.length() > 0) sb.append(" -> ");
            sb.append(r.mode()).append(' ').append(r.outcome())
              .append(" (").append(HumanTime.of(r.latency())).append(')');
        }
        if (steps.isEmpty()) sb.append("no step taken");
        if (!skipped.isEmpty()) {
            sb.append("; skipped ").append(skipped).append(": the JVM does not run with -D")
              .append(ThreadKill.ALLOW_NATIVE_KILL).append("=true, so the ladder ended at its last safe step");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "escalation " + ladder + ": " + summary();
    }
}
