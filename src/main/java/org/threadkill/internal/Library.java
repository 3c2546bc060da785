package org.threadkill.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Loads libthreadkill once and remembers why it could not. The library ships inside the jar at
 * {@code natives/<os>_<arch>/}. We copy it into a directory ({@code -Dthreadkill.extractDir}, by
 * default {@code java.io.tmpdir}), {@link System#load} it ourselves and delete the copy at once: on
 * Linux a loaded library stays mapped after its file is gone, so nothing is left behind even when
 * the JVM later crashes. Loading it ourselves also makes the error say what was looked for and how
 * to override it, and makes JDK 24+ attribute the native access to this module
 * ({@code --enable-native-access=org.threadkill}, or {@code ALL-UNNAMED} on the class path).
 *
 * <p>No extraction library: native-lib-loader, used before, creates an SLF4J logger in every class's
 * static initializer, so any use of it printed SLF4J's three "no binding" lines in every consumer
 * that has no SLF4J binding; it also extracts only into {@code java.io.tmpdir} and leaves its
 * directories behind when the JVM does not exit normally.
 */
public final class Library {
    private Library() {}

    /** Points to a libthreadkill built by hand; skips the copy in the jar. */
    public static final String LIBRARY_PATH_PROPERTY = "threadkill.library.path";
    /** Directory the library is copied into before loading (default java.io.tmpdir); must allow exec. */
    public static final String EXTRACT_DIR_PROPERTY = "threadkill.extractDir";
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
        KillEvents.register();   // see there: a crash dump must know our event types
    }

    public static boolean isLoaded() {
        return CAUSE == null;
    }

    public static Throwable cause() {
        return CAUSE;
    }

    private static volatile Boolean unchecked;

    /** The demonstration switch -Dthreadkill.demo.uncheckedFreeze=true (startup value, read by C). */
    static boolean uncheckedFreeze() {
        Boolean u = unchecked;
        if (u == null) unchecked = u = isLoaded() && Native.uncheckedFreeze0();
        return u;
    }

    /** Names code a freeze refused: "the C library, in malloc", "the dynamic loader", "libjvm". */
    static String codeAt(long address) {
        if (!isLoaded()) return "0x" + Long.toHexString(address);
        return Native.codeAt0(address);
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
        String file = System.mapLibraryName("threadkill");
        if (override != null && !override.isEmpty()) {
            File given = new File(override).getAbsoluteFile();
            try {
                System.load(given.getPath());
            } catch (UnsatisfiedLinkError e) {
                // The JVM lets one class loader load a file; another loader's threadkill (a second
                // webapp, a plugin) loads a copy of it, which joins the first (see jni_entry.c).
                if (e.getMessage() == null || !e.getMessage().contains("another classloader")) {
                    throw new UnsatisfiedLinkError("threadkill: cannot load " + override + " given by -D"
                            + LIBRARY_PATH_PROPERTY + ": " + e.getMessage() + "; see " + Docs.TROUBLESHOOTING);
                }
                try (InputStream in = Files.newInputStream(given.toPath())) {
                    loadCopy(in, override + " (-D" + LIBRARY_PATH_PROPERTY + ", loaded by another class loader)", file);
                } catch (IOException io) {
                    throw new UnsatisfiedLinkError("threadkill: cannot read " + override + " given by -D"
                            + LIBRARY_PATH_PROPERTY + ": " + io + "; see " + Docs.TROUBLESHOOTING);
                }
            } catch (Throwable t) {
                throw new UnsatisfiedLinkError("threadkill: cannot load " + override + " given by -D"
                        + LIBRARY_PATH_PROPERTY + ": " + t.getMessage() + "; see " + Docs.TROUBLESHOOTING);
            }
            return;
        }
        String resource = "natives/" + platformDirectory() + "/" + file;
        // Class.getResource finds it on the class path and, on the module path, inside our
        // own module (where another module's class-loader lookup cannot see it).
        URL url = Library.class.getResource("/" + resource);
        if (url == null) {
            throw new UnsatisfiedLinkError("threadkill: no native library for " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch") + " (looked for resource " + resource
                    + " in the threadkill jar); build libthreadkill for this platform and point -D"
                    + LIBRARY_PATH_PROPERTY + "=/path/to/" + file + " at it; see " + Docs.TROUBLESHOOTING);
        }
        try (InputStream in = url.openStream()) {
            loadCopy(in, resource, file);
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("threadkill: cannot read " + resource + ": " + e + "; see " + Docs.TROUBLESHOOTING);
        }
    }

    /**
     * Copies the library read from {@code in} ({@code what} names it in errors) into the extraction
     * directory, loads the copy and deletes it. Every class loader that loads threadkill gets its
     * own copy; the copies of one build share one handler and one taint (see jni_entry.c).
     */
    private static void loadCopy(InputStream in, String what, String file) {
        Path dir = extractDirectory();
        Path lib;
        try {
            lib = Files.createTempFile(dir, "threadkill-", "-" + file);
            try {
                Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(lib);
                throw e;
            }
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("threadkill: cannot copy " + what + " into " + dir + ": " + e
                    + "; choose a writable directory with -D" + EXTRACT_DIR_PROPERTY + "=/path; see "
                    + Docs.TROUBLESHOOTING);
        }
        try {
            System.load(lib.toString());
        } catch (Throwable t) {
            String msg = t.getMessage();
            if (noexec(dir)) {
                throw new UnsatisfiedLinkError("threadkill: cannot load the library from " + dir + ": that directory"
                        + " is on a file system mounted noexec (System.load: " + msg + "); choose a directory on an"
                        + " executable file system with -D" + EXTRACT_DIR_PROPERTY + "=/path (default: java.io.tmpdir),"
                        + " or point -D" + LIBRARY_PATH_PROPERTY + " at an installed copy; see " + Docs.TROUBLESHOOTING);
            }
            throw new UnsatisfiedLinkError("threadkill: System.load(" + lib + ") failed: " + msg
                    + (msg != null && msg.contains("GLIBC_") ? "; the binary needs glibc 2.17 or newer" : "")
                    + "; see " + Docs.TROUBLESHOOTING);
        } finally {
            remove(lib);
        }
    }

    /** {@code -Dthreadkill.extractDir}, else {@code java.io.tmpdir}. */
    private static Path extractDirectory() {
        String p = System.getProperty(EXTRACT_DIR_PROPERTY);
        if (p == null || p.isEmpty()) p = System.getProperty("java.io.tmpdir");
        Path dir = Path.of(p).toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new UnsatisfiedLinkError("threadkill: the extraction directory " + dir + " does not exist (-D"
                    + EXTRACT_DIR_PROPERTY + ", default java.io.tmpdir); see " + Docs.TROUBLESHOOTING);
        }
        return dir;
    }

    /**
     * Deletes the copy once loaded. Linux (and macOS) keep the mapping; Windows cannot delete a
     * loaded DLL, so there the copy goes at normal exit and stays after a crash (untested).
     */
    private static void remove(Path lib) {
        try {
            Files.deleteIfExists(lib);
        } catch (IOException e) {
            lib.toFile().deleteOnExit();
        }
    }

    /** Whether {@code dir} lies on a mount with the noexec option (Linux; false when it cannot tell). */
    static boolean noexec(Path dir) {
        Path mounts = Path.of("/proc/self/mounts");
        if (!Files.isReadable(mounts)) return false;
        try {
            Path real = dir.toRealPath();
            int best = -1;
            boolean noexec = false;
            for (String line : Files.readAllLines(mounts)) {
                String[] f = line.split(" ");
                if (f.length < 4) continue;
                String point = f[1].replace("\\040", " ");   // the kernel escapes spaces
                if (real.startsWith(point) && point.length() >= best) {
                    best = point.length();
                    noexec = Arrays.asList(f[3].split(",")).contains("noexec");
                }
            }
            return noexec;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** For {@code ThreadKill.prepare()}: the handler installed ahead of the first native kill. */
    public static void prepareSignal() {
        ensureSignalInstalled();
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
            codeAt(0);   // linked now: a refused freeze names code with it, when the loader lock may be held
            signalInstalled = true;
        }
    }
}
