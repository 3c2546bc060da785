package org.threadkill.internal;

import java.time.Duration;

/** Durations as the native side takes them. */
final class Durations {
    private Durations() {}

    /** {@code d} in nanoseconds, {@code Long.MAX_VALUE} when it does not fit. */
    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
