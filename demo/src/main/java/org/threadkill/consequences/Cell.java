package org.threadkill.consequences;

/**
 * One cell (a scenario killed by one column's mode) inside its child JVM: the parts a scenario works
 * with, each with one job: the {@link Timeline} it prints, the {@link Findings} it makes, the
 * {@link Watchdog} that tells a hung JVM from a busy one, the {@link VictimView} of its victim, and its
 * bounded {@link Probes}.
 */
public final class Cell {
    private final Scenario scenario;
    private final Column column;
    private final Timeline timeline = new Timeline();
    private final Findings findings = new Findings(timeline);
    private final Watchdog watchdog = new Watchdog(timeline, findings);
    private final VictimView victim;
    private final Probes probes;

    public Cell(Scenario scenario, Column column) {
        this.scenario = scenario;
        this.column = column;
        this.victim = new VictimView(scenario, column, timeline, findings);
        this.probes = new Probes(timeline, findings, watchdog, victim);
    }

    public Scenario scenario() {
        return scenario;
    }

    public Column column() {
        return column;
    }

    public Timeline timeline() {
        return timeline;
    }

    public Findings findings() {
        return findings;
    }

    public Watchdog watchdog() {
        return watchdog;
    }

    public VictimView victim() {
        return victim;
    }

    public Probes probes() {
        return probes;
    }
}
