package org.threadkill.consequences.scenarios;

import org.threadkill.consequences.Scenarios;

/** 7a. A plain pthread mutex: nobody ever learns that its owner is gone. */
@Scenarios.Order(7)
public final class NativeMutex extends NativeMutexBase {
    public NativeMutex() {
        super(false);
    }

    @Override
    public String id() {
        return "native-mutex";
    }
}
