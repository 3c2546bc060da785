package org.threadkill.consequences;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The child side of the line protocol read by {@link CellRunner}: {@code ev <ms> <key> <text>},
 * {@code finding <OUTCOME> <text>}, {@code note <text>}, {@code hb <ms>}. Each line is written and
 * flushed at once, straight to file descriptor 1, so that a JVM that dies keeps what it printed.
 */
public final class Timeline {
    private final long t0 = System.nanoTime();
    private final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    private volatile Consumer<String> onEvent = e -> { };

    /** Milliseconds since the cell started. */
    public long ms() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** An event of the timeline. */
    public void ev(String key, String text) {
        line("ev " + ms() + " " + key + " " + text.replace('\n', ' '));
        onEvent.accept(key + " " + text);
    }

    /** Told of every event after it is printed (the {@link Watchdog} uses it to see main move on). */
    void onEvent(Consumer<String> listener) {
        this.onEvent = listener;
    }

    /** Evidence that explains a cell without being an outcome (e.g. EOWNERDEAD). */
    public void note(String evidence) {
        line("note " + evidence.replace('\n', ' '));
    }

    void finding(Outcome o, String evidence) {
        line("finding " + o + " " + evidence.replace('\n', ' '));
    }

    void heartbeat() {
        line("hb " + ms());
    }

    private void line(String s) {
        synchronized (out) {
            out.println(s);
        }
    }
}
