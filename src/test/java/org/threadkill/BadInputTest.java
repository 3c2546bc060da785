package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.threadkill.testing.ChildJvm;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input never reaches a signal: each case gets an exception naming the problem, and the JVM
 * stays healthy. These send nothing, so they run in the test JVM itself (which the surefire
 * configuration starts with -Dthreadkill.allowNativeKill=true).
 */
class BadInputTest {
    private static final Duration WAIT = Duration.ofMillis(100);

    static Thread startVirtual(Runnable r) throws Exception {
        return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, r);
    }

    @AfterEach
    void jvmStaysHealthy() throws Exception {
        System.gc();
        CountDownLatch ran = new CountDownLatch(1);
        Thread t = new Thread(ran::countDown, "health check");
        t.start();
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        t.join();
        assertTrue(Thread.currentThread().getStackTrace().length > 0);
    }

    @Test
    void nullArguments() {
        Thread t = Thread.currentThread();
        assertEquals("thread", assertThrows(NullPointerException.class,
                () -> ThreadKill.kill(null, KillMode.INTERRUPT, WAIT)).getMessage());
        assertEquals("mode", assertThrows(NullPointerException.class,
                () -> ThreadKill.kill(t, null, WAIT)).getMessage());
        assertEquals("wait", assertThrows(NullPointerException.class,
                () -> ThreadKill.kill(t, KillMode.INTERRUPT, null)).getMessage());
    }

    @Test
    void negativeWait() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ThreadKill.kill(Thread.currentThread(), KillMode.INTERRUPT, Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(KillMode.class)
    void unstartedThread(KillMode mode) {
        Thread t = new Thread(() -> { }, "never started");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ThreadKill.kill(t, mode, WAIT));
        assertTrue(e.getMessage().contains("'never started' has not been started"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = KillMode.class, names = "INTERRUPT", mode = EnumSource.Mode.EXCLUDE)
    void currentThread(KillMode mode) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ThreadKill.kill(Thread.currentThread(), mode, WAIT));
        assertTrue(e.getMessage().contains("is the current thread"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(KillMode.class)
    void terminatedThreadIsNeverSignalled(KillMode mode) throws Exception {
        long straysBefore = org.threadkill.internal.Diagnostics.straySignals();
        Thread t = new Thread(() -> { }, "finished");
        t.start();
        t.join();
        KillResult r = ThreadKill.kill(t, mode, WAIT);
        assertEquals(KillOutcome.ALREADY_TERMINATED, r.outcome());
        assertEquals(-1, r.tid(), "no tid: nothing was sent");
        assertNull(r.handlerLatency());
        assertEquals(straysBefore, org.threadkill.internal.Diagnostics.straySignals());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Reference Handler", "Finalizer", "Signal Dispatcher", "Common-Cleaner"})
    void threadsOfTheJvmItself(String name) {
        Thread jvmThread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name)).findFirst().orElse(null);
        assumeTrue(jvmThread != null, name + " is not running in this JVM");
        for (KillMode mode : KillMode.values()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ThreadKill.kill(jvmThread, mode, WAIT), mode + " on " + name);
            assertTrue(e.getMessage().contains("is a thread of the JVM itself"), e.getMessage());
        }
        assertTrue(jvmThread.isAlive());
    }

    @Test
    void virtualThreads() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        CountDownLatch forever = new CountDownLatch(1);
        Thread v = startVirtual(() -> {
            try {
                forever.await();
            } catch (InterruptedException e) {
                // INTERRUPT ends it
            }
        });
        for (KillMode mode : EnumSet.complementOf(EnumSet.of(KillMode.INTERRUPT))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ThreadKill.kill(v, mode, WAIT), mode.name());
            assertTrue(e.getMessage().contains("is a virtual thread"), e.getMessage());
        }
        KillResult r = ThreadKill.kill(v, KillMode.INTERRUPT, Duration.ofSeconds(10));
        assertEquals(KillOutcome.STOPPED, r.outcome(), r.toString());
    }

    @ParameterizedTest
    @EnumSource(value = KillMode.class, names = "NATIVE_.*", mode = EnumSource.Mode.MATCH_ALL)
    void nativeModesNeedTheOptIn(KillMode mode, @TempDir Path dir) throws Exception {
        // The opt-in is read once at start, so the refusal is shown in a child JVM started without it.
        ChildJvm.Result r = new ChildJvm(dir).withoutNativeOptIn()
                .run(org.threadkill.probes.GateProbe.class, Duration.ofSeconds(60), "mode", mode.name());
        String e = r.value("kill");
        assertTrue(e != null && e.startsWith("refused: IllegalStateException"), r.toString());
        assertTrue(e.contains("-Dthreadkill.allowNativeKill=true"), e);
        assertTrue(e.contains("docs/WARNINGS.md"), e);
    }

    @Test
    void noDurationMakesAResultThrow() throws Exception {
        // Seen before: Duration.ofSeconds(Long.MAX_VALUE) with an interrupted killer made
        // KillResult.toString() (and, with JFR on, kill()) throw ArithmeticException.
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        KillResult made = new KillResult("t", 1, -1, KillMode.INTERRUPT, KillOutcome.STILL_RUNNING, forever, forever,
                JvmState.UNKNOWN, java.util.List.of(), "made up");
        assertTrue(made.toString().contains("STILL_RUNNING"), made.toString());
        Thread sleeper = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // the interrupt ends it
            }
        }, "sleeper-forever");
        sleeper.start();
        java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
        Thread killer = new Thread(() -> {
            Thread.currentThread().interrupt();
            KillResult r = ThreadKill.kill(sleeper, KillMode.INTERRUPT, forever);
            seen.set(r.outcome() + " " + r);
        }, "killer-forever");
        killer.start();
        killer.join(30_000);
        assertTrue(seen.get() != null && seen.get().startsWith("STOPPED"), String.valueOf(seen.get()));
    }
}
