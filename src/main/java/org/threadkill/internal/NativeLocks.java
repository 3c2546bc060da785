package org.threadkill.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.threadkill.NativeWaiter;

/**
 * Who sleeps on a pthread mutex that a given thread owns (Linux, glibc). For each task of this
 * process the kernel shows the system call it sleeps in and its arguments
 * ({@code /proc/self/task/<tid>/syscall}); a futex wait names the futex word, which for a glibc
 * mutex is the mutex itself, and glibc records the owner's tid 8 bytes further on, for every mutex
 * type. That word is read through {@code /proc/self/mem}, which fails cleanly on memory that is not
 * mapped, never faults. {@code /proc/self/maps} then says whose memory it is. Plain file reads:
 * nothing here can block on what the owner holds. Elsewhere (not Linux) it finds nothing.
 */
final class NativeLocks {
    private NativeLocks() {}

    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    private static final String ARCH = System.getProperty("os.arch", "");
    /** futex(2) in /proc/<tid>/syscall's first column. */
    private static final int FUTEX = ARCH.equals("aarch64") ? 98 : ARCH.equals("amd64") || ARCH.equals("x86_64") ? 202 : -1;
    private static final int OWNER_OFFSET = 8;      // pthread_mutex_t.__data.__owner on x86_64 and aarch64
    private static final int FUTEX_TID_MASK = 0x3fffffff;
    /** glibc's HEAP_MAX_SIZE on 64-bit: where its mmap'ed arenas are aligned. */
    private static final long ARENA_ALIGN = 64L << 20;

    /** The threads asleep on a mutex owned by one of {@code owners}; at most {@code limit} tasks looked at. */
    static List<NativeWaiter> waitersOn(Set<Integer> owners, int limit) {
        return waitersOn(owners, limit, Long.MAX_VALUE, new boolean[1]);
    }

    /**
     * The same, looking at tasks only until {@code budgetNanos} have passed (two small /proc reads
     * each: a JVM with thousands of threads takes tens of milliseconds); {@code complete[0]} tells
     * whether every task was looked at.
     */
    static List<NativeWaiter> waitersOn(Set<Integer> owners, int limit, long budgetNanos, boolean[] complete) {
        List<NativeWaiter> out = new ArrayList<>();
        complete[0] = true;
        if (!LINUX || FUTEX < 0 || owners.isEmpty()) return out;
        long start = System.nanoTime();
        List<String> maps = null;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"));
             RandomAccessFile mem = new RandomAccessFile("/proc/self/mem", "r")) {
            int seen = 0;
            for (Path task : tasks) {
                if (seen++ >= limit) break;
                if (System.nanoTime() - start > budgetNanos) {
                    complete[0] = false;
                    break;
                }
                int tid;
                try {
                    tid = Integer.parseInt(task.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (owners.contains(tid)) continue;
                String[] sc = read(task.resolve("syscall")).trim().split(" ");
                if (sc.length < 2 || !sc[0].equals(Integer.toString(FUTEX))) continue;
                long futex = Long.parseUnsignedLong(sc[1].substring(2), 16);
                int owner = ownerOf(mem, futex);
                if (!owners.contains(owner)) continue;
                if (maps == null) maps = Files.readAllLines(Path.of("/proc/self/maps"));
                out.add(new NativeWaiter(tid, read(task.resolve("comm")).trim(), futex, memoryOf(maps, futex), owner));
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable here: nothing can be said
        }
        return out;
    }

    private static int ownerOf(RandomAccessFile mem, long futex) {
        try {
            mem.seek(futex + OWNER_OFFSET);
            return Integer.reverseBytes(mem.readInt()) & FUTEX_TID_MASK;   // little-endian on both
        } catch (IOException e) {
            return -1;   // not mapped
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";   // the task ended meanwhile
        }
    }

    /**
     * The file whose mapping holds {@code address}; for an anonymous mapping right after a shared
     * library's writable data, that library (its .bss); else the heap or anonymous memory.
     */
    static String memoryOf(List<String> maps, long address) {
        String previousLib = null;
        long previousEnd = -1;
        for (String line : maps) {
            String[] f = line.trim().split("\\s+", 6);
            if (f.length < 5) continue;
            String[] range = f[0].split("-");
            long lo = Long.parseUnsignedLong(range[0], 16), hi = Long.parseUnsignedLong(range[1], 16);
            String path = f.length == 6 ? f[5] : "";
            if (Long.compareUnsigned(address, lo) >= 0 && Long.compareUnsigned(address, hi) < 0) {
                if (path.startsWith("/")) return Path.of(path).getFileName().toString();
                if (path.equals("[heap]")) return "the heap";
                // glibc's non-main malloc arenas start on a 64 MiB boundary; a library's .bss does not
                // (seen: a malloc'ed mutex in an arena right after libjsvml's data, named as its .bss)
                boolean arena = (lo & (ARENA_ALIGN - 1)) == 0;
                return previousLib != null && previousEnd == lo && !arena ? previousLib + " (its static data)"
                        : "anonymous memory (a malloc arena or an mmap)";
            }
            boolean writableLib = path.startsWith("/") && f[1].contains("w")
                    && (path.endsWith(".so") || path.contains(".so."));
            previousLib = writableLib ? Path.of(path).getFileName().toString() : null;
            previousEnd = hi;
        }
        return "unmapped memory";
    }
}
