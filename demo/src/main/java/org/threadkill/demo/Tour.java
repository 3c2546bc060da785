package org.threadkill.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.threadkill.consequences.Column;
import org.threadkill.consequences.Demo;
import org.threadkill.consequences.Scenario;

/**
 * The speaker's sequence: the safe ways first, then each hazard of the native modes, then the
 * process baseline. Between steps it waits for Enter ({@code --pause N}: N seconds instead;
 * {@code --no-wait}: not at all). {@code q} then Enter ends the tour.
 */
final class Tour {
    private Tour() {}

    /** One step: a cell and the sentence that introduces it. */
    record Step(String scenario, Column column, String intro) {}

    static final List<Step> STEPS = List.of(
            new Step("monitor", Column.INTERRUPT, "The safe way: ask the thread to stop (interrupt)."),
            new Step("java-spin", Column.INTERRUPT, "But a busy thread that never checks ignores it."),
            new Step("java-spin", Column.ASYNC_EXCEPTION, "An exception thrown into it: the JVM unwinds it."),
            new Step("monitor", Column.NATIVE_FREEZE, "Freeze the OS thread: its lock stays taken."),
            new Step("native-mutex", Column.NATIVE_FREEZE, "Frozen inside C code: a native lock stays taken."),
            new Step("java-spin", Column.NATIVE_EXIT, "End the OS thread under a running JVM."),
            new Step("monitor", Column.NATIVE_EXIT, "End it while it holds a monitor."),
            new Step("sigkill", Column.SIGKILL_THREAD, "SIGKILL aimed at one thread."),
            new Step("monitor", Column.PROCESS, "The baseline: the same work in its own process."));

    static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        boolean colour = Demo.colourWanted(a);
        a.remove("--no-color");
        String javaHome = null;
        double pause = -1; // -1: wait for Enter
        try {
            for (int i = 0; i < a.size(); i++) {
                switch (a.get(i)) {
                    case "--java":
                        javaHome = a.get(++i);
                        break;
                    case "--pause":
                        pause = Double.parseDouble(a.get(++i));
                        if (pause <= 0) throw new IllegalArgumentException("--pause needs a number of seconds > 0");
                        break;
                    case "--no-wait":
                        pause = 0;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + a.get(i) + "'");
                }
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            System.err.println(e instanceof IndexOutOfBoundsException ? "an option lacks its value" : e.getMessage());
            Main.usage(System.err);
            System.exit(2);
        }
        Demo.reapChildrenOnExit();
        Demo demo = new Demo(colour, Demo.defaultRoot());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < STEPS.size(); i++) {
                Step st = STEPS.get(i);
                Scenario s = Demo.findScenario(st.scenario());
                if (s == null || !s.columns().contains(st.column())) continue;
                System.out.println("=".repeat(Demo.WIDTH));
                System.out.println(demo.bold("step " + (i + 1) + "/" + STEPS.size() + ": " + st.intro()));
                System.out.println();
                demo.narrate(s, st.column(), javaHome);
                if (i + 1 < STEPS.size() && !await(in, pause)) break;
            }
        } finally {
            Demo.reapChildren();
        }
    }

    /** False when the speaker typed q (or stdin ended while waiting for Enter). */
    private static boolean await(BufferedReader in, double pause) throws Exception {
        System.out.println();
        if (pause > 0) {
            Thread.sleep((long) (pause * 1000));
            return true;
        }
        if (pause == 0) return true;
        System.out.print("[Enter: next step, q: quit] ");
        System.out.flush();
        String l = in.readLine();
        return l != null && !l.trim().equalsIgnoreCase("q");
    }
}
