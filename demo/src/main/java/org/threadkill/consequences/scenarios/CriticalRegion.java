package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Scenarios;
import org.threadkill.testing.Victims;

/** 17. The victim spins inside JNI critical regions (GetPrimitiveArrayCritical), one after another. */
@Scenarios.Order(17)
public final class CriticalRegion extends ProcessLockBase {
    static final int SLOT = 20;

    public CriticalRegion() {
        this(false);
    }

    CriticalRegion(boolean unchecked) {
        super(unchecked);
        if (unchecked) return;
        expect(INTERRUPT, certain(NO_EFFECT));
        expect(ASYNC_EXCEPTION, certain(NO_EFFECT));
        // JDK 17 (GC locked out by the region): the safe point refused every time (STILL_RUNNING "in a
        // JNI critical region"), 6 of 6; unchecked the JVM hangs (critical-unchecked, 6 of 6). JDK 25
        // (G1 pins regions): refused in 5 of 6, frozen between two regions in 1, the JVM lived always.
        // Then once in a CI run on 17 (loaded): frozen, "was BLOCKED" (held at the GC locker's stall on its
        // way into the next region while a GC waited), and the JVM lived on (every probe ran): LEAK.
        expect(17, NATIVE_FREEZE, varies(set(NO_EFFECT), set(LEAK)));
        expect(25, NATIVE_FREEZE, varies(set(NO_EFFECT), set(LEAK)));
        // GC never returns either way; whether the rest of the JVM is seen to stop too depends on
        // timing (a quiet machine: exit 0 after the probes gave up; loaded: a hang). Both seen on 17.
        expect(17, NATIVE_EXIT, varies(set(LEAK, DEADLOCK, JVM_HANG), set(LEAK, DEADLOCK)));
        expect(25, NATIVE_EXIT, varies(set(LEAK, JVM_CRASH), set(LEAK)));
        expect(17, NATIVE_CANCEL, certain(NO_EFFECT, JVM_HANG));
        expect(25, NATIVE_CANCEL, certain(NO_EFFECT));
        // Deadline: the Java steps cannot reach C code; the freeze is refused (in a critical region) for its
        // 250 ms grace: 17: 14 of 14 runs; 25: 16 of 18, frozen between two regions in 2 (the JVM lived).
        // Since an attempt no longer takes a ThreadMXBean safepoint (more attempts per grace), 17 too was
        // frozen between two regions, once, in a CI rehearsal (the JVM lived, every probe passed).
        expect(17, DEADLINE, varies(set(NO_EFFECT), set(LEAK)));
        expect(25, DEADLINE, varies(set(NO_EFFECT), set(LEAK)));
        expect(PROCESS, certain(CLEAN));
    }

    @Override
    public String title() {
        return "spins inside JNI critical regions (GetPrimitiveArrayCritical); then logging, stacks, allocation, GC, a new thread";
    }

    @Override
    public String holds() {
        return "a JNI critical region most of the time (GC locked out while inside, except G1 on JDK 25: region pinning)";
    }

    @Override
    void loop() {
        Victims.criticalSpin(new int[16], SLOT);
    }

    @Override
    long counter() {
        return Victims.counter(SLOT);
    }
}
