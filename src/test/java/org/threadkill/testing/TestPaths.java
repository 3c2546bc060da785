package org.threadkill.testing;

import java.nio.file.Path;

/** Where the build put things; works under surefire, from scripts and from an IDE. */
public final class TestPaths {
    private TestPaths() {}

    public static Path testClasses() {
        String p = System.getProperty("threadkill.test.classes");
        if (p != null) return Path.of(p);
        try {
            return Path.of(TestPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return Path.of("target", "test-classes");
        }
    }

    public static Path mainClasses() {
        String p = System.getProperty("threadkill.main.classes");
        return p != null ? Path.of(p) : testClasses().resolveSibling("classes");
    }

    /** The test natives of this platform in the test classes directory (only when they are not in a jar). */
    public static Path testNatives() {
        return testClasses().resolve("natives").resolve(Platform.directory());
    }
}
