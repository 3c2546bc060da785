package org.threadkill.probes;

import org.threadkill.testing.Victims;

import java.time.Duration;

import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.internal.Diagnostics;

/**
 * Child-JVM program about the kill signal and the warning log. Argument "foreign": another handler
 * already owns SIGRTMIN+4 before the first kill. "held": the victim holds a monitor and sits in
 * native code when it is frozen. "delivery": how the kill signal is sent here (the install-time
 * probe's choice), and one acknowledged signal through it.
 */
public final class SignalProbe {
    private SignalProbe() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("delivery")) {
            Diagnostics.installSignal();
            System.out.println("delivery=" + Diagnostics.delivery());
            Thread t = new Thread(() -> Victims.spin(6), "ack-target");
            t.setDaemon(true);
            t.start();
            Diagnostics.Ack ack = Diagnostics.acknowledgeSignal(t, Duration.ofSeconds(10));
            System.out.println("acknowledged=" + ack.acknowledged());
            System.out.println("pidfd=" + ack.pidfd());
            System.out.println("stray=" + Diagnostics.straySignals());
            Victims.release(6);
            return;
        }
        Object lock = new Object();
        Thread victim = new Thread(() -> {
            synchronized (lock) {
                Victims.spin(5);
            }
        }, "holder");
        victim.setDaemon(true);
        victim.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Victims.counter(5) == 0 && System.nanoTime() < deadline) Thread.sleep(1);
        if (args[0].equals("foreign")) {
            System.out.println("foreign.installed=" + Victims.installForeignHandler(4));
        }
        try {
            KillResult r = ThreadKill.kill(victim, KillMode.NATIVE_FREEZE, Duration.ofSeconds(2));
            System.out.println("outcome=" + r.outcome());
            System.out.println("tid=" + r.tid());
            System.out.println("held=" + r.held());
            System.out.println("lock=" + lock.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(lock)));
        } catch (RuntimeException e) {
            System.out.println("error=" + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
