package org.threadkill.junit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests past their {@code @Timeout} and their {@code @KillOnTimeout}, run by {@link LauncherMain}
 * with {@code junit.jupiter.execution.timeout.mode=disabled}: neither Jupiter nor threadkill may act.
 */
@ExtendWith(KillOnTimeoutExtension.class)
class TimeoutModeSamples {
    static final AtomicLong SPIN = new AtomicLong();

    @Test
    @Timeout(value = 300, unit = TimeUnit.MILLISECONDS)
    void sleepsPastItsTimeout() throws InterruptedException {
        assertFalse(Thread.currentThread().getName().startsWith("threadkill-deadline"), "ran on a threadkill runner");
        Thread.sleep(800);
    }

    @Test
    @KillOnTimeout(value = 300, unit = TimeUnit.MILLISECONDS)
    void sleepsPastItsKillOnTimeout() throws InterruptedException {
        assertFalse(Thread.currentThread().getName().startsWith("threadkill-deadline"), "ran on a threadkill runner");
        Thread.sleep(800);
    }
}
