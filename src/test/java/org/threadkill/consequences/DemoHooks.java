package org.threadkill.consequences;

/**
 * THE place where the library's own view of a cell is printed: the hazards it sees before the kill
 * and the damage it reports after the probes. Every cell calls both (so the matrix keeps them as
 * evidence, and {@code scripts/demo} narrates them).
 *
 * <p>WIRE-IN: {@code ThreadKill.inspect(Thread)} and {@code ThreadKill.damage()} are being added in
 * parallel; once they exist, replace the two bodies below, e.g.
 * {@code cell.ev("hazards", String.valueOf(ThreadKill.inspect(victim)))} and
 * {@code cell.ev("damage", String.valueOf(ThreadKill.damage()))}. Nothing else needs to change.
 */
final class DemoHooks {
    private DemoHooks() {}

    /** Just before the kill: what killing the victim now would leave behind, as the library sees it. */
    static void hazardsBefore(Cell cell, Thread victim) {
        // WIRE-IN: ThreadKill.inspect(victim)
    }

    /** After the probes, before main returns: what the library says the kills have damaged. */
    static void damageAfter(Cell cell, Thread victim) {
        // WIRE-IN: ThreadKill.damage()
    }
}
