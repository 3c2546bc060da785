package org.threadkill.internal;

import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;

/**
 * The Java half of a freeze's safe point: a thread is parked for good only where it is not inside
 * the JDK's own code holding a lock the whole JDK needs. Seen without this rule: frozen in
 * {@code Thread.exit -> ThreadGroup.threadTerminated} holding the {@code main} group's monitor
 * (every later {@code new Thread} of the group blocked, JDK 17), inside {@code MethodType.makeImpl}
 * holding the intern table's lock (JDK 25), inside {@code PrintStream.println} holding System.err
 * (every later print, and the JVM's exit, blocked). Judged on the thread's stack and monitors
 * while it is suspended, so nothing moves meanwhile; the caller lets it go and tries again.
 */
final class JavaSafePoint {
    private JavaSafePoint() {}

    /** Null when {@code t} may be frozen as it stands in {@code info}; otherwise why not. */
    static String unsafeReason(ThreadInfo info) {
        StackTraceElement[] stack = info.getStackTrace();
        for (MonitorInfo m : info.getLockedMonitors()) {
            StackTraceElement at = m.getLockedStackFrame();
            if (at != null && StuckWork.isJdk(at)) {
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
            if (!lockFree(c)) {
                return "inside the JDK's " + c + "." + f.getMethodName() + ", which may hold a JDK lock";
            }
        }
        return null;
    }

    private static boolean isParking(StackTraceElement f) {
        String c = f.getClassName(), m = f.getMethodName();
        return (c.equals("jdk.internal.misc.Unsafe") && m.equals("park"))
                || (c.equals("java.lang.Object") && m.startsWith("wait"))
                || (c.equals("java.lang.Thread") && m.startsWith("sleep"))
                || (c.equals("java.util.concurrent.locks.LockSupport") && m.startsWith("park"));
    }

    /** JDK code that takes no lock of the JDK's own: freezing a thread in it leaks nothing shared. */
    private static boolean lockFree(String c) {
        // Streams, files, sockets and channels of their own: what they lock is their own object
        // (a frozen reader blocks that stream's other users, like a held monitor), not the JDK's.
        if (c.startsWith("java.io.File") || c.equals("java.io.RandomAccessFile") || c.equals("java.io.InputStream")
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
