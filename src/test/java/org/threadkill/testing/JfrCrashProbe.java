package org.threadkill.testing;

import java.time.Duration;

import org.threadkill.KillMode;
import org.threadkill.ThreadKill;

/**
 * Child-JVM program: a sleeping victim holding a monitor, killed with NATIVE_EXIT at once (the
 * library loads with that very call), then new threads and GCs until the JVM crashes on the reused
 * stack. Run with a JFR recording, the crash writes hs_err_pid&lt;pid&gt;.jfr.
 */
public final class JfrCrashProbe {
    private JfrCrashProbe() {}

    public static void main(String[] args) throws Exception {
        Object lock = new Object();
        Thread victim = new Thread(() -> {
            synchronized (lock) {
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    // not reached
                }
            }
        }, "victim");
        victim.setDaemon(true);
        victim.start();
        Thread.sleep(300);
        System.out.println("kill=" + ThreadKill.kill(victim, KillMode.NATIVE_EXIT, Duration.ofSeconds(2)).outcome());
        for (int i = 0; i < 20; i++) {
            Thread t = new Thread(() -> {
                synchronized (lock) {
                    lock.hashCode();
                }
            });
            t.setDaemon(true);
            t.start();
            System.gc();
        }
        System.out.println("survived");
    }
}
