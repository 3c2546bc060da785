package org.threadkill.consequences;

import java.util.function.BooleanSupplier;

/** Bounded waits for a victim to get into position. */
public final class Waits {
    private Waits() {}

    /** Waits (bounded) until the condition holds; false when it never did. */
    public static boolean until(BooleanSupplier condition, long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + maxMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(2);
        }
        return true;
    }
}
