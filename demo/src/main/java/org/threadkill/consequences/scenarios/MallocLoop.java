package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Scenarios;
import org.threadkill.testing.Victims;

/** 18. The victim calls malloc/free in a tight loop: inside the C library's allocator most of the time. */
@Scenarios.Order(18)
public final class MallocLoop extends ProcessLockBase {
    static final int SLOT = 21;

    public MallocLoop() {
        this(false);
    }

    MallocLoop(boolean unchecked) {
        super(unchecked);
        if (unchecked) return;
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(NO_EFFECT));
        // Before the fix of the handler's published facts (this session), the freeze reported STOPPED
        // and the next GC (17) or new thread (25) hung the JVM: 17: 5 of 6 runs, 25: 6 of 8; gdb showed
        // the victim frozen holding its arena's lock. Since: frozen between two calls, the JVM lives
        // (LEAK: a frozen thread), or refused for the whole wait (NO_EFFECT).
        expect(NATIVE_FREEZE, varies(set(LEAK), set(NO_EFFECT)));
        // The exit's unwinding can get stuck with the victim still running (17: 5 of 8, 25: 2 of 6).
        expect(NATIVE_EXIT, varies(set(NO_EFFECT, JVM_HANG), set(LEAK, JVM_CRASH)));
        expect(NATIVE_CANCEL, certain(NO_EFFECT));
        // Deadline: frozen between two calls (LEAK), or the freeze refused for its 250 ms grace (NO_EFFECT):
        // 17: LEAK 16 of 18 runs; 25: 15 of 18
        expect(DEADLINE, varies(set(LEAK), set(NO_EFFECT)));
        expect(PROCESS, certain(CLEAN));
    }

    @Override
    public String title() {
        return "calls malloc/free in a tight loop; then logging, stacks, allocation, GC, a new thread";
    }

    @Override
    public String holds() {
        return "an arena lock of the C library's allocator most of the time";
    }

    @Override
    void loop() {
        Victims.mallocLoop(SLOT, 0);
    }

    @Override
    long counter() {
        return Victims.counter(SLOT);
    }
}
