package org.threadkill.internal;

import jdk.jfr.FlightRecorder;

/**
 * Whether JFR has started in this JVM (without starting it). A class of its own with no static
 * state, so that asking never initialises another class of ours: two threads that use the library
 * for the first time at once must not wait on each other's class initialisation.
 */
final class JfrState {
    private JfrState() {}

    static boolean initialized() {
        try {
            return FlightRecorder.isInitialized();
        } catch (RuntimeException | Error e) {
            return false;   // JFR unavailable or disabled here
        }
    }
}
