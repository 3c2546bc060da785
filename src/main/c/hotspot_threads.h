/*
 * hotspot_threads.h: the JavaThread behind a java.lang.Thread, read through HotSpot's vmStructs
 * (hotspot_threads.c). Uses only tk_common.h.
 */
#ifndef TK_HOTSPOT_THREADS_H
#define TK_HOTSPOT_THREADS_H

#include "tk_common.h"

struct tk_thread_ids {
    int64_t java_thread;  /* JavaThread*, from Thread.eetop */
    int32_t tid;          /* kernel thread id */
    uint64_t pthread;     /* pthread_t (POSIX) or HotSpot's HANDLE (Windows) */
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
/* Does the futex word lie in an object that belongs to this (held) JavaThread alone? */
int tk_is_own_wait(int64_t java_thread, uintptr_t futex);
/* The (held) thread's stack [lo, hi) and the sp of its last Java frame (0 when it has none): the
 * native part of its stack lies between its current sp and that. -1 when unknown. */
int tk_thread_stack(int64_t java_thread, uintptr_t *lo, uintptr_t *hi, uintptr_t *last_java_sp);
/* Finds the JNI critical-region count of a JavaThread, once, on the calling thread (not in a handler). */
void tk_calibrate_critical(JNIEnv *env);
/* 1: the (held) thread is inside a JNI critical region; 0: it is not, or the GC pins regions
 * instead of waiting for them; -1: cannot tell. */
int tk_jni_critical(int64_t java_thread);

#endif
