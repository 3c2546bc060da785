package org.threadkill.bench.report;

import static org.threadkill.bench.report.Format.ns;
import static org.threadkill.bench.report.Format.ratio;
import static org.threadkill.bench.report.Format.x;

import org.threadkill.bench.LookupChild;
import org.threadkill.bench.Results;
import org.threadkill.bench.Stats;

/** The cost of {@code ThreadKill.nativeId(Thread)} on each path, against plain JNI calls. */
final class LookupTable {
    private LookupTable() {}

    static String render(Results r) {
        StringBuilder s = new StringBuilder();
        row(s, r, "nativeid_vmstructs", "vmStructs (default)");
        row(s, r, "nativeid_threaddump", "thread dump (`-Dthreadkill.lookup=threadDump`)");
        row(s, r, "jni_nop", "reference: a JNI call that only returns");
        row(s, r, "jni_eetop", "reference: `Native.javaThread0` (JNI + one field read)");
        row(s, r, "jni_gettid", "reference: `Native.currentTid0` (JNI + `gettid`)");
        row(s, r, "heldlocks", "not a lookup: `HeldLocks.of(Thread)`, which every native kill calls");
        return Template.of("lookup").with("rows", s).with("batch", LookupChild.BATCH)
                .with("ratio", x(ratio(r.stats("nativeid_threaddump").median(), r.stats("nativeid_vmstructs").median())))
                .render();
    }

    private static void row(StringBuilder s, Results r, String key, String label) {
        Stats st = r.stats(key);
        s.append("| ").append(label).append(" | ").append(ns(st.median())).append(" | ").append(ns(st.pct(90)))
                .append(" | ").append(ns(st.pct(99))).append(" |\n");
    }
}
