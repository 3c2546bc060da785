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

/** One per {@code ThreadKill.kill} (also each step of {@code escalate}); the caller is the event thread. */
@Name("org.threadkill.Kill")
@Label("Thread Kill")
@Category("threadkill")
@Description("A thread was killed (or an attempt was made) by threadkill; native modes leave the JVM damaged")
@StackTrace(true)
final class KillEvent extends Event {
    @Label("Victim")
    Thread victim;

    @Label("Victim Name")
    String victimName;

    @Label("Victim Java Id")
    long victimId;

    @Label("Kernel Tid")
    @Description("The kernel thread id signalled; -1 when no signal was sent")
    long tid;

    @Label("Mode")
    String mode;

    @Label("Outcome")
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
    String jvmStateBefore;

    @Label("Held Monitors And Locks")
    String held;

    @Label("Held Count")
    int heldCount;

    @Label("Waiters Before")
    @Description("Threads already blocked on what the victim held, seen just before the kill")
    int waitersBefore;

    @Label("Tainted")
    @Description("True when this kill left the JVM damaged (a native mode reached the thread)")
    boolean tainted;

    @Label("Detail")
    String detail;

    static String join(List<?> items) {
        return items.isEmpty() ? "" : items.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
