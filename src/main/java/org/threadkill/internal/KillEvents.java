package org.threadkill.internal;

import java.lang.invoke.MethodHandles;
import java.util.List;

import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;

import org.threadkill.KillMode;

/**
 * The JFR side of a kill: {@link KillAttemptEvent} before a native signal, the duration of the
 * {@link KillEvent}, and the registration of our event types. Touches no event class until JFR has
 * started in this JVM ({@link JfrState}): loading one costs about 200 ms the first time, which a JVM
 * without a recorder should not pay.
 */
final class KillEvents {
    private KillEvents() {}

    /** The begun Kill event of the kill this thread is making; taken by {@link #take}. */
    private static final ThreadLocal<Event> PENDING = new ThreadLocal<>();
    private static volatile boolean registered;

    /**
     * Registers the event types explicitly once JFR runs (called when the library loads, and before
     * every native kill). A crash dump shows only what JFR flushed before the crash, the types'
     * descriptions included, and JFR flushes about once a second: registered at load, and written
     * into the running recordings at once ({@link #writeTypesNow}), the types are known before the
     * kill that crashes the JVM.
     */
    static void register() {
        if (registered || !JfrState.initialized()) return;   // else they register when first used
        for (Class<? extends Event> type : List.of(KillAttemptEvent.class, KillEvent.class, InspectionEvent.class)) {
            try {
                MethodHandles.lookup().ensureInitialized(type);   // JFR sets up an event class as it initialises
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);   // same package: cannot happen
            }
            FlightRecorder.register(type);
        }
        registered = true;
        if (recording()) onOwnThread(KillEvents::writeTypesNow);
    }

    /** Whether a recording is running now (then new types are in no chunk's metadata yet). */
    private static boolean recording() {
        for (jdk.jfr.Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
            if (r.getState() == jdk.jfr.RecordingState.RUNNING) return true;
        }
        return false;
    }

    /**
     * Makes the running recordings describe our types now, not at the next flush: a snapshot rotates
     * the chunk, and the new chunk begins with the metadata of every registered type. Without it, on
     * JDK 25, a crash within a second of the library's first use left a dump without any threadkill
     * event (4 of 4 runs of JfrCrashDumpTest's probe; with it, the events were there). About 40 ms, once.
     */
    private static void writeTypesNow() {
        FlightRecorder.getFlightRecorder().takeSnapshot().close();
    }

    /** Called just before a kill acts on the thread: starts the Kill event's duration. */
    static void beforeKill() {
        if (!JfrState.initialized()) return;
        KillEvent e = new KillEvent();
        e.begin();
        PENDING.set(e);
    }

    /**
     * Called just before the signal of a native kill: starts the Kill event's duration and commits
     * a {@link KillAttemptEvent} with what is about to be done, so that a JVM the signal ends still
     * has it in its recording.
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    static void beforeNativeKill(Thread t, KillMode mode, long tid, String jvmState, List<String> held) {
        if (!JfrState.initialized()) return;
        register();
        KillAttemptEvent a = new KillAttemptEvent();
        if (a.shouldCommit()) {
            a.victim = t;
            a.victimName = t.getName();
            a.victimId = t.getId();
            a.tid = tid;
            a.mode = mode.name();
            a.jvmState = jvmState;
            a.held = held == null ? null : KillEvent.join(held);
            a.heldCount = held == null ? -1 : held.size();
            a.killer = Thread.currentThread();
            commitFromOwnThread(a);
        }
        beforeKill();
    }

    /**
     * Commits {@code e} on a thread that ends at once. A crash dump holds what reached JFR's global
     * buffers, and the buffer of a thread that ends goes there; the killer's own buffer only gets
     * there at the next flush (about once a second), which the crash may not wait for. Waits at
     * most a second for it.
     */
    private static void commitFromOwnThread(Event e) {
        onOwnThread(e::commit);
    }

    /** Runs {@code r} on a thread of its own, waiting for it at most a second (a victim may hold JFR's locks). */
    private static void onOwnThread(Runnable r) {
        Thread w = new Thread(r, "threadkill-jfr");
        w.setDaemon(true);
        w.start();
        try {
            w.join(1_000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();   // the kill goes on; the event may come late
        }
    }

    /**
     * The Kill event {@link #beforeKill} began on this thread, ended now; a new one when none was
     * begun (nothing was done to the thread); null while JFR has not started. Runs only code that
     * Aftermath's warm-up ran (it may follow a NATIVE_EXIT).
     */
    static KillEvent take() {
        if (!JfrState.initialized()) return null;
        KillEvent e = (KillEvent) PENDING.get();
        if (e == null) {
            e = new KillEvent();
            e.begin();
        } else {
            PENDING.remove();
        }
        e.end();
        return e;
    }
}
