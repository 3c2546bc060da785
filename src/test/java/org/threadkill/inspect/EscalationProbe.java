package org.threadkill.inspect;

import java.time.Duration;
import java.util.stream.Collectors;

import org.threadkill.DamageReport;
import org.threadkill.Hazards;
import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.testing.VictimKind;

/**
 * Child-JVM program: inspect, escalate (default ladder), then damage and taint, printed as
 * {@code key=value} lines. Argument: {@code JAVA_SPIN} (a plain Java spinner) or {@code HOLDER_NATIVE}
 * (a native spinner holding a monitor and a ReentrantLock, a waiter blocked on each); optionally the
 * wait per step in milliseconds (default 1000).
 */
public final class EscalationProbe {
    private EscalationProbe() {}

    public static void main(String[] args) throws Exception {
        Thread victim;
        LockHolder holder = null;
        if (args[0].equals("JAVA_SPIN")) {
            victim = VictimKind.JAVA_SPIN.start("victim");
        } else {
            holder = new LockHolder("", 5);
            victim = holder.victim;
        }
        say("victim.started", "true");

        Hazards h = ThreadKill.inspect(victim);
        for (String line : h.toString().split("\n")) say("hazards.line", line);
        say("hazards.jvmState", h.jvmState().name());
        say("hazards.nativeMethod", String.valueOf(h.nativeMethod()));
        say("hazards.held", h.held().stream().map(x -> x.kind() + ":" + x.className()).collect(Collectors.joining(",")));
        say("hazards.waiters", h.waiters().stream().map(Hazards.Waiter::threadName).sorted().collect(Collectors.joining(",")));
        for (KillMode m : KillMode.values()) {
            Hazards.Verdict v = h.verdict(m);
            say("verdict." + m, v.effect() + (v.jvmSurvives() ? "" : "/DOOMED") + (v.allowed() ? "" : "/REFUSED"));
        }

        // Generous: on 2 cores shared with other work, a native freeze has been seen to take 60 ms.
        Duration waitPerStep = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 1000);
        KillResult r = ThreadKill.escalate(victim, waitPerStep);
        say("escalate.result", r.toString());
        say("escalate.steps", r.escalation().steps().stream().map(s -> s.mode() + ":" + s.outcome())
                .collect(Collectors.joining(",")));
        say("escalate.stoppedBy", String.valueOf(r.escalation().stoppedBy()));
        say("escalate.skipped", r.escalation().skipped().toString());
        say("escalate.hazardsHeld", Integer.toString(r.hazards() == null ? -1 : r.hazards().held().size()));
        say("escalate.latencies", r.escalation().steps().stream().map(s -> Long.toString(s.latency().toNanos()))
                .collect(Collectors.joining(",")));

        say("straySignals", Long.toString(org.threadkill.internal.Diagnostics.straySignals()));
        say("tainted", Boolean.toString(ThreadKill.isTainted()));
        say("taintReason", String.valueOf(ThreadKill.taintReason()));
        say("tombstones", Integer.toString(ThreadKill.tombstones().size()));
        if (holder != null && ThreadKill.isTainted()) {
            // Both waiters stay blocked on what the frozen victim holds; wait (bounded) for damage to show both.
            DamageReport d = ThreadKill.damage();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (d.blocked().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
                d = ThreadKill.damage();
            }
            Thread.sleep(50);
            d = ThreadKill.damage();
            for (String line : d.toString().split("\n")) say("damage.line", line);
            say("damage.blocked", d.blocked().stream().map(DamageReport.BlockedThread::threadName).sorted()
                    .collect(Collectors.joining(",")));
            say("damage.locks", d.blocked().stream().map(b -> b.lock().replaceFirst("@.*", "")).sorted()
                    .collect(Collectors.joining(",")));
            say("damage.owner", d.blocked().isEmpty() ? "" : d.blocked().get(0).killedOwner().threadName()
                    + ":" + d.blocked().get(0).killedOwner().mode());
            say("damage.minBlockedMs", Long.toString(d.blocked().stream()
                    .mapToLong(b -> b.blockedAtLeast().toMillis()).min().orElse(-1)));
        } else {
            say("damage.empty", Boolean.toString(ThreadKill.damage().isEmpty()));
        }
        say("main.returning", "true");
    }

    static void say(String key, String value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }
}
