package org.threadkill.probes;

import org.threadkill.testing.Victims;

import java.time.Duration;

import org.threadkill.JvmState;
import org.threadkill.KillMode;
import org.threadkill.ThreadKill;

/**
 * Child-JVM program: a victim waits in native code on a pthread condition variable that other
 * threads share; it is frozen there; then other threads keep using the condition variable (wait,
 * broadcast) for a number of rounds. Prints each round as it completes.
 */
public final class SharedCondvarProbe {
    private SharedCondvarProbe() {}

    public static void main(String[] args) throws Exception {
        Thread victim = new Thread(Victims::waitShared, "victim");
        victim.setDaemon(true);
        victim.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ThreadKill.nativeId(victim).jvmState() != JvmState.IN_NATIVE && System.nanoTime() < deadline) Thread.sleep(1);
        Thread.sleep(100);   // asleep inside pthread_cond_wait by now
        System.out.println("kill=" + ThreadKill.kill(victim, KillMode.valueOf(args[0]), Duration.ofSeconds(2)).outcome());
        for (int round = 1; round <= 5; round++) {
            Thread waiter = new Thread(Victims::waitShared, "waiter-" + round);
            waiter.setDaemon(true);
            waiter.start();
            while (waiter.getState() == Thread.State.NEW) Thread.sleep(1);
            Thread.sleep(50);   // the waiter is inside pthread_cond_wait
            System.out.println("round" + round + "=broadcasting");
            Victims.broadcastShared();
            waiter.join();
            System.out.println("round" + round + "=ok");
        }
        System.out.println("done=true");
    }
}
