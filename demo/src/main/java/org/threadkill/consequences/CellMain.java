package org.threadkill.consequences;

import org.threadkill.KillResult;
import org.threadkill.ThreadKill;

/**
 * Child-JVM program for one cell. Arguments: scenario id, column, and {@code --worker} for the
 * process that runs the work of the {@link Column#PROCESS} baseline.
 */
public final class CellMain {
    private CellMain() {}

    public static void main(String[] args) throws Exception {
        Scenario scenario = Scenarios.byId(args[0]);
        Column column = Column.parse(args[1]);
        Cell cell = new Cell(scenario, column);
        if (args.length > 2 && args[2].equals("--worker")) {
            ProcessBaseline.worker(cell, scenario);
            return;
        }
        cell.timeline().ev("pid", String.valueOf(ProcessHandle.current().pid()));
        cell.timeline().ev("jvm", Runtime.version().feature() + " " + System.getProperty("java.vm.name") + " " + Runtime.version());
        cell.timeline().ev("cell", scenario.id() + " x " + column + ": " + scenario.title());
        cell.watchdog().startHeartbeat();
        cell.probes().startThreads();
        // Load the library and read this thread's id once, so that nothing lazy happens after the kill.
        if (!ThreadKill.isAvailable()) throw new IllegalStateException("threadkill unavailable", ThreadKill.unavailabilityCause());
        ThreadKill.nativeId(Thread.currentThread());

        if (column == Column.PROCESS) {
            ProcessBaseline.host(cell, scenario);
            cell.watchdog().mainReturning();
            return;
        }

        DeadlineRun deadline = column == Column.DEADLINE ? new DeadlineRun(cell, scenario) : null;
        Thread victim = deadline != null ? deadline.start() : scenario.start(cell);
        cell.watchdog().watchMain();
        cell.victim().record(victim);
        DemoHooks.hazardsBefore(cell, victim);
        KillResult r;
        if (deadline != null) {
            r = deadline.awaitCaller();
            cell.victim().observeWork(r, deadline::workEnded);
            deadline.checkAnswer();
        } else {
            r = scenario.kill(cell, victim, column);
            cell.victim().observe(r);
        }
        scenario.probe(cell, victim, r);
        if (scenario.commonProbes()) cell.probes().common();
        DemoHooks.damageAfter(cell, victim);
        cell.watchdog().mainReturning();
    }
}
