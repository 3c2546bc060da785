package org.threadkill.junit;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;
import org.threadkill.run.Deadline;
import org.threadkill.run.DeadlineExceededException;

/**
 * The extension behind {@link KillOnTimeout}; registered by the annotation. Same warning as the
 * annotation: a test past its time is stopped by force.
 */
public final class KillOnTimeoutExtension implements InvocationInterceptor {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KillOnTimeoutExtension.class);

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        underDeadline(invocation, extensionContext);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        underDeadline(invocation, extensionContext);
    }

    private static void underDeadline(Invocation<Void> invocation, ExtensionContext ec) throws Throwable {
        Optional<KillOnTimeout> found = find(ec);
        if (found.isEmpty()) {
            invocation.proceed();
            return;
        }
        KillOnTimeout a = found.get();
        Deadline d = Deadline.of(Duration.of(a.value(), a.unit().toChronoUnit()))
                .grace(Duration.ofMillis(a.graceMillis()))
                .ladder(a.ladder());
        String test = ec.getRequiredTestClass().getSimpleName() + "." + ec.getRequiredTestMethod().getName() + "()"
                + (ec.getDisplayName().startsWith(ec.getRequiredTestMethod().getName()) ? "" : " [" + ec.getDisplayName() + "]");
        try {
            d.call(() -> {
                try {
                    invocation.proceed();
                    return null;
                } catch (Exception | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new UndeclaredThrowableException(t);
                }
            });
        } catch (DeadlineExceededException e) {
            Summary summary = ec.getRoot().getStore(NS).getOrComputeIfAbsent(Summary.class, k -> new Summary(), Summary.class);
            summary.record(test, e);
            ec.publishReportEntry("threadkill", e.getMessage());
            throw new AssertionFailedError(test + " exceeded @KillOnTimeout(" + a.value() + " " + a.unit() + "): "
                    + e.getMessage(), e);
        }
    }

    /** The method's annotation, else its class's, else an enclosing class's (for {@code @Nested}). */
    private static Optional<KillOnTimeout> find(ExtensionContext ec) {
        Optional<KillOnTimeout> a = ec.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, KillOnTimeout.class));
        for (Class<?> c = ec.getTestClass().orElse(null); a.isEmpty() && c != null; c = c.getEnclosingClass()) {
            a = AnnotationSupport.findAnnotation(c, KillOnTimeout.class);
        }
        return a;
    }
}
