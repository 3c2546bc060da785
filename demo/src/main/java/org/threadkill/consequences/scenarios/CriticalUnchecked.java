package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Scenarios;

/**
 * 21. DEMONSTRATION: {@link CriticalRegion} frozen with the freeze's native safe point turned off
 * ({@code -Dthreadkill.demo.uncheckedFreeze=true} on this cell's child JVM only): what the check prevents.
 */
@Scenarios.Order(21)
public final class CriticalUnchecked extends UncheckedDemo {
    public CriticalUnchecked() {
        super(new CriticalRegion(true));
        // JDK 17: frozen inside a region, the next GC never ends (6 of 6). JDK 25's G1 pins: lived (6 of 6).
        // GC never returns either way; whether the rest of the JVM is seen to stop too depends on
        // timing (both seen on 17).
        expect(17, NATIVE_FREEZE, varies(set(LEAK, DEADLOCK, JVM_HANG), set(LEAK, DEADLOCK)));
        expect(25, NATIVE_FREEZE, certain(LEAK));
    }
}
