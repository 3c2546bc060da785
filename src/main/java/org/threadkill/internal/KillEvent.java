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

/**
 * One per {@code ThreadKill.kill} (also each step of {@code escalate}); the caller is the event
 * thread. Its duration runs from just before the kill acted on the thread (interrupt, JVMTI call,
 * signal) to the moment its outcome was known. A native kill also commits a
 * {@link KillAttemptEvent} before the signal, because the JVM may not live to commit this one.
 * Built only through {@link KillEvents}, and only once JFR runs: loading an event class costs
 * about 200 ms the first time.
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

    static String join(List<?> items) {
        return items.isEmpty() ? "" : items.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
