package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Outcome.*;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.threadkill.KillResult;
import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Proc;
import org.threadkill.consequences.Waits;
import org.threadkill.consequences.Outcome;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;

/**
 * 6. The victim has a file open in try-with-resources while it sleeps; the descriptors that point
 * at the file are counted before, after the kill, and after GC.
 */
@Scenarios.Order(6)
public final class OpenFile extends Scenario {
    private volatile boolean open;
    private Path file;

    public OpenFile() {
        expect(INTERRUPT, certain(CLEAN));
        expect(ASYNC_EXCEPTION, certain(CLEAN));
        expect(NATIVE_FREEZE, certain(LEAK));
        expect(NATIVE_EXIT, certain(LEAK, JVM_CRASH));
        expect(NATIVE_CANCEL, certain(LEAK, JVM_CRASH));
        // Deadline: INTERRUPT ends the sleep; try-with-resources closes the file (8 of 8 on 17 and 25)
        expect(DEADLINE, certain(CLEAN));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "has a file open in try-with-resources while sleeping; its descriptors are counted after the kill and after GC";
    }

    @Override
    public Runnable work(Cell cell) throws Exception {
        file = Files.createTempFile("threadkill-open-file", ".txt").toAbsolutePath();
        file.toFile().deleteOnExit();
        cell.timeline().ev("fds.before", fdsOnFile().size() + " descriptors on " + file.getFileName() + " (" + Proc.openFds().size() + " open in all)");
        return () -> {
            try (FileInputStream in = new FileInputStream(file.toFile())) {
                open = true;
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // asked to stop: try-with-resources closes the file
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                open = false;
            }
        };
    }

    @Override
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
        Waits.until(() -> open && t.getState() == Thread.State.TIMED_WAITING, 5000);
    }

    @Override
    public String holds() {
        return "an open file (" + fdsOnFile() + ")";
    }

    private List<String> fdsOnFile() {
        return Proc.openFds().stream().filter(s -> s.endsWith(" -> " + file)).collect(Collectors.toList());
    }

    @Override
    public void probe(Cell cell, Thread victim, KillResult kill) throws Exception {
        cell.timeline().ev("fds.after-kill", fdsOnFile().size() + " descriptors on the file");
        cell.probes().inline("gc", "System.gc(), then 200 ms for cleaners", () -> {
            System.gc();
            Thread.sleep(200);
            return "";
        });
        List<String> left = fdsOnFile();
        cell.timeline().ev("fds.after-gc", left.size() + " descriptors on the file " + left);
        if (!left.isEmpty()) {
            cell.findings().add(Outcome.LEAK, "descriptor " + left + " is still open after the kill and a GC ("
                    + cell.victim().now() + ")");
        }
    }
}
