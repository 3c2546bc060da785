package org.threadkill.bench.report;

import static org.threadkill.bench.report.Format.ms;
import static org.threadkill.bench.report.Format.us;

import java.util.List;

import org.threadkill.bench.Results;
import org.threadkill.bench.Stats;
import org.threadkill.bench.Victim;

/** The alternatives to a thread kill: Python's async exception and multiprocessing, a child JVM. */
final class Alternatives {
    private Alternatives() {}

    static String render(Results r) {
        StringBuilder s = new StringBuilder();
        row(s, r, "py_async_exc_caught", "Python `PyThreadState_SetAsyncExc` → caught in a spinning thread (µs)", false);
        row(s, r, "py_async_exc_joined", "Python `PyThreadState_SetAsyncExc` → spinning thread joined (µs)", false);
        Stats sl = r.stats("py_async_exc_sleeping");
        s.append("| Python `PyThreadState_SetAsyncExc` → a thread in `time.sleep` | ")
                .append(r.samples.getOrDefault("py_async_exc_sleeping", List.of()).size())
                .append(" | ").append(sl.empty() ? "never (not within 1 s)" : us(sl.median()) + " µs").append(" | | | |\n");
        row(s, r, "py_mp_start", "Python multiprocessing (fork): start → child running (ms)", true);
        row(s, r, "py_mp_terminate", "Python multiprocessing: terminate → joined (ms)", true);
        row(s, r, "jvm_start_ready", "child JVM: start → ready (ms)", true);
        row(s, r, "jvm_destroy_reaped", "child JVM: `destroyForcibly()` → reaped (ms)", true);
        row(s, r, "jvm_cycle", "child JVM: start + destroy, the whole cycle (ms)", true);
        Results.Cell async = r.cell("ASYNC_EXCEPTION", Victim.Kind.JAVA_SPIN);
        String comparison = async == null ? "" : Template.of("alternatives-async")
                .with("python", us(r.stats("py_async_exc_caught").median()))
                .with("threadkill", us(new Stats(async.observed).median())).render();
        return Template.of("alternatives").with("rows", s).with("asyncComparison", comparison).render();
    }

    private static void row(StringBuilder s, Results r, String key, String label, boolean millis) {
        Stats st = r.stats(key);
        if (st.empty()) {
            s.append("| ").append(label).append(" | 0 | not measured | | | |\n");
            return;
        }
        s.append("| ").append(label).append(" | ").append(st.n());
        for (long v : new long[] {st.median(), st.pct(90), st.pct(99), st.max()}) {
            s.append(" | ").append(millis ? ms(v) : us(v));
        }
        s.append(" |\n");
    }
}
