package org.threadkill.consequences;

import java.util.ArrayList;
import java.util.List;

/** The outcomes a cell found so far, each printed with the evidence that shows it. */
public final class Findings {
    private final Timeline timeline;
    private final List<Outcome> found = new ArrayList<>();

    Findings(Timeline timeline) {
        this.timeline = timeline;
    }

    /** An outcome and the evidence that shows it. */
    public void add(Outcome o, String evidence) {
        synchronized (found) {
            found.add(o);
        }
        timeline.finding(o, evidence);
    }

    public boolean contains(Outcome o) {
        synchronized (found) {
            return found.contains(o);
        }
    }

    /**
     * A probe stayed blocked on what the victim held: DEADLOCK when the victim was stopped (frozen or
     * gone: it will never let go); when it still runs (NO_EFFECT) the wait is no consequence of a kill.
     */
    public void blockedForGood(String evidence) {
        if (contains(Outcome.NO_EFFECT)) {
            timeline.note("blocked, but only because the victim still runs: " + evidence);
        } else {
            add(Outcome.DEADLOCK, evidence);
        }
    }
}
