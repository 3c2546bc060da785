package org.threadkill.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threadkill.testing.ChildJvm;

/**
 * The INTERRUPT verdict for the JDK's blocking operations, scored against what INTERRUPT then did
 * (child JVM, JDK 17 and 25): a prediction of STOPS must never meet a thread still running, nor
 * NO_EFFECT a thread that stopped.
 */
class InterruptVerdictTest {

    @Test
    void everyInterruptVerdictHoldsAgainstWhatHappened(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = new ChildJvm(dir).stallLimit(Duration.ofSeconds(30))
                .run(InterruptVerdictProbe.class, Duration.ofSeconds(120));
        String why = r.toString();
        assertTrue(r.printed("main.returning=true"), why);
        String[] ops = {"sleep", "objectWait", "park", "queueTake", "processWaitFor", "socketChannelRead",
                "serverChannelAccept", "selectorSelect", "socketRead", "nativeSpin"};
        for (String op : ops) {
            String[] v = r.value(op).split(" ");
            String predicted = v[0], observed = v[1];
            boolean stopped = observed.equals("STOPPED") || observed.equals("WORK_ENDED");
            if (predicted.equals("STOPS")) assertTrue(stopped, op + " predicted STOPS, observed " + observed + ": " + why);
            if (predicted.equals("NO_EFFECT")) assertTrue(!stopped, op + " predicted NO_EFFECT, observed " + observed + ": " + why);
        }
        // What was observed, every run on 17 and 25 (each op ends its call on any exception):
        for (String op : new String[] {"sleep", "objectWait", "park", "queueTake", "processWaitFor",
                "socketChannelRead", "serverChannelAccept", "selectorSelect"}) {
            assertEquals("STOPPED", r.value(op).split(" ")[1], op + ": " + why);
            assertEquals("MAY_STOP", r.value(op).split(" ")[0], op + ": " + why);
        }
        assertEquals("NO_EFFECT STILL_RUNNING", r.value("nativeSpin"), why);
    }
}
