package org.threadkill.bench.section;

import java.util.List;

import org.threadkill.bench.Results;

/** Reads the named lines children print: {@code c <sample name> <ns>} and {@code i <fact> <value>}. */
final class Named {
    private Named() {}

    static void parse(Results r, List<String> lines) {
        for (String line : lines) {
            String[] f = line.split(" ", 3);
            if (f[0].equals("c") && f.length == 3) r.samples(f[1]).add(Long.parseLong(f[2].trim()));
            if (f[0].equals("i") && f.length == 3) r.facts.put(f[1], f[2]);
        }
    }
}
