package org.threadkill.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

/**
 * CatchScan reads this very class file: which of the sample methods below would catch the async
 * exception at the line each recorded, and which only rethrow it (try-with-resources, log and throw).
 */
class CatchScanTest {
    static int swallowLine, twrLine, rethrowLine, exceptionLine, returnLine;

    private static int line() {
        return new Throwable().getStackTrace()[1].getLineNumber();
    }

    /** A class whose file only the budget test reads. */
    static final class Later {
        static int line;

        static void swallow() {
            try {
                line = line();
            } catch (Throwable t) {
                // carry on
            }
        }
    }

    static void swallow() {
        for (int i = 0; i < 2; i++) {
            try {
                swallowLine = line();
            } catch (Throwable t) {
                // carry on: the consequence suite's swallow victim
            }
        }
    }

    static void twr() throws Exception {
        try (InputStream in = new ByteArrayInputStream(new byte[1])) {
            twrLine = line() + in.available() * 0;
        }
    }

    static void rethrow() throws Throwable {
        try {
            rethrowLine = line();
        } catch (Throwable t) {
            System.out.print("");
            throw t;
        }
    }

    static void exceptionOnly() {
        try {
            exceptionLine = line();
        } catch (Exception e) {
            // an async exception is an Error: not caught here
        }
    }

    static void catchAndReturn() {
        try {
            returnLine = line();
        } catch (Throwable t) {
            return;
        }
    }

    private static byte[] self() throws Exception {
        try (InputStream in = CatchScanTest.class.getResourceAsStream("CatchScanTest.class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void findsTheHandlersThatKeepTheThreadGoing() throws Throwable {
        swallow();
        twr();
        rethrow();
        exceptionOnly();
        catchAndReturn();
        byte[] me = self();
        assertTrue(CatchScan.catchesAt(me, "swallow", swallowLine), "a loop around catch (Throwable)");
        assertTrue(CatchScan.catchesAt(me, "catchAndReturn", returnLine), "catch (Throwable) then return: the exception is gone");
        assertFalse(CatchScan.catchesAt(me, "twr", twrLine), "try-with-resources closes and rethrows");
        assertFalse(CatchScan.catchesAt(me, "rethrow", rethrowLine), "log and throw again");
        assertFalse(CatchScan.catchesAt(me, "exceptionOnly", exceptionLine), "catch (Exception) does not catch an Error");
        assertFalse(CatchScan.catchesAt(me, "swallow", swallowLine + 100), "a line the method does not have");
        assertFalse(CatchScan.catchesAt(new byte[] {1, 2, 3}, "swallow", swallowLine), "not a class file: no claim");
    }

    @Test
    void namesTheFrameFromAStack() {
        swallow();
        StackTraceElement swallowing = new StackTraceElement(CatchScanTest.class.getName(), "swallow", "CatchScanTest.java", swallowLine);
        StackTraceElement jdk = new StackTraceElement("java.lang.Thread", "run", "Thread.java", 1);
        String at = CatchScan.catcher(new StackTraceElement[] {swallowing, jdk}, CatchScanTest.class.getClassLoader());
        assertNotNull(at);
        assertTrue(at.startsWith(CatchScanTest.class.getName() + ".swallow (CatchScanTest.java:"), at);
        StackTraceElement unknown = new StackTraceElement("no.such.Clazz", "run", "Clazz.java", 12);
        assertNull(CatchScan.catcher(new StackTraceElement[] {unknown, jdk}, null), "a class it cannot read: no claim");
        // A class file not read before, with no time to read it: no claim, and it is not read at all.
        Later.swallow();
        StackTraceElement later = new StackTraceElement(Later.class.getName(), "swallow", "CatchScanTest.java", Later.line);
        assertNull(CatchScan.catcher(new StackTraceElement[] {later, jdk}, CatchScanTest.class.getClassLoader(), 0),
                "no time to read a class file: no claim");
        assertNotNull(CatchScan.catcher(new StackTraceElement[] {later, jdk}, CatchScanTest.class.getClassLoader()),
                "with time, the same frame is named");
    }
}
