/*
 * tk_common.h: the bottom layer every C file may use, and that uses nothing of ours: the codes
 * shared with Java, exceptions, the clock, the calling thread's id, and the few OS services the
 * layers above need without an #ifdef (tk_common.c is portable; os_linux.c / os_windows.c hold
 * the platform halves). Nothing here is exported: the linker script (exports.map) and the
 * Windows .def keep every symbol but the JNI entry points local.
 *
 * The codes below mirror org.threadkill.internal.Native; jni_entry.c checks every one of them at
 * compile time against the macros javac -h generated from it, on every platform.
 */
#ifndef TK_COMMON_H
#define TK_COMMON_H

#include <jni.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Our own, stable codes for HotSpot's JavaThreadState; Native.STATE_*. */
enum tk_jvm_state {
    TK_STATE_UNKNOWN = 0,
    TK_STATE_NEW = 1,
    TK_STATE_IN_NATIVE = 2,
    TK_STATE_IN_VM = 3,
    TK_STATE_IN_JAVA = 4,
    TK_STATE_BLOCKED = 5,
    TK_STATE_IN_TRANSITION = 6
};

/* Kill modes; Native.MODE_*. */
enum tk_mode {
    TK_MODE_ACK = 0,     /* handler only acknowledges: the benchmark floor */
    TK_MODE_FREEZE = 1,  /* handler never returns */
    TK_MODE_EXIT = 2,    /* handler calls pthread_exit */
    TK_MODE_CANCEL = 3,  /* handler requests pthread_cancel of its own thread */
    /* or-ed into a FREEZE: the caller holds the thread JVMTI-suspended already, and resumes it */
    TK_MODE_FLAG_SUSPENDED = 0x100,
    /* or-ed into a FREEZE: the thread's top frame is one of the JDK's leaf natives (a read, a
     * write, a poll of its own file descriptor), whose C code calls nothing but the C library's
     * system call wrappers: the native scan may end at the first return address into the JDK's
     * libraries (freeze_safety.h) */
    TK_MODE_FLAG_LEAF_NATIVE = 0x200
};

/* Why a freeze let the thread go (out[TK_OUT_REASON]); Native.UNSAFE_*. */
enum tk_unsafe {
    TK_UNSAFE_NONE = 0,
    TK_UNSAFE_STATE = 1,     /* neither in native code nor asleep on a wait of its own */
    TK_UNSAFE_LIBC = 2,      /* inside the C library, outside its plain blocking calls */
    TK_UNSAFE_LOADER = 3,    /* inside the dynamic loader (its lock: dlopen, dl_iterate_phdr) */
    TK_UNSAFE_JVM = 4,       /* inside libjvm */
    TK_UNSAFE_RUNTIME = 5,   /* inside libgcc_s or libstdc++ */
    TK_UNSAFE_CRITICAL = 6,  /* inside a JNI critical region: the GC would wait for it */
    TK_UNSAFE_STACK = 7      /* its stack could not be read whole: refused in doubt */
};

/* Outcome codes of a kill; Native.KILL_*. */
enum tk_kill_status {
    TK_KILL_STOPPED = 0,
    TK_KILL_STILL_RUNNING = 1,
    TK_KILL_TERMINATED = 2,      /* the thread had ended before any signal was sent */
    TK_KILL_NOT_SAFE = 3,        /* FREEZE: the victim never reached a state safe to freeze in */
    TK_KILL_NOT_DELIVERED = 4,   /* the handler never ran within the wait (signal blocked?) */
    TK_KILL_NO_SLOT = 5          /* every request slot stayed in use for the whole wait */
};

/* Indices of the long[] a kill fills; Native.OUT_*. */
enum tk_out {
    TK_OUT_STATUS = 0,
    TK_OUT_TID = 1,
    TK_OUT_STATE = 2,
    TK_OUT_ENTERED_NS = 3,   /* call -> handler entered, or -1 */
    TK_OUT_STOPPED_NS = 4,   /* call -> thread observed stopped, or -1 */
    TK_OUT_JAVA_THREAD = 5,
    TK_OUT_PTHREAD = 6,
    TK_OUT_PIDFD = 7,        /* 1 when a thread pidfd was used, 0 for the tgsigqueueinfo fallback */
    TK_OUT_REASON = 8,       /* FREEZE not done: the last reason (enum tk_unsafe) */
    TK_OUT_WHERE = 9,        /* and the code address that decided it, or 0 */
    TK_OUT_CHECK_NS = 10,    /* FREEZE: the native check's time, facts seen -> verdict */
    TK_OUT_LEN = 11
};

/* tk_common.c: exceptions. Every caller returns right after throwing. */
void tk_throw(JNIEnv *env, const char *class_name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends the C library's text for an errno value. */
void tk_throw_errno(JNIEnv *env, const char *class_name, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The formatter under both (and kill_windows.c's GetLastError variant): message, then ": suffix". */
void tk_vthrow(JNIEnv *env, const char *class_name, const char *suffix, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* os_linux.c / os_windows.c. tk_now_ns and tk_current_tid are async-signal-safe (the Linux signal
 * handler calls them). */
int64_t tk_now_ns(void);        /* monotonic */
int32_t tk_current_tid(void);   /* the calling thread's kernel id */
/* The C library's text for an errno value, in buf or a static string. */
const char *tk_strerror(int err, char *buf, size_t len);
/* An exported symbol of the JVM's own library (libjvm / jvm.dll), or NULL. */
void *tk_jvm_symbol(JNIEnv *env, const char *name);
/* vmStructs name of the OSThread field that holds the platform's own thread handle
 * (_pthread_id on POSIX, _thread_handle on Windows). */
extern const char tk_osthread_handle_field[];
/* One process-wide lock for rare slow paths (the first JVMTI use); never taken in a handler. */
void tk_lock(void);
void tk_unlock(void);

/* Copies of this very library: every class loader that loads threadkill's classes loads its own
 * copy of the file, and each is mapped with its own globals. os_linux.c finds them in the dynamic
 * loader's list of objects and proves a copy is this binary (same GNU build-id, same loadable
 * segments), so that each of its functions and globals lies at the same distance from ours; the
 * build links with -z nodelete, so no copy is ever unmapped.
 *
 * tk_oldest_copy_offset: the distance from this copy to the oldest loaded copy (0 when this is the
 * oldest or the only one, or where the platform cannot tell: Windows, macOS), once that copy's
 * *ready (the same variable in that copy as ready is in ours) is non-zero, waiting up to wait_ns.
 * Returns 0 and sets *problem to a constant sentence when an older copy could not be joined, or
 * when this copy has no build-id to be recognised by. */
intptr_t tk_oldest_copy_offset(const int *ready, int64_t wait_ns, const char **problem);
/* 1 when address lies in a loaded copy of this very library other than this one. */
int tk_in_other_copy(uintptr_t address);

#endif
