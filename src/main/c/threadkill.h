/*
 * threadkill: internal declarations shared by the C files. Nothing here is exported; the linker
 * script (exports.map) keeps every symbol but the JNI entry points local.
 */
#ifndef THREADKILL_H
#define THREADKILL_H

#include <jni.h>
#include <stdint.h>

/* Our own, stable codes for HotSpot's JavaThreadState; mirrored by internal.Native.STATE_*. */
enum tk_jvm_state {
    TK_STATE_UNKNOWN = 0,
    TK_STATE_NEW = 1,
    TK_STATE_IN_NATIVE = 2,
    TK_STATE_IN_VM = 3,
    TK_STATE_IN_JAVA = 4,
    TK_STATE_BLOCKED = 5,
    TK_STATE_IN_TRANSITION = 6
};

/* Kill modes understood by the signal handler; mirrored by internal.Native.MODE_*. */
enum tk_mode {
    TK_MODE_ACK = 0,     /* handler only acknowledges: the benchmark floor */
    TK_MODE_FREEZE = 1,  /* handler never returns */
    TK_MODE_EXIT = 2,    /* handler calls pthread_exit */
    TK_MODE_CANCEL = 3   /* handler requests pthread_cancel of its own thread */
};

/* Outcome codes of tk_kill; mirrored by internal.Native.KILL_*. */
enum tk_kill_status {
    TK_KILL_STOPPED = 0,
    TK_KILL_STILL_RUNNING = 1,
    TK_KILL_TERMINATED = 2,      /* the thread had ended before any signal was sent */
    TK_KILL_NOT_SAFE = 3,        /* FREEZE: the victim never reached a state safe to freeze in */
    TK_KILL_NOT_DELIVERED = 4    /* the handler never ran within the wait (signal blocked?) */
};

/* Indices of the long[] that tk_kill fills; mirrored by internal.Native.OUT_*. */
enum tk_out {
    TK_OUT_STATUS = 0,
    TK_OUT_TID = 1,
    TK_OUT_STATE = 2,
    TK_OUT_ENTERED_NS = 3,   /* call -> handler entered, or -1 */
    TK_OUT_STOPPED_NS = 4,   /* call -> thread observed stopped, or -1 */
    TK_OUT_JAVA_THREAD = 5,
    TK_OUT_PTHREAD = 6,
    TK_OUT_PIDFD = 7,        /* 1 when a thread pidfd was used, 0 for the tgsigqueueinfo fallback */
    TK_OUT_LEN = 8
};

/* threadkill.c: exceptions. Every caller returns right after throwing. */
void tk_throw(JNIEnv *env, const char *class_name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tk_throw_errno(JNIEnv *env, const char *class_name, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#ifdef _WIN32
/* Appends the system's text for a GetLastError() code. */
void tk_throw_win32(JNIEnv *env, const char *class_name, unsigned long err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#endif
int64_t tk_now_ns(void);   /* monotonic */

/* jvm_threads.c: the JavaThread behind a java.lang.Thread, read through HotSpot's vmStructs. */
struct tk_thread_ids {
    int64_t java_thread;  /* JavaThread*, from Thread.eetop */
    int32_t tid;          /* kernel thread id */
    uint64_t pthread;     /* pthread_t */
    int32_t state;        /* enum tk_jvm_state */
};
int tk_vmstructs_init(JNIEnv *env);          /* 0 when the tables were found */
const char *tk_vmstructs_problem(void);      /* why not, or NULL */
int64_t tk_eetop(JNIEnv *env, jobject thread);
/* 1: filled; 0: the thread has no JavaThread (not started or terminated); -1: no vmStructs. */
int tk_resolve(JNIEnv *env, jobject thread, struct tk_thread_ids *out);
int32_t tk_read_state(int64_t java_thread);
/* tk_resolve, or, without vmStructs, eetop plus the tid the caller found in a thread dump. */
int tk_resolve_or_fallback(JNIEnv *env, jobject thread, int32_t fallback_tid, struct tk_thread_ids *out);

/* signal_kill.c (Linux) or win_kill.c (Windows): one kill, filling out[TK_OUT_LEN]. */
void tk_platform_kill(JNIEnv *env, jobject thread, int mode, int64_t wait_ns, int32_t fallback_tid, int64_t *out);
int tk_is_own_wait(int64_t java_thread, uintptr_t futex);

/* jvmti_ops.c: the JVMTI environment, acquired on first use. Return JVMTI error codes. */
int tk_jvmti_suspend(JNIEnv *env, jobject thread);
int tk_jvmti_resume(JNIEnv *env, jobject thread);
int tk_jvmti_stop(JNIEnv *env, jobject thread, jobject throwable);
int tk_jvmti_acquired(void);
const char *tk_jvmti_error_name(int err);

extern JavaVM *tk_vm;

#endif
