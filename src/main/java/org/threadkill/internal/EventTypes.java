package org.threadkill.internal;

import java.lang.invoke.MethodHandles;
import java.util.List;

import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;

/**
 * Registers threadkill's JFR event types explicitly, as soon as the library loads when a recorder
 * is already up, and again before a native kill if it started later. A crash dump can only show
 * events whose type description it holds, and JFR stores that description at once only for a type
 * registered explicitly while recording; a type registered implicitly, at its first commit, waits
 * for the next flush. Without this, the Kill event was missing from 4 of 10 emergency dumps of a
 * NATIVE_EXIT crash; with it, from none of 20.
 *
 * <p>Not in an event class: initialising one makes JFR build its machinery (a few hundred ms on a
 * loaded machine), which a JVM without a recorder should not pay when the library loads.
 */
final class EventTypes {
    private EventTypes() {}

    private static volatile boolean registered;

    static void register() {
        if (registered || !FlightRecorder.isInitialized()) return;   // else they register when first used
        for (Class<? extends Event> type : List.of(KillAttemptEvent.class, KillEvent.class, InspectionEvent.class)) {
            try {
                MethodHandles.lookup().ensureInitialized(type);   // JFR sets up an event class in its initializer
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);   // same package: cannot happen
            }
            FlightRecorder.register(type);
        }
        registered = true;
    }
}
