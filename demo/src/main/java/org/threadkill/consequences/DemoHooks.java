package org.threadkill.consequences;

import org.threadkill.ThreadKill;

/**
 * THE place where the library's own view of a cell is printed: the hazards it sees before the kill
 * ({@link ThreadKill#inspect}) and the damage it reports after the probes ({@link ThreadKill#damage}).
 * Every cell calls both, so the matrix keeps them as evidence and {@code scripts/demo} narrates them.
 */
final class DemoHooks {
    private DemoHooks() {}

    /** Just before the kill: what killing the victim now would leave behind, as the library sees it. */
    static void hazardsBefore(Cell cell, Thread victim) {
        org.threadkill.Hazards h = ThreadKill.inspect(victim);
        cell.timeline().ev("hazards", String.valueOf(h));
        // The prediction the cell is scored against (VerdictScore): printed in a fixed form.
        if (cell.column().mode != null) {
            org.threadkill.Hazards.Verdict v = h.verdict(cell.column().mode);
            cell.timeline().ev("verdict", v.mode() + " effect=" + v.effect() + " jvmSurvives=" + v.jvmSurvives()
                    + " allowed=" + v.allowed());
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
