package org.threadkill.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a JDK is, for choosing and describing the JVM a child runs on. */
public final class Jdk {
    private Jdk() {}

    /** The feature release (17, 25) of the JDK at {@code javaHome}, read from its {@code release} file; this JVM's for null. */
    public static int feature(String javaHome) throws IOException {
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

    /** The feature release at the start of a version string ("25.0.1+8-LTS (Eclipse Adoptium)" -> 25); 0 when none. */
    public static int featureOf(String version) {
        String v = version.split("[^0-9]", 2)[0];
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** "17.0.15+6-Debian-1deb12u1 (Debian)": the runtime version and vendor of the JDK at {@code home} (starts it once). */
    public static String describe(String home) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java(home), "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String version = "?", vendor = "";
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (t.startsWith("java.runtime.version = ")) version = t.substring("java.runtime.version = ".length());
            if (t.startsWith("java.vendor = ")) vendor = t.substring("java.vendor = ".length());
        }
        return version + (vendor.isEmpty() ? "" : " (" + vendor + ")");
    }

    /** The java launcher of the JDK at {@code home}. */
    public static String java(String home) {
        return Path.of(home, "bin", "java").toString();
    }
}
