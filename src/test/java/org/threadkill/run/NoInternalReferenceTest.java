package org.threadkill.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.threadkill.testing.TestPaths;

/**
 * The run layer uses only the public API of org.threadkill: no compiled class of org.threadkill.run
 * may name anything in org.threadkill.internal. Class files name every class they refer to in
 * their constant pool as a UTF-8 entry ("org/threadkill/internal/..." or a descriptor containing it),
 * so a byte search of the files is enough, and cannot be fooled by an import that javac dropped.
 */
class NoInternalReferenceTest {
    private static final byte[] INTERNAL = "org/threadkill/internal".getBytes(StandardCharsets.UTF_8);

    @Test
    void noClassOfTheRunLayerRefersToTheInternalPackage() throws IOException {
        Path dir = TestPaths.mainClasses().resolve("org/threadkill/run");
        assertTrue(Files.isDirectory(dir), "compiled run layer not found at " + dir);
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                scanned++;
                if (contains(Files.readAllBytes(f), INTERNAL)) offenders.add(dir.relativize(f).toString());
            }
        }
        assertTrue(scanned >= 8, "expected the run layer's classes, found " + scanned);
        assertEquals(List.of(), offenders, "classes of org.threadkill.run that refer to org.threadkill.internal");
    }

    @Test
    void theScanFindsAReferenceWhereThereIsOne() throws IOException {
        // The library's own facade does use the internal package: the same scan must see it.
        Path facade = TestPaths.mainClasses().resolve("org/threadkill/ThreadKill.class");
        assertTrue(contains(Files.readAllBytes(facade), INTERNAL));
        assertFalse(contains("org/threadkill/run".getBytes(StandardCharsets.UTF_8), INTERNAL));
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }
}
