package org.threadkill.consequences.scenarios;

import static org.threadkill.consequences.Column.NATIVE_FREEZE;

import java.util.EnumSet;
import java.util.Set;

import org.threadkill.consequences.Column;

/**
 * A DEMONSTRATION cell: the victim of a safe-point scenario, frozen with the freeze's native safe
 * point turned off ({@code -Dthreadkill.demo.uncheckedFreeze=true} on this cell's child JVM only),
 * to show what the check prevents. NATIVE_FREEZE only; the subclass records what it observed.
 */
abstract class UncheckedDemo extends ProcessLockBase {
    private final ProcessLockBase checked;

    UncheckedDemo(ProcessLockBase checked) {
        super(true);
        this.checked = checked;
    }

    @Override
    public String title() {
        return "DEMONSTRATION, the safe point switched off (-Dthreadkill.demo.uncheckedFreeze=true): " + checked.title();
    }

    @Override
    public String holds() {
        return checked.holds();
    }

    /** The freeze only: the demonstration is of the switch; the checked scenario has the other columns, DEADLINE too. */
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
