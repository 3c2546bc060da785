package org.threadkill.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One per {@code ThreadKill.inspect} (kills take one too); its duration is the inspection's cost. */
@Name("org.threadkill.Inspection")
@Label("Thread Kill Inspection")
@Category("threadkill")
@Description("threadkill inspected a thread: what killing it would leave behind")
@StackTrace(false)
final class InspectionEvent extends Event {
    @Label("Victim")
    Thread victim;

    @Label("Victim Name")
    String victimName;

    @Label("Victim Java Id")
    long victimId;

    @Label("Thread State")
    String threadState;

    @Label("JVM State")
    String jvmState;

    @Label("In Native")
    boolean inNative;

    @Label("Native Method")
    String nativeMethod;

    @Label("Daemon")
    boolean daemon;

    @Label("Top Frame")
    String topFrame;

    @Label("Held Monitors And Locks")
    String held;

    @Label("Held Count")
    int heldCount;

    @Label("Waiters")
    String waiters;

    @Label("Waiter Count")
    int waiterCount;

    @Label("Verdicts")
    String verdicts;
}
