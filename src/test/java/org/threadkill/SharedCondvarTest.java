package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.ChildJvm;
import org.threadkill.probes.SharedCondvarProbe;

/**
 * A thread waiting, in native code, on a pthread condition variable shared with other threads.
 * Frozen there, it never leaves the variable's waiter group, and glibc makes the broadcast that
 * must switch groups wait for it forever: shown with the freeze's safe point switched off (the
 * demonstration switch). With the safe point, the freeze refuses (the thread is inside the C
 * library's pthread_cond_wait) and every broadcast completes. (This is also why FREEZE refuses to
 * park a thread that waits on a shared monitor inside the JVM.)
 */
class SharedCondvarTest {

    @Test
    void theSafePointRefusesToFreezeAWaiterOfASharedConditionVariable(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(Duration.ofSeconds(10))
                .run(SharedCondvarProbe.class, Duration.ofSeconds(60), "NATIVE_FREEZE");
        assertEquals("STILL_RUNNING", r.value("kill"), r.toString());
        assertTrue(r.stderr().contains("inside the C library"), r.toString());
        assertEquals("true", r.value("done"), "every broadcast completes: " + r);
        assertEquals(Integer.valueOf(0), r.exitCode(), r.toString());
    }

    @Test
    void frozenWaiterBreaksTheConditionVariableForEveryoneElse(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(Duration.ofSeconds(4))
                .jvmArgs("-Dthreadkill.demo.uncheckedFreeze=true")
                .run(SharedCondvarProbe.class, Duration.ofSeconds(60), "NATIVE_FREEZE");
        assertEquals("STOPPED", r.value("kill"), r.toString());
        assertEquals("ok", r.value("round1"), r.toString());          // one broadcast still works
        assertTrue(r.stalled(), r.toString());                          // the next one never returns
        assertEquals("round2=broadcasting", r.lastLine(), r.toString());
    }

    @Test
    void withoutTheFreezeEveryRoundCompletes(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(Duration.ofSeconds(4))
                .run(SharedCondvarProbe.class, Duration.ofSeconds(60), "INTERRUPT");
        assertEquals("true", r.value("done"), r.toString());
        assertEquals(Integer.valueOf(0), r.exitCode(), r.toString());
    }
}
