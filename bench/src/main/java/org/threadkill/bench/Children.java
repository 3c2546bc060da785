package org.threadkill.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.threadkill.testing.ChildJvm;

/**
 * The child JVMs of a run, started through the test kit's {@link ChildJvm}: each in its own numbered
 * directory under the raw output ({@code raw/NNN-label/stdout.txt}, {@code stderr.txt}, hs_err files).
 */
public final class Children {
    private final Path raw;
    private int seq;

    public Children(Path raw) {
        this.raw = raw;
    }

    /** What one child did. */
    public static final class Child {
        public final List<String> lines;
        public final Integer exit;
        /** Printed "done". */
        public final boolean finished;
        /** Left an hs_err file. */
        public final boolean crashed;
        public final String stderrTail;
        /** System.nanoTime() when it was seen to end. */
        public final long endNanos;

        Child(ChildJvm.Result r) {
            this.lines = r.stdout();
            this.exit = r.exitCode();
            this.finished = lines.contains("done");
            this.crashed = r.crashed();
            String err = r.stderr();
            this.stderrTail = err.length() > 600 ? err.substring(err.length() - 600) : err;
            this.endNanos = r.endNanoTime();
        }

        public String why() {
            return (crashed ? "crashed (hs_err)" : exit == null ? "timed out" : "exit " + exit)
                    + (stderrTail.isBlank() ? "" : ": " + stderrTail.strip().replace('\n', ' '));
        }
    }

    /** Runs {@code main} in a child JVM with the library's opt-in, a fixed 256 MiB heap and {@code extraFlags}. */
    public Child run(String label, List<String> extraFlags, Class<?> main, Duration timeout, String... args)
            throws IOException, InterruptedException {
        Path dir = raw.resolve(String.format("%03d-%s", ++seq, label)).toAbsolutePath();
        ChildJvm.Result r = new ChildJvm(dir).jvmArgs("-Xms256m").jvmArgs(extraFlags.toArray(new String[0]))
                .run(main, timeout, args);
        return new Child(r);
    }
}
