package org.threadkill.consequences;

/**
 * A heartbeat that lets the parent tell a hung JVM from a busy one, and a watch on main: once
 * armed, main must print an event at least every {@value #MAIN_SILENCE_MS} ms (or within the bound
 * of the probe it waits for). When it does not while the heartbeat still runs, main is stuck in an
 * operation that needs the victim (a safepoint or handshake it never joins): the heartbeat reports
 * it and stops, so that the parent sees the stall.
 */
public final class Watchdog {
    public static final int HEARTBEAT_MS = 200;
    /** Silence of main allowed between two of its events, unless a step asks for more. */
    public static final long MAIN_SILENCE_MS = 5000;

    private final Timeline timeline;
    private final Findings findings;
    private volatile boolean heartbeat;
    /** Main must print its next event before this (nanoTime); Long.MAX_VALUE while unarmed. */
    private volatile long mainDeadline = Long.MAX_VALUE;
    private volatile String mainStep = "";
    private volatile long mainSince;
    private volatile Thread mainThread;

    Watchdog(Timeline timeline, Findings findings) {
        this.timeline = timeline;
        this.findings = findings;
        timeline.onEvent(this::eventPrinted);
    }

    private void eventPrinted(String step) {
        if (Thread.currentThread() == mainThread && mainDeadline != Long.MAX_VALUE) {
            mainStep = step;
            mainSince = System.nanoTime();
            mainDeadline = System.nanoTime() + MAIN_SILENCE_MS * 1_000_000;
        }
    }

    /** Arms the watch on the calling thread (main). */
    public void watchMain() {
        mainThread = Thread.currentThread();
        mainSince = System.nanoTime();
        mainDeadline = System.nanoTime() + MAIN_SILENCE_MS * 1_000_000;
    }

    /** Main may stay silent for {@code ms} from now (it waits for a bounded probe). */
    void allowMain(long ms) {
        if (Thread.currentThread() == mainThread && mainDeadline != Long.MAX_VALUE) {
            mainDeadline = System.nanoTime() + ms * 1_000_000;
        }
    }

    /** Prints a line every {@value #HEARTBEAT_MS} ms; stops when the JVM does (a safepoint that never ends). */
    public void startHeartbeat() {
        heartbeat = true;
        Thread hb = new Thread(() -> {
            while (heartbeat) {
                timeline.heartbeat();
                long late = System.nanoTime() - mainDeadline;
                if (late > 0) {
                    findings.add(Outcome.JVM_HANG, "main has been stuck for " + (System.nanoTime() - mainSince) / 1_000_000
                            + " ms after: " + mainStep + " (threads that need no safepoint still run: "
                            + "this heartbeat did; it stops now)");
                    heartbeat = false;
                    return;
                }
                try {
                    Thread.sleep(HEARTBEAT_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heartbeat");
        hb.setDaemon(true);
        hb.start();
    }

    /** Main is about to return: the heartbeat stops, so that an exit that never completes shows as a stall. */
    public void mainReturning() {
        timeline.ev("main.returning", "main returns; the JVM should now exit");
        mainDeadline = Long.MAX_VALUE;
        heartbeat = false;
    }
}
