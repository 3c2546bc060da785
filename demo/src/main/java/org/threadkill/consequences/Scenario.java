package org.threadkill.consequences;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.threadkill.KillResult;

/**
 * One row of the consequence matrix: what the victim does, and what is probed after the kill.
 * A subclass in {@code org.threadkill.consequences.scenarios} with a public no-argument
 * constructor is a scenario: adding one is adding that file. Its constructor also records what
 * each cell was observed to do ({@link #expect}); the tests assert those, the matrix re-measures them.
 *
 * <p>{@link #start}, {@link #probe} and {@link #progress} run inside the child JVM of the cell (and,
 * for the {@link Column#PROCESS} baseline, {@link #start} runs inside the worker process).
 */
public abstract class Scenario {
    private final Map<Column, Expectation> expected = new EnumMap<>(Column.class);
    private final Map<Integer, Map<Column, Expectation>> expectedOnJdk = new HashMap<>();

    /**
     * Short id used on the command line, in the matrix and in the anchors of docs/consequences.md:
     * the class name in kebab case ({@code Monitor} is {@code monitor}, {@code JavaSpin} is {@code java-spin}).
     */
    public final String id() {
        return idOf(getClass());
    }

    /** The id of a scenario class: its simple name in kebab case. */
    public static String idOf(Class<?> scenarioClass) {
        return scenarioClass.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** One line: what the victim does and what is probed. */
    public abstract String title();

    /**
     * Starts the victim and returns once it is in position (holding what it holds): by default the
     * {@link #work} on a daemon thread named "victim", then {@link #awaitInPosition}. A scenario
     * whose victim is not a task of its own overrides this (and has no {@link Column#DEADLINE} cell).
     */
    public Thread start(Cell cell) throws Exception {
        Runnable work = work(cell);
        if (work == null) throw new IllegalStateException(id() + " has no work(): it must override start()");
        Thread t = new Thread(work, "victim");
        t.setDaemon(true);
        t.start();
        awaitInPosition(cell, t);
        return t;
    }

    /**
     * What the victim does, as a task: {@link #start} runs it on a thread of its own for the kill
     * columns, the {@link Column#DEADLINE} cell hands it to a {@code Deadline}, which runs it on its
     * runner thread. Prepares what the work needs (a file, a mutex) on the calling thread. Null when
     * the scenario overrides {@link #start} instead.
     */
    public Runnable work(Cell cell) throws Exception {
        return null;
    }

    /** Returns once the work, running on {@code t}, is in position (holding what it holds). */
    public void awaitInPosition(Cell cell, Thread t) throws Exception {
    }

    /** What the victim holds besides what ThreadMXBean reports (files, native locks), for the narration. */
    public String holds() {
        return "";
    }

    /** A progress counter of the victim, or -1 when it has none (it blocks). */
    public long progress() {
        return -1;
    }

    /** The probes of this scenario, run after the kill and the look at the victim. */
    public void probe(Cell cell, Thread victim, KillResult kill) throws Exception {
    }

    /** Whether the common probes (GC, a new thread, GC again) follow the scenario's own. */
    public boolean commonProbes() {
        return true;
    }

    /** The columns this scenario has: the five modes, the deadline and the process baseline, unless it says otherwise. */
    public Set<Column> columns() {
        return EnumSet.range(Column.INTERRUPT, Column.PROCESS);
    }

    /**
     * The five modes and the process baseline, without {@link Column#DEADLINE}: for a scenario whose
     * victim cannot be a Deadline's task (it says why where it uses this).
     */
    protected static Set<Column> withoutDeadline() {
        Set<Column> c = EnumSet.range(Column.INTERRUPT, Column.PROCESS);
        c.remove(Column.DEADLINE);
        return c;
    }

    /**
     * Extra options of the cell's child JVM (e.g. a demonstration switch such as
     * {@code -Dthreadkill.demo.uncheckedFreeze=true}); none unless the scenario says so.
     */
    public java.util.List<String> jvmArgs() {
        return java.util.List.of();
    }

    /** Starts a victim named "victim" that sleeps until interrupted, and returns once it sleeps. */
    protected static Thread startSleeper(boolean daemon) throws InterruptedException {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // asked to stop
            }
        }, "victim");
        t.setDaemon(daemon);
        t.start();
        Waits.until(() -> t.getState() == Thread.State.TIMED_WAITING, 5000);
        return t;
    }

    /** Kills the victim the way the column says; null when no {@link KillResult} comes back. */
    public KillResult kill(Cell cell, Thread victim, Column column) {
        return cell.victim().kill(victim, column.mode);
    }

    /** Observed on every JDK the suite runs on. */
    protected final void expect(Column column, Expectation e) {
        expected.put(column, e);
    }

    /** Observed on this JDK (feature release: 17, 25); overrides {@link #expect(Column, Expectation)}. */
    protected final void expect(int jdk, Column column, Expectation e) {
        expectedOnJdk.computeIfAbsent(jdk, k -> new EnumMap<>(Column.class)).put(column, e);
    }

    /** What the tests assert for this cell on this JDK; null when nothing is known. */
    public final Expectation expected(Column column, int jdk) {
        Map<Column, Expectation> onJdk = expectedOnJdk.get(jdk);
        if (onJdk != null && onJdk.containsKey(column)) return onJdk.get(column);
        return expected.get(column);
    }

    @Override
    public String toString() {
        return id();
    }
}
