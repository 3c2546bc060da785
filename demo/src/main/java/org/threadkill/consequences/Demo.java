package org.threadkill.consequences;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.threadkill.testing.Jdk;

/**
 * One cell, told live for an audience: what the victim holds, the kill and its latency, each probe
 * as it starts and how it ends, and the verdict with its evidence. Main of {@code scripts/demo}.
 *
 * <pre>Demo &lt;scenario&gt; &lt;mode&gt; [--java JAVA_HOME]</pre>
 */
public final class Demo {
    private Demo() {}

    private static boolean colour = System.getenv("NO_COLOR") == null && System.console() != null;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: scripts/demo <scenario> <mode> [--java JAVA_HOME]");
            System.err.print("scenarios:");
            for (Scenario s : Scenarios.all()) System.err.print(" " + s.id());
            System.err.print("\nmodes:");
            for (Column c : Column.values()) System.err.print(" " + c);
            System.err.println();
            System.exit(2);
        }
        Scenario s = Scenarios.byId(args[0]);
        Column c = Column.parse(args[1]);
        String javaHome = args.length > 3 && args[2].equals("--java") ? args[3] : null;
        if (!s.columns().contains(c)) {
            System.err.println("scenario " + s.id() + " has no " + c + " cell; it has " + s.columns());
            System.exit(2);
        }
        int jdk = Jdk.feature(javaHome);
        Path work = Path.of("target", "consequences", "demo").toAbsolutePath();
        say(bold(s.id() + " × " + c + " on JDK " + jdk));
        say("  " + s.title());
        Expectation e = s.expected(c, jdk);
        if (e != null) say("  (the suite has seen: " + e + ")");
        say("");

        CellRunner runner = new CellRunner(work, javaHome);
        CompletableFuture<CellResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run(s, c, 0);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        Path out = work.resolve(s.id() + "-" + c.name() + "-0").resolve("stdout.txt");
        tail(out, run);
        CellResult r = run.get(5, TimeUnit.MINUTES);
        say("");
        boolean told = false;
        for (CellResult.Event ev : r.timeline()) {
            if (ev.key().equals("crash") || ev.key().equals("hang") || ev.key().equals("died")) {
                say(red("t=" + secs(ev.ms()) + " the child JVM " + (ev.key().equals("crash") ? "CRASHED: " : ev.key().equals("hang")
                        ? "HANGS: " : "DIED: ") + ev.text()));
                told = true;
            }
        }
        if (!told && !r.ending().equals("exit 0")) say(red("t=" + secs(lastMs(r)) + " the child JVM " + r.ending()));
        say(bold("verdict: " + Report.join(r.outcomes())) + (r.error() != null ? red(" (harness error: " + r.error() + ")") : ""));
        for (String ev : r.evidence()) say("  - " + ev);
        if (e != null) say(e.matches(r.outcomes()) ? "  as the suite has seen before" : red("  NOT what the suite has seen before: " + e));
        say("  (work directory: " + r.workDir() + ")");
    }

    /** Follows the child's output until it ends; narrates events and a stopped heartbeat. */
    private static void tail(Path out, CompletableFuture<CellResult> run) throws IOException, InterruptedException {
        long pos = 0;
        StringBuilder partial = new StringBuilder();
        long lastHb = -1;
        long lastHbWall = System.nanoTime();
        boolean mainReturned = false;
        boolean toldStall = false;
        boolean hangFound = false;
        long lastEvWall = System.nanoTime();
        String lastEv = "";
        boolean toldWaiting = false;
        while (true) {
            boolean finished = run.isDone();
            if (Files.exists(out)) {
                try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "r")) {
                    if (f.length() > pos) {
                        f.seek(pos);
                        byte[] b = new byte[(int) (f.length() - pos)];
                        f.readFully(b);
                        pos += b.length;
                        partial.append(new String(b, StandardCharsets.UTF_8));
                    }
                }
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    String line = partial.substring(0, nl);
                    partial.delete(0, nl + 1);
                    if (line.startsWith("hb ")) {
                        lastHb = Long.parseLong(line.substring(3).trim());
                        lastHbWall = System.nanoTime();
                        toldStall = false;
                        continue;
                    }
                    if (line.startsWith("ev ")) {
                        String[] p = line.split(" ", 4);
                        if (p[2].equals("main.returning")) mainReturned = true;
                        lastEvWall = System.nanoTime();
                        lastEv = p[2] + (p.length > 3 ? " " + p[3] : "");
                        toldWaiting = false;
                        narrate(Long.parseLong(p[1]), p[2], p.length > 3 ? p[3] : "");
                    } else if (line.startsWith("finding ")) {
                        String[] p = line.split(" ", 3);
                        if (p[1].equals("JVM_HANG")) hangFound = true;
                        say(red("          => " + p[1] + ": " + (p.length > 2 ? p[2] : "")));
                    } else if (line.startsWith("note ")) {
                        say("          note: " + line.substring(5));
                    }
                }
            }
            if (finished) return;
            if (!toldWaiting && !hangFound && !mainReturned && lastHb >= 0 && System.nanoTime() - lastEvWall > 2_000_000_000L
                    && System.nanoTime() - lastHbWall < 500_000_000L) {
                say("t=" + secs(lastHb) + " main is still waiting (" + lastEv.replaceFirst(" start: ", ": ")
                        + "); other threads still run");
                toldWaiting = true;
            }
            if (!toldStall && !hangFound && lastHb >= 0 && !mainReturned && System.nanoTime() - lastHbWall > 1_000_000_000L) {
                say(red("t=" + secs(lastHb + 1000) + " the heartbeat has stopped: no Java thread makes progress any more"));
                toldStall = true;
            }
            if (!toldStall && mainReturned && System.nanoTime() - lastHbWall > 1_500_000_000L) {
                say(red("          main has returned, but the JVM does not exit"));
                toldStall = true;
            }
            Thread.sleep(50);
        }
    }

    private static void narrate(long ms, String key, String text) {
        String t = "t=" + secs(ms) + " ";
        switch (key) {
            case "jvm": say(t + "child JVM " + text.substring(text.indexOf(' ') + 1)); break;
            case "cell": break;
            case "victim.holds": say(t + "victim " + text); break;
            case "kill.start": say(bold(t + "KILL " + text)); break;
            case "kill.result": say(bold(t + "     " + text)); break;
            case "kill.refused": say(red(t + "kill refused: " + text)); break;
            case "victim.after": say(t + "after the kill: " + text); break;
            case "main.returning": say(t + text); break;
            default:
                if (key.startsWith("probe.")) {
                    String name = key.substring(6);
                    if (text.startsWith("start: ")) say(t + "probe " + name + ": " + text.substring(7) + " ...");
                    else say(t + "probe " + name + ": " + (text.startsWith("still blocked") || text.startsWith("threw") ? red(text) : text));
                } else {
                    say(t + key + ": " + text);
                }
        }
    }

    private static long lastMs(CellResult r) {
        return r.timeline().isEmpty() ? 0 : r.timeline().get(r.timeline().size() - 1).ms();
    }

    private static String secs(long ms) {
        return String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
    }

    private static String bold(String s) {
        return colour ? "\u001b[1m" + s + "\u001b[0m" : s;
    }

    private static String red(String s) {
        return colour ? "\u001b[31m" + s + "\u001b[0m" : s;
    }

    private static void say(String s) {
        System.out.println(s);
        System.out.flush();
    }
}
