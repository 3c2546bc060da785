package org.threadkill.junit;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.threadkill.run.DeadlineExceededException;

/**
 * The extension behind {@link KillOnTimeout}: runs each test method (and each invocation of a
 * {@code @ParameterizedTest} or {@code @RepeatedTest}) that has a time limit under an
 * {@link org.threadkill.run.Deadline}. Same warning as the annotation: <b>a test past its time is
 * stopped by force</b> (an async exception; with {@code -Dthreadkill.allowNativeKill=true}, a
 * freeze of its thread that keeps everything it held held for the rest of the JVM's life).
 *
 * <p>Registered by {@code @KillOnTimeout}, or by hand, it also enforces <b>Jupiter's own
 * {@link org.junit.jupiter.api.Timeout @Timeout}</b> on the tests it is registered for:
 * {@code @ExtendWith(KillOnTimeoutExtension.class)} on a class, or for a whole run through
 * Jupiter's extension auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true}
 * and a file {@code META-INF/services/org.junit.jupiter.api.extension.Extension} in your test
 * resources naming this class; the artifact ships no such file, so that a force-stopping extension
 * is never switched on merely by being on the class path). A test's limit is the nearest of:
 * {@code @KillOnTimeout} or {@code @Timeout} on the method, then on its class, then on each
 * enclosing class (<b>at the same level {@code @KillOnTimeout} wins over {@code @Timeout}</b>), then
 * Jupiter's configured default ({@code junit.jupiter.execution.timeout.test.method.default} or
 * {@code ...testtemplate.method.default}, then {@code ...testable.method.default}, then
 * {@code junit.jupiter.execution.timeout.default}). All of them, {@code @KillOnTimeout} included,
 * count only while {@code junit.jupiter.execution.timeout.mode} lets Jupiter count timeouts
 * ({@code disabled}, or {@code disabled_on_debug} under a debugger, turn them off here too: a test
 * paused at a breakpoint is not stopped when the build says so). A {@code @Timeout} is
 * enforced with the default ladder and grace of {@code Deadline}; its {@code threadMode} is not
 * honoured (the body always runs on a runner thread).
 *
 * <p>Not taken over: {@code @Timeout} on lifecycle methods ({@code @BeforeEach} and the rest) and
 * the {@code ...lifecycle.method.default} parameters, and {@code @TestFactory} methods: Jupiter's
 * own timeout applies to those as usual.
 *
 * <p>How the two stay out of each other's way: Jupiter registers its own timeout interceptor
 * before any user extension, so it wraps this one and sees the same limit. When it fires, it finds
 * no test to act on: in {@code SAME_THREAD} mode it interrupts the Jupiter thread, which here only
 * waits (uninterruptibly) for the deadline's outcome; in {@code SEPARATE_THREAD} mode it gives up
 * on that waiting thread. Its {@code TimeoutException} ("... timed out after ...") then reaches
 * this extension's exception handler, which waits for the deadline's outcome and replaces it with
 * threadkill's own failure, or with the test's own failure, or with nothing when the test ended
 * within its {@code @KillOnTimeout} budget (a test that ended by itself just as a limit that was
 * Jupiter's own ran out keeps Jupiter's verdict). Another extension's exception handler that runs
 * before this one may see Jupiter's exception.
 */
public final class KillOnTimeoutExtension implements InvocationInterceptor, TestExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KillOnTimeoutExtension.class);
    private static final AtomicInteger CALLERS = new AtomicInteger();
    /**
     * Where {@code Deadline.call} waits, so that Jupiter's own timeout, which interrupts (or gives
     * up on) the Jupiter thread, never reaches the deadline's caller and cuts its ladder short.
     */
    private static final ExecutorService CALLER_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "threadkill-junit-caller-" + CALLERS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** What the deadline made of one test invocation: complete with the failure (null: it passed). */
    private static final class Outcome extends CompletableFuture<Throwable> {
        /** The budget was a {@code @KillOnTimeout}'s, which wins over Jupiter's own limit; else it was that limit. */
        final boolean killOnTimeoutBudget;

        Outcome(boolean killOnTimeoutBudget) {
            this.killOnTimeoutBudget = killOnTimeoutBudget;
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        underDeadline(invocation, extensionContext, false);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        underDeadline(invocation, extensionContext, true);
    }

    private static void underDeadline(Invocation<Void> invocation, ExtensionContext ec, boolean template) throws Throwable {
        TestBudget budget = TestBudget.of(ec, template).orElse(null);
        if (budget == null) {
            invocation.proceed();
            return;
        }
        Outcome outcome = new Outcome(budget.fromKillOnTimeout());
        ec.getStore(NS).put(Outcome.class, outcome);
        Throwable failure = null;
        try {
            failure = callUnderDeadline(invocation, ec, budget);
        } catch (Throwable t) {   // the extension's own trouble (e.g. no thread could be started)
            failure = t;
        } finally {
            outcome.complete(failure);
        }
        if (failure != null) throw failure;
    }

    /** Runs the invocation under the budget's deadline, the deadline's caller being one of ours; returns the failure, or null. */
    private static Throwable callUnderDeadline(Invocation<Void> invocation, ExtensionContext ec, TestBudget budget) {
        String test = ec.getRequiredTestClass().getSimpleName() + "." + ec.getRequiredTestMethod().getName() + "()"
                + (ec.getDisplayName().startsWith(ec.getRequiredTestMethod().getName()) ? "" : " [" + ec.getDisplayName() + "]");
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Future<Void> call = CALLER_THREADS.submit(() -> {
            Thread self = Thread.currentThread();
            ClassLoader before = self.getContextClassLoader();
            self.setContextClassLoader(loader);
            try {
                return budget.deadline().call(() -> {
                    try {
                        invocation.proceed();
                        return null;
                    } catch (Exception | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new UndeclaredThrowableException(t);
                    }
                });
            } finally {
                self.setContextClassLoader(before);
            }
        });
        try {
            awaitUninterruptibly(call);
            return null;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof DeadlineExceededException)) return e.getCause();   // the test's own failure
            DeadlineExceededException d = (DeadlineExceededException) e.getCause();
            Summary summary = ec.getRoot().getStore(NS).getOrComputeIfAbsent(Summary.class, k -> new Summary(), Summary.class);
            summary.record(test, budget.source(), d);
            ec.publishReportEntry("threadkill", d.getMessage());
            return new AssertionFailedError(test + " exceeded " + budget.source()
                    + (budget.fromKillOnTimeout() ? "" : ", enforced by threadkill") + ": " + d.getMessage(), d);
        }
    }

    /** Waits for {@code f}; an interrupt (Jupiter's own timeout) is kept for afterwards, not obeyed. */
    private static <T> T awaitUninterruptibly(Future<T> f) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * Puts threadkill's verdict in place of Jupiter's own timeout failure for a test this extension
     * ran under a deadline (see the class comment); any other exception passes through unchanged.
     */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        Outcome outcome = context.getStore(NS).get(Outcome.class, Outcome.class);
        if (outcome == null || !isJupitersOwnTimeout(throwable)) throw throwable;
        Throwable ours;
        try {
            ours = awaitUninterruptibly(outcome);   // SEPARATE_THREAD: Jupiter reports while the ladder still acts
        } catch (ExecutionException e) {
            throw throwable;
        }
        if (ours != null) throw ours;
        // The test ended by itself within the deadline's budget. A @KillOnTimeout budget wins over
        // Jupiter's shorter limit: the test passes. A budget that was Jupiter's own limit (the
        // test ended just as both ran out): Jupiter's verdict stands, nothing was stopped.
        if (!outcome.killOnTimeoutBudget) throw throwable;
    }

    /** Jupiter's timeout interceptor reports with a TimeoutException made by its TimeoutExceptionFactory. */
    private static boolean isJupitersOwnTimeout(Throwable t) {
        if (!(t instanceof TimeoutException)) return false;
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getClassName().startsWith("org.junit.jupiter.engine.extension.") && f.getClassName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }
}
