package org.threadkill.inspect;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.threadkill.testing.Victims;

/**
 * A victim that holds a monitor and a ReentrantLock, with one waiter blocked on each. The victim,
 * once it holds both, either parks (Java) or spins in native code ({@link Victims#spin}).
 */
public final class LockHolder {
    public final Object monitor = new Object();
    public final ReentrantLock lock = new ReentrantLock();
    public final Thread victim;
    public final Thread monitorWaiter;
    public final Thread lockWaiter;
    private final int nativeSlot;
    private volatile boolean released;

    /** @param nativeSlot the Victims spin slot to spin in, or -1 to park in Java */
    public LockHolder(String prefix, int nativeSlot) throws InterruptedException {
        this.nativeSlot = nativeSlot;
        CountDownLatch holding = new CountDownLatch(1);
        victim = daemon(prefix + "victim", () -> {
            lock.lock();
            try {
                synchronized (monitor) {
                    holding.countDown();
                    if (nativeSlot >= 0) {
                        Victims.spin(nativeSlot);
                    } else {
                        while (!released) LockSupport.park(this);
                    }
                }
            } finally {
                lock.unlock();
            }
        });
        holding.await();
        monitorWaiter = daemon(prefix + "monitor-waiter", () -> {
            synchronized (monitor) {
                monitor.hashCode();
            }
        });
        lockWaiter = daemon(prefix + "lock-waiter", () -> {
            lock.lock();
            lock.unlock();
        });
        awaitBlockedOn(monitorWaiter, victim);
        awaitBlockedOn(lockWaiter, victim);
        if (nativeSlot >= 0) {
            long c0 = Victims.counter(nativeSlot);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (Victims.counter(nativeSlot) == c0 && System.nanoTime() < deadline) Thread.sleep(1);
        }
    }

    /** Lets the victim (Java or native) finish and release everything. */
    public void release() {
        released = true;
        if (nativeSlot >= 0) Victims.release(nativeSlot);
        LockSupport.unpark(victim);
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Bounded wait (10 s) until {@code waiter} is blocked with {@code owner} as its lock owner. */
    @SuppressWarnings("deprecation")
    public static void awaitBlockedOn(Thread waiter, Thread owner) throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            ThreadInfo i = mx.getThreadInfo(waiter.getId());
            if (i != null && i.getLockOwnerId() == owner.getId()) return;
            Thread.sleep(1);
        }
        throw new IllegalStateException("'" + waiter.getName() + "' did not block on '" + owner.getName() + "' within 10 s");
    }
}
