package org.threadkill.junit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.FileInputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stuck tests that carry only Jupiter's own {@code @Timeout}, in a class that registers
 * threadkill's extension by hand; run by {@link LauncherMain} in a child JVM (surefire does not pick
 * it up: its name matches none of surefire's patterns).
 */
@ExtendWith(KillOnTimeoutExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JupiterTimeoutSamples {
    static final AtomicLong SPIN = new AtomicLong();
    static final Object SHARED = new Object();

    /** Under a deadline too, so that the run layer's first use in this JVM (it warms up) is not a stuck test's. */
    @Test
    @Order(1)
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void passesFirst() {
        SPIN.incrementAndGet();
    }

    /** junit5 #2087: Jupiter alone fails this after 1 s (SAME_THREAD) and leaves it spinning. */
    @Test
    @Order(2)
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void infiniteLoop() {
        while (true) SPIN.incrementAndGet();
    }

    @Test
    @Order(3)
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void stuckInNativeCode() throws Exception {
        synchronized (SHARED) {
            try (FileInputStream in = new FileInputStream(System.getProperty("stuck.fifo"))) {
                in.read();
            }
        }
    }

    @Test
    @Order(4)
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    @SuppressWarnings("InfiniteLoopStatement")
    void swallowsThrowable() {
        while (true) {
            try {
                while (true) SPIN.incrementAndGet();
            } catch (Throwable t) {
                SPIN.incrementAndGet();   // and on it goes
            }
        }
    }

    /** Jupiter alone would abandon this loop on its own thread after 1 s. */
    @Test
    @Order(5)
    @Timeout(value = 1, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void infiniteLoopInSeparateThreadMode() {
        while (true) SPIN.incrementAndGet();
    }

    @Test
    @Order(6)
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    @KillOnTimeout(value = 300, unit = TimeUnit.MILLISECONDS)
    void killOnTimeoutWinsWhenShorter() throws InterruptedException {
        Thread.sleep(60_000);
    }

    @Test
    @Order(7)
    @Timeout(value = 500, unit = TimeUnit.MILLISECONDS)
    @KillOnTimeout(value = 5, unit = TimeUnit.SECONDS)
    void killOnTimeoutWinsWhenLonger() throws InterruptedException {
        Thread.sleep(1200);
    }

    @Test
    @Order(8)
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void failsPlainly() {
        fail("an ordinary failure, within its time");
    }

    @Test
    @Order(9)
    void passesAfterTheStuckOnes() {
        SPIN.incrementAndGet();
    }
}
