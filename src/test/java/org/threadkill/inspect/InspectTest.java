package org.threadkill.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.threadkill.Hazards;
import org.threadkill.Hazards.Effect;
import org.threadkill.Hazards.HeldLock;
import org.threadkill.Hazards.Waiter;
import org.threadkill.JvmState;
import org.threadkill.KillMode;
import org.threadkill.ThreadKill;

/**
 * inspect() in this JVM: it only reads (ThreadMXBean, vmStructs), so no child JVM is needed. The
 * victims are released and joined at the end of each test. Escalation bad input is checked here too:
 * it is refused before any step is taken.
 */
class InspectTest {
    private static final Duration JOIN = Duration.ofSeconds(10);

    @Test
    void holderInJavaListsMonitorLockWaitersAndVerdicts() throws Exception {
        LockHolder h = new LockHolder("inspect-java-", -1);
        try {
            Hazards hz = ThreadKill.inspect(h.victim);
            assertEquals("inspect-java-victim", hz.threadName());
            assertTrue(hz.daemon());
            assertEquals(Thread.State.WAITING, hz.threadState(), hz::toString);
            assertFalse(hz.inNative(), hz::toString);
            assertNull(hz.nativeMethod());
            if (ThreadKill.isAvailable()) assertEquals(JvmState.BLOCKED, hz.jvmState(), hz::toString);
            assertFalse(hz.topFrames().isEmpty());

            assertEquals(1, hz.monitors().size(), hz::toString);
            HeldLock monitor = hz.monitors().get(0);
            assertEquals("java.lang.Object", monitor.className());
            assertEquals(System.identityHashCode(h.monitor), monitor.identityHash());
            assertTrue(monitor.lockedAt().getClassName().startsWith(LockHolder.class.getName()), monitor::toString);
            assertEquals(1, hz.locks().size(), hz::toString);
            assertTrue(hz.locks().get(0).className().startsWith("java.util.concurrent.locks.ReentrantLock$"),
                    hz::toString);

            assertEquals(2, hz.waiters().size(), hz::toString);
            Waiter onMonitor = hz.waitersOn(monitor).get(0);
            assertEquals("inspect-java-monitor-waiter", onMonitor.threadName());
            assertEquals(Thread.State.BLOCKED, onMonitor.state());
            Waiter onLock = hz.waitersOn(hz.locks().get(0)).get(0);
            assertEquals("inspect-java-lock-waiter", onLock.threadName());
            assertEquals(Thread.State.WAITING, onLock.state());

            assertEquals(Effect.MAY_STOP, hz.verdict(KillMode.INTERRUPT).effect());
            assertEquals(Effect.STOPS, hz.verdict(KillMode.ASYNC_EXCEPTION).effect());
            Hazards.Verdict freeze = hz.verdict(KillMode.NATIVE_FREEZE);
            assertEquals(Effect.STOPS, freeze.effect());
            assertTrue(freeze.jvmSurvives());
            assertTrue(freeze.summary().contains("1 monitor and 1 lock will never be released"), freeze::summary);
            assertTrue(freeze.summary().contains("2 threads are already waiting"), freeze::summary);
            Hazards.Verdict exit = hz.verdict(KillMode.NATIVE_EXIT);
            assertFalse(exit.jvmSurvives());
            assertTrue(exit.summary().contains("crash at the next GC"), exit::summary);
            assertFalse(hz.verdict(KillMode.NATIVE_CANCEL).jvmSurvives());

            String text = hz.toString();
            for (String s : List.of("inspect-java-victim", "holds monitor java.lang.Object@", "holds lock ",
                    "waited on by 'inspect-java-monitor-waiter'", "waited on by 'inspect-java-lock-waiter'",
                    "NATIVE_FREEZE", "JVM DOOMED")) {
                assertTrue(text.contains(s), () -> "missing '" + s + "' in\n" + text);
            }
        } finally {
            releaseAndJoin(h);
        }
    }

    @Test
    void holderInNativeNamesTheNativeMethod() throws Exception {
        assumeTrue(ThreadKill.isAvailable(), "needs the native library (JVM state)");
        LockHolder h = new LockHolder("inspect-native-", 9);
        try {
            Hazards hz = ThreadKill.inspect(h.victim);
            assertTrue(hz.inNative(), hz::toString);
            assertEquals(JvmState.IN_NATIVE, hz.jvmState());
            assertEquals("org.threadkill.testing.Victims.spin", hz.nativeMethod());
            assertEquals(2, hz.held().size(), hz::toString);
            assertEquals(2, hz.waiters().size(), hz::toString);
            assertEquals(Effect.NO_EFFECT, hz.verdict(KillMode.INTERRUPT).effect());
            assertEquals(Effect.NO_EFFECT, hz.verdict(KillMode.ASYNC_EXCEPTION).effect());
            // In native code the freeze's safe point may refuse (the thread may stay inside libc): MAY_STOP.
            assertEquals(Effect.MAY_STOP, hz.verdict(KillMode.NATIVE_FREEZE).effect());
            assertTrue(hz.verdict(KillMode.NATIVE_CANCEL).summary().contains("cancellation point"));
        } finally {
            releaseAndJoin(h);
        }
    }

    @Test
    void javaSpinnerVerdictsSayTheJvmHangsAtTheNextSafepoint() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        spinnerStop = false;
        Thread spinner = new Thread(() -> {
            running.countDown();
            long n = 0;
            while (!spinnerStop) n++;
            if (n == 42) System.out.print("");
        }, "inspect-spinner");
        spinner.start();   // non-daemon on purpose
        running.await();
        try {
            // Inspect it while HotSpot sees it in Java code: right after its start it can still be
            // between states, or stopped at a safepoint another VM operation requested.
            Hazards first = ThreadKill.inspect(spinner);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (first.jvmState() != org.threadkill.JvmState.IN_JAVA && System.nanoTime() < deadline) {
                Thread.sleep(1);
                first = ThreadKill.inspect(spinner);
            }
            Hazards hz = first;
            assertEquals(org.threadkill.JvmState.IN_JAVA, hz.jvmState(), hz::toString);
            assertEquals(Thread.State.RUNNABLE, hz.threadState());
            assertFalse(hz.daemon());
            assertTrue(hz.held().isEmpty() && hz.waiters().isEmpty(), hz::toString);
            assertTrue(hz.verdict(KillMode.NATIVE_EXIT).summary().contains("hang at the next safepoint"), hz::toString);
            assertTrue(hz.verdict(KillMode.NATIVE_FREEZE).summary().contains("non-daemon"), hz::toString);
            assertTrue(hz.verdict(KillMode.NATIVE_FREEZE).summary().contains("holds no monitor or lock"), hz::toString);
            assertTrue(hz.cost().compareTo(Duration.ofSeconds(1)) < 0, () -> "inspection took " + hz.cost());
        } finally {
            spinnerStop = true;
            spinner.join(JOIN.toMillis());
        }
        Hazards gone = ThreadKill.inspect(spinner);
        assertEquals(Thread.State.TERMINATED, gone.threadState());
        for (KillMode m : KillMode.values()) assertEquals(Effect.NO_EFFECT, gone.verdict(m).effect(), gone::toString);
    }

    private static volatile boolean spinnerStop;

    @Test
    void inspectRefusesBadInput() throws Exception {
        assertThrows(NullPointerException.class, () -> ThreadKill.inspect(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ThreadKill.inspect(new Thread(() -> {}, "never-started")));
        assertTrue(e.getMessage().contains("not been started"), e::getMessage);
        e = assertThrows(IllegalArgumentException.class, () -> ThreadKill.inspect(jvmThread()));
        assertTrue(e.getMessage().contains("JVM itself"), e::getMessage);
        Thread v = virtualThread();
        if (v != null) {
            try {
                e = assertThrows(IllegalArgumentException.class, () -> ThreadKill.inspect(v));
                assertTrue(e.getMessage().contains("virtual"), e::getMessage);
            } finally {
                v.interrupt();
                v.join(JOIN.toMillis());
            }
        }
    }

    @Test
    void escalateRefusesBadInputBeforeAnyStep() throws Exception {
        Thread sleeper = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // ended by the test
            }
        }, "escalate-bad-input");
        sleeper.setDaemon(true);
        sleeper.start();
        Duration w = Duration.ofMillis(10);
        try {
            assertThrows(NullPointerException.class, () -> ThreadKill.escalate(null, w));
            assertThrows(NullPointerException.class, () -> ThreadKill.escalate(sleeper, null));
            assertThrows(NullPointerException.class, () -> ThreadKill.escalate(sleeper, w, (KillMode[]) null));
            assertThrows(NullPointerException.class, () -> ThreadKill.escalate(sleeper, w, KillMode.INTERRUPT, null));
            assertThrows(IllegalArgumentException.class, () -> ThreadKill.escalate(sleeper, Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class,
                    () -> ThreadKill.escalate(new Thread(() -> {}, "never-started"), w));
            assertThrows(IllegalArgumentException.class, () -> ThreadKill.escalate(Thread.currentThread(), w));
            assertThrows(IllegalArgumentException.class, () -> ThreadKill.escalate(jvmThread(), w));
            assertTrue(sleeper.isAlive(), "a refused escalation must not have touched the thread");
            assertFalse(sleeper.isInterrupted());
        } finally {
            sleeper.interrupt();
            sleeper.join(JOIN.toMillis());
        }
        Thread v = virtualThread();
        if (v != null) {
            try {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ThreadKill.escalate(v, w));
                assertTrue(e.getMessage().contains("virtual"), e::getMessage);
            } finally {
                v.interrupt();
                v.join(JOIN.toMillis());
            }
        }
    }

    @Test
    void defaultLadderNeverNamesNativeExit() {
        assertEquals(List.of(KillMode.INTERRUPT, KillMode.ASYNC_EXCEPTION, KillMode.NATIVE_FREEZE),
                ThreadKill.DEFAULT_LADDER);
    }

    private static void releaseAndJoin(LockHolder h) throws InterruptedException {
        h.release();
        for (Thread t : List.of(h.victim, h.monitorWaiter, h.lockWaiter)) {
            t.join(JOIN.toMillis());
            assertFalse(t.isAlive(), () -> t.getName() + " did not end after release");
        }
    }

    private static Thread jvmThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("Reference Handler")) return t;
        }
        throw new IllegalStateException("no Reference Handler thread");
    }

    /** A started virtual thread (sleeping), or null before JDK 21. */
    private static Thread virtualThread() throws Exception {
        if (Runtime.version().feature() < 21) return null;
        Runnable sleep = () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // ended by the test
            }
        };
        return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, sleep);
    }
}
