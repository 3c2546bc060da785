package org.threadkill.junit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.Tombstone;
import org.threadkill.run.DeadlineExceededException;

/**
 * The tests that ran past their deadline ({@code @KillOnTimeout}, or Jupiter's {@code @Timeout} or
 * default timeout enforced by {@link KillOnTimeoutExtension}) in one engine run, printed on standard error when the run
 * ends (the root context's store closes it): how each was stopped, and every thread frozen for good
 * in this JVM with what it holds.
 */
final class Summary implements ExtensionContext.Store.CloseableResource {
    private final List<String> lines = new ArrayList<>();

    synchronized void record(String test, String source, DeadlineExceededException e) {
        String how;
        if (e.cancelSufficed()) how = "cancelled cooperatively";
        else if (e.threadLost()) {
            KillResult k = e.killResult();
            how = "FROZEN by " + e.stoppedBy() + (k != null && k.tid() > 0 ? " (tid " + k.tid() + ")" : "")
                    + (k != null && !k.held().isEmpty() ? ", holding forever " + k.held() : ", holding no monitor or lock");
        } else if (e.taskMayStillRun()) how = "NOT STOPPED: may still be running on '" + e.threadName() + "'";
        else how = "stopped by " + e.stoppedBy() + " (its thread stays in service)";
        lines.add(test + ": " + how + " [" + source + "]");
    }

    @Override
    public synchronized void close() {
        if (lines.isEmpty()) return;
        PrintStream err = System.err;
        err.println("threadkill-junit: " + lines.size() + (lines.size() == 1 ? " test" : " tests")
                + " exceeded their deadline (@KillOnTimeout, or @Timeout enforced by threadkill):");
        for (String l : lines) err.println("  " + l);
        List<Tombstone> frozen = ThreadKill.tombstones();
        if (frozen.isEmpty()) {
            err.println("threadkill-junit: no thread was frozen; this JVM is not tainted");
        } else {
            err.println("threadkill-junit: " + frozen.size() + (frozen.size() == 1 ? " thread" : " threads")
                    + " frozen for good in this JVM (everything they held stays held; see docs/deadline.md):");
            for (Tombstone t : frozen) err.println("  " + t);
        }
        err.flush();
    }
}
