/*
 * freeze_safety_linux.c: the native safe point of a freeze on Linux (freeze_safety.h).
 *
 * What must never be frozen: a thread that holds a lock of the C library (malloc's arenas, stdio's
 * FILE locks, a condition variable's internals), of the dynamic loader (dl_iterate_phdr, dlopen:
 * thread creation and stack walks need it), of libjvm, or of the unwinder and C++ runtime
 * (libgcc_s, libstdc++). A lock is held by code that is on the stack, so we look at the whole
 * native part of the stack: the interrupted pc, then every word from the interrupted sp up to the
 * last Java frame. The interrupted pc alone is not enough: dl_iterate_phdr holds the loader's lock
 * while the pc is in the caller's callback.
 *
 * The map of that code comes from /proc/self/maps, read with plain system calls into a static
 * buffer (no malloc, no loader lock: the victim may hold either), and from libc's .dynsym, read
 * from the file, for the list of its plain blocking calls and to name the function in a refusal.
 */
#define _GNU_SOURCE
#include "freeze_safety.h"
#include "hotspot_threads.h"

#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_RANGES 64
#define MAX_SCAN_BYTES (1u << 20)

struct range {
    uintptr_t lo, hi;
    int reason;   /* enum tk_unsafe of code in it, or RANGE_JDK */
};

/* Not a reason: the text of the JDK's own native libraries, where a leaf native's scan ends. */
#define RANGE_JDK (-1)

static struct range ranges[MAX_RANGES];
static int range_count;
static int64_t refreshed_at = -1;

/* libc's plain blocking calls: inside them a thread waits in the kernel and holds no lock. */
static const char *const blocking_calls[] = {
    "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev",
    "recv", "recvfrom", "recvmsg", "recvmmsg", "send", "sendto", "sendmsg", "accept", "accept4", "connect",
    "poll", "ppoll", "select", "pselect", "epoll_wait", "epoll_pwait", "epoll_pwait2",
    "nanosleep", "clock_nanosleep", "sleep", "usleep", "pause", "sigsuspend", "sigwait", "sigwaitinfo",
    "sigtimedwait", "wait", "waitpid", "waitid", "wait3", "wait4", "syscall", "flock", "lockf", "fcntl",
    "fcntl64", "ioctl", "open", "open64", "openat", "openat64", "fsync", "fdatasync", "msgrcv", "msgsnd",
    "semop", "semtimedop", "mq_receive", "mq_timedreceive", "mq_send", "mq_timedsend", "splice", "tee",
    "sendfile", "sendfile64", "copy_file_range", NULL
};
#define MAX_BLOCKING 96
static struct { uintptr_t lo, hi; } blocking[MAX_BLOCKING];
static int blocking_count;
static char libc_path[512];
static uintptr_t libc_base;   /* where libc's file offset 0 is mapped */

/* libc's exported functions, sorted by address, for naming: built once per libc. */
struct named { uintptr_t lo, hi; uint32_t name; };
static struct named *libc_functions;
static int libc_function_count;
static char *libc_names;

static int reason_of_path(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strncmp(base, "libc.so", 7) == 0 || strncmp(base, "libc-", 5) == 0 || strncmp(base, "libpthread", 10) == 0
        || strncmp(base, "libdl.so", 8) == 0 || strncmp(base, "libdl-", 6) == 0) return TK_UNSAFE_LIBC;
    if (strncmp(base, "ld-linux", 8) == 0 || strncmp(base, "ld-2.", 5) == 0 || strncmp(base, "ld-musl", 7) == 0
        || strncmp(base, "ld64.so", 7) == 0) return TK_UNSAFE_LOADER;
    if (strcmp(base, "libjvm.so") == 0) return TK_UNSAFE_JVM;
    if (strncmp(base, "libgcc_s", 8) == 0 || strncmp(base, "libstdc++", 9) == 0) return TK_UNSAFE_RUNTIME;
    if (strcmp(base, "libjava.so") == 0 || strcmp(base, "libnio.so") == 0 || strcmp(base, "libnet.so") == 0) return RANGE_JDK;
    return TK_UNSAFE_NONE;
}

static uintptr_t hex(const char **p) {
    uintptr_t v = 0;
    for (;; (*p)++) {
        char c = **p;
        if (c >= '0' && c <= '9') v = v * 16 + (uintptr_t) (c - '0');
        else if (c >= 'a' && c <= 'f') v = v * 16 + (uintptr_t) (c - 'a' + 10);
        else return v;
    }
}

/* One line of /proc/self/maps: "lo-hi perms offset dev inode   path". */
static void take_line(const char *line, uintptr_t *libc_bias) {
    const char *p = line;
    uintptr_t lo = hex(&p);
    if (*p++ != '-') return;
    uintptr_t hi = hex(&p);
    if (*p++ != ' ') return;
    char perms[4] = { p[0], p[1], p[2], p[3] };
    p += 5;
    uintptr_t offset = hex(&p);
    const char *path = strchr(p, '/');
    if (path == NULL) return;
    int reason = reason_of_path(path);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* libc itself: not libdl.so.2 or libpthread.so.0, glibc 2.34's empty stubs, mapped before it
     * when a library links them by name (whose .dynsym has no read or poll: seen refusing every
     * thread blocked in read) */
    int is_libc = strncmp(base, "libc.so", 7) == 0 || strncmp(base, "libc-", 5) == 0;
    if (is_libc && offset == 0 && *libc_bias == 0) {
        *libc_bias = lo;
        size_t n = strlen(path);
        if (n < sizeof libc_path && (libc_path[0] == 0 || strcmp(libc_path, path) != 0)) {
            memcpy(libc_path, path, n + 1);
            free(libc_functions);
            libc_functions = NULL;
            libc_function_count = 0;
        }
    }
    if (perms[2] != 'x' || reason == TK_UNSAFE_NONE || range_count >= MAX_RANGES) return;
    ranges[range_count].lo = lo;
    ranges[range_count].hi = hi;
    ranges[range_count].reason = reason;
    range_count++;
}

static int by_address(const void *a, const void *b) {
    uintptr_t x = ((const struct named *) a)->lo, y = ((const struct named *) b)->lo;
    return x < y ? -1 : x > y;
}

static int read_at(int fd, void *buf, size_t len, off_t at) {
    return pread(fd, buf, len, at) == (ssize_t) len ? 0 : -1;
}

/* libc's .dynsym: the blocking calls' address ranges, and every function for naming. */
static void read_libc_symbols(uintptr_t bias) {
    blocking_count = 0;
    int fd = open(libc_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    Elf64_Ehdr eh;
    Elf64_Shdr *sh = NULL;
    Elf64_Sym *syms = NULL;
    char *names = NULL;
    if (read_at(fd, &eh, sizeof eh, 0) != 0 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0
        || eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0
        || eh.e_shnum > 4096) goto out;
    sh = malloc(sizeof(Elf64_Shdr) * eh.e_shnum);
    if (sh == NULL || read_at(fd, sh, sizeof(Elf64_Shdr) * eh.e_shnum, (off_t) eh.e_shoff) != 0) goto out;
    for (int i = 0; i < eh.e_shnum; i++) {
        if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh.e_shnum) continue;
        Elf64_Shdr *strs = &sh[sh[i].sh_link];
        size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
        if (n == 0 || n > 100000 || strs->sh_size > (16u << 20)) break;
        syms = malloc(sh[i].sh_size);
        names = malloc(strs->sh_size + 1);
        if (syms == NULL || names == NULL || read_at(fd, syms, sh[i].sh_size, (off_t) sh[i].sh_offset) != 0
            || read_at(fd, names, strs->sh_size, (off_t) strs->sh_offset) != 0) break;
        names[strs->sh_size] = 0;
        struct named *fns = malloc(sizeof(struct named) * n);
        int count = 0;
        for (size_t k = 0; fns != NULL && k < n; k++) {
            Elf64_Sym *y = &syms[k];
            if (ELF64_ST_TYPE(y->st_info) != STT_FUNC || y->st_size == 0 || y->st_value == 0
                || y->st_name >= strs->sh_size) continue;
            uintptr_t lo = bias + (uintptr_t) y->st_value, hi = lo + (uintptr_t) y->st_size;
            fns[count].lo = lo;
            fns[count].hi = hi;
            fns[count].name = y->st_name;
            count++;
            const char *name = names + y->st_name;
            for (int b = 0; blocking_calls[b] != NULL && blocking_count < MAX_BLOCKING; b++) {
                if (strcmp(name, blocking_calls[b]) == 0) {
                    blocking[blocking_count].lo = lo;
                    blocking[blocking_count].hi = hi;
                    blocking_count++;
                    break;
                }
            }
        }
        if (fns != NULL) qsort(fns, (size_t) count, sizeof *fns, by_address);
        free(libc_functions);
        free(libc_names);
        libc_functions = fns;
        libc_function_count = fns != NULL ? count : 0;
        libc_names = names;
        names = NULL;
        break;
    }
out:
    free(sh);
    free(syms);
    free(names);
    close(fd);
}

void tk_safety_refresh(void) {
    int64_t now = tk_now_ns();
    if (refreshed_at >= 0 && now - refreshed_at < 1000000000LL) return;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    static char buf[1 << 16];
    char line[1024];
    size_t used = 0;
    uintptr_t libc_bias = 0;
    range_count = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n' || used == sizeof line - 1) {
                line[used] = 0;
                take_line(line, &libc_bias);
                used = 0;
            } else {
                line[used++] = buf[i];
            }
        }
    }
    close(fd);
    if (libc_bias != 0) libc_base = libc_bias;
    if (libc_bias != 0 && libc_functions == NULL) read_libc_symbols(libc_bias);
    refreshed_at = now;
}

/* The range's reason, RANGE_JDK, or TK_UNSAFE_NONE. */
static int range_at(uintptr_t a) {
    for (int i = 0; i < range_count; i++) {
        if (a >= ranges[i].lo && a < ranges[i].hi) return ranges[i].reason;
    }
    return TK_UNSAFE_NONE;
}

static int reason_at(uintptr_t a) {
    int r = range_at(a);
    return r == RANGE_JDK ? TK_UNSAFE_NONE : r;
}

static int in_blocking_call(uintptr_t a) {
    for (int i = 0; i < blocking_count; i++) {
        if (a >= blocking[i].lo && a < blocking[i].hi) return 1;
    }
    return 0;
}

int tk_safety_native_stack(int64_t java_thread, uintptr_t pc, uintptr_t sp, int in_syscall, int leaf_native,
                           uintptr_t *where) {
    *where = pc;
    int r = reason_at(pc);
    if (r == TK_UNSAFE_LIBC && in_syscall && in_blocking_call(pc)) r = TK_UNSAFE_NONE;
    if (r != TK_UNSAFE_NONE) return r;
    uintptr_t lo, hi, last_java_sp;
    if (tk_thread_stack(java_thread, &lo, &hi, &last_java_sp) != 0 || sp < lo || sp >= hi) {
        *where = sp;
        return TK_UNSAFE_STACK;
    }
    uintptr_t end = last_java_sp > sp && last_java_sp <= hi ? last_java_sp : hi;
    if (end - sp > MAX_SCAN_BYTES) {
        *where = sp;
        return TK_UNSAFE_STACK;
    }
    for (uintptr_t p = (sp + sizeof(uintptr_t) - 1) & ~(uintptr_t) (sizeof(uintptr_t) - 1);
         p + sizeof(uintptr_t) <= end; p += sizeof(uintptr_t)) {
        uintptr_t w = *(const uintptr_t *) p;
        int wr = range_at(w);
        if (wr == RANGE_JDK) {
            if (leaf_native) return TK_UNSAFE_NONE;   /* the leaf native's own frame from here on */
            continue;
        }
        if (wr == TK_UNSAFE_NONE || (wr == TK_UNSAFE_LIBC && in_blocking_call(w))) continue;
        /* libjvm as a stack word: a thread in native code runs no VM code that holds a VM lock (a
         * JNI call that takes one moves it to in_vm first), and JNI function pointers kept by native
         * code (JNA's dispatch, seen) are libjvm text: only the pc counts for libjvm. */
        if (wr == TK_UNSAFE_JVM) continue;
        *where = w;
        return wr;
    }
    return TK_UNSAFE_NONE;
}

int tk_safety_code_address(uintptr_t a) {
    int r = reason_at(a);
    return r == TK_UNSAFE_LIBC && in_blocking_call(a) ? TK_UNSAFE_NONE : r;
}

void tk_safety_describe(uintptr_t a, char *buf, size_t len) {
    const char *lib = NULL;
    for (int i = 0; i < range_count; i++) {
        if (a >= ranges[i].lo && a < ranges[i].hi && ranges[i].reason != RANGE_JDK) {
            switch (ranges[i].reason) {
            case TK_UNSAFE_LIBC: lib = "the C library"; break;
            case TK_UNSAFE_LOADER: lib = "the dynamic loader"; break;
            case TK_UNSAFE_JVM: lib = "libjvm"; break;
            default: lib = "libgcc_s / libstdc++"; break;
            }
        }
    }
    if (lib == NULL) {
        snprintf(buf, len, "0x%lx", (unsigned long) a);
        return;
    }
    const struct named *best = NULL;
    int lo = 0, hi = libc_function_count - 1;
    while (lo <= hi) {   /* the last function starting at or below a */
        int mid = (lo + hi) / 2;
        if (libc_functions[mid].lo <= a) { best = &libc_functions[mid]; lo = mid + 1; }
        else hi = mid - 1;
    }
    int is_libc = lib[4] == 'C';   /* "the C library" */
    if (is_libc && best != NULL && a < best->hi && libc_names != NULL) {
        snprintf(buf, len, "%s, in %s", lib, libc_names + best->name);
    } else if (is_libc && libc_base != 0) {
        snprintf(buf, len, "%s (internal code at libc+0x%lx)", lib, (unsigned long) (a - libc_base));
    } else {
        snprintf(buf, len, "%s", lib);
    }
}
