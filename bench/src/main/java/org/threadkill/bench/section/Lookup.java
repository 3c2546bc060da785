package org.threadkill.bench.section;

import java.time.Duration;
import java.util.List;

import org.threadkill.bench.Children;
import org.threadkill.bench.LookupChild;
import org.threadkill.bench.Results;
import org.threadkill.bench.Run;
import org.threadkill.bench.Section;
import org.threadkill.bench.report.Format;

/** The cost of nativeId (vmStructs and thread dump) against plain JNI calls, in one child JVM. */
public final class Lookup implements Section {
    @Override
    public String name() {
        return "lookup";
    }

    @Override
    public void run(Run run) throws Exception {
        Results r = run.results;
        Children.Child ch = run.children.run("lookup", List.of(), LookupChild.class, Duration.ofMinutes(5),
                Integer.toString(run.plan.lookupBatches), Integer.toString(run.plan.dumpCalls));
        Named.parse(r, ch.lines);
        if (!ch.finished) r.problems.add("lookup: child did not finish: " + ch.why());
        System.out.printf("  nativeId vmStructs median %d ns, threadDump median %s µs%n",
                r.stats("nativeid_vmstructs").median(), Format.us(r.stats("nativeid_threaddump").median()));
    }
}
