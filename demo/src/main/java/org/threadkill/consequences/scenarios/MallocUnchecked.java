package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Scenarios;

/**
 * 22. DEMONSTRATION: {@link MallocLoop} frozen with the freeze's native safe point turned off
 * ({@code -Dthreadkill.demo.uncheckedFreeze=true} on this cell's child JVM only): what the check prevents.
 */
@Scenarios.Order(22)
public final class MallocUnchecked extends UncheckedDemo {
    public MallocUnchecked() {
        super(new MallocLoop(true));
        // Frozen wherever the signal lands: hung in 5 of 8 runs on each JDK.
        expect(NATIVE_FREEZE, varies(set(LEAK, JVM_HANG), set(LEAK)));
    }
}
