package org.threadkill.bench;

import org.threadkill.testing.Victims;

/**
 * One fresh victim thread of one kind. {@link #start} returns once it is doing its thing (asleep
 * in the kernel, spinning, blocked in read), so that every kill starts from the same steady state.
 * With a gate, the thread is created now but parks in native code until {@link #open}: a child JVM
 * can then create all its victims before the first NATIVE_EXIT (whose stack the next new thread
 * would inherit).
 */
public final class Victim {
    public enum Kind {
        /** Thread.sleep (blocked, asleep in the kernel). */
        SLEEP,
        /** A loop of Java code that ignores interrupts. */
        JAVA_SPIN,
        /** A loop inside a native call. */
        NATIVE_SPIN,
        /** Blocked in read(2) on a pipe nobody writes to. */
        NATIVE_READ;

        public boolean isNative() {
            return this == NATIVE_SPIN || this == NATIVE_READ;
        }
    }

    private static int nextSlot;

    public final Kind kind;
    public final Thread thread;
    final int slot;
    private final int gateWrite;
    private final int[] ownPipe;
    private volatile boolean stop;
    private volatile boolean phase;
    volatile long javaCounter;
    /** System.nanoTime() when the victim saw its interrupt or exception; 0 when it did not. */
    volatile long observedNs;

    private Victim(Kind kind, int slot, int gateRead, int gateWrite, int blockFd, long stackSize) {
        this.kind = kind;
        this.slot = slot;
        this.gateWrite = gateWrite;
        this.ownPipe = kind == Kind.NATIVE_READ && blockFd < 0 ? Victims.pipe() : null;
        int readFd = ownPipe != null ? ownPipe[0] : blockFd;
        Victims.reset(slot);
        Runnable body;
        switch (kind) {
            case SLEEP:
                body = () -> {
                    Victims.recordTid(slot);
                    phase = true;
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (Throwable e) {   // InterruptedException or the async ThreadKilledError
                        observedNs = System.nanoTime();
                    }
                };
                break;
            case JAVA_SPIN:
                body = () -> {
                    Victims.recordTid(slot);
                    try {
                        phase = true;
                        while (!stop) javaCounter++;
                    } catch (Throwable e) {
                        // Caught and not rethrown: the default uncaught-exception handler would print a
                        // stack trace to stderr, and that would be measured too.
                        observedNs = System.nanoTime();
                    }
                };
                break;
            case NATIVE_SPIN:
                body = () -> Victims.spinGated(slot, gateRead);
                break;
            default:
                body = () -> Victims.blockingReadGated(slot, gateRead, readFd);
                break;
        }
        thread = new Thread(null, body, kind + "-" + slot, stackSize);
        thread.setDaemon(true);
    }

    private static synchronized int slot() {
        int s = nextSlot;
        nextSlot = (nextSlot + 1) % Victims.SLOTS;
        return s;
    }

    /** A started victim, ready (see the class comment). */
    public static Victim start(Kind kind, long stackSize) {
        Victim v = new Victim(kind, slot(), -1, -1, -1, stackSize);
        v.thread.start();
        v.awaitReady();
        return v;
    }

    /** A started native victim that blocks on {@code blockFd} (shared by many victims; never written). */
    public static Victim startShared(Kind kind, int blockFd, long stackSize) {
        Victim v = new Victim(kind, slot(), -1, -1, blockFd, stackSize);
        v.thread.start();
        v.awaitReady();
        return v;
    }

    /** A started native victim parked at its gate; {@link #open} lets it spin or block. */
    public static Victim startGated(Kind kind, int sharedBlockFd, long stackSize) {
        if (!kind.isNative()) throw new IllegalArgumentException("only native victims have a gate: " + kind);
        int[] gate = Victims.pipe();
        Victim v = new Victim(kind, slot(), gate[0], gate[1], sharedBlockFd, stackSize);
        v.thread.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Victims.slotTid(v.slot) == 0 || Victims.kernelState(Victims.slotTid(v.slot)) != 'S') {
            pause(deadline, v);
        }
        return v;
    }

    public void open() {
        Victims.writeByte(gateWrite);
        awaitReady();
    }

    public int tid() {
        return Victims.slotTid(slot);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        switch (kind) {
            case SLEEP:
                while (!phase || thread.getState() != Thread.State.TIMED_WAITING || Victims.kernelState(tid()) != 'S') {
                    pause(deadline, this);
                }
                break;
            case JAVA_SPIN:
                while (!phase || javaCounter < 20_000) pause(deadline, this);
                break;
            case NATIVE_SPIN:
                while (Victims.phase(slot) != 1 || Victims.counter(slot) < 10_000) pause(deadline, this);
                break;
            default:
                while (Victims.phase(slot) != 1 || Victims.kernelState(tid()) != 'S') pause(deadline, this);
                break;
        }
    }

    private static void pause(long deadline, Victim v) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("victim " + v.thread.getName() + " not ready in time (state "
                    + v.thread.getState() + ")");
        }
        Thread.onSpinWait();
        Thread.yield();
    }

    /** Ends a victim that survived its kill (cleanup, not a measurement). */
    public void end() throws InterruptedException {
        stop = true;
        Victims.release(slot);
        if (ownPipe != null) Victims.writeByte(ownPipe[1]);
        thread.interrupt();
        thread.join(2000);
        if (ownPipe != null && !thread.isAlive()) {
            Victims.closeFd(ownPipe[0]);
            Victims.closeFd(ownPipe[1]);
        }
    }
}
