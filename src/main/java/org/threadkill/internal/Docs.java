package org.threadkill.internal;

/**
 * Where messages send the reader: the one place that knows the project's documentation address.
 * Messages name a URL, not a repository path, because they are read by users of the jar.
 */
public final class Docs {
    private Docs() {}

    /** The documentation folder of the project's main branch. */
    public static final String BASE = "https://github.com/threadkill/threadkill/blob/main/docs/";
    /** What each mode breaks, and what to use instead. */
    public static final String WARNINGS = BASE + "WARNINGS.md";
    /** Loading problems, glibc, noexec, native-access warnings, the opt-in. */
    public static final String TROUBLESHOOTING = BASE + "TROUBLESHOOTING.md";
}
