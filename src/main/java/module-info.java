/**
 * threadkill: kills the OS thread behind a {@link java.lang.Thread} when nothing else works.
 * Read docs/WARNINGS.md before using anything here.
 */
module org.threadkill {
    requires java.management;
    requires jdk.management;
    requires jdk.jfr;

    exports org.threadkill;
    exports org.threadkill.run;
}
