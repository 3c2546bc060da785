package org.threadkill.junit;

import java.lang.management.ManagementFactory;
import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.threadkill.run.Deadline;

/**
 * The deadline one test invocation runs under, and where it came from: the nearest
 * {@link KillOnTimeout} or Jupiter {@link Timeout} (method, then its class, then each enclosing
 * class; at the same level {@code @KillOnTimeout} wins), else Jupiter's configured default for that
 * kind of method. All of them, {@code @KillOnTimeout} included, count only while Jupiter's
 * {@code junit.jupiter.execution.timeout.mode} lets timeouts count (not {@code disabled}, and not
 * {@code disabled_on_debug} under a debugger): threadkill never enforces a timeout that Jupiter
 * itself would not, and a test paused at a breakpoint is not frozen when the build says so.
 */
record TestBudget(Deadline deadline, String source) {
    boolean fromKillOnTimeout() {
        return source.startsWith("@KillOnTimeout");
    }

    /** Jupiter's duration syntax for its default-timeout parameters: a positive integer, a space at most, an optional unit. */
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]*) ?(ns|μs|ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

    /** The budget for a test invocation, or empty when nothing gives this test a time limit. */
    static Optional<TestBudget> of(ExtensionContext ec, boolean testTemplate) {
        boolean jupiterTimeouts = jupiterTimeoutsEnabled(ec);
        if (!jupiterTimeouts) return Optional.empty();   // the build turned timeouts off (or off under a debugger)
        Optional<TestBudget> b = ec.getTestMethod().flatMap(m -> declaredOn(m));
        for (Class<?> c = ec.getTestClass().orElse(null); b.isEmpty() && c != null; c = c.getEnclosingClass()) {
            b = declaredOn(c);
        }
        return b.isPresent() ? b : configuredDefault(ec, testTemplate);
    }

    private static Optional<TestBudget> declaredOn(AnnotatedElement e) {
        Optional<KillOnTimeout> k = AnnotationSupport.findAnnotation(e, KillOnTimeout.class);
        if (k.isPresent()) {
            KillOnTimeout a = k.get();
            return Optional.of(new TestBudget(Deadline.of(Duration.of(a.value(), a.unit().toChronoUnit()))
                    .grace(Duration.ofMillis(a.graceMillis())).ladder(a.ladder()),
                    "@KillOnTimeout(" + a.value() + " " + a.unit() + ")"));
        }
        return AnnotationSupport.findAnnotation(e, Timeout.class).filter(t -> t.value() > 0)
                .map(t -> new TestBudget(Deadline.of(Duration.of(t.value(), t.unit().toChronoUnit())),
                        "@Timeout(" + t.value() + " " + t.unit() + ")"));
    }

    /** Jupiter's order: the parameter for this kind of method, then the one for all testable methods, then the global one. */
    private static Optional<TestBudget> configuredDefault(ExtensionContext ec, boolean testTemplate) {
        String[] keys = {testTemplate ? Timeout.DEFAULT_TEST_TEMPLATE_METHOD_TIMEOUT_PROPERTY_NAME
                : Timeout.DEFAULT_TEST_METHOD_TIMEOUT_PROPERTY_NAME,
                Timeout.DEFAULT_TESTABLE_METHOD_TIMEOUT_PROPERTY_NAME, Timeout.DEFAULT_TIMEOUT_PROPERTY_NAME};
        for (String key : keys) {
            Optional<String> v = ec.getConfigurationParameter(key);
            if (v.isEmpty()) continue;
            Optional<Duration> d = parse(v.get());
            // An invalid value: Jupiter logs a warning and ignores it; so do we (it falls through, as in Jupiter).
            if (d.isPresent()) return Optional.of(new TestBudget(Deadline.of(d.get()), key + "=" + v.get().trim()));
        }
        return Optional.empty();
    }

    static Optional<Duration> parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) return Optional.empty();
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        TimeUnit u;
        switch (unit) {
            case "ns": u = TimeUnit.NANOSECONDS; break;
            case "μs": u = TimeUnit.MICROSECONDS; break;
            case "ms": u = TimeUnit.MILLISECONDS; break;
            case "m": u = TimeUnit.MINUTES; break;
            case "h": u = TimeUnit.HOURS; break;
            case "d": u = TimeUnit.DAYS; break;
            default: u = TimeUnit.SECONDS; break;
        }
        return Optional.of(Duration.of(n, u.toChronoUnit()));
    }

    /** {@code junit.jupiter.execution.timeout.mode}: enabled (the default), disabled, disabled_on_debug. */
    private static boolean jupiterTimeoutsEnabled(ExtensionContext ec) {
        String mode = ec.getConfigurationParameter(Timeout.TIMEOUT_MODE_PROPERTY_NAME).orElse("enabled").trim();
        if (mode.equals("disabled")) return false;
        if (mode.equals("disabled_on_debug")) return !underDebugger();
        return true;   // "enabled"; an unknown value makes Jupiter's own extension fail the test before we run
    }

    private static boolean underDebugger() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-agentlib:jdwp") || arg.startsWith("-Xrunjdwp")) return true;
        }
        return false;
    }
}
