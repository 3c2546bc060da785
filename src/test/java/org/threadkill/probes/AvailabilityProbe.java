package org.threadkill.probes;

import java.time.Duration;

import org.threadkill.KillMode;
import org.threadkill.ThreadKill;

/** Child-JVM program: reports whether the library loaded, why not, and how kills then behave. */
public final class AvailabilityProbe {
    private AvailabilityProbe() {}

    public static void main(String[] args) throws Exception {
        System.out.println("module=" + ThreadKill.class.getModule().getName());
        System.out.println("available=" + ThreadKill.isAvailable());
        Throwable cause = ThreadKill.unavailabilityCause();
        System.out.println("cause=" + (cause == null ? "null" : cause.getMessage()));
        Thread sleeper = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // INTERRUPT ends it
            }
        }, "sleeper");
        sleeper.setDaemon(true);
        sleeper.start();
        for (KillMode mode : new KillMode[] {KillMode.NATIVE_FREEZE, KillMode.ASYNC_EXCEPTION}) {
            try {
                ThreadKill.kill(sleeper, mode, Duration.ofSeconds(1));
                System.out.println(mode + "=no exception");
            } catch (RuntimeException e) {
                System.out.println(mode + "=" + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        System.out.println("INTERRUPT=" + ThreadKill.kill(sleeper, KillMode.INTERRUPT, Duration.ofSeconds(10)).outcome());
        if (ThreadKill.isAvailable()) {
            Thread spinner = new Thread(() -> org.threadkill.testing.Victims.spin(3), "native spinner");
            spinner.setDaemon(true);
            spinner.start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (org.threadkill.testing.Victims.counter(3) == 0 && System.nanoTime() < deadline) Thread.sleep(1);
            System.out.println("freeze=" + ThreadKill.kill(spinner, KillMode.NATIVE_FREEZE, Duration.ofSeconds(5)).outcome());
        }
    }
}
