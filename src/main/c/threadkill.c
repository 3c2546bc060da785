/*
 * JNI entry points of org.threadkill.internal.Native (Linux, macOS-like POSIX) and the helpers
 * every C file shares. The Java side validates arguments; these functions assume a started,
 * non-virtual platform thread and report what they observed. On Windows the entry points that
 * involve signals or thread ids live in win_kill.c instead.
 */
#define _GNU_SOURCE
#include "threadkill.h"
#include "org_threadkill_internal_Native.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int tk_signal_install(JNIEnv *env, int sig);
int tk_signal_number(void);
uint64_t tk_stray_signals(void);
#endif

JavaVM *tk_vm;

/* The opt-in, read once in JNI_OnLoad from the properties the JVM started with. Every destructive
 * entry point checks it, whoever calls it: Java's own copy (internal.Gate) is read from here. */
static int tk_gate_open;

/* jdk.internal.misc.VM.getSavedProperty: the system properties as they were when the JVM started,
 * before any application code ran (JNI does not check module access). */
static int read_startup_gate(JNIEnv *env) {
    jclass vm = (*env)->FindClass(env, "jdk/internal/misc/VM");
    if (vm == NULL) { (*env)->ExceptionClear(env); return 0; }
    jmethodID get = (*env)->GetStaticMethodID(env, vm, "getSavedProperty", "(Ljava/lang/String;)Ljava/lang/String;");
    if (get == NULL) { (*env)->ExceptionClear(env); (*env)->DeleteLocalRef(env, vm); return 0; }
    jstring key = (*env)->NewStringUTF(env, "threadkill.allowNativeKill");
    if (key == NULL) { (*env)->ExceptionClear(env); (*env)->DeleteLocalRef(env, vm); return 0; }
    jstring value = (jstring) (*env)->CallStaticObjectMethod(env, vm, get, key);
    int open = 0;
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
    } else if (value != NULL) {
        const char *v = (*env)->GetStringUTFChars(env, value, NULL);
        if (v != NULL) {
            open = strcmp(v, "true") == 0 || strcmp(v, "TRUE") == 0 || strcmp(v, "True") == 0;
            (*env)->ReleaseStringUTFChars(env, value, v);
        } else {
            (*env)->ExceptionClear(env);
        }
        (*env)->DeleteLocalRef(env, value);
    }
    (*env)->DeleteLocalRef(env, key);
    (*env)->DeleteLocalRef(env, vm);
    return open;
}

/* 1 when the gate is open; otherwise throws IllegalStateException naming what was refused. */
static int gate_allows(JNIEnv *env, const char *what) {
    if (tk_gate_open) return 1;
    tk_throw(env, "java/lang/IllegalStateException",
             "%s refused: the JVM did not start with -Dthreadkill.allowNativeKill=true", what);
    return 0;
}

static void vthrow(JNIEnv *env, const char *class_name, const char *suffix, const char *fmt, va_list ap) {
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
    vthrow(env, class_name, NULL, fmt, ap);
    va_end(ap);
}

void tk_throw_errno(JNIEnv *env, const char *class_name, int err, const char *fmt, ...) {
    char buf[128];
#ifdef _WIN32
    const char *text = strerror_s(buf, sizeof buf, err) == 0 ? buf : "unknown error";
#else
    const char *text = strerror_r(err, buf, sizeof buf);
#endif
    va_list ap;
    va_start(ap, fmt);
    vthrow(env, class_name, text, fmt, ap);
    va_end(ap);
}

#ifdef _WIN32
void tk_throw_win32(JNIEnv *env, const char *class_name, unsigned long err, const char *fmt, ...) {
    char text[256];
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD) err,
                             MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), text, sizeof text, NULL);
    while (n > 0 && (text[n - 1] == '\r' || text[n - 1] == '\n' || text[n - 1] == ' ' || text[n - 1] == '.')) n--;
    if (n == 0) {
        snprintf(text, sizeof text, "Windows error %lu", err);
    } else {
        text[n] = 0;
        snprintf(text + n, sizeof text - n, " (error %lu)", err);
    }
    va_list ap;
    va_start(ap, fmt);
    vthrow(env, class_name, text, fmt, ap);
    va_end(ap);
}

int64_t tk_now_ns(void) {
    static LARGE_INTEGER freq;   /* fixed at boot; reading it twice in a race is harmless */
    LARGE_INTEGER now;
    if (freq.QuadPart == 0) QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&now);
    /* split so that counter * 1e9 cannot overflow */
    return (now.QuadPart / freq.QuadPart) * 1000000000
           + (now.QuadPart % freq.QuadPart) * 1000000000 / freq.QuadPart;
}
#else
int64_t tk_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}
#endif

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
    tk_vm = vm;
    tk_gate_open = read_startup_gate(env);
    (void) tk_vmstructs_init(env);   /* failure is reported by vmStructsProblem0 */
    if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
    return JNI_VERSION_1_8;
}

JNIEXPORT jboolean JNICALL Java_org_threadkill_internal_Native_gateOpen0(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return tk_gate_open ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jstring JNICALL Java_org_threadkill_internal_Native_vmStructsProblem0(JNIEnv *env, jclass cls) {
    (void) cls;
    const char *p = tk_vmstructs_problem();
    return p == NULL ? NULL : (*env)->NewStringUTF(env, p);
}

#ifndef _WIN32   /* Windows: win_kill.c */
JNIEXPORT jint JNICALL Java_org_threadkill_internal_Native_signalRange0(JNIEnv *env, jclass cls, jboolean max) {
    (void) env; (void) cls;
    return max ? SIGRTMAX : SIGRTMIN;
}

JNIEXPORT void JNICALL Java_org_threadkill_internal_Native_installSignal0(JNIEnv *env, jclass cls, jint sig) {
    (void) cls;
    if (!gate_allows(env, "installing the kill signal handler")) return;
    tk_signal_install(env, sig);
}
#endif

JNIEXPORT jboolean JNICALL Java_org_threadkill_internal_Native_resolve0(JNIEnv *env, jclass cls, jobject thread,
                                                                    jlongArray out) {
    (void) cls;
    struct tk_thread_ids ids;
    int r = tk_resolve(env, thread, &ids);
    if (r < 0) {
        tk_throw(env, "java/lang/UnsupportedOperationException", "vmStructs unavailable: %s",
                 tk_vmstructs_problem());
        return JNI_FALSE;
    }
    if (r == 0) return JNI_FALSE;
    jlong v[4] = { ids.java_thread, ids.tid, (jlong) ids.pthread, ids.state };
    (*env)->SetLongArrayRegion(env, out, 0, 4, v);
    return JNI_TRUE;
}

JNIEXPORT jlong JNICALL Java_org_threadkill_internal_Native_javaThread0(JNIEnv *env, jclass cls, jobject thread) {
    (void) cls;
    return tk_eetop(env, thread);
}

#ifndef _WIN32   /* Windows: win_kill.c */
JNIEXPORT jint JNICALL Java_org_threadkill_internal_Native_currentTid0(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return (jint) syscall(SYS_gettid);
}

#endif

JNIEXPORT void JNICALL Java_org_threadkill_internal_Native_kill0(JNIEnv *env, jclass cls, jobject thread, jint mode,
                                                             jlong wait_nanos, jint fallback_tid, jlongArray out) {
    (void) cls;
    if (!gate_allows(env, "a native kill")) return;
    int64_t v[TK_OUT_LEN];
    memset(v, 0, sizeof v);
    tk_platform_kill(env, thread, mode, wait_nanos, fallback_tid, v);
    if ((*env)->ExceptionCheck(env)) return;
    (*env)->SetLongArrayRegion(env, out, 0, TK_OUT_LEN, (const jlong *) v);
}

JNIEXPORT jint JNICALL Java_org_threadkill_internal_Native_stop0(JNIEnv *env, jclass cls, jobject thread,
                                                             jobject throwable) {
    (void) cls;
    return tk_jvmti_stop(env, thread, throwable);
}

JNIEXPORT jint JNICALL Java_org_threadkill_internal_Native_suspend0(JNIEnv *env, jclass cls, jobject thread) {
    (void) cls;
    if (!gate_allows(env, "JVMTI SuspendThread")) return 0;
    return tk_jvmti_suspend(env, thread);
}

JNIEXPORT jint JNICALL Java_org_threadkill_internal_Native_resume0(JNIEnv *env, jclass cls, jobject thread) {
    (void) cls;
    if (!gate_allows(env, "JVMTI ResumeThread")) return 0;
    return tk_jvmti_resume(env, thread);
}

JNIEXPORT jboolean JNICALL Java_org_threadkill_internal_Native_jvmtiAcquired0(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return tk_jvmti_acquired() ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jstring JNICALL Java_org_threadkill_internal_Native_jvmtiErrorName0(JNIEnv *env, jclass cls, jint err) {
    (void) cls;
    return (*env)->NewStringUTF(env, tk_jvmti_error_name(err));
}

#ifndef _WIN32   /* Windows: win_kill.c */
JNIEXPORT jlong JNICALL Java_org_threadkill_internal_Native_straySignals0(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return (jlong) tk_stray_signals();
}
#endif


