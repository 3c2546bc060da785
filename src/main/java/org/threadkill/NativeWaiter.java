package org.threadkill;

/**
 * A thread asleep on a pthread mutex that another thread owns: the kernel shows the futex it sleeps
 * on ({@code /proc/self/task/<tid>/syscall}), glibc keeps the owner's tid inside the mutex
 * ({@code __data.__owner}). Reported by {@link Hazards#nativeWaiters()} (waiting on the inspected
 * thread) and {@link DamageReport#nativeBlocked()} (waiting on a killed one): a native library's
 * own lock, which no safe point can protect. A freeze of the owner blocks them, and every later
 * user of that library's lock, for good.
 *
 * @param tid      the waiting thread's kernel tid
 * @param name     its name as the kernel knows it (a Java thread's name, cut at 15 characters)
 * @param mutex    the address of the mutex
 * @param memoryOf the library whose memory holds the mutex (its static data), or "the heap"
 * @param ownerTid the tid the mutex names as its owner
 */
public record NativeWaiter(int tid, String name, long mutex, String memoryOf, int ownerTid) {
    @Override
    public String toString() {
        return "'" + name + "' (tid " + tid + ") sleeps on a native mutex at 0x" + Long.toHexString(mutex) + " in "
                + memoryOf + ", owned by tid " + ownerTid;
    }
}
