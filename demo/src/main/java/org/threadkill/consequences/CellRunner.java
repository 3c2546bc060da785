package org.threadkill.consequences;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.threadkill.testing.ChildJvm;

/**
 * Runs one cell in its own child JVM and derives its outcomes from the evidence: the child's
 * findings, its exit status or signal, hs_err files, and whether its output (a heartbeat every
 * 200 ms) stopped.
 */
public final class CellRunner {
    /** Silence this long means that no Java thread of the child makes progress. */
    public static final Duration STALL = Duration.ofMillis(4000);
    public static final Duration HARD_TIMEOUT = Duration.ofSeconds(60);

    private final Path workRoot;
    private final String javaHome;

    public CellRunner(Path workRoot, String javaHome) {
        this.workRoot = workRoot;
        this.javaHome = javaHome;
    }

    /** Where {@link #run} keeps the child's files (stdout.txt, stderr.txt, hs_err) for this cell and repeat. */
    public Path dir(Scenario s, Column c, int repeat) {
        return workRoot.resolve(s.id() + "-" + c.name() + "-" + repeat);
    }

    public CellResult run(Scenario s, Column c, int repeat) throws IOException, InterruptedException {
        Path dir = dir(s, c, repeat);
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        ChildJvm child = new ChildJvm(dir).stallLimit(STALL).startupGrace(Duration.ofSeconds(20));
        if (javaHome != null) child.javaHome(javaHome);
        if (!s.jvmArgs().isEmpty()) child.jvmArgs(s.jvmArgs().toArray(new String[0]));
        ChildJvm.Result r = child.run(CellMain.class, HARD_TIMEOUT, s.id(), c.name());
        return derive(s, c, r, dir);
    }

    static CellResult derive(Scenario s, Column c, ChildJvm.Result r, Path dir) throws IOException {
        Set<Outcome> outcomes = EnumSet.noneOf(Outcome.class);
        List<String> evidence = new ArrayList<>();
        List<CellResult.Event> timeline = new ArrayList<>();
        int jdk = 0;
        String jvm = "?";
        long lastHeartbeat = -1;
        boolean mainReturned = false;
        for (String line : r.stdout()) {
            if (line.startsWith("hb ")) {
                lastHeartbeat = parseLong(line.substring(3));
            } else if (line.startsWith("finding ")) {
                String[] p = line.split(" ", 3);
                outcomes.add(Outcome.valueOf(p[1]));
                evidence.add(p[1] + ": " + (p.length > 2 ? p[2] : ""));
            } else if (line.startsWith("note ")) {
                evidence.add("note: " + line.substring(5));
            } else if (line.startsWith("ev ")) {
                String[] p = line.split(" ", 4);
                CellResult.Event e = new CellResult.Event(parseLong(p[1]), p[2], p.length > 3 ? p[3] : "");
                if (e.key().equals("pid")) continue; // changes every run; the demo narrates it live
                timeline.add(e);
                if (e.key().equals("jvm")) {
                    jvm = e.text();
                    jdk = (int) parseLong(e.text().split(" ", 2)[0]);
                }
                if (e.key().equals("main.returning")) mainReturned = true;
            }
        }
        String last = timeline.isEmpty() ? "(nothing)" : timeline.get(timeline.size() - 1).key() + " "
                + timeline.get(timeline.size() - 1).text();
        String ending;
        String error = null;
        if (r.crashed()) {
            outcomes.add(Outcome.JVM_CRASH);
            Path hs = r.hsErrFiles().get(0);
            String crash = hsErrSummary(hs);
            evidence.add("JVM_CRASH: " + crash + " (hs_err file), during: " + last);
            ending = "crashed (exit " + r.exitCode() + ")";
            timeline.add(new CellResult.Event(lastMs(timeline), "crash", crash));
        } else if (r.timedOut() && outcomes.contains(Outcome.JVM_HANG)) {
            evidence.add("JVM_HANG: then killed with SIGKILL (" + (r.stalled() ? "no output for " + STALL.toMillis() + " ms" : "timed out") + ")");
            ending = "stuck, killed";
            timeline.add(new CellResult.Event(Math.max(lastMs(timeline), lastHeartbeat) + STALL.toMillis(), "hang",
                    "main stuck behind the dead thread; killed after " + STALL.toMillis() + " ms of silence"));
        } else if (r.timedOut()) {
            outcomes.add(Outcome.JVM_HANG);
            String what = r.stalled()
                    ? "no output for " + STALL.toMillis() + " ms (heartbeat last at t=" + lastHeartbeat + " ms"
                      + (mainReturned ? ", stopped when main returned: the JVM never exited" : ", stopped too") + ")"
                    : "still running after " + HARD_TIMEOUT.toSeconds() + " s";
            evidence.add("JVM_HANG: " + what + "; last event: " + last + "; killed with SIGKILL");
            ending = r.stalled() ? "stalled, killed" : "timed out, killed";
            timeline.add(new CellResult.Event(Math.max(lastMs(timeline), lastHeartbeat) + STALL.toMillis(), "hang", what));
        } else if (r.exitCode() > 128) {
            int sig = r.exitCode() - 128;
            outcomes.add(Outcome.PROCESS_DIED);
            evidence.add("PROCESS_DIED: exit status " + r.exitCode() + " = killed by signal " + sig + signalName(sig)
                    + ", no hs_err; last event: " + last);
            ending = "died of signal " + sig + signalName(sig);
            timeline.add(new CellResult.Event(lastMs(timeline), "died", ending));
        } else if (r.exitCode() != 0 || !mainReturned) {
            ending = "exit " + r.exitCode();
            error = "child exited " + r.exitCode() + (mainReturned ? "" : " before main returned") + ": "
                    + tail(r.stderr());
        } else {
            ending = "exit 0";
        }
        if (outcomes.isEmpty() && error == null) {
            outcomes.add(Outcome.CLEAN);
            evidence.add("CLEAN: the victim stopped, every probe finished, the JVM exited normally");
        }
        return new CellResult(s.id(), c, jdk, jvm, outcomes, evidence, timeline, r.elapsed().toMillis(), ending, error,
                dir.toString());
    }

    private static long lastMs(List<CellResult.Event> t) {
        return t.isEmpty() ? 0 : t.get(t.size() - 1).ms();
    }

    /**
     * "SIGSEGV (0xb) in G1MarkAndPushClosure::do_oop(oopDesc**)+0x32, thread GCTaskThread "GC Thread#0"":
     * without addresses and ids, so that the generated docs change only when the crash does.
     */
    static String hsErrSummary(Path hs) throws IOException {
        List<String> lines = Files.readAllLines(hs, java.nio.charset.StandardCharsets.ISO_8859_1);
        String signal = "";
        String frame = "";
        String thread = "";
        for (int i = 0; i < lines.size() && i < 300; i++) {
            String l = lines.get(i);
            if (signal.isEmpty() && l.startsWith("#  ") && (l.contains("SIG") || l.contains("Internal Error") || l.contains("fatal error"))) {
                signal = l.substring(3).trim().replaceAll(" at pc=.*", "");
            }
            if (l.startsWith("# Problematic frame:") && i + 1 < lines.size()) {
                frame = lines.get(i + 1).substring(1).trim().replaceAll("^[VCJj]\\s+\\[[^\\]]*\\]\\s*", "");
            }
            if (thread.isEmpty() && l.startsWith("Current thread")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\):\\s+(\\w+)\\s+(\"[^\"]*\")?").matcher(l);
                thread = m.find() ? (m.group(1) + (m.group(2) != null ? " " + m.group(2) : "")) : "";
            }
        }
        return signal + (frame.isEmpty() ? "" : " in " + frame) + (thread.isEmpty() ? "" : ", thread " + thread);
    }

    private static String signalName(int sig) {
        switch (sig) {
            case 9: return " (SIGKILL)";
            case 6: return " (SIGABRT)";
            case 11: return " (SIGSEGV)";
            case 15: return " (SIGTERM)";
            default: return "";
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String tail(String s) {
        s = s.strip();
        return s.length() > 1500 ? "..." + s.substring(s.length() - 1500) : s;
    }
}
