package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Outcome.*;

import java.util.EnumSet;
import java.util.Set;

import org.threadkill.KillResult;
import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Column;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;
import org.threadkill.testing.Victims;

/**
 * 12. {@code pthread_kill(t, SIGKILL)} (here {@code tgkill}): the signal is aimed at one thread,
 * but SIGKILL's disposition is the process's, so the whole process dies. Never a kill mode.
 */
@Scenarios.Order(14)
public final class Sigkill extends Scenario {
    public Sigkill() {
        expect(SIGKILL_THREAD, certain(PROCESS_DIED));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "a native spinner is sent SIGKILL with tgkill(pid, tid): the classic misunderstanding";
    }

    /** Its own kill and the baseline only (no {@link Column#DEADLINE}: a Deadline never sends SIGKILL). */
    @Override
    public Set<Column> columns() {
        return EnumSet.of(Column.SIGKILL_THREAD, Column.PROCESS);
    }

    @Override
    public Thread start(Cell cell) throws Exception {
        return org.threadkill.testing.VictimKind.NATIVE_SPIN.start("victim");
    }

    @Override
    public long progress() {
        return org.threadkill.testing.VictimKind.NATIVE_SPIN.progress();
    }

    @Override
    public KillResult kill(Cell cell, Thread victim, Column column) {
        cell.timeline().ev("kill.start", "tgkill(" + ProcessHandle.current().pid() + ", " + cell.victim().tid() + ", SIGKILL): aimed at 'victim' only");
        int rc = Victims.signalThread(cell.victim().tid(), 9);
        cell.timeline().ev("kill.result", "tgkill returned " + rc + "; this line should never be printed");
        return null;
    }
}
