package org.threadkill.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deadline against third-party code from Maven Central ({@link ThirdPartyProbe}, child JVMs):
 * budget 1 s, grace 250 ms, so each stuck call must end within 1 s + 5 x 250 ms + slack.
 */
class ThirdPartyTest {
    private static final long MAX_MS = 1000 + 5 * 250 + 1000;

    @TempDir
    Path dir;

    private Child.Result probe(String scenario, boolean optIn) throws Exception {
        Child.Result r = Child.run(dir, ThirdPartyProbe.class, Duration.ofSeconds(60), optIn, scenario);
        assertEquals(Integer.valueOf(0), r.exitCode(), r::toString);
        assertEquals("true", r.value("probe.done"), r::toString);
        return r;
    }

    private static void assertInTime(Child.Result r, String key) {
        long ms = Long.parseLong(r.value(key + ".ms"));
        assertTrue(ms >= 1000 && ms <= MAX_MS, () -> key + " took " + ms + " ms: " + r);
    }

    @Test
    void sqliteRunawayQueryWithStatementCancelIsCancelledAndTheConnectionStaysUsable() throws Exception {
        Child.Result r = probe("SQLITE_CANCEL", true);
        assertInTime(r, "query");
        assertEquals("CANCELLED", r.value("query.outcome"), r::toString);
        assertEquals("none", r.value("query.steps"), r::toString);   // killResult() is null: nothing was killed
        assertTrue(r.value("query.cause").contains("SQLITE_INTERRUPT"), r::toString);
        assertEquals("1", r.value("sameConnection.value"), r::toString);
        assertEquals("2", r.value("newConnection.value"), r::toString);
        assertEquals("false", r.value("tainted"), r::toString);
    }

    @Test
    void sqliteRunawayQueryWithoutCancelIsFrozenAndItsConnectionIsLostForGood() throws Exception {
        Child.Result r = probe("SQLITE", true);
        assertInTime(r, "query");
        assertEquals("FROZEN", r.value("query.outcome"), r::toString);
        assertEquals("INTERRUPT:STILL_RUNNING,ASYNC_EXCEPTION:STILL_RUNNING,NATIVE_FREEZE:STOPPED",
                r.value("query.steps"), r::toString);
        assertTrue(r.value("query.held").contains("monitor org.sqlite.core.NativeDB@"), r::toString);
        // sqlite-jdbc synchronizes on the connection's NativeDB: the frozen thread holds it forever
        assertEquals("ABANDONED", r.value("sameConnection.outcome"), r::toString);
        assertTrue(r.value("sameConnection.message").contains("BLOCKED"), r::toString);
        assertEquals("2", r.value("newConnection.value"), r::toString);   // another connection still works
        assertEquals("true", r.value("tainted"), r::toString);
    }

    @Test
    void jnaSleepInLibcIsFrozen() throws Exception {
        Child.Result r = probe("JNA_SLEEP", true);
        assertInTime(r, "sleep");
        assertEquals("FROZEN", r.value("sleep.outcome"), r::toString);
        assertTrue(r.value("sleep.message").contains("com.sun.jna.Native.invoke"), r::toString);
        assertTrue(Integer.parseInt(r.value("afterwards.value")) > 0, r::toString);   // JNA still works
    }

    @Test
    void jnaSleepWithoutOptInIsAbandonedAndSaysSo() throws Exception {
        Child.Result r = probe("JNA_SLEEP", false);
        assertInTime(r, "sleep");
        assertEquals("ABANDONED", r.value("sleep.outcome"), r::toString);
        assertTrue(r.value("sleep.message").contains("THE TASK MAY STILL BE RUNNING"), r::toString);
        assertEquals("false", r.value("tainted"), r::toString);
    }

    @Test
    void jnaReadOfAnEmptyPipeIsFrozen() throws Exception {
        Child.Result r = probe("JNA_READ", true);
        assertInTime(r, "read");
        assertEquals("FROZEN", r.value("read.outcome"), r::toString);
        assertTrue(Integer.parseInt(r.value("afterwards.value")) > 0, r::toString);
    }
}
