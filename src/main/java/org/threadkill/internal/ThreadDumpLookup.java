package org.threadkill.internal;

import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

/**
 * The fallback lookup for JVMs without vmStructs: the tid from the JVM's own thread dump
 * (diagnostic command threadPrint). Costs a safepoint and a dump of every thread, per call.
 * JDK 17 prints {@code nid=0x1a2b}; JDK 21 and later print {@code nid=6699}.
 */
public final class ThreadDumpLookup {
    private ThreadDumpLookup() {}

    private static final Pattern NID = Pattern.compile("\\snid=(0x[0-9a-fA-F]+|\\d+)");

    /** The kernel tid of {@code t}, or -1 when the dump does not list it (it terminated). */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static long tid(Thread t) {
        String dump;
        try {
            dump = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            throw new UnsupportedOperationException("threadkill: the thread dump fallback failed: " + e, e);
        }
        String marker = " #" + t.getId() + " ";
        for (String line : dump.split("\n")) {
            if (!line.startsWith("\"") || !line.contains(marker)) continue;
            Matcher m = NID.matcher(line);
            if (m.find()) {
                String nid = m.group(1);
                return nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid);
            }
        }
        return -1;
    }
}
