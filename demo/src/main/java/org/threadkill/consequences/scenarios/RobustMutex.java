package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Scenarios;

/** 7b. A robust pthread mutex: when its owner thread ends, the next locker gets EOWNERDEAD. */
@Scenarios.Order(8)
public final class RobustMutex extends NativeMutexBase {
    public RobustMutex() {
        super(true);
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(NO_EFFECT));
        expect(NATIVE_FREEZE, certain(DEADLOCK, LEAK));   // a frozen owner is not a dead one
        expect(NATIVE_EXIT, certain(LEAK, JVM_CRASH));     // EOWNERDEAD: the next locker gets it
        expect(NATIVE_CANCEL, certain(LEAK, JVM_CRASH));
        // Deadline: frozen holding the mutex, as NATIVE_FREEZE: a frozen owner is not a dead one (8 of 8 on 17 and 25)
        expect(DEADLINE, certain(DEADLOCK, LEAK));
        expect(PROCESS, certain(CLEAN));
    }

}
