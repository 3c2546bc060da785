package org.threadkill.consequences;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.threadkill.testing.Jdk;

/**
 * One cell, told live for an audience on an 80-column screen: the child JVM (its pid and JDK), what
 * the victim holds, what the library predicts for the mode used, the kill and its latency, each
 * probe as it starts and how it ends, the verdict with its evidence, and a one-line punch line.
 *
 * <p>Every run gets a directory of its own (pid of this JVM, a counter and the time), and only that
 * run's files are read: a re-run never narrates the previous child. Children still alive when this
 * JVM ends (Ctrl-C, a failure) are destroyed by a shutdown hook.
 *
 * <pre>Demo &lt;scenario&gt; &lt;mode&gt; [--java JAVA_HOME] [--no-color]</pre>
 */
public final class Demo {
    /** Narration width: every line the demo prints fits this many columns. */
    public static final int WIDTH = 80;
    private static final int INDENT = 9;
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final String STAMP = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    private static volatile boolean reaperInstalled;

    private final boolean colour;
    private final PrintStream out;
    private final Path root;
    /** The victim's Java state before the kill, as the audience saw it ("asleep", "running"...). */
    private String victimState = "";
    private String childPid = "?";

    public Demo(boolean colour, Path root) {
        this.colour = colour;
        this.out = System.out;
        this.root = root;
    }

    /** Colour only on a terminal, and never when NO_COLOR is set or --no-color was given. */
    public static boolean colourWanted(List<String> args) {
        return !args.contains("--no-color") && System.getenv("NO_COLOR") == null && System.console() != null;
    }

    /** Where runs keep their files: {@code -Dthreadkill.demo.dir}, else target/consequences/demo. */
    public static Path defaultRoot() {
        String d = System.getProperty("threadkill.demo.dir");
        return (d != null ? Path.of(d) : Path.of("target", "consequences", "demo")).toAbsolutePath();
    }

    /** Destroys every child (and grandchild) JVM still alive when this one ends: Ctrl-C, failure, exit. */
    public static synchronized void reapChildrenOnExit() {
        if (reaperInstalled) return;
        reaperInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(Demo::reapChildren, "reap child JVMs"));
    }

    /** Destroys every live descendant of this JVM. */
    public static void reapChildren() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        boolean colour = colourWanted(a);
        a.remove("--no-color");
        String javaHome = null;
        int j = a.indexOf("--java");
        if (j >= 0) {
            if (j + 1 >= a.size()) {
                System.err.println("--java needs a JAVA_HOME");
                System.exit(2);
            }
            javaHome = a.get(j + 1);
            a.remove(j + 1);
            a.remove(j);
        }
        if (a.size() != 2) {
            System.err.println("usage: <scenario> <mode> [--java JAVA_HOME] [--no-color]");
            listCells(System.err);
            System.exit(2);
        }
        Scenario s = findScenario(a.get(0));
        Column c = findColumn(a.get(1));
        if (s == null || c == null || !s.columns().contains(c)) {
            System.err.println(s == null ? "no scenario '" + a.get(0) + "'"
                    : c == null ? "no mode '" + a.get(1) + "'"
                    : "scenario " + s.id() + " has no " + c + " cell");
            listCells(System.err);
            System.exit(2);
        }
        reapChildrenOnExit();
        try {
            new Demo(colour, defaultRoot()).narrate(s, c, javaHome);
        } finally {
            reapChildren();
        }
    }

    /** The cells, one scenario per line: its id, its modes, its one-line title. */
    public static void listCells(PrintStream p) {
        p.println("run one cell:  java -jar threadkill-demo.jar <scenario> <mode>");
        p.println("the tour:      java -jar threadkill-demo.jar tour [--pause N | --no-wait]");
        p.println("options:       --no-color, --java JAVA_HOME (the JDK the child runs on)");
        p.println("the cells (scenario, what it does, its modes):");
        for (Scenario s : Scenarios.all()) {
            p.println("  " + s.id());
            for (String l : wrap(s.title(), WIDTH - 6)) p.println("      " + l);
            List<String> ml = wrap("modes: " + String.join(" ", s.columns().stream().map(Column::name).toList()), WIDTH - 6);
            for (int i = 0; i < ml.size(); i++) p.println((i == 0 ? "      " : "             ") + ml.get(i));
        }
    }

    /** The scenario with this id, or null. */
    public static Scenario findScenario(String id) {
        for (Scenario s : Scenarios.all()) {
            if (s.id().equalsIgnoreCase(id)) return s;
        }
        return null;
    }

    /** The column with this name (any case, - or _), or null. */
    public static Column findColumn(String name) {
        try {
            return Column.parse(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Runs one cell in a fresh child JVM and narrates it; returns what the parent derived. */
    public CellResult narrate(Scenario s, Column c, String javaHome) throws Exception {
        int jdk = Jdk.feature(javaHome);
        Path work = root.resolve(STAMP + "-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
        Files.createDirectories(work);
        victimState = "";
        childPid = "?";
        say(bold(s.id() + " x " + Report.head(c) + " (" + c + "), JDK " + jdk));
        for (String l : wrap(s.title(), WIDTH - 2)) say("  " + l);
        Expectation e = s.expected(c, jdk);
        if (e != null) say("  seen before: " + e);
        say("");

        CellRunner runner = new CellRunner(work, javaHome);
        CompletableFuture<CellResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run(s, c, 0);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        try {
            tail(runner.dir(s, c, 0).resolve("stdout.txt"), run);
        } catch (RuntimeException | IOException ex) {
            run.cancel(true);
            throw ex;
        }
        CellResult r = run.get(5, TimeUnit.MINUTES);
        say("");
        boolean told = false;
        for (CellResult.Event ev : r.timeline()) {
            if (ev.key().equals("crash") || ev.key().equals("hang") || ev.key().equals("died")) {
                String what = ev.key().equals("crash") ? "the child JVM CRASHED" : ev.key().equals("hang")
                        ? "the child JVM HANGS" : "the child JVM DIED";
                line(secs(ev.ms()), red(bold(what)));
                for (String l : wrap(ev.text(), WIDTH - INDENT)) say(" ".repeat(INDENT) + red(l));
                told = true;
            }
        }
        if (!told && !r.ending().equals("exit 0")) line(secs(lastMs(r)), red("the child JVM " + r.ending()));
        if (!told && r.ending().equals("exit 0")) line(secs(lastMs(r)), "the child JVM exited normally");
        String verdict = r.outcomes().isEmpty() ? "ERROR" : Report.join(r.outcomes());
        say(paint(r.outcomes(), bold("verdict: " + verdict)));
        for (String ev : r.evidence()) bullet(humane(ev));
        if (r.error() != null) bullet(red("harness error: " + r.error()));
        if (e != null) {
            say(e.matches(r.outcomes()) ? "  as the suite has seen before" : red("  NOT what the suite has seen: " + e));
        }
        say(paint(r.outcomes(), bold(">> " + punchLine(c, r.outcomes()))));
        say(dim("   child pid " + childPid + ", its files:"));
        for (String l : wrap(shorten(r.workDir()), WIDTH - 3)) say(dim("   " + l));
        return r;
    }

    /** One sentence an audience remembers, from the worst outcome. */
    public static String punchLine(Column c, Set<Outcome> o) {
        Outcome w = Report.worst(o);
        if (w == null) return "The harness failed: no verdict for this run.";
        switch (w) {
            case CLEAN:
                return c == Column.PROCESS ? "A process is what the OS can kill: nothing left behind."
                        : c == Column.DEADLINE ? "Safe: the work stopped in time and nothing was left behind."
                        : "Safe: the thread stopped and nothing was left behind.";
            case NO_EFFECT:
                return c == Column.DEADLINE ? "The caller got its answer in time; the work kept running."
                        : "Nothing happened: the thread kept running.";
            case LEAK: return "It stopped, but it left something behind for good.";
            case DEADLOCK: return "It stopped; the next thread that needs its lock waits forever.";
            case CORRUPTION: return "It stopped halfway: other threads see broken state.";
            case JVM_HANG: return "One thread killed, the whole JVM stopped.";
            case JVM_CRASH: return "One thread killed, the whole JVM crashed.";
            case PROCESS_DIED: return "One thread killed, the whole process died.";
            default: return w.name();
        }
    }

    /** Follows the child's output until it ends; narrates events and a stopped heartbeat. */
    private void tail(Path file, CompletableFuture<CellResult> run) throws IOException, InterruptedException {
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
            if (Files.exists(file)) {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
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
                    String ln = partial.substring(0, nl);
                    partial.delete(0, nl + 1);
                    if (ln.startsWith("hb ")) {
                        try {
                            lastHb = Long.parseLong(ln.substring(3).trim());
                        } catch (NumberFormatException ignored) {
                            continue;
                        }
                        lastHbWall = System.nanoTime();
                        toldStall = false;
                        continue;
                    }
                    if (ln.startsWith("ev ")) {
                        String[] p = ln.split(" ", 4);
                        if (p.length < 3) continue;
                        if (p[2].equals("main.returning")) mainReturned = true;
                        lastEvWall = System.nanoTime();
                        lastEv = p[2] + (p.length > 3 ? " " + p[3] : "");
                        toldWaiting = false;
                        long ms;
                        try {
                            ms = Long.parseLong(p[1]);
                        } catch (NumberFormatException ignored) {
                            continue;
                        }
                        event(ms, p[2], p.length > 3 ? p[3] : "");
                    } else if (ln.startsWith("finding ")) {
                        String[] p = ln.split(" ", 3);
                        if (p[1].equals("JVM_HANG")) hangFound = true;
                        Set<Outcome> o = Set.of(parseOutcome(p[1]));
                        say(paint(o, "      => " + p[1]));
                        if (p.length > 2) for (String l : wrap(humane(p[2]), WIDTH - INDENT)) say(" ".repeat(INDENT) + paint(o, l));
                    } else if (ln.startsWith("note ")) {
                        block("", "note: " + humane(ln.substring(5)));
                    }
                }
            }
            if (finished) return;
            if (!toldWaiting && !hangFound && !mainReturned && lastHb >= 0 && System.nanoTime() - lastEvWall > 2_000_000_000L
                    && System.nanoTime() - lastHbWall < 500_000_000L) {
                block(secs(lastHb), "main is still waiting (" + lastEv.replaceFirst(" start: ", ": ") + ");"
                        + " other threads still run");
                toldWaiting = true;
            }
            if (!toldStall && !hangFound && lastHb >= 0 && !mainReturned && System.nanoTime() - lastHbWall > 1_000_000_000L) {
                line(secs(lastHb + 1000), red("the heartbeat has stopped:"));
                say(" ".repeat(INDENT) + red("no Java thread makes progress any more"));
                toldStall = true;
            }
            if (!toldStall && mainReturned && System.nanoTime() - lastHbWall > 1_500_000_000L) {
                say(" ".repeat(INDENT) + red("main has returned, but the JVM does not exit"));
                toldStall = true;
            }
            Thread.sleep(50);
        }
    }

    private static Outcome parseOutcome(String s) {
        try {
            return Outcome.valueOf(s);
        } catch (IllegalArgumentException e) {
            return Outcome.NO_EFFECT;
        }
    }

    private static final Pattern HOLDS = Pattern.compile(
            "^'([^']*)' \\(tid (\\d+), (daemon|non-daemon)\\) (?:'[^']*' )?([A-Z_]+)(.*?)(?:; holds (.*))?$");

    /** How an audience would say a Java thread state. */
    static String plainState(String state) {
        switch (state) {
            case "TIMED_WAITING": return "asleep";
            case "WAITING": return "waiting";
            case "RUNNABLE": return "running";
            case "BLOCKED": return "blocked entering a monitor";
            case "TERMINATED": return "ended";
            default: return state.toLowerCase(Locale.ROOT);
        }
    }

    private void event(long ms, String key, String text) {
        String t = secs(ms);
        switch (key) {
            case "cell":
            case "hazards": // the whole snapshot: kept in the files; hazards.* below say it in short
                break;
            case "pid":
                childPid = text.trim();
                break;
            case "jvm": {
                String[] p = text.split(" ");
                String version = p[p.length - 1];
                line(t, "child JVM pid " + childPid + ", JDK " + version);
                break;
            }
            case "victim.holds": {
                Matcher m = HOLDS.matcher(text);
                if (m.matches()) {
                    victimState = plainState(m.group(4));
                    String on = m.group(5).strip();
                    line(t, "the victim thread is " + victimState + " (" + m.group(3) + ", tid " + m.group(2) + ")");
                    on = on.replaceFirst("^;\\s*", "");
                    if (!on.isEmpty()) block("", on.replace("'" + m.group(1) + "'", "the victim"));
                    block("", "it holds " + (m.group(6) == null ? "nothing" : m.group(6)));
                } else {
                    block(t, "victim: " + text);
                }
                break;
            }
            case "hazards.holds": block(t, "the library sees it holding: " + text); break;
            case "hazards.waiters": block("", "waiting for it: " + text); break;
            case "hazards.verdict": {
                String[] p = text.split(": ", 2);
                boolean doomed = p[0].contains("DOOMED");
                String[] mv = p[0].split(" ", 2);
                Column pc = findColumn(mv[0]);
                String head = "the library predicts for " + (pc == null ? mv[0] : Report.head(pc)) + ": "
                        + (mv.length > 1 ? mv[1] : "");
                say(" ".repeat(INDENT) + (doomed ? red(head) : head));
                if (p.length > 1) block("", "  " + firstClause(p[1]));
                break;
            }
            case "kill.start":
                line(t, bold("KILL " + text.replace("'victim', ", "").replace("ThreadKill.kill(", "ThreadKill.kill(victim, ")));
                break;
            case "kill.result": {
                String[] parts = humane(text).split("; ");
                StringBuilder first = new StringBuilder(parts[0]);
                List<String> more = new ArrayList<>();
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i];
                    if (p.startsWith("was ")) {
                        first.append("; was ").append(victimState.isEmpty() ? plainJvmState(p.substring(4)) : victimState);
                    } else if (!p.isBlank()) {
                        more.add(p);
                    }
                }
                boldBlock(t, first.toString());
                for (String p : more) block("", p);
                break;
            }
            case "kill.refused": block(t, red("kill refused: " + text)); break;
            case "deadline.start":
            case "deadline.caller": {
                String[] parts = humane(text).split("; ");
                boldBlock(t, parts[0]);
                for (int i = 1; i < parts.length; i++) block("", parts[i]);
                break;
            }
            case "deadline.steps": block(t, "the ladder: " + text); break;
            case "victim.work": block(t, text); break;
            case "victim.after": {
                String s = text.replaceFirst("^'[^']*': ", "");
                String[] parts = s.split("; ");
                line(t, "after the kill: " + parts[0]);
                for (int i = 1; i < parts.length; i++) block("", parts[i]);
                break;
            }
            case "main.returning": block(t, text); break;
            case "damage": {
                String d = humane(text.replaceFirst("^damage: ", "")).replaceFirst("^1 thread killed by native modes\\s+killed ", "").replace("killed the victim", "the victim");
                if (!victimState.isEmpty()) d = d.replace("was BLOCKED", "was " + victimState);
                block(t, "the library's damage report: " + d);
                break;
            }
            default:
                if (key.startsWith("probe.")) {
                    String name = key.substring(6);
                    if (text.startsWith("start: ")) {
                        block(t, "probe " + name + ": " + text.substring(7) + " ...");
                    } else {
                        boolean bad = text.startsWith("still blocked") || text.startsWith("threw");
                        String s = "probe " + name + ": " + humane(text).replace("'victim'", "the victim");
                        if (bad) {
                            List<String> ls = wrap(s, WIDTH - INDENT);
                            say(pad(t) + red(ls.get(0)));
                            for (int i = 1; i < ls.size(); i++) say(" ".repeat(INDENT) + red(ls.get(i)));
                        } else {
                            block(t, s);
                        }
                    }
                } else {
                    block(t, key + ": " + humane(text));
                }
        }
    }

    private static String plainJvmState(String s) {
        switch (s) {
            case "IN_JAVA": return "running Java code";
            case "IN_NATIVE": return "in native code";
            case "BLOCKED": return "blocked in the JVM";
            default: return s.toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** The first sentence-part of a verdict's consequence: what it does, not every caveat. */
    private static String firstClause(String s) {
        int cut = s.indexOf(": ");
        String head = cut > 20 ? s.substring(0, cut) : s;
        return head.length() > 2 * (WIDTH - INDENT - 2) ? head.substring(0, 2 * (WIDTH - INDENT - 2) - 3) + "..." : head;
    }

    private static final Pattern MICROS = Pattern.compile("(\\d+(?:\\.\\d+)?) µs");
    private static final Pattern NANOS_AT = Pattern.compile(",? ?(?:at|t=)\\s?\\d{9,} ?ns\\b|\\b\\d{12,}\\b ?(?:ns)?");

    private static final Pattern ISO_AT = Pattern.compile(" at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z");
    private static final Pattern VICTIM = Pattern.compile("'victim(?: \\[[^\\]]*\\])?'");
    private static final Pattern NAME_TWICE = Pattern.compile("\\b(\\w+) '\\1'");

    /**
     * Said for an audience: µs counts in human units; nanosecond and ISO timestamps dropped; the
     * victim (however renamed) is "the victim"; "contender 'contender'" is "'contender'".
     */
    static String humane(String s) {
        s = NANOS_AT.matcher(s).replaceAll("");
        s = ISO_AT.matcher(s).replaceAll("");
        s = VICTIM.matcher(s).replaceAll("the victim");
        s = NAME_TWICE.matcher(s).replaceAll("'$1'");
        Matcher m = MICROS.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            double us = Double.parseDouble(m.group(1));
            String h = us < 1000 ? String.format(Locale.ROOT, "%.0f µs", us)
                    : us < 1_000_000 ? String.format(Locale.ROOT, "%.1f ms", us / 1000)
                    : String.format(Locale.ROOT, "%.2f s", us / 1_000_000);
            m.appendReplacement(sb, Matcher.quoteReplacement(h));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Words wrapped to {@code width} columns (a word longer than the width is cut). */
    public static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String w : text.strip().split("\\s+")) {
            while (w.length() > width) {
                if (cur.length() > 0) {
                    lines.add(cur.toString());
                    cur.setLength(0);
                }
                lines.add(w.substring(0, width));
                w = w.substring(width);
            }
            if (cur.length() > 0 && cur.length() + 1 + w.length() > width) {
                lines.add(cur.toString());
                cur.setLength(0);
            }
            if (cur.length() > 0) cur.append(' ');
            cur.append(w);
        }
        if (cur.length() > 0 || lines.isEmpty()) lines.add(cur.toString());
        return lines;
    }

    private static String pad(String t) {
        return String.format(Locale.ROOT, "%-" + INDENT + "s", t.isEmpty() ? "" : t + "  ");
    }

    /** A time column, then one line that is short by construction. */
    private void line(String t, String s) {
        say(pad(t) + s);
    }

    /** A time column, then text wrapped under it. */
    private void block(String t, String s) {
        List<String> ls = wrap(s, WIDTH - INDENT);
        say(pad(t) + ls.get(0));
        for (int i = 1; i < ls.size(); i++) say(" ".repeat(INDENT) + ls.get(i));
    }

    /** {@link #block}, in bold. */
    private void boldBlock(String t, String s) {
        List<String> ls = wrap(s, WIDTH - INDENT);
        say(pad(t) + bold(ls.get(0)));
        for (int i = 1; i < ls.size(); i++) say(" ".repeat(INDENT) + bold(ls.get(i)));
    }

    private void bullet(String s) {
        List<String> ls = wrap(s, WIDTH - 4);
        say("  - " + ls.get(0));
        for (int i = 1; i < ls.size(); i++) say("    " + ls.get(i));
    }

    private static String shorten(String dir) {
        String cwd = Path.of("").toAbsolutePath().toString();
        return dir.startsWith(cwd + "/") ? dir.substring(cwd.length() + 1) : dir;
    }

    private static long lastMs(CellResult r) {
        return r.timeline().isEmpty() ? 0 : r.timeline().get(r.timeline().size() - 1).ms();
    }

    private static String secs(long ms) {
        return String.format(Locale.ROOT, "%5.2f s", ms / 1000.0);
    }

    /** Green for safe, amber for a leak or no effect, red for a broken program or a doomed JVM. */
    String paint(Set<Outcome> o, String s) {
        Outcome w = Report.worst(o);
        if (w == null) return red(s);
        switch (w) {
            case CLEAN: return ansi("32", s);
            case LEAK:
            case NO_EFFECT: return ansi("33", s);
            default: return red(s);
        }
    }

    public String bold(String s) {
        return ansi("1", s);
    }

    String red(String s) {
        return ansi("31", s);
    }

    String dim(String s) {
        return ansi("2", s);
    }

    private String ansi(String code, String s) {
        return colour ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    void say(String s) {
        out.println(s);
        out.flush();
    }
}
