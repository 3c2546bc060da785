package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.KillResult;
import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Waits;
import org.threadkill.consequences.Probes;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;
import org.threadkill.testing.Victims;

/**
 * 8. The victim prints through C stdio ({@code fprintf}, line-buffered) in a loop; after the kill
 * another thread prints to the same stream, waiting at most 1.5 s for its lock.
 */
@Scenarios.Order(9)
public final class Stdio extends Scenario {
    private static final int SLOT = 8;
    private long file;

    public Stdio() {
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(NO_EFFECT));
        // The victim holds the FILE's lock only while inside fprintf: a freeze between two calls leaves
        // it free. Seen: LEAK alone in 1 of 20 runs on JDK 17 and once in a CI run on JDK 25.
        expect(NATIVE_FREEZE, varies(set(DEADLOCK, LEAK), set(LEAK)));
        expect(NATIVE_EXIT, certain(LEAK, JVM_CRASH));     // the unwinding unlocks the FILE
        expect(NATIVE_CANCEL, certain(LEAK, JVM_CRASH));
        // Deadline: frozen after the two Java steps, outside fprintf, the FILE's lock free (LEAK), or the freeze
        // refused inside the C library for its 250 ms grace (NO_EFFECT): 17: LEAK 10 of 14 runs; 25: 12 of 14
        expect(DEADLINE, varies(set(LEAK), set(NO_EFFECT)));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "prints through C stdio (fprintf) in a loop; another thread then prints to the same FILE";
    }

    @Override
    public Runnable work(Cell cell) {
        file = Victims.stdioOpen();
        return () -> Victims.stdioLoop(file, SLOT);
    }

    @Override
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
        Waits.until(() -> Victims.counter(SLOT) > 10_000, 5000);
    }

    @Override
    public String holds() {
        return "the FILE's lock whenever it is inside fprintf (most of the time)";
    }

    @Override
    public long progress() {
        return Victims.counter(SLOT);
    }

    @Override
    public void probe(Cell cell, Thread victim, KillResult kill) throws Exception {
        Probes.Result p = cell.probes().bounded("printer", "another thread prints a line to the same FILE",
                Probes.WAIT_MS + 1000, () -> Victims.stdioPrintTimed(file, (int) Probes.WAIT_MS) == 0
                        ? "printed" : "the FILE's lock stayed held");
        if (!p.finished()) {
            cell.findings().blockedForGood("printing did not return: " + cell.victim().describe(p.thread()));
        } else if (!"printed".equals(p.text())) {
            cell.findings().blockedForGood("the FILE's lock stayed held for " + Probes.WAIT_MS + " ms by "
                    + cell.victim().now() + ": every later fprintf to it blocks for good");
        }
    }
}
