package org.threadkill.run;

import org.threadkill.ThreadKill;

/**
 * The library's first snapshot loads classes and the native library (measured here: up to a second
 * on a loaded 2-core machine, then tens of milliseconds). It is paid once, in the background, when
 * the run layer is first used, not at a caller's deadline.
 */
final class Warmup {
    private Warmup() {}

    static {
        Thread warm = new Thread(() -> {
            try {
                ThreadKill.inspect(Thread.currentThread());
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
