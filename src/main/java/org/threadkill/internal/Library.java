package org.threadkill.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.scijava.nativelib.NativeLoader;

/**
 * Loads libthreadkill once and remembers why it could not. The library ships inside the jar at
 * {@code natives/<os>_<arch>/}; on the class path native-lib-loader extracts it, on the module path
 * we copy it out of our own module; either way we call {@link System#load} ourselves, so that the
 * error says what was looked for and how to override it, and JDK 24+ attributes the native access
 * to this module ({@code --enable-native-access=org.threadkill}, or {@code ALL-UNNAMED} on the class path).
 */
public final class Library {
    private Library() {}

    /** Points to a libthreadkill built by hand; skips the copy in the jar. */
    public static final String LIBRARY_PATH_PROPERTY = "threadkill.library.path";
    /** Offset from SIGRTMIN of the kill signal (default 4). */
    public static final String SIGNAL_PROPERTY = "threadkill.signal";
    public static final int DEFAULT_SIGNAL_OFFSET = 4;

    private static final Throwable CAUSE;
    private static volatile boolean signalInstalled;

    static {
        Throwable cause = null;
        try {
            load();
            checkItIsOurs();
        } catch (Throwable t) {
            cause = t;
        }
        CAUSE = cause;
    }

    public static boolean isLoaded() {
        return CAUSE == null;
    }

    public static Throwable cause() {
        return CAUSE;
    }

    /** Throws, naming the reason, when the library is not usable here. */
    public static void ensureLoaded() {
        if (CAUSE != null) {
            throw new UnsupportedOperationException("threadkill's native library is not available: "
                    + CAUSE.getMessage(), CAUSE);
        }
    }

    public static String platformDirectory() {
        String os = System.getProperty("os.name", "?").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "?").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("windows") ? "windows"
                : os.startsWith("mac") ? "osx" : os.replace(' ', '_');
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "64"
                : arch.equals("aarch64") ? "arm64" : arch;
        return o + "_" + a;
    }

    /**
     * A library that loads is not necessarily ours (a wrong -Dthreadkill.library.path, a stale
     * copy): it must answer our newest entry point, or the library counts as unavailable.
     */
    private static void checkItIsOurs() {
        try {
            Native.gateOpen0();
        } catch (UnsatisfiedLinkError e) {
            String override = System.getProperty(LIBRARY_PATH_PROPERTY);
            throw new UnsatisfiedLinkError("threadkill: the library loaded from "
                    + (override != null && !override.isEmpty() ? override + " (-D" + LIBRARY_PATH_PROPERTY + ")"
                            : "the jar") + " is not threadkill's, or not this version's: it has no "
                    + "Java_org_threadkill_internal_Native_gateOpen0 (" + e.getMessage() + ")");
        }
    }

    private static void load() {
        String override = System.getProperty(LIBRARY_PATH_PROPERTY);
        if (override != null && !override.isEmpty()) {
            try {
                System.load(new File(override).getAbsolutePath());
            } catch (Throwable t) {
                throw new UnsatisfiedLinkError("threadkill: cannot load " + override + " given by -D"
                        + LIBRARY_PATH_PROPERTY + ": " + t.getMessage());
            }
            return;
        }
        String dir = "natives/" + platformDirectory();
        String file = System.mapLibraryName("threadkill");
        String resource = dir + "/" + file;
        String where = "threadkill: no native library for " + System.getProperty("os.name") + "/"
                + System.getProperty("os.arch") + " (looked for resource " + resource + " on the class path)";
        String howto = "; build libthreadkill by hand (cmake, see README) and point -D" + LIBRARY_PATH_PROPERTY
                + "=/path/to/" + file + " at it";
        ClassLoader loader = Library.class.getClassLoader();
        File extracted;
        if (loader != null && loader.getResource(resource) != null) {
            try {   // on the class path: native-lib-loader extracts it
                extracted = NativeLoader.getJniExtractor().extractJni(dir, "threadkill");
            } catch (Throwable t) {
                throw new UnsatisfiedLinkError(where + ": extraction failed: " + t + howto);
            }
            if (extracted == null) {
                throw new UnsatisfiedLinkError(where + ": native-lib-loader could not extract it" + howto);
            }
        } else {
            // On the module path the resource is encapsulated in our module, where
            // native-lib-loader's class-loader lookup cannot see it: copy it out ourselves.
            extracted = extractFromModule(resource, file);
            if (extracted == null) throw new UnsatisfiedLinkError(where + howto);
        }
        try {
            System.load(extracted.getAbsolutePath());
        } catch (Throwable t) {
            throw new UnsatisfiedLinkError(where + ": found, but System.load(" + extracted + ") failed: "
                    + t.getMessage() + howto);
        }
    }

    private static File extractFromModule(String resource, String file) {
        try (InputStream in = Library.class.getModule().getResourceAsStream(resource)) {
            if (in == null) return null;
            Path tmp = Files.createTempDirectory("threadkill");
            Path lib = tmp.resolve(file);
            Files.copy(in, lib);
            lib.toFile().deleteOnExit();
            tmp.toFile().deleteOnExit();
            return lib.toFile();
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("threadkill: cannot copy " + resource + " out of the module: " + e);
        }
    }

    /**
     * Installs the kill signal handler once (first native kill), honouring -Dthreadkill.signal.
     * Package-private: only the kill mechanisms of this package install it, and C refuses it
     * without the opt-in.
     */
    static void ensureSignalInstalled() {
        if (signalInstalled) return;
        synchronized (Library.class) {
            if (signalInstalled) return;
            ensureLoaded();
            int offset = DEFAULT_SIGNAL_OFFSET;
            String p = System.getProperty(SIGNAL_PROPERTY);
            if (p != null) {
                try {
                    offset = Integer.parseInt(p.trim().replaceFirst("(?i)^SIGRTMIN\\+", ""));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("-D" + SIGNAL_PROPERTY + "=" + p
                            + " is not an offset from SIGRTMIN (e.g. 4 or SIGRTMIN+4)");
                }
            }
            Native.installSignal0(Native.signalRange0(false) + offset);
            signalInstalled = true;
        }
    }
}
