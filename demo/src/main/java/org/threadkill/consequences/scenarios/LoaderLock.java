package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Scenarios;
import org.threadkill.testing.Victims;

/** 19. The victim loops in dl_iterate_phdr, whose callback spins: the dynamic loader's lock held meanwhile. */
@Scenarios.Order(19)
public final class LoaderLock extends ProcessLockBase {
    static final int SLOT = 22;

    public LoaderLock() {
        this(false);
    }

    LoaderLock(boolean unchecked) {
        super(unchecked);
        if (unchecked) return;
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(NO_EFFECT));
        // Refused ("the dynamic loader") or frozen outside the loader's frames, and the JVM lived:
        // refused in 5 of 6 runs on JDK 17, 7 of 8 on 25.
        expect(NATIVE_FREEZE, varies(set(NO_EFFECT), set(LEAK)));
        expect(NATIVE_EXIT, certain(LEAK, JVM_CRASH));
        expect(NATIVE_CANCEL, certain(NO_EFFECT));
        // Deadline: the freeze refused inside the loader's frames for its 250 ms grace (17: 13 of 14 runs,
        // frozen outside them in 1; 25: 14 of 14, but frozen there too in the NATIVE_FREEZE column above)
        expect(DEADLINE, varies(set(NO_EFFECT), set(LEAK)));
        expect(PROCESS, certain(CLEAN));
    }

    @Override
    public String title() {
        return "loops in dl_iterate_phdr (the dynamic loader's lock held while its callback spins); then logging, stacks, allocation, GC, a new thread";
    }

    @Override
    public String holds() {
        return "the dynamic loader's lock most of the time";
    }

    @Override
    void loop() {
        Victims.loaderLoop(SLOT);
    }

    @Override
    long counter() {
        return Victims.counter(SLOT);
    }
}
