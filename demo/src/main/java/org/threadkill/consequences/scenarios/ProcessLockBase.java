package org.threadkill.consequences.scenarios;

import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

import org.threadkill.KillResult;
import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Probes;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Waits;

/**
 * A victim that spends its time inside a lock the whole process needs (the GC's, the C library's, the
 * dynamic loader's, the JDK's logging and printing): what the freeze's safe point is for (issue 9).
 * After the kill every thing that would block behind that lock is tried, each bounded: logging and
 * printing, a walk of every stack, 64 MiB of allocation with a GC, a MethodType intern; then the
 * common probes (GC, a new thread, GC) on main, where a locked-out GC shows as JVM_HANG.
 */
abstract class ProcessLockBase extends Scenario {
    private final boolean unchecked;

    ProcessLockBase(boolean unchecked) {
        this.unchecked = unchecked;
    }

    /** Starts the victim's loop (on the calling thread, which is the victim). */
    abstract void loop();

    abstract long counter();

    @Override
    public List<String> jvmArgs() {
        // The demonstration switch: the freeze's native half (libc, loader, libjvm, critical region)
        // turned off, to show what it prevents. Never the default.
        return unchecked ? List.of("-Dthreadkill.demo.uncheckedFreeze=true") : List.of();
    }

    @Override
    public Runnable work(Cell cell) throws Exception {
        return this::loop;
    }

    @Override
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
        Waits.until(() -> counter() > 1000, 10_000);
    }

    @Override
    public long progress() {
        return counter();
    }

    @Override
    public void probe(Cell cell, Thread victim, KillResult kill) throws Exception {
        probe(cell, "log", "another thread logs through System.Logger", () -> {
            System.getLogger("probe").log(System.Logger.Level.INFO, "a probe can still log");
            return "logged";
        });
        probe(cell, "print", "another thread prints to System.err", () -> {
            System.err.println("a probe can still print");
            return "printed";
        });
        probe(cell, "stacks", "Thread.getAllStackTraces()", () -> Thread.getAllStackTraces().size() + " stacks");
        probe(cell, "alloc", "allocate 64 MiB, then System.gc()", () -> {
            List<byte[]> keep = new ArrayList<>();
            for (int i = 0; i < 64; i++) keep.add(new byte[1 << 20]);
            keep.clear();
            System.gc();
            return "allocated and collected";
        });
        probe(cell, "methodtype", "MethodType.methodType(...) (interned)", () ->
                MethodType.methodType(ProcessLockBase.class, long[].class, short.class, char[].class).toString());
    }

    private static void probe(Cell cell, String name, String what, java.util.concurrent.Callable<String> body) throws Exception {
        Probes.Result p = cell.probes().bounded(name, what, Probes.WAIT_MS, body);
        if (!p.finished()) {
            cell.findings().blockedForGood(what + " did not return within " + Probes.WAIT_MS + " ms: "
                    + cell.victim().describe(p.thread()));
        }
    }
}
