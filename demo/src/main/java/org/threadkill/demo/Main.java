package org.threadkill.demo;

import java.io.PrintStream;
import java.util.Arrays;

import org.threadkill.consequences.CellMain;
import org.threadkill.consequences.Demo;
import org.threadkill.consequences.Matrix;

/**
 * Main-Class of the runnable demo jar ({@code java -jar threadkill-demo.jar ...}):
 * <pre>
 *   (no arguments) | list              the cells: every scenario and the modes it has
 *   &lt;scenario&gt; &lt;mode&gt; [--java HOME] [--no-color]   one cell, narrated live (scripts/demo)
 *   tour [--pause N | --no-wait] [--java HOME] [--no-color]   the speaker's sequence, step by step
 *   matrix [options]                   every cell, each in its own child JVM (scripts/matrix)
 *   cell &lt;scenario&gt; &lt;mode&gt;             the child side of one cell (started by the above)
 * </pre>
 * Child JVMs run from the same jar: it holds the library, the test kit and the victims' natives.
 * An unknown scenario or mode prints the list and exits with status 2.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("list")) {
            Demo.listCells(System.out);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "matrix": Matrix.main(rest); break;
            case "cell": CellMain.main(rest); break;
            case "tour": Tour.main(rest); break;
            case "-h": case "--help": case "help": usage(System.out); break;
            default: Demo.main(args); break;
        }
    }

    static void usage(PrintStream p) {
        p.println("usage: java -jar threadkill-demo.jar [list]");
        p.println("       java -jar threadkill-demo.jar <scenario> <mode> [--java HOME] [--no-color]");
        p.println("       java -jar threadkill-demo.jar tour [--pause N | --no-wait] [--java HOME]");
        p.println("                                          [--no-color]");
        p.println("       java -jar threadkill-demo.jar matrix [options]");
    }
}
