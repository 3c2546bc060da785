package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.*;
import static org.threadkill.consequences.Expectation.certain;
import static org.threadkill.consequences.Expectation.set;
import static org.threadkill.consequences.Expectation.varies;
import static org.threadkill.consequences.Outcome.*;

import java.util.EnumSet;
import java.util.Set;

import org.threadkill.consequences.Column;
import org.threadkill.consequences.Scenarios;

/**
 * 22. DEMONSTRATION: {@link MallocLoop} frozen with the freeze's native safe point turned off
 * ({@code -Dthreadkill.demo.uncheckedFreeze=true} on this cell's child JVM only): what the check prevents.
 */
@Scenarios.Order(22)
public final class MallocUnchecked extends ProcessLockBase {
    private final MallocLoop checked = new MallocLoop(true);

    public MallocUnchecked() {
        super(true);
        // Frozen wherever the signal lands: hung in 5 of 8 runs on each JDK.
        expect(NATIVE_FREEZE, varies(set(LEAK, JVM_HANG), set(LEAK)));
    }

    @Override
    public String title() {
        return "DEMONSTRATION, the safe point switched off (-Dthreadkill.demo.uncheckedFreeze=true): " + checked.title();
    }

    @Override
    public String holds() {
        return checked.holds();
    }

    @Override
    public Set<Column> columns() {
        return EnumSet.of(NATIVE_FREEZE);
    }

    @Override
    void loop() {
        checked.loop();
    }

    @Override
    long counter() {
        return checked.counter();
    }
}
