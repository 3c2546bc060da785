package org.threadkill.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.FileInputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A suite with stuck tests, run by {@link LauncherMain} through the real JUnit Platform launcher in
 * a child JVM (surefire does not pick it up: its name matches none of surefire's patterns).
 */
@KillOnTimeout(value = 1, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StuckSamples {
    static final AtomicLong SPIN = new AtomicLong();
    static final Object SHARED = new Object();

    @Test
    @Order(1)
    void passesFirst() {
        assertEquals(2, 1 + 1);
    }

    /** junit5 #2087: Jupiter's @Timeout cannot stop this. */
    @Test
    @Order(2)
    void infiniteLoop() {
        while (true) SPIN.incrementAndGet();
    }

    /** Blocked in open(2) on a FIFO nobody writes to: native code, out of reach of interrupt and async exceptions. */
    @Test
    @Order(3)
    void stuckInNativeCode() throws Exception {
        synchronized (SHARED) {   // so that the failure and the summary have something held to name
            try (FileInputStream in = new FileInputStream(System.getProperty("stuck.fifo"))) {
                in.read();
            }
        }
    }

    @Test
    @Order(4)
    void failsPlainly() {
        fail("an ordinary failure, within its time");
    }

    @Test
    @Order(5)
    @KillOnTimeout(value = 300, unit = TimeUnit.MILLISECONDS)
    void sleepsPastAShorterMethodLevelBudget() throws InterruptedException {
        Thread.sleep(60_000);
    }

    @Test
    @Order(6)
    void passesAfterTheStuckOnes() {
        assertEquals(4, 2 * 2);
    }
}
