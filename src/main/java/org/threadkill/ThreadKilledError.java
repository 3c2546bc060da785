package org.threadkill;

/**
 * Thrown inside a thread by {@link KillMode#ASYNC_EXCEPTION}, at whatever bytecode it happens to be
 * executing. Catching it (or any {@code Throwable}) and carrying on defeats the kill.
 */
public final class ThreadKilledError extends Error {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what killed the thread, and how
     */
    public ThreadKilledError(String message) {
        super(message);
    }
}
