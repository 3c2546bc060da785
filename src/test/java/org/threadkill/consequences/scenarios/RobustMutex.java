package org.threadkill.consequences.scenarios;

import org.threadkill.consequences.Scenarios;

/** 7b. A robust pthread mutex: when its owner thread ends, the next locker gets EOWNERDEAD. */
@Scenarios.Order(8)
public final class RobustMutex extends NativeMutexBase {
    public RobustMutex() {
        super(true);
    }

    @Override
    public String id() {
        return "robust-mutex";
    }
}
