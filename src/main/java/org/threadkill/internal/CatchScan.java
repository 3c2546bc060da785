package org.threadkill.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds, in the class files of a thread's own frames, a handler that would catch the async
 * exception where the thread stands: a {@code catch (Throwable)}, {@code catch (Error)} or
 * {@code catch (ThreadKilledError)} whose range covers the frame's current line. A thread in such
 * code may carry on after the exception (the consequence suite's swallow victim did, every time),
 * so the ASYNC_EXCEPTION verdict says "may stop" there instead of promising.
 *
 * <p>Reads class files through the thread's context class loader or the system class loader, on a
 * short-lived thread of its own, waiting at most {@link #READ_WAIT_MILLIS} for all of one look's reads: the class path's
 * jar files have locks a stuck or frozen thread may hold. A class it cannot read is no claim either
 * way; a read slower than the wait still fills the cache for the next look. Results per class are
 * cached (at most {@link #CACHE_LIMIT} classes).
 */
final class CatchScan {
    private CatchScan() {}

    static final long READ_WAIT_MILLIS = 200;
    static final int CACHE_LIMIT = 512;
    private static final int MAX_FRAMES = 32;
    private static final int MAX_CLASS_BYTES = 4 << 20;

    private static final Map<String, Parsed> CACHE = new ConcurrentHashMap<>();
    private static final Parsed UNREADABLE = new Parsed(null);

    /**
     * The first of the thread's own (non-JDK) frames, from the top, whose code would catch the async
     * exception at its current line: "Swallow.loop (Swallow.java:49)"; null when none does or it
     * cannot be told.
     */
    static String catcher(StackTraceElement[] stack, ClassLoader loader) {
        return catcher(stack, loader, Long.MAX_VALUE);
    }

    /** The same, reading class files for at most {@code budgetNanos} (and never over 200 ms). */
    static String catcher(StackTraceElement[] stack, ClassLoader loader, long budgetNanos) {
        int seen = 0;
        long deadline = System.nanoTime() + Math.min(budgetNanos, READ_WAIT_MILLIS * 1_000_000L);   // one bound for the whole look
        for (StackTraceElement f : stack) {
            if (StuckWork.isJdk(f) || f.isNativeMethod() || f.getLineNumber() <= 0) continue;
            if (++seen > MAX_FRAMES) break;
            Parsed p = parsed(f.getClassName(), loader, deadline);
            if (p.bytes != null && catchesAt(p.bytes, f.getMethodName(), f.getLineNumber())) {
                return f.getClassName() + "." + f.getMethodName() + " (" + f.getFileName() + ":" + f.getLineNumber() + ")";
            }
        }
        return null;
    }

    private record Parsed(byte[] bytes) {}

    private static Parsed parsed(String className, ClassLoader loader, long deadline) {
        String key = className + "@" + (loader == null ? "system" : Integer.toHexString(System.identityHashCode(loader)));
        Parsed p = CACHE.get(key);
        if (p != null) return p;
        if (deadline - System.nanoTime() <= 0) return UNREADABLE;   // no time left: not even a reader started
        Reader r = new Reader(className, loader, key);
        r.setDaemon(true);
        r.start();
        try {
            long left = deadline - System.nanoTime();
            if (left > 0) r.join(left / 1_000_000L, (int) (left % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p = CACHE.get(key);   // a slow read (a JVM's first, a busy jar) still fills the cache when it ends
        return p != null ? p : UNREADABLE;
    }

    /** Reads one class file and caches what it found; a thread of its own (the jar's locks may be held). */
    private static final class Reader extends Thread {
        private final String className;
        private final ClassLoader loader;
        private final String key;

        Reader(String className, ClassLoader loader, String key) {
            super("threadkill-catch-scan");
            this.className = className;
            this.loader = loader;
            this.key = key;
        }

        @Override
        public void run() {
            byte[] b = read(className, loader);
            if (CACHE.size() < CACHE_LIMIT) CACHE.put(key, b == null ? UNREADABLE : new Parsed(b));
        }
    }

    private static byte[] read(String className, ClassLoader loader) {
        String resource = className.replace('.', '/') + ".class";
        for (ClassLoader l : new ClassLoader[] {loader, ClassLoader.getSystemClassLoader()}) {
            if (l == null) continue;
            try (InputStream in = l.getResourceAsStream(resource)) {
                if (in == null) continue;
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                byte[] chunk = new byte[8192];
                for (int n; (n = in.read(chunk)) > 0;) {
                    buf.write(chunk, 0, n);
                    if (buf.size() > MAX_CLASS_BYTES) return null;
                }
                return buf.toByteArray();
            } catch (IOException | RuntimeException e) {
                // unreadable through this loader: no claim
            }
        }
        return null;
    }

    /** Whether a method {@code name} of the class file has a catching handler over code of {@code line}. */
    static boolean catchesAt(byte[] classFile, String name, int line) {
        try {
            return scan(ByteBuffer.wrap(classFile), name, line);
        } catch (RuntimeException e) {   // a class file we do not understand: no claim
            return false;
        }
    }

    private static boolean scan(ByteBuffer b, String name, int line) {
        if (b.getInt() != 0xCAFEBABE) return false;
        b.getShort();
        b.getShort();
        int count = Short.toUnsignedInt(b.getShort());
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = Byte.toUnsignedInt(b.get());
            switch (tag) {
                case 1: {
                    int len = Short.toUnsignedInt(b.getShort());
                    byte[] s = new byte[len];
                    b.get(s);
                    utf8[i] = modifiedUtf8(s);
                    break;
                }
                case 7: classNameIndex[i] = Short.toUnsignedInt(b.getShort()); break;
                case 8: case 16: case 19: case 20: b.getShort(); break;
                case 15: b.get(); b.getShort(); break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: b.getInt(); break;
                case 5: case 6: b.getLong(); i++; break;
                default: return false;   // a constant we do not know
            }
        }
        b.getShort();   // access flags
        b.getShort();   // this class
        b.getShort();   // super class
        int interfaces = Short.toUnsignedInt(b.getShort());
        b.position(b.position() + 2 * interfaces);
        skipMembers(b);   // fields
        int methods = Short.toUnsignedInt(b.getShort());
        for (int m = 0; m < methods; m++) {
            b.getShort();
            String methodName = utf8[Short.toUnsignedInt(b.getShort())];
            b.getShort();
            int attributes = Short.toUnsignedInt(b.getShort());
            for (int a = 0; a < attributes; a++) {
                String attr = utf8[Short.toUnsignedInt(b.getShort())];
                int len = b.getInt();
                int end = b.position() + len;
                if ("Code".equals(attr) && name.equals(methodName) && codeCatchesAt(b, utf8, classNameIndex, line)) return true;
                b.position(end);
            }
        }
        return false;
    }

    /** In a Code attribute (positioned after its length): a catching handler over code of {@code line}. */
    private static boolean codeCatchesAt(ByteBuffer b, String[] utf8, int[] classNameIndex, int line) {
        b.getShort();   // max stack
        b.getShort();   // max locals
        int codeLength = b.getInt();
        byte[] code = new byte[codeLength];
        b.get(code);
        int handlers = Short.toUnsignedInt(b.getShort());
        int[][] catching = new int[handlers][];
        int n = 0;
        for (int i = 0; i < handlers; i++) {
            int start = Short.toUnsignedInt(b.getShort()), end = Short.toUnsignedInt(b.getShort());
            int handler = Short.toUnsignedInt(b.getShort());
            int type = Short.toUnsignedInt(b.getShort());
            String caught = type == 0 ? null : utf8[classNameIndex[type]];
            if (("java/lang/Throwable".equals(caught) || "java/lang/Error".equals(caught)
                    || "org/threadkill/ThreadKilledError".equals(caught)) && !rethrows(code, handler)) {
                catching[n++] = new int[] {start, end};
            }
        }
        if (n == 0) return false;
        int attributes = Short.toUnsignedInt(b.getShort());
        for (int a = 0; a < attributes; a++) {
            String attr = utf8[Short.toUnsignedInt(b.getShort())];
            int len = b.getInt();
            int end = b.position() + len;
            if ("LineNumberTable".equals(attr)) {
                int entries = Short.toUnsignedInt(b.getShort());
                int[] pcs = new int[entries], lines = new int[entries];
                for (int i = 0; i < entries; i++) {
                    pcs[i] = Short.toUnsignedInt(b.getShort());
                    lines[i] = Short.toUnsignedInt(b.getShort());
                }
                for (int i = 0; i < entries; i++) {
                    if (lines[i] != line) continue;
                    int from = pcs[i];
                    int to = codeLength;   // up to the next entry that starts after it
                    for (int j = 0; j < entries; j++) {
                        if (pcs[j] > from && pcs[j] < to) to = pcs[j];
                    }
                    for (int k = 0; k < n; k++) {
                        if (from < catching[k][1] && to > catching[k][0]) return true;
                    }
                }
            }
            b.position(end);
        }
        return false;
    }

    /**
     * Whether every path of the handler at {@code pc}, followed along its normal flow, ends in
     * {@code athrow} without returning or jumping back before it: the handler of a
     * try-with-resources (close, then throw again), a {@code catch (Throwable t) { log; throw t; }}.
     * A switch, a subroutine or more than a few hundred instructions: not known, so it counts as a
     * catch.
     */
    static boolean rethrows(byte[] code, int pc) {
        java.util.BitSet seen = new java.util.BitSet(code.length);
        java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
        todo.push(pc);
        int steps = 0;
        while (!todo.isEmpty()) {
            int at = todo.pop();
            while (true) {
                if (at < pc || at >= code.length || ++steps > 512) return false;
                if (seen.get(at)) break;
                seen.set(at);
                int op = Byte.toUnsignedInt(code[at]);
                if (op == 0xbf) break;                                // athrow: this path rethrows
                if (op >= 0xac && op <= 0xb1) return false;           // a return: the exception is gone
                if (op == 0xa8 || op == 0xa9 || op == 0xaa || op == 0xab || op == 0xc9 || op == 0xc4) return false;
                int len = length(op);
                if (len == 0) return false;
                if ((op >= 0x99 && op <= 0xa6) || op == 0xc6 || op == 0xc7) {   // conditional branches
                    todo.push(at + (short) (((code[at + 1] & 0xff) << 8) | (code[at + 2] & 0xff)));
                } else if (op == 0xa7) {                               // goto
                    at = at + (short) (((code[at + 1] & 0xff) << 8) | (code[at + 2] & 0xff));
                    continue;
                } else if (op == 0xc8) {                               // goto_w
                    at = at + (((code[at + 1] & 0xff) << 24) | ((code[at + 2] & 0xff) << 16)
                            | ((code[at + 3] & 0xff) << 8) | (code[at + 4] & 0xff));
                    continue;
                }
                at += len;
            }
        }
        return true;
    }

    /** The length of an instruction without variable parts; 0 for one we do not walk. */
    private static int length(int op) {
        if (op <= 0x0f) return 1;                                 // nop, constants
        if (op == 0x10 || op == 0x12) return 2;                   // bipush, ldc
        if (op == 0x11 || op == 0x13 || op == 0x14) return 3;     // sipush, ldc_w, ldc2_w
        if (op >= 0x15 && op <= 0x19) return 2;                   // loads with an index
        if (op >= 0x1a && op <= 0x35) return 1;                   // loads _n, array loads
        if (op >= 0x36 && op <= 0x3a) return 2;                   // stores with an index
        if (op >= 0x3b && op <= 0x83) return 1;                   // stores _n, array stores, stack, arithmetic
        if (op == 0x84) return 3;                                 // iinc
        if (op >= 0x85 && op <= 0x98) return 1;                   // conversions, compares
        if (op >= 0x99 && op <= 0xa7) return 3;                   // branches, goto
        if (op >= 0xb2 && op <= 0xb8) return 3;                   // fields, invokevirtual/special/static
        if (op == 0xb9 || op == 0xba) return 5;                   // invokeinterface, invokedynamic
        if (op == 0xbb || op == 0xbd || op == 0xc0 || op == 0xc1) return 3;   // new, anewarray, checkcast, instanceof
        if (op == 0xbc) return 2;                                 // newarray
        if (op == 0xbe || op == 0xc2 || op == 0xc3) return 1;     // arraylength, monitorenter/exit
        if (op == 0xc5) return 4;                                 // multianewarray
        if (op == 0xc6 || op == 0xc7) return 3;                   // ifnull, ifnonnull
        if (op == 0xc8) return 5;                                 // goto_w
        return 0;
    }

    private static void skipMembers(ByteBuffer b) {
        int count = Short.toUnsignedInt(b.getShort());
        for (int i = 0; i < count; i++) {
            b.position(b.position() + 6);
            int attributes = Short.toUnsignedInt(b.getShort());
            for (int a = 0; a < attributes; a++) {
                b.getShort();
                b.position(b.position() + b.getInt());
            }
        }
    }

    private static String modifiedUtf8(byte[] s) {
        byte[] framed = new byte[s.length + 2];
        framed[0] = (byte) (s.length >>> 8);
        framed[1] = (byte) s.length;
        System.arraycopy(s, 0, framed, 2, s.length);
        try {
            return new DataInputStream(new java.io.ByteArrayInputStream(framed)).readUTF();
        } catch (IOException e) {
            return "";
        }
    }
}
