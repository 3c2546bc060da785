package org.threadkill.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.ExtendWith;
import org.threadkill.KillMode;

/**
 * Runs each test method (and each invocation of a {@code @ParameterizedTest} or
 * {@code @RepeatedTest}) under an {@link org.threadkill.run.Deadline}: past its time the test is
 * stopped (interrupt, then an async exception, then a freeze of its thread) and fails with a
 * message that says what was done and what the thread held; the rest of the suite runs on, and the
 * run ends with a summary of the threads frozen (on standard error). On a class it applies to every
 * test of the class and of its {@code @Nested} classes; on a method it overrides the class.
 *
 * <p>With Jupiter's {@link org.junit.jupiter.api.Timeout @Timeout}: the extension this annotation
 * registers enforces {@code @Timeout} too, by the same ladder (see {@link KillOnTimeoutExtension}).
 * The nearest declaration counts (method, then class, then enclosing class), and <b>on the same
 * method or class {@code @KillOnTimeout} wins over {@code @Timeout}</b>, shorter or longer: Jupiter's
 * own timeout does not fail a test that ends within its {@code @KillOnTimeout} budget. Jupiter's
 * {@code junit.jupiter.execution.timeout.mode} governs this annotation too: {@code disabled} turns it
 * off, {@code disabled_on_debug} turns it off in a JVM with a debugger agent.
 *
 * <p><b>WARNING: a stopped test is stopped by force.</b> An async exception can leave objects the
 * test shared half-updated; a frozen test thread keeps every monitor, lock, file and native mutex
 * it held for the rest of the JVM's life (later tests that need them block; the extension's summary
 * names them). The freeze is taken only when the test JVM runs with
 * {@code -Dthreadkill.allowNativeKill=true}; without it a test stuck in native code is abandoned
 * (it fails, and may go on running). Read docs/deadline.md.
 *
 * <p>The test body runs on a runner thread ({@code threadkill-deadline-N}), not on Jupiter's: what
 * it sees of thread locals set by other extensions is the runner's, as with Jupiter's
 * {@code @Timeout(threadMode = SEPARATE_THREAD)}. {@code @BeforeEach}/{@code @AfterEach} methods
 * run as usual, without a deadline.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KillOnTimeoutExtension.class)
public @interface KillOnTimeout {
    /**
     * The budget, in {@link #unit()}.
     *
     * @return how long the test may run
     */
    long value();

    /**
     * The unit of {@link #value()}.
     *
     * @return seconds unless said otherwise
     */
    TimeUnit unit() default TimeUnit.SECONDS;

    /**
     * How long each step of the ladder may take to stop the test, in milliseconds.
     *
     * @return the grace per step, in milliseconds
     */
    long graceMillis() default 250;

    /**
     * The steps, mildest first. NATIVE_EXIT dooms the JVM: do not name it here.
     *
     * @return the ladder
     */
    KillMode[] ladder() default {KillMode.INTERRUPT, KillMode.ASYNC_EXCEPTION, KillMode.NATIVE_FREEZE};
}
