/*
 * tk_common.c: the portable half of the bottom layer: turning a message into a Java exception.
 * Uses nothing of ours but tk_strerror (os_linux.c / os_windows.c); the platform halves of the
 * helpers (clock, thread id, JVM symbols, lock) live in those two files.
 */
#include "tk_common.h"

#include <stdio.h>

void tk_vthrow(JNIEnv *env, const char *class_name, const char *suffix, const char *fmt, va_list ap) {
    char msg[768];
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    if (suffix != NULL && n >= 0 && (size_t) n < sizeof msg) {
        snprintf(msg + n, sizeof msg - (size_t) n, ": %s", suffix);
    }
    jclass cls = (*env)->FindClass(env, class_name);
    if (cls != NULL) (*env)->ThrowNew(env, cls, msg);
}

void tk_throw(JNIEnv *env, const char *class_name, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    tk_vthrow(env, class_name, NULL, fmt, ap);
    va_end(ap);
}

void tk_throw_errno(JNIEnv *env, const char *class_name, int err, const char *fmt, ...) {
    char buf[128];
    const char *text = tk_strerror(err, buf, sizeof buf);
    va_list ap;
    va_start(ap, fmt);
    tk_vthrow(env, class_name, text, fmt, ap);
    va_end(ap);
}
