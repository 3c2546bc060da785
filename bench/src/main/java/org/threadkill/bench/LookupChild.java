package org.threadkill.bench;

import org.threadkill.testing.Victims;
import org.threadkill.NativeThreadId;
import org.threadkill.ThreadKill;
import org.threadkill.internal.Diagnostics;

/**
 * Child-JVM program: the cost of {@code ThreadKill.nativeId(Thread)} per call, through vmStructs
 * and through the thread-dump fallback ({@code -Dthreadkill.lookup=threadDump}, read at every
 * call), next to JNI references. Prints {@code c <cell> <ns per call>}: for the fast paths one
 * line per batch of {@value #BATCH} calls, for the thread dump one line per call.
 * Arguments: batches, thread-dump calls.
 */
public final class LookupChild {
    private LookupChild() {}

    public static final int BATCH = 200;
    static long sink;

    interface Call {
        long run(Thread t);
    }

    public static void main(String[] args) throws Exception {
        int batches = Integer.parseInt(args[0]);
        int dumpCalls = Integer.parseInt(args[1]);
        Victim target = Victim.start(Victim.Kind.SLEEP, 0);
        Thread t = target.thread;
        NativeThreadId id = ThreadKill.nativeId(t);
        KillChild.info("vmstructs_source", id.source().name());
        KillChild.info("threads", Integer.toString(Thread.activeCount()));

        Call vm = x -> ThreadKill.nativeId(x).tid();
        Call nop = x -> Victims.nop(x.hashCode());
        Call eetop = Diagnostics::javaThread;
        Call gettid = x -> Diagnostics.currentTid();
        Call[] calls = {vm, nop, eetop, gettid};
        String[] names = {"nativeid_vmstructs", "jni_nop", "jni_eetop", "jni_gettid"};
        for (int i = 0; i < calls.length; i++) batches(calls[i], t, 50 * BATCH * 10);   // warm-up, compiled
        // Interleaved, so that noise from the shared machine falls on all of them alike.
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < calls.length; i++) {
                long ns = batches(calls[i], t, BATCH);
                KillChild.OUT.println("c " + names[i] + " " + ns / BATCH);
            }
        }
        KillChild.OUT.flush();

        // What every native kill also pays: HeldLocks.of (ThreadMXBean.getThreadInfo with locked
        // monitors and synchronizers: a safepoint operation that, for synchronizers, walks the heap).
        for (int i = 0; i < 3; i++) sink += Diagnostics.heldLocks(t).size();
        for (int i = 0; i < dumpCalls; i++) {
            long t0 = System.nanoTime();
            sink += Diagnostics.heldLocks(t).size();
            KillChild.OUT.println("c heldlocks " + (System.nanoTime() - t0));
        }

        System.setProperty(ThreadKill.LOOKUP_PROPERTY, "threadDump");
        KillChild.info("threaddump_source", ThreadKill.nativeId(t).source().name());
        for (int i = 0; i < 3; i++) sink += ThreadKill.nativeId(t).tid();
        for (int i = 0; i < dumpCalls; i++) {
            long t0 = System.nanoTime();
            sink += ThreadKill.nativeId(t).tid();
            KillChild.OUT.println("c nativeid_threaddump " + (System.nanoTime() - t0));
        }
        KillChild.info("sink", Long.toString(sink));
        KillChild.OUT.println("done");
        KillChild.OUT.flush();
    }

    private static long batches(Call c, Thread t, int calls) {
        long s = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) s += c.run(t);
        long ns = System.nanoTime() - t0;
        sink += s;
        return ns;
    }
}
