package org.threadkill;

/**
 * The OS identity of a platform thread, read without its cooperation.
 *
 * @param tid      the kernel thread id (Linux: what {@code gettid()} returns in that thread)
 * @param handle   the native handle ({@code pthread_t} on Linux), or 0 where it could not be read
 * @param jvmState HotSpot's view of the thread at the moment of the read
 * @param source   how it was found
 */
public record NativeThreadId(long tid, long handle, JvmState jvmState, Source source) {

    /** How a {@link NativeThreadId} was found. */
    public enum Source {
        /** The vmStructs tables libjvm exports: a few memory reads. */
        VM_STRUCTS,
        /** The JVM's thread dump (diagnostic command threadPrint): a safepoint per call; no handle, no state. */
        THREAD_DUMP
    }
}
