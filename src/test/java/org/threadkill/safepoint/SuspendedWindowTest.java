package org.threadkill.safepoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.threadkill.testing.ChildJvm;
import org.threadkill.testing.TestPaths;

/**
 * Issue 9's rule: while a victim is JVMTI-suspended, its killer runs only code that has run
 * before. A victim suspended inside class loading or {@code java.lang.invoke}'s linking holds
 * their locks, and a killer that loads a class or links a call site for the first time then waits
 * for it forever (seen in CI: a killer's first string concatenation, its victim suspended inside
 * ClassSpecializer holding its lock).
 *
 * <p>Each scenario runs in a child JVM under a JVMTI agent of the tests' own
 * (src/test/c/suspend_watch.c) that reports every class load, class prepare, class initialisation
 * (a breakpoint at each {@code <clinit>}) and first link of an invokedynamic call site or dynamic
 * constant (a breakpoint on the VM's upcalls into {@code MethodHandleNatives}) made by a thread
 * while some other thread is suspended. The killer
 * paths run cold (the first native kill of that JVM) and warm, each on a thread named
 * {@code killer-...}; any report on a killer fails the test, naming the class or call site and the
 * first frames of threadkill's code below it. One kill at a time runs in each child (a mutual pair:
 * only the other thread can have suspended either), so a killer reported is the one holding the
 * suspension. The positive control suspends a thread through
 * {@code Diagnostics.suspend} (threadkill's JVMTI environment, not the agent's) and runs a lambda,
 * a string concatenation, a record's toString, a class never used before and the initialiser of
 * one loaded before: the agent must see each (on 17 and 25 alike, HotSpot posts ClassLoad and
 * ClassPrepare for the hidden classes that lambdas and LambdaForms spin; a string concatenation on
 * 25 may spin none, only the link shows it).
 *
 * <p>Not seen: the initialisation of a class without a {@code <clinit>}, code that runs for the
 * first time without loading, initialising or linking anything (a method's first call resolving
 * constant-pool entries of classes already loaded), and locks taken by code that has run before. Other threads' loads while a victim is suspended (the warnings writer's first
 * log line) are printed, not asserted: no killer waits for them.
 */
class SuspendedWindowTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"spinner", "libc", "jdk", "mutual", "escalate", "inspect"})
    void aKillerHoldingItsVictimSuspendedLoadsAndLinksNothing(String scenario, @TempDir Path dir) throws Exception {
        Watched w = run(dir, scenario);
        String why = w.why();
        List<Event> onKillers = w.events(e -> e.thread().startsWith("killer-"));
        List<Event> others = w.events(e -> !e.thread().startsWith("killer-"));
        if (!others.isEmpty()) {
            System.out.println("SuspendedWindowTest " + scenario + ": on other threads while a thread was suspended "
                    + "(not asserted): " + summary(others));
        }
        assertTrue(onKillers.isEmpty(), "a killer loaded or linked while another thread was suspended: "
                + summary(onKillers) + "\n" + why);

        // The paths ran as the scenario says (a frozen thread's own kill never returns: "none").
        for (String line : w.result.stdout()) {
            if (line.contains(".outcome=")) assertFalse(line.contains("=none"), line + ": " + why);
            assertFalse(line.contains(".error="), line + ": " + why);
        }
        switch (scenario) {
            case "spinner":
                for (String k : new String[] {"spinner-cold", "spinner-cold-monitor", "spinner-warm", "spinner-warm-monitor"}) {
                    assertEquals("STOPPED", w.result.value(k + ".outcome"), k + ": " + why);
                }
                break;
            case "jdk":
                // Refused and retried for the whole wait: the Java half said no at every try.
                for (String k : new String[] {"jdk-cold-println", "jdk-cold-loadClass", "jdk-warm-println", "jdk-warm-loadClass"}) {
                    assertEquals("STILL_RUNNING", w.result.value(k + ".outcome"), k + ": " + why);
                }
                break;
            case "libc":
                // The native half refuses them inside libc; a try between two calls may freeze one.
                for (String k : new String[] {"libc-cold-malloc", "libc-cold-loader", "libc-warm-malloc", "libc-warm-loader"}) {
                    assertNotNull(w.result.value(k + ".outcome"), k + ": " + why);
                }
                break;
            case "mutual":
                for (String k : new String[] {"mutual-cold", "mutual-warm"}) {
                    assertTrue(w.result.value(k + ".0") != null && w.result.value(k + ".1") != null, k + ": " + why);
                }
                break;
            case "escalate":
                assertEquals("STOPPED by NATIVE_FREEZE", w.result.value("escalate-cold.outcome"), why);
                assertEquals("STOPPED by NATIVE_FREEZE", w.result.value("escalate-warm.outcome"), why);
                break;
            case "inspect":
                assertTrue(w.result.value("inspect-cold.outcome").startsWith("STOPPED"), why);
                assertTrue(w.result.value("inspect-warm.outcome").startsWith("STOPPED"), why);
                break;
            default:
                throw new IllegalArgumentException(scenario);
        }
    }

    /** The detector works: a suspension by threadkill's JVMTI environment, then code that never ran. */
    @Test
    void theAgentSeesWhatASuspendingThreadLoadsAndLinks(@TempDir Path dir) throws Exception {
        Watched w = run(dir, "control");
        String why = w.why();
        assertTrue(w.result.value("control.result").startsWith("suspend 0,"), why);
        List<Event> seen = w.events(e -> e.thread().equals("killer-control") && e.suspended().contains("victim-control"));
        String probe = "Lorg/threadkill/safepoint/SuspendedWindowProbe";
        assertTrue(has(seen, "load", probe + "$NeverLoadedBefore;"), "a class loaded for the first time: " + why);
        assertTrue(has(seen, "prepare", probe + "$NeverLoadedBefore;"), why);
        assertTrue(has(seen, "load", probe + "$$Lambda"), "the lambda's hidden class: " + why);
        assertTrue(has(seen, "load", probe + "$NeverPrinted;"), "the record: " + why);
        assertTrue(has(seen, "init", probe + "$LoadedNotInitialised;"), "a loaded class's first initialisation: " + why);
        assertFalse(has(seen, "load", probe + "$LoadedNotInitialised;"), "loaded before the suspension: " + why);
        assertTrue(has(seen, "link", "linkCallSite from " + probe + "$NeverPrinted;.toString"), "the record's toString: " + why);
        long links = seen.stream().filter(e -> e.kind().equals("link") && e.what().startsWith("linkCallSite from " + probe + ";.lambda$control")).count();
        assertTrue(links >= 2, "the lambda's and the string concatenation's call sites: " + why);
        // Where in our code, for a report that names the line to fix.
        Event loaded = seen.stream().filter(e -> e.what().equals(probe + "$NeverLoadedBefore;")).findFirst().orElseThrow();
        assertTrue(loaded.ours().startsWith(probe + ";.lambda$control"), loaded + ": " + why);
        // Once the victim is resumed, nothing is reported.
        assertTrue(w.events(e -> e.what().contains("afterResume") || e.ours().contains("afterResume")).isEmpty(), why);
    }

    // ---- running a child under the agent, reading its reports

    /** One report: {@code kind} is load, prepare, init or link. */
    record Event(String kind, String thread, String what, String suspended, String ours) {
        @Override
        public String toString() {
            return kind + " " + what + " on '" + thread + "' (suspended: " + suspended + ") at " + ours;
        }
    }

    private record Watched(ChildJvm.Result result, List<Event> all, List<String> lines) {
        List<Event> events(Predicate<Event> p) {
            return all.stream().filter(p).toList();
        }

        String why() {
            return result + "\n--- agent report (" + lines.size() + " lines), first 60:\n"
                    + String.join("\n", lines.subList(0, Math.min(60, lines.size())));
        }
    }

    private static Watched run(Path dir, String scenario) throws Exception {
        Path agent = TestPaths.testNatives().resolve(System.mapLibraryName("suspend_watch"));
        assertTrue(Files.isRegularFile(agent), "the test agent (CMakeLists.txt builds it next to the victims): " + agent);
        Path report = dir.resolve("suspend-watch.txt");
        long t0 = System.nanoTime();
        ChildJvm.Result r = new ChildJvm(dir).jvmArgs("-agentpath:" + agent + "=" + report)
                .stallLimit(Duration.ofSeconds(30)).startupGrace(Duration.ofSeconds(30))
                .run(SuspendedWindowProbe.class, TIMEOUT, scenario);
        System.out.println("SuspendedWindowTest " + scenario + ": child took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        List<String> lines = Files.exists(report) ? Files.readAllLines(report, StandardCharsets.UTF_8) : List.of();
        Watched w = new Watched(r, parse(lines), lines);
        String why = w.why();
        assertFalse(r.timedOut(), why);
        assertTrue(r.hsErrFiles().isEmpty(), why);
        assertTrue(r.printed("main.returning=true"), why);
        assertEquals(Integer.valueOf(0), r.exitCode(), why);
        // The agent ran: both link breakpoints set, <clinit> breakpoints too, and events counted at the end.
        assertTrue(lines.contains("breakpoints\t2"), "linkCallSite and linkDynamicConstant breakpoints: " + why);
        String count = lines.stream().filter(l -> l.startsWith("count\t")).findFirst().orElse(null);
        assertTrue(count != null && !count.contains("load=0\t") && !count.contains("clinits=0\t"), why);
        assertTrue(count.endsWith("\tdropped=0"), "every report was written: " + why);
        return w;
    }

    private static List<Event> parse(List<String> lines) {
        List<Event> events = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f.length == 5 && (f[0].equals("load") || f[0].equals("prepare") || f[0].equals("init") || f[0].equals("link"))) {
                events.add(new Event(f[0], f[1], f[2], f[3], f[4]));
            }
        }
        return events;
    }

    private static boolean has(List<Event> events, String kind, String whatPrefix) {
        return events.stream().anyMatch(e -> e.kind().equals(kind) && e.what().startsWith(whatPrefix));
    }

    /** Distinct reports (hidden classes' addresses dropped), with how often each came, at most 40. */
    private static String summary(List<Event> events) {
        Map<String, Integer> n = new LinkedHashMap<>();
        for (Event e : events) {
            String key = e.kind() + " " + e.what().replaceAll("0x[0-9a-f]+", "0x..") + " on '" + e.thread().replaceAll(" \\[frozen.*", "")
                    + "' at " + e.ours();
            n.merge(key, 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Map.Entry<String, Integer> en : n.entrySet()) {
            if (shown++ == 40) {
                sb.append("\n  ... ").append(n.size() - 40).append(" more");
                break;
            }
            sb.append("\n  ").append(en.getValue()).append("x ").append(en.getKey());
        }
        return sb.toString();
    }
}
