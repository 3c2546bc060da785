package org.threadkill.consequences;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The baseline column: the same work runs in a worker process, and the host ends it with
 * {@code Process.destroyForcibly()} (SIGKILL). What the work held goes with the process; the host
 * is probed exactly as after a thread kill.
 */
final class ProcessBaseline {
    private ProcessBaseline() {}

    /** The worker: start the scenario's victim, say "ready", and wait to be killed. */
    static void worker(Cell cell, Scenario scenario) throws Exception {
        Thread eof = new Thread(() -> {   // the host is gone (crashed or killed): so is the worker
            try {
                while (System.in.read() >= 0) { /* nothing is ever sent */ }
            } catch (Exception e) {
                // treat as end of input
            }
            Runtime.getRuntime().halt(3);
        }, "host-watch");
        eof.setDaemon(true);
        eof.start();
        Thread victim = scenario.start(cell);
        System.out.println("ready " + victim.getName());
        System.out.flush();
        Thread.sleep(120_000);
        Runtime.getRuntime().halt(4);
    }

    static void host(Cell cell, Scenario scenario) throws Exception {
        List<String> fdsBefore = Proc.openFds();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx64m");
        cmd.add("-XX:-CreateCoredumpOnCrash");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CellMain.class.getName());
        cmd.add(scenario.id());
        cmd.add(Column.PROCESS.name());
        cmd.add("--worker");
        cell.timeline().ev("worker.start", "the same work runs in a worker JVM: " + scenario.title());
        Process worker = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String l; (l = lines.readLine()) != null; ) {
                        if (l.startsWith("ready")) return l;
                    }
                    return null;
                } catch (Exception e) {
                    return null;
                }
            });
            String r = ready.get(20, TimeUnit.SECONDS);
            if (r == null) throw new IllegalStateException("the worker ended before it was ready: exit " + worker.waitFor());
            String holds = scenario.holds();
            cell.timeline().ev("worker.ready", "worker pid " + worker.pid() + " is running the work" + (holds.isEmpty() ? "" : "; it holds " + holds));

            cell.watchdog().watchMain();
            long t0 = System.nanoTime();
            cell.timeline().ev("kill.start", "Process.destroyForcibly() of worker pid " + worker.pid());
            worker.destroyForcibly();
            boolean ended = worker.waitFor(5, TimeUnit.SECONDS);
            long us = (System.nanoTime() - t0) / 1000;
            if (!ended) {
                cell.findings().add(Outcome.NO_EFFECT, "worker pid " + worker.pid() + " still alive 5 s after destroyForcibly()");
                return;
            }
            int exit = worker.exitValue();
            cell.timeline().ev("kill.result", "STOPPED after " + us + " µs: worker exited with status " + exit
                    + (exit == 137 ? " (SIGKILL)" : "") + "; every lock, file and thread of the work went with it");
        } finally {
            worker.destroyForcibly();
            worker.getInputStream().close();
            worker.getOutputStream().close();
            worker.getErrorStream().close();
        }
        cell.probes().inline("gc", "System.gc() in the host", () -> {
            System.gc();
            return "";
        });
        Thread.sleep(100);
        List<String> fdsAfter = Proc.openFds();
        fdsAfter.removeAll(fdsBefore);
        // The host's own class path: JDK 25 opens a jar of it when it first loads a class from it,
        // which can be during the cell (seen: every PROCESS cell of JDK 25 flagged the test kit's
        // jar and slf4j's). Not the worker's: the worker is another process.
        fdsAfter.removeIf(fd -> fd.endsWith(".jar") && System.getProperty("java.class.path", "")
                .contains(fd.substring(fd.indexOf("-> ") + 3)));
        if (fdsAfter.isEmpty()) {
            cell.timeline().ev("probe.fds", "the host has the descriptors it had before the worker started");
        } else {
            cell.findings().add(Outcome.LEAK, "the host kept descriptors opened for the worker: " + fdsAfter);
        }
        cell.probes().common();
    }
}
