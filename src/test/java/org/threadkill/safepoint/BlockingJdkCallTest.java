package org.threadkill.safepoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.threadkill.testing.ChildJvm;

/**
 * NATIVE_FREEZE stops a thread blocked in the JDK's own blocking calls, and the JVM goes on. Before
 * the safe point knew them, every try was refused, so a freeze could not stop the commonest stuck
 * thread of all: reading a child process's output (refused 10 of 10 on JDK 17 and 25: first for the
 * stream's monitor, then for stale libc addresses in {@code FileInputStream.readBytes}' stack
 * buffer), waiting for a process (10 of 10, for the JDK frames around its {@code Object.wait}), and
 * a datagram receive on JDK 25 (10 of 10, for the packet's monitor). Five victims per child JVM.
 */
class BlockingJdkCallTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pipe", "waitFor", "datagram"})
    void aThreadBlockedInTheJdkIsFrozenAndTheJvmGoesOn(String kind, @TempDir Path dir) throws Exception {
        int victims = 5;
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(Duration.ofSeconds(30))
                .run(BlockingJdkCallProbe.class, Duration.ofSeconds(120), kind, Integer.toString(victims));
        String why = r.toString();
        assertEquals(Integer.toString(victims), r.value("kills.stopped"), why);
        long bound = ChildJvm.scaled(Duration.ofMillis(2000 + 250)).toMillis();
        for (int i = 0; i < victims; i++) {
            assertTrue(Long.parseLong(r.value("kill." + i + ".elapsedMs")) <= bound, "kill " + i + " within its wait: " + why);
        }
        for (String p : new String[] {"process", "gc", "newthread", "stacks", "methodtype", "stdout"}) {
            assertTrue(r.value("probe." + p) != null && r.value("probe." + p).startsWith("ok"), p + ": " + why);
        }
        assertTrue(r.printed("main.returning=true"), why);
        assertEquals(Integer.valueOf(0), r.exitCode(), why);
        assertTrue(r.hsErrFiles().isEmpty(), why);
    }
}
