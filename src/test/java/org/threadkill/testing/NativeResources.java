package org.threadkill.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Loads a native library of the kit from the class path: from the test classes directory when the
 * kit runs in the library's own build, from the test-jar (or a shaded jar) elsewhere, copied to a
 * temporary file first.
 */
final class NativeResources {
    private NativeResources() {}

    static void load(Class<?> anchor, String library) {
        String resource = Platform.nativeResource(library);
        URL url = anchor.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("test natives not built: no " + resource + " on the class path"
                    + " (run mvn process-classes in the library, or install its test-jar)");
        }
        try {
            if (url.getProtocol().equals("file")) {
                System.load(Path.of(url.toURI()).toString());
                return;
            }
            // One copy per content, reused by every child JVM (many of them halt or die: no cleanup
            // at exit would run), written under a temporary name and moved in place.
            byte[] bytes;
            try (InputStream in = url.openStream()) {
                bytes = in.readAllBytes();
            }
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "threadkill-kit-" + System.getProperty("user.name"));
            Files.createDirectories(dir);
            Path file = dir.resolve(digest + "-" + System.mapLibraryName(library));
            if (!Files.isRegularFile(file) || Files.size(file) != bytes.length) {
                Path tmp = Files.createTempFile(dir, "part-", ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            System.load(file.toString());
        } catch (IOException | URISyntaxException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot load " + url, e);
        }
    }
}
