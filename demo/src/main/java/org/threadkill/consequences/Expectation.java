package org.threadkill.consequences;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a cell was observed to do, as the tests assert it: one outcome set (certain), or several
 * that were each seen in repeated runs (it varies; the matrix measures the rate).
 */
public final class Expectation {
    private final List<Set<Outcome>> variants;

    private Expectation(List<Set<Outcome>> variants) {
        this.variants = variants;
    }

    public static Expectation certain(Outcome first, Outcome... rest) {
        return new Expectation(List.of(Collections.unmodifiableSet(EnumSet.of(first, rest))));
    }

    /** Seen to vary: any of these sets is a known result. */
    @SafeVarargs
    public static Expectation varies(Set<Outcome>... seen) {
        List<Set<Outcome>> v = new ArrayList<>();
        for (Set<Outcome> s : seen) v.add(Collections.unmodifiableSet(EnumSet.copyOf(s)));
        return new Expectation(List.copyOf(v));
    }

    public static Set<Outcome> set(Outcome first, Outcome... rest) {
        return EnumSet.of(first, rest);
    }

    public boolean isCertain() {
        return variants.size() == 1;
    }

    public List<Set<Outcome>> variants() {
        return variants;
    }

    public boolean matches(Set<Outcome> observed) {
        return variants.contains(observed);
    }

    @Override
    public String toString() {
        return isCertain() ? variants.get(0).toString() : "one of " + variants;
    }
}
