package org.threadkill.bench.section;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.threadkill.bench.Results;
import org.threadkill.bench.Run;
import org.threadkill.bench.Section;
import org.threadkill.bench.SpinChild;
import org.threadkill.bench.report.Format;
import org.threadkill.testing.Jdk;

/** "Promote the thread to a process": start a child JVM that does the work, then destroyForcibly() it. */
public final class ProcessAlternative implements Section {
    @Override
    public String name() {
        return "process";
    }

    @Override
    public void run(Run run) throws Exception {
        Results r = run.results;
        for (int i = 0; i < run.plan.processN + 1; i++) {
            // Timed from the outside: a bare launcher, no harness in between.
            List<String> cmd = List.of(Jdk.java(System.getProperty("java.home")), "-cp",
                    System.getProperty("java.class.path"), SpinChild.class.getName());
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            long t1 = System.nanoTime();
            if (!"ready".equals(line)) {
                p.destroyForcibly();
                throw new IllegalStateException("process alternative: child said " + line);
            }
            p.destroyForcibly();
            p.waitFor();
            long t2 = System.nanoTime();
            if (i == 0) continue;   // the first start warms the page cache
            r.samples("jvm_start_ready").add(t1 - t0);
            r.samples("jvm_destroy_reaped").add(t2 - t1);
            r.samples("jvm_cycle").add(t2 - t0);
        }
        System.out.printf("  child JVM start->ready median %s ms, destroyForcibly->reaped median %s ms%n",
                Format.ms(r.stats("jvm_start_ready").median()), Format.ms(r.stats("jvm_destroy_reaped").median()));
    }
}
