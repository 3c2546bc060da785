package org.threadkill.consequences;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The feature release of a JDK, from its {@code release} file (no JVM started). */
final class ChildJdk {
    private ChildJdk() {}

    static int feature(String javaHome) throws IOException {
        if (javaHome == null) return Runtime.version().feature();
        Path release = Path.of(javaHome, "release");
        for (String l : Files.readAllLines(release, StandardCharsets.UTF_8)) {
            if (l.startsWith("JAVA_VERSION=")) {
                String v = l.substring(l.indexOf('"') + 1);
                v = v.substring(0, v.indexOf('"'));
                String major = v.startsWith("1.") ? v.substring(2, 3) : v.split("[.\\-+]")[0];
                return Integer.parseInt(major);
            }
        }
        throw new IOException("no JAVA_VERSION in " + release);
    }
}
