package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Outcome.*;

import java.util.concurrent.atomic.AtomicReference;

import org.threadkill.KillResult;
import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Waits;
import org.threadkill.consequences.Probes;
import org.threadkill.consequences.Outcome;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;

/**
 * 14. The victim runs a static initializer (it sleeps in {@code <clinit>}); a waiter thread is
 * already waiting to use the class. After the kill: does the waiter get the class, an error, or
 * nothing; and can the class be used afterwards?
 */
@Scenarios.Order(16)
public final class ClassInit extends Scenario {
    /** Initialized by the victim; an interrupt ends the slow part and the class is usable. */
    static final class Slow {
        static final int VALUE;

        static {
            INITIALIZING = true;
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            VALUE = 42;
        }

        static int value() {
            return VALUE;
        }
    }

    static volatile boolean INITIALIZING;
    private final AtomicReference<String> waiterResult = new AtomicReference<>();
    private Thread waiter;

    public ClassInit() {
        expect(INTERRUPT, certain(CLEAN));
        expect(ASYNC_EXCEPTION, certain(CORRUPTION));      // the class is erroneous for good
        expect(NATIVE_FREEZE, certain(DEADLOCK, LEAK));
        expect(NATIVE_EXIT, certain(DEADLOCK, LEAK, JVM_CRASH));
        expect(NATIVE_CANCEL, certain(DEADLOCK, LEAK, JVM_CRASH));
        // Deadline: INTERRUPT ends the sleep inside <clinit>: the class initializes, the waiter gets it (8 of 8 on 17 and 25)
        expect(DEADLINE, certain(CLEAN));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "runs a class's static initializer (sleeping in it) while another thread waits to use the class";
    }

    @Override
    public Runnable work(Cell cell) {
        return () -> Slow.value();
    }

    @Override
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
        Waits.until(() -> INITIALIZING && t.getState() == Thread.State.TIMED_WAITING, 5000);
        waiter = new Thread(() -> waiterResult.set(use()), "waiter");
        waiter.setDaemon(true);
        waiter.start();
        Thread.sleep(100);
        cell.timeline().ev("waiter", "waits for the class: " + cell.victim().describe(waiter));
    }

    private static String use() {
        try {
            return "got VALUE=" + Slow.value();
        } catch (Throwable e) {
            return "error " + e;
        }
    }

    @Override
    public String holds() {
        return "the initialization of class Slow (its <clinit> is running)";
    }

    @Override
    public void probe(Cell cell, Thread victim, KillResult kill) throws Exception {
        cell.timeline().ev("probe.waiter", "start: the waiter, already waiting for the class, gets 1.5 s more");
        waiter.join(Probes.WAIT_MS);
        String r = waiterResult.get();
        if (r == null) {
            cell.timeline().ev("probe.waiter", "still waiting: " + cell.victim().describe(waiter));
            cell.findings().blockedForGood("the waiter still waits for class Slow to be initialized by "
                    + cell.victim().now() + ": " + cell.victim().describe(waiter));
            return;
        }
        cell.timeline().ev("probe.waiter", r);
        Probes.Result later = cell.probes().bounded("later-use", "another thread uses class Slow", Probes.WAIT_MS, ClassInit::use);
        if (r.startsWith("error") || (later.ok() && later.text().startsWith("error"))) {
            cell.findings().add(Outcome.CORRUPTION, "class Slow is unusable for the life of the JVM: waiter got "
                    + r.substring(6) + (later.ok() ? "; a later use got " + later.text() : ""));
        }
    }
}
