package org.threadkill.testing;

import java.util.Locale;

/**
 * The platform directory under {@code natives/} ({@code linux_64}, {@code linux_arm64},
 * {@code windows_64}, ...), computed from {@code os.name} and {@code os.arch} the way the library's
 * loader computes it (HouseRulesTest checks that they agree). The one place tests, the demo and the
 * benchmarks learn where native libraries of this machine live: nobody spells a platform out.
 */
public final class Platform {
    private Platform() {}

    /** This machine's platform directory. */
    public static String directory() {
        return directory(System.getProperty("os.name", "?"), System.getProperty("os.arch", "?"));
    }

    /** The platform directory of another platform, e.g. {@code directory("Windows 10", "amd64")} for a cross-built library. */
    public static String directory(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("windows") ? "windows"
                : os.startsWith("mac") ? "osx" : os.replace(' ', '_');
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "64"
                : arch.equals("aarch64") ? "arm64" : arch;
        return o + "_" + a;
    }

    /** The resource name of a native library of this platform, e.g. {@code natives/linux_64/libthreadkill.so}. */
    public static String nativeResource(String library) {
        return "natives/" + directory() + "/" + System.mapLibraryName(library);
    }

    /** The resource name of the Windows x64 DLL of a library (cross-compiled here, never run). */
    public static String windowsResource(String library) {
        return "natives/" + directory("Windows", "amd64") + "/" + library + ".dll";
    }
}
