package org.threadkill.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The library's WARNING log lines, written by a daemon thread of their own ("threadkill-warnings")
 * so that the caller of a kill never waits on a logger: a victim frozen while it held a logging
 * handler's lock or System.err's would otherwise stop the killer too (seen: 3 of 3 runs). A line
 * that cannot be written now waits in a bounded queue and goes out once the stream is free;
 * beyond the bound, lines are counted and dropped rather than grow memory.
 */
final class Warnings {
    private Warnings() {}

    private static final System.Logger LOG = System.getLogger("org.threadkill");
    private static final int MAX_QUEUED = 1024;
    private static final ConcurrentLinkedQueue<Supplier<String>> QUEUE = new ConcurrentLinkedQueue<>();
    private static final AtomicLong QUEUED = new AtomicLong();
    private static final AtomicLong WRITTEN = new AtomicLong();
    private static final AtomicLong DROPPED = new AtomicLong();
    private static final Thread WRITER = new Thread(Warnings::drain, "threadkill-warnings");

    static {
        LOG.isLoggable(System.Logger.Level.WARNING);   // the logging system starts now, not at the first kill
        WRITER.setDaemon(true);
        WRITER.start();
        new Parts(new Object[0]);   // loaded now: warn(Object...) may run right after a freeze
        new Flush(0);               // and the flusher that warn starts
    }

    /** Concatenated on the writer thread, not the caller's: the caller only allocates. */
    private static final class Parts implements Supplier<String> {
        private final Object[] parts;

        Parts(Object[] parts) {
            this.parts = parts;
        }

        @Override
        public String get() {
            StringBuilder sb = new StringBuilder();
            for (Object p : parts) sb.append(p);
            return sb.toString();
        }
    }

    /** Queues the concatenation of {@code parts} (their toString runs on the writer thread). */
    static long warn(Object... parts) {
        return warn(new Parts(parts));
    }

    /** Loads the class (starts the writer) before any kill, so that nothing new runs after one. */
    static void prepare() {
        // the static initializer did the work
    }

    /** Queues a line; returns its sequence number (for {@link #awaitWritten}), or -1 when dropped. */
    static long warn(Supplier<String> line) {
        long seq = enqueue(line);
        if (seq > 0) keepTheJvmForIt(seq);
        return seq;
    }

    /**
     * Queues a line written before a NATIVE_EXIT or NATIVE_CANCEL signal, which the caller waits
     * for itself: no thread is started for it, because a thread that ends around the kill hands its
     * stack to glibc's cache, and which stack the next new thread gets is part of what such a kill
     * does (the consequence suite shows it).
     */
    static long warnBeforeSignal(String line) {
        return enqueue(new Parts(new Object[] {line}));
    }

    private static long enqueue(Supplier<String> line) {
        if (QUEUED.get() - WRITTEN.get() >= MAX_QUEUED) {
            DROPPED.incrementAndGet();
            return -1;
        }
        long seq = QUEUED.incrementAndGet();
        QUEUE.add(line);
        LockSupport.unpark(WRITER);
        return seq;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean FLUSHER = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * The flusher's work: a class of its own, loaded by the static initializer, not a lambda, whose
     * first link would spin classes in the killer, which warns while its victim is still
     * JVMTI-suspended (SuspendedWindowTest).
     */
    private static final class Flush implements Runnable {
        private final long seq;

        Flush(long seq) {
            this.seq = seq;
        }

        @Override
        public void run() {
            try {
                awaitWritten(Math.max(seq, QUEUED.get()), 2_000_000_000L);
            } finally {
                FLUSHER.set(false);
            }
        }
    }

    /**
     * A normal exit (main returns) waits for non-daemon threads before it runs the shutdown hooks,
     * one of which closes the logging handlers: a short-lived non-daemon thread that waits for the
     * line (2 s at most, in case the stream is held for good) keeps it from being lost that way.
     */
    private static void keepTheJvmForIt(long seq) {
        if (!FLUSHER.compareAndSet(false, true)) return;   // one is waiting already; it waits for all
        try {
            Thread t = new Thread(new Flush(seq), "threadkill-warnings-flush");
            t.setDaemon(false);
            t.start();
        } catch (RuntimeException | Error e) {
            FLUSHER.set(false);   // no thread to be had: the line may be lost at exit
        }
    }

    /**
     * Waits up to {@code maxNanos} for line {@code seq} to be written; false when it was not (the
     * stream is held): the caller goes on, and the line goes out later if it can.
     */
    static boolean awaitWritten(long seq, long maxNanos) {
        if (seq < 0) return false;
        long deadline = System.nanoTime() + maxNanos;
        while (WRITTEN.get() < seq) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            LockSupport.parkNanos(Math.min(left, 200_000L));
        }
        return true;
    }

    private static void drain() {
        while (true) {
            Supplier<String> line = QUEUE.poll();
            if (line == null) {
                LockSupport.park();
                continue;
            }
            try {
                LOG.log(System.Logger.Level.WARNING, line.get());
                long dropped = DROPPED.getAndSet(0);
                if (dropped > 0) LOG.log(System.Logger.Level.WARNING, "threadkill: " + dropped + " warnings dropped");
            } catch (RuntimeException | Error e) {
                // a broken logger must not end the writer
            } finally {
                WRITTEN.incrementAndGet();
            }
        }
    }
}
