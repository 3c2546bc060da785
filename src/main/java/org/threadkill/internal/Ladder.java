package org.threadkill.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.threadkill.Escalation;
import org.threadkill.Hazards;
import org.threadkill.JvmState;
import org.threadkill.KillMode;
import org.threadkill.KillOutcome;
import org.threadkill.KillResult;

/** {@code escalate}: the modes of a ladder in order, each a full kill, until one stops the thread. */
public final class Ladder {
    private Ladder() {}

    /** One step: the facade's {@code kill}, so that every step is validated, recorded and evented. */
    @FunctionalInterface
    public interface Step {
        KillResult kill(Thread t, KillMode mode, Duration wait);
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static KillResult climb(Thread t, Duration waitPerStep, List<KillMode> modes, Step step) {
        boolean allowed = Gate.isOpen();
        Hazards before = Targets.isVirtual(t) ? null : Inspector.inspect(t, Lookup.stateOf(t), allowed);
        List<KillResult> steps = new ArrayList<>();
        List<KillMode> skipped = new ArrayList<>();
        for (KillMode m : modes) {
            if (m.isNative() && !allowed) {
                skipped.add(m);
                continue;
            }
            KillResult r = step.kill(t, m, waitPerStep);
            steps.add(r);
            if (r.outcome() != KillOutcome.STILL_RUNNING) break;
        }
        Escalation esc = new Escalation(modes, steps, skipped, before);
        if (steps.isEmpty()) {
            return new KillResult(t.getName(), t.getId(), -1, skipped.get(0), KillOutcome.STILL_RUNNING,
                    Duration.ZERO, null, before != null ? before.jvmState() : JvmState.UNKNOWN, List.of(),
                    "no step taken: every mode of the ladder is native and the JVM does not run with -D"
                            + Gate.PROPERTY + "=true", before, esc);
        }
        return steps.get(steps.size() - 1).withHazards(before).withEscalation(esc);
    }
}
