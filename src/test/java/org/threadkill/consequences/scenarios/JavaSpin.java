package org.threadkill.consequences.scenarios;

import org.threadkill.consequences.Cell;
import org.threadkill.consequences.Scenario;
import org.threadkill.consequences.Scenarios;
import org.threadkill.testing.VictimKind;

/** 3. The victim spins in pure (compiled) Java code and ignores interrupts; then GC and exit. */
@Scenarios.Order(3)
public final class JavaSpin extends Scenario {
    @Override
    public String id() {
        return "java-spin";
    }

    @Override
    public String title() {
        return "spins in pure Java, ignoring interrupts; then System.gc(), a new thread, exit";
    }

    @Override
    public Thread start(Cell cell) throws Exception {
        return VictimKind.JAVA_SPIN.start("victim");
    }

    @Override
    public long progress() {
        return VictimKind.JAVA_SPIN.progress();
    }
}
