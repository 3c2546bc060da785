package org.threadkill.inspect;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.threadkill.DamageReport;
import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;

/**
 * Child-JVM program: a victim holding monitor A, blocked entering monitor B, held by 'partner',
 * which is blocked entering A: a deadlock. The victim is frozen with a one-step ladder; damage()
 * must then report the partner blocked on A and the cycle through the killed victim.
 */
public final class DeadlockProbe {
    private DeadlockProbe() {}

    public static void main(String[] args) throws Exception {
        Object a = new Object();
        Object b = new Object();
        CountDownLatch partnerHasB = new CountDownLatch(1);
        CountDownLatch victimHasA = new CountDownLatch(1);
        Thread partner = daemon("partner", () -> {
            synchronized (b) {
                partnerHasB.countDown();
                await(victimHasA);
                synchronized (a) {
                    a.hashCode();
                }
            }
        });
        partnerHasB.await();
        Thread victim = daemon("victim", () -> {
            synchronized (a) {
                victimHasA.countDown();
                synchronized (b) {
                    b.hashCode();
                }
            }
        });
        LockHolder.awaitBlockedOn(victim, partner);
        LockHolder.awaitBlockedOn(partner, victim);
        say("deadlocked", "true");

        KillResult r = ThreadKill.escalate(victim, Duration.ofSeconds(2), KillMode.NATIVE_FREEZE);
        say("escalate.steps", r.escalation().steps().stream().map(s -> s.mode() + ":" + s.outcome())
                .collect(Collectors.joining(",")));
        say("kill.state", r.jvmStateBefore().name());
        DamageReport d = ThreadKill.damage();
        for (String line : d.toString().split("\n")) say("damage.line", line);
        say("damage.blocked", d.blocked().stream().map(x -> x.threadName() + ":" + x.state())
                .collect(Collectors.joining(",")));
        say("damage.deadlocks", d.deadlocks().stream().map(c -> c.threadNames().stream().sorted()
                .collect(Collectors.joining("+")) + " killed " + c.killed().get(0).threadName())
                .collect(Collectors.joining(",")));
        say("main.returning", "true");
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void say(String key, String value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }
}
