package org.threadkill.testing;

import java.time.Duration;

import org.threadkill.KillMode;
import org.threadkill.ThreadKill;

/**
 * Child-JVM program that uses threadkill as an application would, through the public API only, and
 * prints exactly the lines below: anything else in its output came from the library or its
 * dependencies. {@code halt} as argument ends the JVM with {@code Runtime.halt} (no shutdown hooks,
 * no delete-on-exit), as a crash would.
 */
public final class Consumer {
    private Consumer() {}

    public static void main(String[] args) throws Exception {
        System.out.println("available=" + ThreadKill.isAvailable());
        Throwable cause = ThreadKill.unavailabilityCause();
        if (cause != null) {
            System.out.println("cause=" + cause.getMessage());
            return;
        }
        Thread sleeper = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // INTERRUPT ends it
            }
        }, "sleeper");
        sleeper.setDaemon(true);
        sleeper.start();
        System.out.println("tid.known=" + (ThreadKill.nativeId(sleeper).tid() > 0));
        System.out.println("held=" + ThreadKill.inspect(sleeper).held().size());
        System.out.println("interrupt=" + ThreadKill.kill(sleeper, KillMode.INTERRUPT, Duration.ofSeconds(10)).outcome());
        System.out.println("done");
        System.out.flush();
        if (args.length > 0 && args[0].equals("halt")) Runtime.getRuntime().halt(0);
    }
}
