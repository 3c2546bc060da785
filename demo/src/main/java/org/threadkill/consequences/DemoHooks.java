package org.threadkill.consequences;

import java.util.ArrayList;
import java.util.List;

import org.threadkill.Hazards;
import org.threadkill.KillMode;
import org.threadkill.NativeWaiter;
import org.threadkill.ThreadKill;
import org.threadkill.run.Deadline;

/**
 * THE place where the library's own view of a cell is printed: the hazards it sees before the kill
 * ({@link ThreadKill#inspect}) and the damage it reports after the probes ({@link ThreadKill#damage}).
 * Every cell calls both, so the matrix keeps them as evidence and {@code scripts/demo} narrates them.
 */
final class DemoHooks {
    private DemoHooks() {}

    /** Just before the kill: what killing the victim now would leave behind, as the library sees it. */
    static void hazardsBefore(Cell cell, Thread victim) {
        Hazards h = ThreadKill.inspect(victim);
        cell.timeline().ev("hazards", String.valueOf(h));
        // The prediction the cell is scored against (VerdictScore): printed in a fixed form.
        if (cell.column().mode != null) {
            org.threadkill.Hazards.Verdict scored = h.verdict(cell.column().mode);
            cell.timeline().ev("verdict", scored.mode() + " effect=" + scored.effect() + " jvmSurvives="
                    + scored.jvmSurvives() + " allowed=" + scored.allowed());
        }
        // The same, one short idea per event, for the narration (scripts/demo).
        List<String> held = new ArrayList<>();
        for (Hazards.HeldLock l : h.held()) {
            held.add((l.kind() == Hazards.HeldLock.Kind.MONITOR ? "monitor " : "lock ") + l.id());
        }
        String extra = cell.scenario().holds();
        if (!extra.isEmpty()) held.add(extra);
        cell.timeline().ev("hazards.holds", held.isEmpty() ? "nothing" : String.join(", ", held));
        List<String> waiters = new ArrayList<>();
        for (Hazards.Waiter w : h.waiters()) waiters.add("'" + w.threadName() + "' (" + w.state() + ")");
        for (NativeWaiter w : h.nativeWaiters()) waiters.add("'" + w.name() + "' (on a native mutex)");
        cell.timeline().ev("hazards.waiters", waiters.isEmpty() ? "nobody yet" : String.join(", ", waiters));
        // A Deadline climbs its ladder: what the library predicts for each step (not scored: not one mode).
        List<KillMode> modes = cell.column() == Column.DEADLINE ? Deadline.DEFAULT_LADDER
                : cell.column().mode == null ? List.of() : List.of(cell.column().mode);
        for (KillMode mode : modes) {
            Hazards.Verdict v = h.verdict(mode);
            cell.timeline().ev("hazards.verdict", mode + " " + v.effect() + (v.jvmSurvives() ? "" : ", JVM DOOMED")
                    + (v.allowed() ? "" : ", refused here") + (v.consequences().isEmpty() ? "" : ": " + v.consequences().get(0)));
        }
    }

    /**
     * After the probes, before main returns: what the library says the kills have damaged. damage()
     * needs a safepoint; where none completes any more it never returns, so it runs on a daemon
     * thread of its own and is given a bounded wait.
     */
    static void damageAfter(Cell cell, Thread victim) throws InterruptedException {
        String[] report = new String[1];
        Thread t = new Thread(() -> report[0] = String.valueOf(ThreadKill.damage()), "damage report");
        t.setDaemon(true);
        t.start();
        t.join(2000);
        cell.timeline().ev("damage", report[0] != null ? report[0] : "ThreadKill.damage() did not return within 2 s");
    }
}
