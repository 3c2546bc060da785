package org.threadkill.junit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * No threadkill annotation at all: {@link LauncherMain} runs this with Jupiter's extension
 * auto-detection on (the test resources' META-INF/services names the extension) and
 * {@code junit.jupiter.execution.timeout.default}, in a child JVM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GlobalTimeoutSamples {
    static final AtomicLong SPIN = new AtomicLong();

    /** Under the default timeout, so that the run layer's first use in this JVM (it warms up) is not a stuck test's. */
    @Test
    @Order(0)
    void passesFirst() {
        SPIN.incrementAndGet();
    }

    @Test
    @Order(1)
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void infiniteLoop() {
        while (true) SPIN.incrementAndGet();
    }

    /** Only the configured default timeout applies. */
    @Test
    @Order(2)
    void infiniteLoopUnderTheDefaultTimeout() {
        while (true) SPIN.incrementAndGet();
    }

    @Test
    @Order(3)
    void passesAfterTheStuckOnes() {
        SPIN.incrementAndGet();
    }
}
