package org.threadkill.demo;

import java.util.Arrays;

import org.threadkill.consequences.CellMain;
import org.threadkill.consequences.Column;
import org.threadkill.consequences.Demo;
import org.threadkill.consequences.Matrix;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;

/**
 * Main-Class of the runnable demo jar ({@code java -jar threadkill-demo.jar ...}):
 * <pre>
 *   (no arguments) | list          the cells: every scenario and the columns it has
 *   &lt;scenario&gt; &lt;mode&gt; [--java HOME]  one cell, narrated live (what scripts/demo runs)
 *   matrix [options]               every cell, each in its own child JVM (what scripts/matrix runs)
 *   cell &lt;scenario&gt; &lt;mode&gt;         the child side of one cell (started by the two above)
 * </pre>
 * Child JVMs run from the same jar: it holds the library, the test kit and the victims' natives.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("list")) {
            list();
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "matrix": Matrix.main(rest); break;
            case "cell": CellMain.main(rest); break;
            case "-h": case "--help": case "help": usage(); break;
            default: Demo.main(args); break;
        }
    }

    private static void list() {
        System.out.println("cells (scenario: columns), run one with: <scenario> <mode>");
        for (Scenario s : Scenarios.all()) {
            StringBuilder cols = new StringBuilder();
            for (Column c : s.columns()) cols.append(cols.length() == 0 ? "" : " ").append(c);
            System.out.printf("  %-22s %s%n    %s%n", s.id(), cols, s.title());
        }
    }

    private static void usage() {
        System.out.println("usage: java --enable-native-access=ALL-UNNAMED -jar threadkill-demo.jar"
                + " [list | <scenario> <mode> [--java HOME] | matrix [options]]");
    }
}
