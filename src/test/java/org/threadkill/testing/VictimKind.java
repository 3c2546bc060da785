package org.threadkill.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** The four kinds of victim every mode is tried on. Each reports progress through a counter. */
public enum VictimKind {
    /** A loop of pure Java code (compiled, with safepoint polls). */
    JAVA_SPIN,
    /** Thread.sleep for a very long time. */
    SLEEP,
    /** A loop inside a native method: out of reach of interrupts and async exceptions. */
    NATIVE_SPIN,
    /** Blocked in read(2) on a pipe nobody writes to. */
    NATIVE_READ;

    public static final AtomicLong JAVA_COUNTER = new AtomicLong();
    private static final int NATIVE_SLOT = 0;

    /** Starts a daemon victim of this kind, and returns once it is doing its thing. */
    public Thread start(String name) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        Runnable body;
        switch (this) {
            case JAVA_SPIN:
                body = () -> {
                    running.countDown();
                    while (true) JAVA_COUNTER.incrementAndGet();
                };
                break;
            case SLEEP:
                body = () -> {
                    running.countDown();
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        // the interrupt ends the sleeper: it returns
                    }
                };
                break;
            case NATIVE_SPIN:
                body = () -> {
                    running.countDown();
                    Victims.spin(NATIVE_SLOT);
                };
                break;
            default:
                int[] pipe = Victims.pipe();
                body = () -> {
                    running.countDown();
                    Victims.blockingRead(pipe[0]);
                };
                break;
        }
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        running.await();
        // Let it settle into its loop, sleep or syscall (and the JIT compile the spinner).
        long deadline = System.nanoTime() + 2_000_000_000L;
        if (this == JAVA_SPIN || this == NATIVE_SPIN) {
            long before = progress();
            while (progress() - before < 1_000_000 && System.nanoTime() < deadline) Thread.sleep(5);
        } else {
            while (t.getState() == Thread.State.RUNNABLE && this == SLEEP && System.nanoTime() < deadline) Thread.sleep(1);
            Thread.sleep(50);
        }
        return t;
    }

    /** Work done so far by spinners (0 for the others). */
    public long progress() {
        switch (this) {
            case JAVA_SPIN: return JAVA_COUNTER.get();
            case NATIVE_SPIN: return Victims.counter(NATIVE_SLOT);
            default: return 0;
        }
    }
}
