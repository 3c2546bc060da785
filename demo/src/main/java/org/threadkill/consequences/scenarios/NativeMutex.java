package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Scenarios;

/** 7a. A plain pthread mutex: nobody ever learns that its owner is gone. */
@Scenarios.Order(7)
public final class NativeMutex extends NativeMutexBase {
    public NativeMutex() {
        super(false);
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(NO_EFFECT));
        expect(NATIVE_FREEZE, certain(DEADLOCK, LEAK));
        expect(NATIVE_EXIT, certain(DEADLOCK, LEAK, JVM_CRASH));
        expect(NATIVE_CANCEL, certain(DEADLOCK, LEAK, JVM_CRASH));
        // Deadline: the Java steps cannot reach C code; frozen holding the mutex, as NATIVE_FREEZE (8 of 8 on 17 and 25)
        expect(DEADLINE, certain(DEADLOCK, LEAK));
        expect(PROCESS, certain(CLEAN));
    }

}
