package org.threadkill.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Committed just before the signal of a native kill (NATIVE_FREEZE, NATIVE_EXIT, NATIVE_CANCEL):
 * the signal may end or freeze the JVM before the {@link KillEvent} that follows it is committed,
 * and a recording dumped by the crash should still say what was done to which thread. Committed by
 * a short-lived thread of its own (see {@code KillEvent.commitFromOwnThread}), so its event thread is
 * "threadkill-jfr"; {@code killer} names the thread that kills.
 */
@Name("org.threadkill.KillAttempt")
@Label("Thread Kill Attempt")
@Category("threadkill")
@Description("A native kill is about to signal a thread; the JVM may not survive to commit its Thread Kill event")
@StackTrace(false)
final class KillAttemptEvent extends Event {
    @Label("Killer")
    @Description("The thread calling threadkill")
    Thread killer;

    @Label("Victim")
    @Description("The thread about to be signalled")
    Thread victim;

    @Label("Victim Name")
    @Description("Thread.getName() of the victim")
    String victimName;

    @Label("Victim Java Id")
    @Description("Thread.getId() of the victim")
    long victimId;

    @Label("Kernel Tid")
    @Description("The kernel thread id to be signalled when already known (the thread-dump lookup), else 0: the native side resolves it")
    long tid;

    @Label("Mode")
    @Description("NATIVE_FREEZE, NATIVE_EXIT or NATIVE_CANCEL")
    String mode;

    @Label("JVM State")
    @Description("Where HotSpot saw the victim just before the signal: IN_JAVA, IN_NATIVE, IN_VM, BLOCKED or UNKNOWN")
    String jvmState;

    @Label("Held Monitors And Locks")
    @Description("What the victim held, read before the signal (NATIVE_EXIT, NATIVE_CANCEL); null for NATIVE_FREEZE, read after it parks")
    String held;

    @Label("Held Count")
    @Description("How many monitors and locks the victim held; -1 when not read before the signal")
    int heldCount;
}
