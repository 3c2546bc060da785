package org.threadkill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.threadkill.internal.Library;
import org.threadkill.testing.Platform;
import org.threadkill.testing.TestPaths;

/**
 * The rules of the house, read from the compiled classes of the library (what goes into its jar):
 * the run layer uses only the public API, and no public method is a native one.
 */
class HouseRulesTest {
    private static final Path CLASSES = TestPaths.mainClasses();

    /** org.threadkill.run may use only the public API: no reference to org.threadkill.internal. */
    @Test
    void theRunLayerUsesOnlyThePublicApi() throws IOException {
        Path run = CLASSES.resolve("org/threadkill/run");
        if (!Files.isDirectory(run)) return;   // the package does not exist yet: nothing can break the rule
        List<String> offenders = new ArrayList<>();
        for (Path c : classFiles(run)) {
            for (String utf8 : utf8Constants(Files.readAllBytes(c))) {
                if (utf8.contains("org/threadkill/internal/") || utf8.contains("org.threadkill.internal.")) {
                    offenders.add(CLASSES.relativize(c) + " refers to " + utf8);
                }
            }
        }
        assertTrue(offenders.isEmpty(), () -> "org.threadkill.run must use only the public API:\n  "
                + String.join("\n  ", offenders));
    }

    /** The detector above sees a reference when there is one (it reads its own class). */
    @Test
    void theReferenceDetectorSeesReferences() throws IOException {
        Path self = TestPaths.testClasses().resolve("org/threadkill/HouseRulesTest.class");
        assertTrue(utf8Constants(Files.readAllBytes(self)).stream().anyMatch(s -> s.contains("org/threadkill/internal/Library")));
    }

    /** Natives are reachable only through the facade: no class of the library jar has a public native method. */
    @Test
    void noPublicNativeMethod() throws Exception {
        List<String> found = new ArrayList<>();
        int classes = 0;
        for (Path c : classFiles(CLASSES)) {
            String name = CLASSES.relativize(c).toString().replace('/', '.').replaceAll("\\.class$", "");
            if (name.equals("module-info")) continue;
            classes++;
            Class<?> k = Class.forName(name, false, HouseRulesTest.class.getClassLoader());
            for (Method m : k.getDeclaredMethods()) {
                if (Modifier.isNative(m.getModifiers()) && Modifier.isPublic(m.getModifiers())) found.add(m.toString());
            }
        }
        assertTrue(classes > 10, "read only " + classes + " classes from " + CLASSES);
        assertTrue(found.isEmpty(), () -> "public native methods: " + found);
        boolean anyNative = false;
        for (Method m : Class.forName("org.threadkill.internal.Native", false, HouseRulesTest.class.getClassLoader())
                .getDeclaredMethods()) {
            anyNative |= Modifier.isNative(m.getModifiers());
        }
        assertTrue(anyNative, "the scan should see the library's (non-public) natives");
    }

    /** The kit's platform directory is the one the library loads from. */
    @Test
    void theKitAndTheLibraryAgreeOnThePlatformDirectory() {
        assertEquals(Library.platformDirectory(), Platform.directory());
        assertFalse(Platform.directory().contains("?"));
    }

    private static List<Path> classFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
    }

    /** The CONSTANT_Utf8 entries of a class file: every class, descriptor and string it names. */
    static List<String> utf8Constants(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        List<String> utf8 = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: utf8.add(in.readUTF()); break;                       // Utf8
                case 3: case 4: in.skipBytes(4); break;                      // Integer, Float
                case 5: case 6: in.skipBytes(8); i++; break;                 // Long, Double: two slots
                case 7: case 8: case 16: case 19: case 20: in.skipBytes(2); break; // Class, String, MethodType, Module, Package
                case 9: case 10: case 11: case 12: case 17: case 18: in.skipBytes(4); break; // refs, NameAndType, (Invoke)Dynamic
                case 15: in.skipBytes(3); break;                             // MethodHandle
                default: throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return utf8;
    }
}
