package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Outcome.*;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.threadkill.KillResult;
import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Column;
import org.threadkill.consequences.Probes;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;

/**
 * 11. A sleeping victim is killed; then, one by one and each bounded: its {@code getStackTrace()},
 * {@code Thread.getAllStackTraces()}, a {@code jcmd <pid> Thread.print} from outside, its
 * {@code interrupt()}, a new thread, GC. Which of them survive.
 */
@Scenarios.Order(12)
public final class AfterKill extends Scenario {
    public AfterKill() {
        expect(INTERRUPT, certain(CLEAN));
        expect(ASYNC_EXCEPTION, certain(CLEAN));
        expect(NATIVE_FREEZE, certain(LEAK));
        expect(NATIVE_EXIT, certain(LEAK, JVM_CRASH));     // jcmd's Attach Listener takes the dead stack
        expect(NATIVE_CANCEL, certain(LEAK, JVM_CRASH));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "a sleeping victim; then getStackTrace(), getAllStackTraces(), jcmd Thread.print, interrupt(), a new thread, GC";
    }

    /** No {@link Column#DEADLINE} cell: what it probes is the victim thread after a kill (its stack, jcmd, interrupt()):
     * a Deadline's runner outlives a task it stopped, so there is no killed thread to probe. */
    @Override
    public Set<Column> columns() {
        return withoutDeadline();
    }

    @Override
    public Thread start(Cell cell) throws Exception {
        return startSleeper(true);
    }

    @Override
    public void probe(Cell cell, Thread victim, KillResult kill) throws Exception {
        blocked(cell, cell.probes().bounded("stack", "victim.getStackTrace()", Probes.WAIT_MS, () -> {
            StackTraceElement[] s = victim.getStackTrace();
            return s.length + " frames" + (s.length > 0 ? ", top " + s[0] : "");
        }));
        blocked(cell, cell.probes().bounded("allstacks", "Thread.getAllStackTraces()", Probes.WAIT_MS, () -> {
            Map<Thread, StackTraceElement[]> all = Thread.getAllStackTraces();
            StackTraceElement[] s = all.get(victim);
            return all.size() + " threads; victim " + (s == null ? "not listed" : "listed with " + s.length + " frames");
        }));
        blocked(cell, cell.probes().bounded("jcmd", "jcmd <pid> Thread.print from another process", 12_000, () -> {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    "-J-Dsun.tools.attach.attachTimeout=6000", Long.toString(ProcessHandle.current().pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                if (!p.waitFor(10, TimeUnit.SECONDS)) return "jcmd did not end";
                String out = buf.toString(StandardCharsets.UTF_8);
                String victimLine = "";
                for (String l : out.split("\n")) {
                    if (l.startsWith("\"victim\"")) victimLine = l.replaceAll(" +", " ");
                }
                return "exit " + p.exitValue() + ", " + out.split("\n").length + " lines; "
                        + (victimLine.isEmpty() ? "victim not listed" : "victim listed: " + victimLine);
            } finally {
                p.destroyForcibly();
            }
        }));
        blocked(cell, cell.probes().bounded("interrupt", "victim.interrupt()", Probes.WAIT_MS, () -> {
            victim.interrupt();
            return "returned";
        }));
    }

    private static void blocked(Cell cell, Probes.Result p) {
        if (!p.finished()) {
            cell.findings().blockedForGood(p.name() + " never returned: " + cell.victim().describe(p.thread())
                    + "; the victim is " + cell.victim().now());
        }
    }
}
