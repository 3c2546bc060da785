package org.threadkill.internal;

import java.util.List;
import java.util.stream.Collectors;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

import org.threadkill.KillMode;

/**
 * One per {@code ThreadKill.kill} (also each step of {@code escalate}); the caller is the event
 * thread. Its duration runs from just before the kill acted on the thread (interrupt, JVMTI call,
 * signal) to the moment its outcome was known. A native kill also commits a
 * {@link KillAttemptEvent} before the signal, because the JVM may not live to commit this one.
 */
@Name("org.threadkill.Kill")
@Label("Thread Kill")
@Category("threadkill")
@Description("A thread was killed (or an attempt was made) by threadkill; native modes leave the JVM damaged")
@StackTrace(true)
final class KillEvent extends Event {
    @Label("Victim")
    @Description("The thread that was to be killed")
    Thread victim;

    @Label("Victim Name")
    @Description("Thread.getName() of the victim, as it was at the kill")
    String victimName;

    @Label("Victim Java Id")
    @Description("Thread.getId() of the victim")
    long victimId;

    @Label("Kernel Tid")
    @Description("The kernel thread id signalled; -1 when no signal was sent")
    long tid;

    @Label("Mode")
    @Description("The KillMode applied: INTERRUPT, ASYNC_EXCEPTION, NATIVE_FREEZE, NATIVE_EXIT or NATIVE_CANCEL")
    String mode;

    @Label("Outcome")
    @Description("What was observed within the wait: STOPPED, STILL_RUNNING or ALREADY_TERMINATED")
    String outcome;

    @Label("Latency")
    @Description("From the call to the observed stop; the whole wait when it did not stop")
    @Timespan(Timespan.NANOSECONDS)
    long latency;

    @Label("Handler Latency")
    @Description("Native modes: from the call to the signal handler's entry on the victim; N/A when none ran")
    @Timespan(Timespan.NANOSECONDS)
    long handlerLatency;

    @Label("JVM State Before")
    @Description("Where HotSpot saw the victim just before the kill: IN_JAVA, IN_NATIVE, IN_VM, BLOCKED or UNKNOWN")
    String jvmStateBefore;

    @Label("Held Monitors And Locks")
    @Description("Monitors and java.util.concurrent locks the victim held, comma-separated; a native kill never releases them")
    String held;

    @Label("Held Count")
    @Description("How many monitors and locks the victim held")
    int heldCount;

    @Label("Waiters Before")
    @Description("Threads already blocked on what the victim held, seen just before the kill")
    int waitersBefore;

    @Label("Tainted")
    @Description("True when this kill left the JVM damaged (a native mode reached the thread)")
    boolean tainted;

    @Label("Detail")
    @Description("One sentence on what happened, as in KillResult.detail()")
    String detail;

    /** The begun event of the kill this thread is making (see {@link #beforeKill}); taken by {@link #take}. */
    private static final ThreadLocal<KillEvent> PENDING = new ThreadLocal<>();

    /** Called just before a kill acts on the thread: starts the Kill event's duration. */
    static void beforeKill() {
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
        EventTypes.register();
        KillAttemptEvent a = new KillAttemptEvent();
        if (a.shouldCommit()) {
            a.victim = t;
            a.victimName = t.getName();
            a.victimId = t.getId();
            a.tid = tid;
            a.mode = mode.name();
            a.jvmState = jvmState;
            a.held = held == null ? null : join(held);
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
        Thread w = new Thread(e::commit, "threadkill-jfr");
        w.setDaemon(true);
        w.start();
        try {
            w.join(1_000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();   // the kill goes on; the event may come late
        }
    }

    /**
     * The event {@link #beforeKill} started on this thread (ended now), or a new one when none was begun
     * (a thread already terminated: nothing was done to it). Runs only code the warm-up ran.
     */
    static KillEvent take() {
        KillEvent e = PENDING.get();
        if (e == null) {
            e = new KillEvent();
            e.begin();
        } else {
            PENDING.remove();
        }
        e.end();
        return e;
    }

    static String join(List<?> items) {
        return items.isEmpty() ? "" : items.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
