package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Outcome.*;

import org.threadkill.consequences.Scenarios;

/**
 * 23. DEMONSTRATION: {@link LoaderLock} frozen with the freeze's native safe point turned off
 * ({@code -Dthreadkill.demo.uncheckedFreeze=true} on this cell's child JVM only): what the check prevents.
 */
@Scenarios.Order(23)
public final class LoaderUnchecked extends UncheckedDemo {
    public LoaderUnchecked() {
        super(new LoaderLock(true));
        // Frozen inside the loader's lock: these probes (stacks, allocation, GC, a new thread) did not
        // need it; the JVM lived in 6 of 6 runs on each JDK.
        expect(NATIVE_FREEZE, certain(LEAK));
    }
}
