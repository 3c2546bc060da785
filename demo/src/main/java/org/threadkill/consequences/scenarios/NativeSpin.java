package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;
import org.threadkill.testing.VictimKind;

/** 4. The victim spins inside a native method; then GC, new threads, exit. */
@Scenarios.Order(4)
public final class NativeSpin extends Scenario {
    public NativeSpin() {
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(NO_EFFECT));
        expect(NATIVE_FREEZE, certain(LEAK));
        expect(NATIVE_EXIT, certain(LEAK, JVM_CRASH));
        expect(NATIVE_CANCEL, certain(NO_EFFECT));
        expect(PROCESS, certain(CLEAN));
    }


    @Override
    public String title() {
        return "spins inside a native call; then System.gc(), a new thread, exit";
    }

    @Override
    public Thread start(Cell cell) throws Exception {
        return VictimKind.NATIVE_SPIN.start("victim");
    }

    @Override
    public String holds() {
        return "(runs C code: out of reach of interrupts and async exceptions)";
    }

    @Override
    public long progress() {
        return VictimKind.NATIVE_SPIN.progress();
    }
}
