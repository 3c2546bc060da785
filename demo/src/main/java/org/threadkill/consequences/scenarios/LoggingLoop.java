package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Scenarios;

/**
 * 20. The victim logs in a loop through {@code System.getLogger(...).log(INFO, ...)} (JUL's
 * ConsoleHandler → System.err): inside the JDK's logging and printing, holding their monitors, most
 * of the time. System.err is first pointed at a file of the cell that keeps the first MiB (the same
 * PrintStream lock, without gigabytes of log).
 */
@Scenarios.Order(20)
public final class LoggingLoop extends ProcessLockBase {
    private static volatile long logged;

    public LoggingLoop() {
        super(false);
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(CLEAN));
        // Refused while inside the JDK's logging or printing, or frozen between two records: then
        // logging, printing and everything else kept working (17: frozen 4 of 8; 25: 3 of 8).
        expect(NATIVE_FREEZE, varies(set(LEAK), set(NO_EFFECT)));
        // The exit of a thread in the middle of logging: what the dead thread's stack is reused by and
        // when decides; each of these was seen (17, 25), the last with a probe blocked first.
        expect(NATIVE_EXIT, varies(set(LEAK, JVM_HANG), set(LEAK, JVM_CRASH), set(JVM_HANG),
                set(LEAK, DEADLOCK, JVM_CRASH)));
        // 17: crash 5 of 8, hang after the probes 3 of 8 (matrix), and once (ConsequenceTest) hung inside
        // kill() itself, before any probe; 25: crash 6 of 8, hang 2 of 8.
        // A matrix run on 17 (quiet machine): crash with the deadlock probe blocked 7 of 8, crash without it 1 of 8.
        expect(NATIVE_CANCEL, varies(set(LEAK, DEADLOCK, JVM_HANG), set(LEAK, DEADLOCK, JVM_CRASH), set(JVM_HANG),
                set(LEAK, JVM_CRASH)));
        // Deadline: INTERRUPT ignored, ASYNC_EXCEPTION ends the loop, logging keeps working (17: 11 of 11, 25: 14 of 14)
        expect(DEADLINE, certain(CLEAN));
        expect(PROCESS, certain(CLEAN));
    }

    @Override
    public String title() {
        return "logs in a loop with System.Logger (JUL ConsoleHandler, System.err); then logging, printing, stacks, allocation, GC, a new thread";
    }

    @Override
    public String holds() {
        return "the ConsoleHandler's and System.err's monitors most of the time";
    }

    @Override
    public Runnable work(Cell cell) throws Exception {
        OutputStream file = new FileOutputStream("victim-stderr.txt");
        System.setErr(new PrintStream(new FirstMiB(file), true, StandardCharsets.UTF_8));
        return super.work(cell);
    }

    @Override
    void loop() {
        System.Logger log = System.getLogger("victim");
        for (long i = 0;; i++) {
            log.log(System.Logger.Level.INFO, "victim line " + i);
            logged++;
        }
    }

    @Override
    long counter() {
        return logged;
    }

    /** Passes the first MiB on, drops the rest. */
    private static final class FirstMiB extends FilterOutputStream {
        private long written;

        FirstMiB(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (written++ < (1 << 20)) out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written < (1 << 20)) out.write(b, off, (int) Math.min(len, (1 << 20) - written));
            written += len;
        }
    }
}
