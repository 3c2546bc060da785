package org.threadkill.internal;

import java.lang.management.MonitorInfo;

/**
 * The Java half of a freeze's safe point: a thread is parked for good only where it is not inside
 * the JDK's own code holding a lock the whole JDK needs. Seen without this rule: frozen in
 * {@code Thread.exit -> ThreadGroup.threadTerminated} holding the {@code main} group's monitor
 * (every later {@code new Thread} of the group blocked, JDK 17), inside {@code MethodType.makeImpl}
 * holding the intern table's lock (JDK 25), inside {@code PrintStream.println} holding System.err
 * (every later print, and the JVM's exit, blocked). Judged on the thread's stack and monitors
 * while it is suspended, so nothing moves meanwhile; the caller lets it go and tries again. The
 * stack is read without a safepoint ({@link #look}).
 */
final class JavaSafePoint {
    private JavaSafePoint() {}

    private static final MonitorInfo[] NO_MONITORS = new MonitorInfo[0];

    /** The most frames one look reads through JVMTI; a deeper stack is read by ThreadMXBean. */
    static final int MAX_FRAMES = 1024;

    /**
     * What one look at a suspended thread found: whether it may be frozen as it stands (null) or
     * why not, whether its top frame is a JDK leaf native, and whether the look took ThreadMXBean's
     * stop-the-world dump. Plain fields, no record: nothing here may link a call site while the
     * thread is held.
     */
    static final class Look {
        final String unsafeReason;
        final boolean leafNative;
        final boolean safepoint;

        Look(String unsafeReason, boolean leafNative, boolean safepoint) {
            this.unsafeReason = unsafeReason;
            this.leafNative = leafNative;
            this.safepoint = safepoint;
        }
    }

    /** Arrays for {@link Native#stack0}, made before the suspension, reused by every attempt of one kill. */
    static final class Frames {
        final Class<?>[] classes = new Class<?>[MAX_FRAMES];
        final String[] names = new String[MAX_FRAMES];
        final int[] modifiers = new int[MAX_FRAMES];
    }

    private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final int ACC_NATIVE = 0x0100;

    /**
     * Looks at {@code t}, which the caller holds suspended. Its frames come from JVMTI, a
     * handshake with that thread alone; ThreadMXBean's monitors cost a safepoint, which grows with
     * the number of threads and stops all of them, so they are read only when a JDK frame that may
     * hold a monitor is on the stack (a thread in its own native code, called from its own code
     * under Thread.run or a pool's worker, needs none). Null when the thread has ended.
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    static Look look(Thread t, Frames f) {
        int n = Native.stack0(t, f.classes, f.names, f.modifiers);
        if (n == -Native.JVMTI_ERROR_THREAD_NOT_ALIVE) return null;
        Look fromFrames = n >= 0 && n <= MAX_FRAMES ? judge(f, n) : null;
        if (fromFrames != null) return fromFrames;
        java.lang.management.ThreadInfo[] infos = MX.getThreadInfo(new long[] {t.getId()},
                MX.isObjectMonitorUsageSupported(), false);
        if (infos.length == 0 || infos[0] == null) return null;
        StackTraceElement[] stack = infos[0].getStackTrace();
        return new Look(unsafeReason(stack, infos[0].getLockedMonitors()), inLeafNative(stack), true);
    }

    /** The verdict on the {@code n} frames stack0 gave; null when a JDK frame among them may hold a monitor. */
    private static Look judge(Frames f, int n) {
        StackTraceElement[] stack = new StackTraceElement[n];
        for (int i = 0; i < n; i++) {
            Class<?> c = f.classes[i];
            Module m = c.getModule();
            stack[i] = new StackTraceElement(null, m.isNamed() ? m.getName() : null, null, c.getName(), f.names[i],
                    null, (f.modifiers[i] & ACC_NATIVE) != 0 ? -2 : -1);
            f.classes[i] = null;
            f.names[i] = null;
        }
        return mayHoldJdkMonitor(stack) ? null : new Look(unsafeReason(stack, NO_MONITORS), inLeafNative(stack), false);
    }

    /**
     * Runs both paths of {@link #look} once, without acquiring the JVMTI environment (it takes
     * can_suspend, which only one environment may hold, and costs every virtual thread): links
     * stack0 with null arrays (refused before the environment is touched), judges made-up frames
     * (a native method, a JDK frame that holds no monitor, one that may), and judges this thread's
     * own ThreadMXBean view holding a monitor, so that MonitorInfo is loaded too. See Aftermath's
     * warm-up.
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    static void warm() {
        if (Library.isLoaded() && Gate.isOpen()) Native.stack0(Thread.currentThread(), null, null, null);
        Frames f = new Frames();
        Class<?>[] classes = {JavaSafePoint.class, Thread.class, java.util.concurrent.ThreadPoolExecutor.class};
        String[] names = {"warm", "run", "runWorker"};
        for (int i = 0; i < classes.length; i++) {
            f.classes[i] = classes[i];
            f.names[i] = names[i];
            f.modifiers[i] = i == 0 ? ACC_NATIVE : 0;
        }
        judge(f, classes.length);
        f.classes[0] = java.io.FileInputStream.class;
        f.names[0] = "readBytes";
        f.modifiers[0] = ACC_NATIVE;
        f.classes[1] = java.util.Hashtable.class;
        f.names[1] = "get";
        judge(f, 2);
        Object held = new Object();
        synchronized (held) {
            java.lang.management.ThreadInfo[] self = MX.getThreadInfo(new long[] {Thread.currentThread().getId()},
                    MX.isObjectMonitorUsageSupported(), false);
            if (self.length > 0 && self[0] != null) {
                StackTraceElement[] stack = self[0].getStackTrace();
                unsafeReason(stack, self[0].getLockedMonitors());
                inLeafNative(stack);
                mayHoldJdkMonitor(stack);
            }
        }
    }

    /**
     * Whether a frame of the JDK that may hold a monitor is on the stack. The JDK frames known to
     * hold none: Thread.run, the parks and sleeps, java.util.concurrent's pools, futures, queues and
     * locks (AQS, not monitors; ConcurrentHashMap and the copy-on-write collections do lock
     * monitors), reflection's and method handles' invocation frames.
     */
    static boolean mayHoldJdkMonitor(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            if (!StuckWork.isJdk(f) || monitorFree(f)) continue;
            return true;
        }
        return false;
    }

    private static boolean monitorFree(StackTraceElement f) {
        String c = f.getClassName(), m = f.getMethodName();
        if (isParking(f)) return true;
        if (c.equals("java.lang.Thread")) return m.equals("run") || m.equals("runWith") || m.startsWith("sleep");
        if (c.startsWith("java.util.concurrent.")) {
            return !c.startsWith("java.util.concurrent.ConcurrentHashMap") && !c.startsWith("java.util.concurrent.CopyOnWrite");
        }
        if (c.startsWith("jdk.internal.reflect.")) return m.startsWith("invoke") || m.startsWith("newInstance");
        if (c.equals("java.lang.reflect.Method")) return m.equals("invoke");
        if (c.equals("java.lang.reflect.Constructor")) return m.startsWith("newInstance");
        if (c.startsWith("java.lang.invoke.")) {
            // Method handle invocation: LambdaForm classes and the pre-generated holders
            return c.startsWith("java.lang.invoke.LambdaForm$") || c.endsWith("$Holder");
        }
        return false;
    }

    /** Null when the thread may be frozen as it stands, with these frames and monitors; otherwise why not. */
    private static String unsafeReason(StackTraceElement[] stack, MonitorInfo[] monitors) {
        for (MonitorInfo m : monitors) {
            StackTraceElement at = m.getLockedStackFrame();
            if (at != null && StuckWork.isJdk(at) && !ownObjectsLock(m.getClassName())) {
                return "inside the JDK's " + at.getClassName() + "." + at.getMethodName() + ", holding the monitor of a "
                        + m.getClassName();
            }
        }
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (!StuckWork.isJdk(f)) continue;
            String m = f.getMethodName();
            if (m.equals("<clinit>")) return "initialising the JDK's class " + c;
            if (c.equals("java.lang.ThreadGroup") || (c.equals("java.lang.Thread") && (m.equals("exit")
                    || m.equals("start") || m.equals("setName") || m.equals("dispatchUncaughtException")))) {
                return "inside the JDK's thread bookkeeping (" + c + "." + m + ")";
            }
            if (c.equals("java.lang.ClassLoader") || c.startsWith("jdk.internal.loader.")
                    || c.equals("java.lang.Class") && m.startsWith("forName")) {
                return "loading a class (" + c + "." + m + ")";
            }
        }
        // The JDK code on top of the stack, down to the first frame of the application's own.
        boolean parked = stack.length > 0 && isParking(stack[0]);
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (!StuckWork.isJdk(f)) break;
            if (f.isNativeMethod() && f == stack[0]) continue;   // in native code: the native half decides
            if (parked && (c.startsWith("java.util.concurrent.") || isParking(f) || c.equals("java.lang.Thread")
                    || c.equals("java.lang.Object"))) {
                continue;   // asleep in a wait of its own: it holds nothing the JDK's wait code took
            }
            if (parked && waitsOnItsOwnObject(c)) {
                continue;   // Process.waitFor, a pipe's read: Object.wait on that object, which wait released
            }
            if (!lockFree(c)) {
                return "inside the JDK's " + c + "." + f.getMethodName() + ", which may hold a JDK lock";
            }
        }
        return null;
    }

    /**
     * Whether the top frame is one of the JDK's leaf natives: its C code calls only the C library's
     * system call wrappers on a descriptor of its own (and malloc for a large buffer, which the
     * native half sees at the pc), so the native scan may stop at the first return address into
     * the JDK's libraries ({@link Native#MODE_FLAG_LEAF_NATIVE}). Without it, the 8 KiB buffer that
     * {@code FileInputStream.readBytes} keeps on its stack held stale addresses of libc's
     * allocator from the thread's earlier calls: a thread reading a child process's output was
     * refused in 20 of 20 tries ("inside the C library, in cfree").
     */
    private static boolean inLeafNative(StackTraceElement[] stack) {
        if (stack.length == 0 || !stack[0].isNativeMethod() || !StuckWork.isJdk(stack[0])) return false;
        String c = stack[0].getClassName(), m = stack[0].getMethodName();
        switch (c) {
            case "java.io.FileInputStream": case "java.io.FileOutputStream": case "java.io.RandomAccessFile":
                return m.startsWith("read") || m.startsWith("write") || m.startsWith("skip") || m.startsWith("available")
                        || m.equals("open0");   // open(2) of a FIFO blocks until a writer comes
            case "sun.nio.ch.FileDispatcherImpl": case "sun.nio.ch.UnixFileDispatcherImpl": case "sun.nio.ch.SocketDispatcher":
            case "sun.nio.ch.DatagramDispatcher": case "sun.nio.ch.UnixDispatcher":
                return m.startsWith("read") || m.startsWith("write") || m.startsWith("pread") || m.startsWith("pwrite");
            case "sun.nio.ch.Net":
                return m.equals("poll") || m.equals("accept") || m.equals("connect0");
            case "sun.nio.ch.EPoll":
                return m.equals("wait");
            case "java.lang.ProcessHandleImpl":
                return m.equals("waitForProcessExit0");
            default:
                return false;
        }
    }

    private static boolean isParking(StackTraceElement f) {
        String c = f.getClassName(), m = f.getMethodName();
        return (c.equals("jdk.internal.misc.Unsafe") && m.equals("park"))
                || (c.equals("java.lang.Object") && m.startsWith("wait"))
                || (c.equals("java.lang.Thread") && m.startsWith("sleep"))
                || (c.equals("java.util.concurrent.locks.LockSupport") && m.startsWith("park"));
    }

    /**
     * Monitors that JDK code takes on an object of the caller's own, not on one the whole JDK shares:
     * a stream's buffer, a process's pipe, a reader's decoder. Freezing their holder blocks that
     * object's other users (a leak, reported like any held monitor), not the JVM. Seen refused before:
     * every freeze of a thread reading a child process's output or standard input ("holding the
     * monitor of a java.lang.ProcessImpl$ProcessPipeInputStream"). PrintStream is not among them:
     * System.out and System.err are the JDK's (a frozen println blocked every later print and exit).
     */
    private static boolean ownObjectsLock(String monitorClass) {
        switch (monitorClass) {
            case "java.io.BufferedInputStream": case "java.io.PushbackInputStream": case "java.io.DataInputStream":
            case "java.io.PipedInputStream": case "java.io.PipedReader": case "java.io.InputStreamReader":
            case "java.io.BufferedReader": case "java.io.LineNumberReader": case "java.io.PushbackReader":
            case "sun.nio.cs.StreamDecoder": case "java.lang.ProcessImpl$ProcessPipeInputStream":
            case "java.lang.ProcessImpl": case "java.lang.Process$PipeInputStream": case "java.net.SocketInputStream":
            case "java.net.DatagramPacket":
                return true;
            default:
                return false;
        }
    }

    /** JDK classes whose blocking calls are an {@code Object.wait} on their own object, holding nothing else. */
    private static boolean waitsOnItsOwnObject(String c) {
        return c.equals("java.lang.ProcessImpl") || c.equals("java.lang.Process") || c.equals("java.io.PipedInputStream")
                || c.equals("java.io.PipedReader");
    }

    /** JDK code that takes no lock of the JDK's own: freezing a thread in it leaks nothing shared. */
    private static boolean lockFree(String c) {
        // Streams, files, sockets and channels of their own: what they lock is their own object
        // (a frozen reader blocks that stream's other users, like a held monitor), not the JDK's.
        if (c.startsWith("java.io.File") || c.equals("java.io.RandomAccessFile") || c.equals("java.io.InputStream")
                || ownObjectsLock(c) || c.equals("java.io.FilterInputStream") || c.equals("java.io.Reader")
                || c.equals("java.io.OutputStream") || c.startsWith("java.net.") || c.startsWith("sun.nio.ch.")
                || c.startsWith("sun.nio.fs.") || c.startsWith("java.nio.")) {
            return true;
        }
        if (c.startsWith("java.util.regex.") || c.startsWith("java.math.") || c.startsWith("java.util.stream.")
                || c.startsWith("java.util.function.") || c.startsWith("java.lang.reflect.")
                || c.startsWith("jdk.internal.reflect.") || c.startsWith("java.text.")) {
            return true;
        }
        switch (c) {
            case "java.lang.String": case "java.lang.StringBuilder": case "java.lang.AbstractStringBuilder":
            case "java.lang.StringLatin1": case "java.lang.StringUTF16": case "java.lang.StringConcatHelper":
            case "java.lang.Math": case "java.lang.StrictMath": case "java.lang.Integer": case "java.lang.Long":
            case "java.lang.Double": case "java.lang.Float": case "java.lang.Character": case "java.lang.CharacterDataLatin1":
            case "java.lang.Short": case "java.lang.Byte": case "java.lang.Boolean": case "java.lang.Number":
            case "java.lang.Object": case "java.lang.Thread": case "java.lang.Runnable":
                return true;
            default:
                break;
        }
        // java.util's own collections and helpers (not its concurrent, logging, jar or zip parts)
        if (c.startsWith("java.util.") && c.indexOf('.', "java.util.".length()) < 0) {
            return !(c.startsWith("java.util.Timer") || c.startsWith("java.util.ResourceBundle")
                    || c.startsWith("java.util.ServiceLoader") || c.startsWith("java.util.Scanner")
                    || c.startsWith("java.util.Formatter") || c.startsWith("java.util.Locale")
                    || c.startsWith("java.util.Random") || c.startsWith("java.util.Properties")
                    || c.startsWith("java.util.Hashtable") || c.startsWith("java.util.Vector")
                    || c.startsWith("java.util.Collections$Synchronized") || c.startsWith("java.util.WeakHashMap"));
        }
        return false;
    }
}
