package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.threadkill.testing.Victims;

/**
 * nativeId checked against the kernel's own view. These read, never kill, so they run in the test
 * JVM itself.
 */
class NativeIdTest {

    /** The tid of the calling thread as the kernel names it: /proc/thread-self -> "<pid>/task/<tid>". */
    private static long procTid() throws Exception {
        Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Long.parseLong(link.getFileName().toString());
    }

    @Test
    void matchesTheKernelForManyThreadsAtOnce() throws Exception {
        int n = 64;
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        long[] procTids = new long[n];
        long[] gettids = new long[n];
        long[] pthreads = new long[n];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            Thread t = new Thread(() -> {
                try {
                    procTids[k] = procTid();
                    gettids[k] = Victims.tid();
                    pthreads[k] = Victims.pthreadSelf();
                    ready.countDown();
                    release.await();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, "nativeId-" + i);
            t.start();
            threads.add(t);
        }
        ready.await();
        try {
            Set<Long> tids = new HashSet<>();
            for (int i = 0; i < n; i++) {
                NativeThreadId id = ThreadKill.nativeId(threads.get(i));
                assertEquals(NativeThreadId.Source.VM_STRUCTS, id.source());
                assertEquals(procTids[i], id.tid(), "tid of " + threads.get(i).getName());
                assertEquals(gettids[i], id.tid());
                assertEquals(pthreads[i], id.handle(), "pthread_t of " + threads.get(i).getName());
                assertTrue(tids.add(id.tid()), "tids are distinct");
            }
            // All of them wait on the latch: HotSpot calls that blocked. Wait for the stragglers.
            for (Thread t : threads) {
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (ThreadKill.nativeId(t).jvmState() != JvmState.BLOCKED && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertEquals(JvmState.BLOCKED, ThreadKill.nativeId(t).jvmState(), t.getName());
            }
        } finally {
            release.countDown();
            for (Thread t : threads) t.join();
        }
    }

    @Test
    void currentThread() throws Exception {
        NativeThreadId id = ThreadKill.nativeId(Thread.currentThread());
        assertEquals(procTid(), id.tid());
        assertEquals(Victims.pthreadSelf(), id.handle());
        // The caller is running Java code while it asks (in the VM or in transition at worst).
        assertNotEquals(JvmState.BLOCKED, id.jvmState());
    }

    @Test
    void seesJavaNativeAndBlockedStates() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread javaSpinner = new Thread(() -> {
            long x = 0;
            while (!stop.get()) x++;
            if (x == 42) System.out.print("");
        }, "java-spinner");
        Thread nativeSpinner = new Thread(() -> Victims.spin(7), "native-spinner");
        Thread sleeper = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // ends the sleeper
            }
        }, "sleeper");
        javaSpinner.start();
        nativeSpinner.start();
        sleeper.start();
        try {
            assertEventually(javaSpinner, JvmState.IN_JAVA);
            assertEventually(nativeSpinner, JvmState.IN_NATIVE);
            assertEventually(sleeper, JvmState.BLOCKED);
        } finally {
            stop.set(true);
            Victims.release(7);
            sleeper.interrupt();
            javaSpinner.join();
            nativeSpinner.join();
            sleeper.join();
        }
    }

    private static void assertEventually(Thread t, JvmState expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        JvmState seen;
        do {
            seen = ThreadKill.nativeId(t).jvmState();
            if (seen == expected) return;
            Thread.sleep(1);
        } while (System.nanoTime() < deadline);
        assertEquals(expected, seen, t.getName());
    }

    @Test
    void threadDumpFallbackFindsTheSameTid() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        long[] procTid = new long[1];
        CountDownLatch ready = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                procTid[0] = procTid();
                ready.countDown();
                release.await();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "fallback target");
        t.start();
        ready.await();
        String old = System.setProperty(ThreadKill.LOOKUP_PROPERTY, "threadDump");
        try {
            NativeThreadId id = ThreadKill.nativeId(t);
            assertEquals(NativeThreadId.Source.THREAD_DUMP, id.source());
            assertEquals(procTid[0], id.tid());
            assertEquals(JvmState.UNKNOWN, id.jvmState());
        } finally {
            if (old == null) System.clearProperty(ThreadKill.LOOKUP_PROPERTY);
            else System.setProperty(ThreadKill.LOOKUP_PROPERTY, old);
            release.countDown();
            t.join();
        }
    }

    @Test
    void refusesThreadsWithoutAnOsThread() throws Exception {
        assertThrows(NullPointerException.class, () -> ThreadKill.nativeId(null));
        Thread unstarted = new Thread(() -> { }, "never started");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ThreadKill.nativeId(unstarted));
        assertTrue(e.getMessage().contains("not been started"), e.getMessage());
        Thread done = new Thread(() -> { }, "done");
        done.start();
        done.join();
        e = assertThrows(IllegalArgumentException.class, () -> ThreadKill.nativeId(done));
        assertTrue(e.getMessage().contains("terminated"), e.getMessage());
    }

    @Test
    void refusesVirtualThreads() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        Thread v = BadInputTest.startVirtual(() -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                // ends it
            }
        });
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ThreadKill.nativeId(v));
            assertTrue(e.getMessage().contains("virtual"), e.getMessage());
        } finally {
            v.interrupt();
            v.join();
        }
    }
}
