package org.threadkill.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Child-JVM program: runs {@link StuckSamples} (or the class named by the second argument) through
 * the JUnit Platform launcher and the Jupiter engine, with the configuration parameters given as
 * further {@code key=value} arguments, printing one {@code test.<method>=<STATUS>|<ms>|<message>}
 * line per test.
 */
public final class LauncherMain {
    private LauncherMain() {}

    public static void main(String[] args) throws Exception {
        Path fifo = Path.of(args[0]);
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        if (!mk.waitFor(10, TimeUnit.SECONDS) || mk.exitValue() != 0 || !Files.exists(fifo)) {
            throw new IllegalStateException("mkfifo failed: " + fifo);
        }
        System.setProperty("stuck.fifo", fifo.toString());
        System.out.println("launcher.started=true");

        Class<?> samples = args.length > 1 ? Class.forName(args[1]) : StuckSamples.class;
        LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(samples));
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            builder.configurationParameter(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        LauncherDiscoveryRequest request = builder.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        TestExecutionListener printer = new TestExecutionListener() {
            private final java.util.Map<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public void executionStarted(TestIdentifier id) {
                started.put(id.getUniqueId(), System.nanoTime());
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) return;
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started.get(id.getUniqueId()));
                String name = id.getDisplayName().replace("()", "");
                String msg = result.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage())
                        .orElse("").replace('\n', ' ');
                System.out.println("test." + name + "=" + result.getStatus() + "|" + ms + "|" + msg);
            }
        };
        long t0 = System.nanoTime();
        launcher.execute(request, summary, printer);
        System.out.println("run.ms=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        System.out.println("tests.succeeded=" + summary.getSummary().getTestsSucceededCount());
        System.out.println("tests.failed=" + summary.getSummary().getTestsFailedCount());
        // Is any stopped test still spinning? The samples count their loops in a static SPIN.
        java.util.concurrent.atomic.AtomicLong spin = (java.util.concurrent.atomic.AtomicLong) samples.getDeclaredField("SPIN").get(null);
        long before = spin.get();
        Thread.sleep(300);
        System.out.println("spin.grewInTheLast300ms=" + (spin.get() != before));
        System.out.println("launcher.done=true");
        System.out.flush();
        System.exit(0);
    }
}
