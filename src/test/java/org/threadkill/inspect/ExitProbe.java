package org.threadkill.inspect;

import java.time.Duration;

import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.Tombstone;
import org.threadkill.testing.VictimKind;

/**
 * Child-JVM program: escalate(INTERRUPT, NATIVE_EXIT) on a Java spinner. After NATIVE_EXIT of a
 * thread in Java code no safepoint or handshake completes again, so escalate must return without
 * needing one, and this program prints its findings without a lambda, a stream or a new class
 * (each could need one). The JVM then hangs for good; the parent kills it.
 */
public final class ExitProbe {
    private ExitProbe() {}

    public static void main(String[] args) throws Exception {
        Thread victim = VictimKind.JAVA_SPIN.start("victim");
        say("victim.started", "true");
        StringBuilder steps = new StringBuilder();
        say("escalate.start", "true");
        KillResult r = ThreadKill.escalate(victim, Duration.ofMillis(500), KillMode.INTERRUPT, KillMode.NATIVE_EXIT);
        for (KillResult s : r.escalation().steps()) {
            if (steps.length() > 0) steps.append(',');
            steps.append(s.mode().name()).append(':').append(s.outcome().name());
        }
        say("escalate.steps", steps.toString());
        say("kill.state", r.jvmStateBefore().name());
        say("tainted", Boolean.toString(ThreadKill.isTainted()));
        Tombstone t = ThreadKill.tombstones().get(0);
        say("tombstone", new StringBuilder(t.mode().name()).append(':').append(t.threadName()).toString());
        say("main.returning", "true");
    }

    static void say(String key, String value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }
}
