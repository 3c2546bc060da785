package org.threadkill.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One native kill at a time in this JVM, in every class loader that loads threadkill (the token is
 * {@link JvmWide}'s). A thread that is itself in the middle of a native kill can
 * then never be frozen or ended by another (two threads freezing each other would both end frozen,
 * one of them with no tombstone), and the C side's request slots are never held by a parked killer.
 * Lock-free: a killer that waits for the token parks on its own thread, which holds nothing, and it
 * waits no longer than its own wait.
 */
final class KillToken {
    private KillToken() {}

    private static final AtomicReference<Thread> OWNER = JvmWide.KILL_TOKEN;

    /** Takes the token, waiting until {@code deadline} ({@code System.nanoTime()}) at most. */
    static boolean acquire(long deadline) {
        Thread self = Thread.currentThread();
        boolean interrupted = false;
        long pause = 20_000L;
        try {
            while (!OWNER.compareAndSet(null, self)) {
                if (System.nanoTime() - deadline >= 0) return false;
                LockSupport.parkNanos(pause);
                if (Thread.interrupted()) interrupted = true;   // park would return at once: keep the wait honest
                pause = Math.min(1_000_000L, pause * 2);
            }
            return true;
        } finally {
            if (interrupted) self.interrupt();
        }
    }

    static void release() {
        OWNER.compareAndSet(Thread.currentThread(), null);
    }

    /** The thread that holds the token now, or null. */
    static Thread owner() {
        return OWNER.get();
    }
}
