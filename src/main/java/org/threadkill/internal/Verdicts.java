package org.threadkill.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.threadkill.Hazards;
import org.threadkill.Hazards.Effect;
import org.threadkill.Hazards.Verdict;
import org.threadkill.JvmState;
import org.threadkill.KillMode;

/**
 * The verdict per mode: DESIGN.md §3 and the consequence suite's observations, applied to one
 * snapshot. Keep the wording in step with docs/WARNINGS.md.
 */
final class Verdicts {
    private Verdicts() {}

    /**
     * @param catcher the thread's own frame whose code catches Throwable where it stands
     *                ({@link CatchScan}), or null
     */
    static Map<KillMode, Verdict> of(Hazards h, boolean nativeAllowed, boolean windows, boolean jfrRecording, String catcher) {
        return of(h, nativeAllowed, windows, jfrRecording, catcher, true);
    }

    /** @param nativeScanned whether every task was looked at for a native mutex the thread owns */
    static Map<KillMode, Verdict> of(Hazards h, boolean nativeAllowed, boolean windows, boolean jfrRecording, String catcher,
                                     boolean nativeScanned) {
        Map<KillMode, Verdict> m = new EnumMap<>(KillMode.class);
        Facts f = new Facts(h);
        m.put(KillMode.INTERRUPT, interrupt(f));
        m.put(KillMode.ASYNC_EXCEPTION, async(f, catcher));
        m.put(KillMode.NATIVE_FREEZE, freeze(f, nativeAllowed, nativeScanned));
        m.put(KillMode.NATIVE_EXIT, exit(f, nativeAllowed, jfrRecording));
        m.put(KillMode.NATIVE_CANCEL, cancel(f, nativeAllowed, windows));
        return m;
    }

    /** What the verdicts are drawn from. */
    private static final class Facts {
        final Hazards h;
        final boolean terminated;
        final boolean inJava;        // executing Java code: must reach a safepoint poll
        final boolean monitorEnter;  // blocked entering a monitor
        final boolean asleep;        // sleep, wait, park
        final String where;
        final int monitors;
        final int locks;
        final int waiters;

        Facts(Hazards h) {
            this.h = h;
            Thread.State s = h.threadState();
            terminated = s == Thread.State.TERMINATED;
            inJava = !terminated && !h.inNative() && (h.jvmState() == JvmState.IN_JAVA
                    || h.jvmState() == JvmState.IN_VM || h.jvmState() == JvmState.IN_TRANSITION
                    || (h.jvmState() == JvmState.UNKNOWN && s == Thread.State.RUNNABLE));
            monitorEnter = s == Thread.State.BLOCKED;
            asleep = s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
            where = h.inNative() ? "in native code" + (h.nativeMethod() != null ? " (" + h.nativeMethod() + ")" : "")
                    : monitorEnter ? "blocked entering a monitor"
                    : asleep ? "asleep (" + s + ")"
                    : "running Java code";
            monitors = h.monitors().size();
            locks = h.locks().size();
            waiters = h.waiters().size();
        }

        String leaks() {
            List<String> parts = new ArrayList<>();
            if (monitors > 0) parts.add(plural(monitors, "monitor"));
            if (locks > 0) parts.add(plural(locks, "lock"));
            if (parts.isEmpty()) return "it holds no monitor or lock; open files and native mutexes it holds, if any, leak";
            String s = String.join(" and ", parts) + " will never be released";
            if (waiters > 0) {
                s += "; " + plural(waiters, "thread") + (waiters == 1 ? " is" : " are")
                        + " already waiting on " + (monitors + locks == 1 ? "it" : "one of them") + " and will wait forever";
            }
            return s + "; open files and native mutexes leak too";
        }
    }

    private static Verdict interrupt(Facts f) {
        List<String> c = new ArrayList<>();
        Effect e;
        if (f.terminated) return nothing(KillMode.INTERRUPT);
        String channel = interruptibleChannel(f.h.topFrames());
        if (channel != null) {
            e = Effect.MAY_STOP;
            c.add(channel.endsWith("SelectorImpl")
                    ? "wakes its select() (" + channel + "): the call returns; it ends only if its code gives up then"
                    : "ends its blocking call on an interruptible channel (" + channel + "): the channel is closed and "
                            + "the call throws ClosedByInterruptException; it ends unless its code catches that and goes on");
        } else if (f.h.inNative()) {
            e = Effect.NO_EFFECT;
            c.add("no effect " + f.where + ": native code does not see interrupts");
        } else if (f.monitorEnter) {
            e = Effect.NO_EFFECT;
            c.add("no effect while blocked entering a monitor (monitor entry ignores interrupts)");
        } else if (f.asleep) {
            e = Effect.MAY_STOP;
            c.add("wakes it from " + f.h.threadState() + " (InterruptedException, or a set flag for lock() and park); "
                    + "it ends only if its code gives up then");
        } else {
            e = Effect.MAY_STOP;
            c.add("it ends only if its code checks Thread.interrupted() or calls something interruptible");
        }
        c.add("cooperative and safe: nothing is left behind");
        return new Verdict(KillMode.INTERRUPT, e, true, true, c);
    }

    /**
     * The NIO channel or selector a thread blocks in, if any: those are interruptible (an interrupt
     * closes the channel, or wakes the selector), unlike a plain native call or, for platform
     * threads, a java.net.Socket (JDK 17: a native read; 21+: NioSocketImpl's poll).
     */
    static String interruptibleChannel(List<StackTraceElement> top) {
        for (StackTraceElement f : top) {
            String c = f.getClassName();
            if (!c.startsWith("sun.nio.ch.")) continue;
            if (c.endsWith("ChannelImpl") || c.endsWith("SelectorImpl")) return c.substring("sun.nio.ch.".length());
        }
        return null;
    }

    private static Verdict async(Facts f, String catcher) {
        List<String> c = new ArrayList<>();
        Effect e;
        if (f.terminated) return nothing(KillMode.ASYNC_EXCEPTION);
        if (f.h.inNative()) {
            e = Effect.NO_EFFECT;
            c.add("does not reach native code: the exception stays pending " + f.where
                    + " and lands only when it returns to Java, if ever");
        } else if (f.monitorEnter) {
            e = Effect.MAY_STOP;
            c.add("lands only once it has entered the monitor it is blocked on");
        } else if (catcher != null) {
            // Seen: the suite's swallow victim (a loop around catch (Throwable)) carried on every time.
            e = Effect.MAY_STOP;
            c.add("throws ThreadKilledError where it is, but its own code catches Throwable there (" + catcher
                    + "): if it carries on after the catch, the exception does not stop it");
        } else {
            e = Effect.STOPS;
            c.add("throws ThreadKilledError where it is " + (f.asleep ? "(wakes it from " + f.h.threadState() + ")" : "")
                    + "; a catch (Throwable) defeats it");
        }
        c.add("finally blocks run" + (f.monitors > 0 ? "; monitors are released (" + f.monitors + " held)" : "")
                + (f.locks > 0 ? "; locks only by finally blocks that unlock them (" + f.locks + " held)" : ""));
        c.add("objects it was updating can be left half-updated for other threads to see");
        return new Verdict(KillMode.ASYNC_EXCEPTION, e, true, true, c);
    }

    private static Verdict freeze(Facts f, boolean allowed, boolean nativeScanned) {
        List<String> c = new ArrayList<>();
        if (f.terminated) return nothingNative(KillMode.NATIVE_FREEZE, allowed);
        if (!allowed) c.add(refused());
        if (f.inJava) {
            c.add("stops it: first suspended by JVMTI at a safepoint, then parked for good in a signal handler");
        } else {
            c.add("stops it " + f.where + ": parked for good in a signal handler, its stack intact");
        }
        boolean nativeLock = !f.h.nativeWaiters().isEmpty();
        boolean unchecked = Library.uncheckedFreeze();
        if (unchecked) {
            // The demonstration switch: no safe point. Seen: frozen inside malloc, the loader's lock
            // or a JNI critical region, the JVM hung (the consequence suite's *-unchecked cells).
            c.add("the JVM may hang: -Dthreadkill.demo.uncheckedFreeze=true turned the safe point off, so it is "
                    + "parked wherever it is, inside the C library's, the loader's or the JVM's locks too");
        } else if (nativeLock) {
            c.add(Verdicts.plural(f.h.nativeWaiters().size(), "thread") + " already sleep on a native mutex it owns (in "
                    + f.h.nativeWaiters().get(0).memoryOf() + "): frozen, it never releases it, and that library "
                    + "stops for every thread of the process");
        } else if (!nativeScanned) {
            c.add("whether other threads sleep on a native mutex it owns is not known: the look at every thread "
                    + "(/proc) was cut short to keep the kill within its wait, so survival is not promised");
        } else {
            c.add("the JVM survives (GC, new threads, thread dumps keep working): the freeze waits for a moment "
                    + "when it holds none of the JVM's or the C library's locks, or refuses");
        }
        c.add(f.leaks());
        boolean daemon = f.h.daemon();
        if (!daemon) {
            c.add("the JVM keeps working but its normal exit hangs: a frozen non-daemon thread is waited for "
                    + "forever (System.exit and halt still end it)");
        }
        // Whether the safe point lets it freeze here cannot be known for native code (it moves on
        // while we look) nor for a thread inside JDK code; a sleeper or user Java code is sure.
        boolean sure = !f.h.inNative() && (f.asleep || f.monitorEnter || (f.inJava && !f.h.topFrames().isEmpty()
                && !StuckWork.isJdk(f.h.topFrames().get(0).getClassName())));
        if (!sure && !unchecked) {
            c.add(0, "may stop it: it is frozen only at a moment when it holds none of the JVM's or the C "
                    + "library's locks (not inside libc, the loader, libjvm, a JNI critical region or the JDK's "
                    + "own locking code); a thread that never leaves them within the wait is let go (STILL_RUNNING)");
        }
        return new Verdict(KillMode.NATIVE_FREEZE, sure || unchecked ? Effect.STOPS : Effect.MAY_STOP,
                !nativeLock && nativeScanned && !unchecked && daemon, allowed, c);
    }

    private static Verdict exit(Facts f, boolean allowed, boolean jfrRecording) {
        List<String> c = new ArrayList<>();
        if (f.terminated) return nothingNative(KillMode.NATIVE_EXIT, allowed);
        if (!allowed) c.add(refused());
        c.add("ends the OS thread " + f.where + "; the JVM still believes it alive (join never returns)");
        if (f.inJava) {
            c.add("the JVM will hang at the next safepoint: the dead thread never reaches it (System.exit hangs too)");
            if (jfrRecording && Runtime.version().feature() >= 25) {
                c.add("a JFR recording is running: its sampler signals the dead thread and the JVM crashes"
                        + " (seen on JDK 25 within a second)");
            }
        } else {
            c.add("the JVM will crash at the next GC once a new thread starts: it gets the dead thread's stack");
            if (f.asleep || f.monitorEnter) {
                c.add("interrupt() of the dead thread will freeze the JVM (the unwinding re-took the mutex of its wait)");
            }
        }
        c.add(f.leaks() + (f.monitors > 0 ? " (JDK 17: a thread on the reused stack may enter them anyway)" : ""));
        if (!f.h.daemon()) c.add("non-daemon: a normal JVM exit will wait for it forever");
        // In native code the forced unwind runs through that code's frames and may get stuck there
        // (seen: a victim in a malloc loop still ran after the kill, JDK 17): not a sure stop.
        if (f.h.inNative()) c.add(0, "may stop it: the forced unwind runs through the native frames and can get stuck there");
        return new Verdict(KillMode.NATIVE_EXIT, f.h.inNative() ? Effect.MAY_STOP : Effect.STOPS, false, allowed, c);
    }

    private static Verdict cancel(Facts f, boolean allowed, boolean windows) {
        List<String> c = new ArrayList<>();
        if (windows) {
            return new Verdict(KillMode.NATIVE_CANCEL, Effect.NO_EFFECT, true, false,
                    List.of("not available on Windows (no pthread_cancel)"));
        }
        if (f.terminated) return nothingNative(KillMode.NATIVE_CANCEL, allowed);
        if (!allowed) c.add(refused());
        if (f.h.inNative()) {
            c.add("acts only at a cancellation point (read, write, sleep, a condition wait...): "
                    + "a native loop without system calls is never cancelled");
        } else if (f.inJava) {
            c.add("Java code has no cancellation point: acts only when it next waits inside the JVM, maybe never");
        } else {
            c.add("acts when its wait inside the JVM reaches a cancellation point, maybe never");
        }
        c.add("once it acts, the aftermath is NATIVE_EXIT's: the JVM is doomed");
        c.add(f.leaks());
        return new Verdict(KillMode.NATIVE_CANCEL, Effect.MAY_STOP, false, allowed, c);
    }

    private static Verdict nothing(KillMode mode) {
        return new Verdict(mode, Effect.NO_EFFECT, true, true, List.of("the thread has terminated: nothing to do"));
    }

    private static Verdict nothingNative(KillMode mode, boolean allowed) {
        return new Verdict(mode, Effect.NO_EFFECT, true, allowed, List.of("the thread has terminated: nothing to do"));
    }

    private static String refused() {
        return "refused here: the JVM does not run with -Dthreadkill.allowNativeKill=true";
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
