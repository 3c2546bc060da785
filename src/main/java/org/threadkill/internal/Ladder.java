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

    /**
     * Climbs {@code modes}; a step succeeded when the thread ended, or when the work it was stuck in
     * at the start is no longer on its stack (it went back to its pool, or moved on): then no harsher
     * step is taken. A thread idle in a pool is stuck in nothing and gets no step at all.
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static KillResult climb(Thread t, Duration waitPerStep, List<KillMode> modes, Step step) {
        boolean allowed = Gate.isOpen();
        Hazards before = Targets.isVirtual(t) ? null : Inspector.inspect(t, Lookup.stateOf(t), allowed);
        StackTraceElement[] at = t.getStackTrace();
        StuckWork work = StuckWork.of(at);
        List<KillResult> steps = new ArrayList<>();
        List<KillMode> skipped = new ArrayList<>();
        if (Targets.idleInPool(at)) {
            KillResult idle = new KillResult(t.getName(), t.getId(), -1, modes.get(0), KillOutcome.WORK_ENDED,
                    Duration.ZERO, null, before != null ? before.jvmState() : JvmState.UNKNOWN, List.of(),
                    "no step taken: the thread is idle in its pool, waiting for a task; nothing is stuck", before, null);
            return idle.withEscalation(new Escalation(modes, List.of(), List.of(), before));
        }
        for (KillMode m : modes) {
            if (m.isNative() && !allowed) {
                skipped.add(m);
                continue;
            }
            if (!steps.isEmpty() && work != null && t.isAlive() && work.endedIn(t.getStackTrace())) {
                // The previous step ended the work after its own watch gave up: done, no harsher step.
                KillResult last = steps.remove(steps.size() - 1);
                steps.add(new KillResult(last.threadName(), last.threadId(), last.tid(), last.mode(),
                        KillOutcome.WORK_ENDED, last.latency(), last.handlerLatency(), last.jvmStateBefore(),
                        last.held(), "the stuck call ended (" + work.entry() + " is no longer on its stack); "
                                + "the thread lives on", last.hazards(), null));
                break;
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
