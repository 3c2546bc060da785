package org.threadkill.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Jupiter's syntax for its default-timeout parameters, as {@link TestBudget} reads it. */
class TestBudgetTest {
    @Test
    void readsJupitersDurationSyntax() {
        assertEquals(Optional.of(Duration.ofSeconds(1)), TestBudget.parse("1 s"));
        assertEquals(Optional.of(Duration.ofSeconds(5)), TestBudget.parse("5"));
        assertEquals(Optional.of(Duration.ofMillis(500)), TestBudget.parse("500ms"));
        assertEquals(Optional.of(Duration.ofMillis(500)), TestBudget.parse(" 500 MS "));
        assertEquals(Optional.of(Duration.ofNanos(7_000)), TestBudget.parse("7 μs"));
        assertEquals(Optional.of(Duration.ofMinutes(2)), TestBudget.parse("2m"));
        assertEquals(Optional.of(Duration.ofHours(1)), TestBudget.parse("1 h"));
        assertEquals(Optional.of(Duration.ofDays(1)), TestBudget.parse("1d"));
    }

    @Test
    void ignoresWhatJupiterIgnores() {
        for (String bad : new String[] {"0 s", "-1 s", "1  s", "1 sec", "s", "", "1.5 s", "99999999999999999999"}) {
            assertEquals(Optional.empty(), TestBudget.parse(bad), bad);
        }
    }
}
