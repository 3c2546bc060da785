/*
 * jvmti_ops.h: JVMTI from a plain JNI library (jvmti_ops.c). Uses only tk_common.h. Includes
 * jvmti.h so that callers compare the returned codes with its JVMTI_ERROR_* names.
 */
#ifndef TK_JVMTI_OPS_H
#define TK_JVMTI_OPS_H

#include "tk_common.h"

#include <jvmti.h>

/* The lazily acquired environment; these return JVMTI error codes. */
int tk_jvmti_suspend(JNIEnv *env, jobject thread);
int tk_jvmti_resume(JNIEnv *env, jobject thread);
int tk_jvmti_stop(JNIEnv *env, jobject thread, jobject throwable);
/* The thread's Java frames, innermost first (GetStackTrace: a handshake with that thread alone,
 * never a safepoint): each frame's declaring class, method name and modifiers into the three
 * arrays, as many as they hold. Returns how many frames there were, up to one more than the arrays
 * hold (then the stack is deeper), or minus a JVMTI error code. */
int tk_jvmti_stack(JNIEnv *env, jobject thread, jobjectArray classes, jobjectArray names, jintArray modifiers);
int tk_jvmti_acquired(void);                  /* whether that environment exists */
const char *tk_jvmti_error_name(int err);

/* A system property as the VM holds it (JVMTI GetSystemProperty), read through a temporary
 * environment that is disposed of before returning. 1: copied into buf (empty when it does not
 * fit); 0: not set; -1: no JVMTI. */
int tk_jvmti_system_property(JNIEnv *env, const char *name, char *buf, size_t len);

#endif
