package org.threadkill.run;

import org.threadkill.ThreadKill;

/**
 * The library's first snapshot loads classes and the native library (measured here: up to a second
 * on a loaded 2-core machine, then tens of milliseconds), and its first interrupt and async exception
 * load the code of those steps. It is paid once, in the background, when the run layer is first
 * used, not at a caller's deadline: a snapshot of this thread, then both Java-level steps against a
 * parked thread of its own (no native step, nothing logged).
 */
final class Warmup {
    private Warmup() {}

    static {
        Thread warm = new Thread(() -> {
            try {
                ThreadKill.inspect(Thread.currentThread());
                Thread parked = new Thread(() -> {
                    try {
                        while (true) {
                            java.util.concurrent.locks.LockSupport.park();
                            Thread.interrupted();   // the warm-up's interrupt: park again
                        }
                    } catch (Throwable expected) {
                        // the warm-up's async exception: this thread's end
                    }
                }, Runners.NAME_PREFIX + "warmup-target");
                parked.setDaemon(true);
                parked.start();
                ThreadKill.kill(parked, org.threadkill.KillMode.INTERRUPT, java.time.Duration.ZERO);
                ThreadKill.kill(parked, org.threadkill.KillMode.ASYNC_EXCEPTION, java.time.Duration.ofSeconds(1));
            } catch (RuntimeException ignored) {
                // unavailable here: the ladder says so when it runs
            }
        }, Runners.NAME_PREFIX + "warmup");
        warm.setDaemon(true);
        warm.start();
    }

    /** Starts the warm-up once (class initialisation); costs nothing afterwards. */
    static void ensure() {
        // the static initialiser does the work
    }
}
