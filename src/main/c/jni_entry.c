/*
 * jni_entry.c: the JNI boundary, and nothing else: JNI_OnLoad, the gate, and every native method of
 * org.threadkill.internal.Native, each defined once for all platforms. Where platforms differ, an
 * entry calls the kill mechanism (kill_mechanism.h) or the OS helpers (tk_common.h). The Java side
 * validates arguments; these functions assume a started, non-virtual platform thread and report
 * what they observed. Top layer: calls hotspot_threads, jvmti_ops and the mechanism; nothing calls
 * it.
 */
#include "tk_common.h"
#include "hotspot_threads.h"
#include "jvmti_ops.h"
#include "kill_mechanism.h"
#include "org_threadkill_internal_Native.h"

#include <string.h>

/* Every code shared with Java, checked against the macros javac -h generated from Native. */
#define TK_SAME(c, java) _Static_assert((c) == org_threadkill_internal_Native_##java, #c " != Native." #java)
TK_SAME(TK_MODE_ACK, MODE_ACK);
TK_SAME(TK_MODE_FREEZE, MODE_FREEZE);
TK_SAME(TK_MODE_EXIT, MODE_EXIT);
TK_SAME(TK_MODE_CANCEL, MODE_CANCEL);
TK_SAME(TK_KILL_STOPPED, KILL_STOPPED);
TK_SAME(TK_KILL_STILL_RUNNING, KILL_STILL_RUNNING);
TK_SAME(TK_KILL_TERMINATED, KILL_TERMINATED);
TK_SAME(TK_KILL_NOT_SAFE, KILL_NOT_SAFE);
TK_SAME(TK_KILL_NOT_DELIVERED, KILL_NOT_DELIVERED);
TK_SAME(TK_KILL_NO_SLOT, KILL_NO_SLOT);
TK_SAME(TK_OUT_STATUS, OUT_STATUS);
TK_SAME(TK_OUT_TID, OUT_TID);
TK_SAME(TK_OUT_STATE, OUT_STATE);
TK_SAME(TK_OUT_ENTERED_NS, OUT_ENTERED_NS);
TK_SAME(TK_OUT_STOPPED_NS, OUT_STOPPED_NS);
TK_SAME(TK_OUT_JAVA_THREAD, OUT_JAVA_THREAD);
TK_SAME(TK_OUT_PTHREAD, OUT_PTHREAD);
TK_SAME(TK_OUT_PIDFD, OUT_PIDFD);
TK_SAME(TK_OUT_REASON, OUT_REASON);
TK_SAME(TK_OUT_WHERE, OUT_WHERE);
TK_SAME(TK_OUT_CHECK_NS, OUT_CHECK_NS);
TK_SAME(TK_OUT_LEN, OUT_LEN);
TK_SAME(TK_MODE_FLAG_SUSPENDED, MODE_FLAG_SUSPENDED);
TK_SAME(TK_MODE_FLAG_LEAF_NATIVE, MODE_FLAG_LEAF_NATIVE);
TK_SAME(TK_UNSAFE_NONE, UNSAFE_NONE);
TK_SAME(TK_UNSAFE_STATE, UNSAFE_STATE);
TK_SAME(TK_UNSAFE_LIBC, UNSAFE_LIBC);
TK_SAME(TK_UNSAFE_LOADER, UNSAFE_LOADER);
TK_SAME(TK_UNSAFE_JVM, UNSAFE_JVM);
TK_SAME(TK_UNSAFE_RUNTIME, UNSAFE_RUNTIME);
TK_SAME(TK_UNSAFE_CRITICAL, UNSAFE_CRITICAL);
TK_SAME(TK_UNSAFE_STACK, UNSAFE_STACK);
TK_SAME(TK_STATE_UNKNOWN, STATE_UNKNOWN);
TK_SAME(TK_STATE_NEW, STATE_NEW);
TK_SAME(TK_STATE_IN_NATIVE, STATE_IN_NATIVE);
TK_SAME(TK_STATE_IN_VM, STATE_IN_VM);
TK_SAME(TK_STATE_IN_JAVA, STATE_IN_JAVA);
TK_SAME(TK_STATE_BLOCKED, STATE_BLOCKED);
TK_SAME(TK_STATE_IN_TRANSITION, STATE_IN_TRANSITION);
TK_SAME(JVMTI_ERROR_NONE, JVMTI_ERROR_NONE);
TK_SAME(JVMTI_ERROR_THREAD_NOT_ALIVE, JVMTI_ERROR_THREAD_NOT_ALIVE);
/* resolve0 fills its array by the javac macros themselves (no C copy of RESOLVE_*). */
_Static_assert(org_threadkill_internal_Native_RESOLVE_JAVA_THREAD < org_threadkill_internal_Native_RESOLVE_LEN
               && org_threadkill_internal_Native_RESOLVE_TID < org_threadkill_internal_Native_RESOLVE_LEN
               && org_threadkill_internal_Native_RESOLVE_PTHREAD < org_threadkill_internal_Native_RESOLVE_LEN
               && org_threadkill_internal_Native_RESOLVE_STATE < org_threadkill_internal_Native_RESOLVE_LEN,
               "Native.RESOLVE_* index beyond RESOLVE_LEN");
/* kill0 copies the mechanism's int64_t[] into a long[] as it is: the JNI types must have the sizes
 * Java gives them on every platform (on Windows, src/main/c/win/jni_md.h sees to it). */
_Static_assert(sizeof(jlong) == sizeof(int64_t) && sizeof(jint) == 4,
               "jlong must have 64 bits and jint 32 (Windows: src/main/c/win/jni_md.h must come first on the include path)");

#define GATE_PROPERTY "threadkill.allowNativeKill"

/* The opt-in, read once in JNI_OnLoad from the properties the JVM started with. Every destructive
 * entry point checks it, whoever calls it: Java's own copy (internal.Gate) is read from here. */
static int tk_gate_open;

/* jdk.internal.misc.VM.getSavedProperty: the system properties as they were when the JVM started,
 * before any application code ran (JNI does not check module access). 1: value copied into buf
 * (empty when it does not fit); 0: not set, or the call failed; -1: no such method in this JVM. */
static int saved_property(JNIEnv *env, const char *name, char *buf, size_t len) {
    jclass vm = (*env)->FindClass(env, "jdk/internal/misc/VM");
    if (vm == NULL) { (*env)->ExceptionClear(env); return -1; }
    jmethodID get = (*env)->GetStaticMethodID(env, vm, "getSavedProperty", "(Ljava/lang/String;)Ljava/lang/String;");
    if (get == NULL) { (*env)->ExceptionClear(env); (*env)->DeleteLocalRef(env, vm); return -1; }
    jstring key = (*env)->NewStringUTF(env, name);
    if (key == NULL) { (*env)->ExceptionClear(env); (*env)->DeleteLocalRef(env, vm); return 0; }
    jstring value = (jstring) (*env)->CallStaticObjectMethod(env, vm, get, key);
    int found = 0;
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
    } else if (value != NULL) {
        const char *v = (*env)->GetStringUTFChars(env, value, NULL);
        if (v != NULL) {
            size_t n = strlen(v);
            if (n < len) memcpy(buf, v, n + 1); else buf[0] = 0;
            found = 1;
            (*env)->ReleaseStringUTFChars(env, value, v);
        } else {
            (*env)->ExceptionClear(env);
        }
        (*env)->DeleteLocalRef(env, value);
    }
    (*env)->DeleteLocalRef(env, key);
    (*env)->DeleteLocalRef(env, vm);
    return found;
}

/* The startup value of a boolean property; JVMTI's copy of the VM's properties (a temporary
 * environment, disposed of at once) only on a JVM without VM.getSavedProperty. */
static int read_startup_flag(JNIEnv *env, const char *name) {
    char v[8];   /* long enough for "true"; a longer value is not true anyway */
    int r = saved_property(env, name, v, sizeof v);
    if (r < 0) r = tk_jvmti_system_property(env, name, v, sizeof v);
    if (r <= 0) return 0;
    return strcmp(v, "true") == 0 || strcmp(v, "TRUE") == 0 || strcmp(v, "True") == 0;
}

static int read_startup_gate(JNIEnv *env) {
    return read_startup_flag(env, GATE_PROPERTY);
}

/* The demonstration switch that turns the freeze's safe point off (never the default). */
#define UNCHECKED_FREEZE_PROPERTY "threadkill.demo.uncheckedFreeze"
static int tk_unchecked_freeze;

/* 1 when the gate is open; otherwise throws IllegalStateException naming what was refused. */
static int gate_allows(JNIEnv *env, const char *what) {
    if (tk_gate_open) return 1;
    tk_throw(env, "java/lang/IllegalStateException",
             "%s refused: the JVM did not start with -D" GATE_PROPERTY "=true", what);
    return 0;
}

/* ---- One threadkill per JVM, however many class loaders load it ----
 * Each class loader that loads threadkill's classes loads its own copy of this library (the Java
 * side copies the file out of the jar each time), with its own globals. What must be one per JVM
 * is kept by the oldest copy of this very build (tk_common.h: found and proven by its build-id):
 * the signal handler, its request slots and delivery, the freeze's code tables, the JVMTI
 * environment (HotSpot grants can_suspend to one environment only), and the Java objects of
 * jvmWide0. The entries that touch them run that copy's code, so every class loader
 * sees one handler (no false "not installed by threadkill") and one taint. Every copy still checks
 * its own gate first, read from the same startup properties. */
static intptr_t oldest_copy_offset;   /* 0: this copy is the oldest (or alone) */
static const char *join_problem;      /* why an older copy could not be joined, or NULL */
static int tk_loaded;                 /* set when JNI_OnLoad is done; read by later copies */

/* The same function in the oldest copy: this copy's own when it is the oldest. Only for static
 * functions: their address is taken relative to our own code, where an exported symbol's would be
 * read from the GOT, and so could be another object's (symbol interposition). */
#define IN_OLDEST(fn) ((__typeof__(&fn)) ((uintptr_t) &fn + (uintptr_t) oldest_copy_offset))

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
    tk_gate_open = read_startup_gate(env);
    tk_unchecked_freeze = read_startup_flag(env, UNCHECKED_FREEZE_PROPERTY);
    tk_mech_configure(tk_unchecked_freeze);
    (void) tk_vmstructs_init(env);   /* failure is reported by vmStructsProblem0 */
    if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
    oldest_copy_offset = tk_oldest_copy_offset(&tk_loaded, 5000000000LL, &join_problem);
    __atomic_store_n(&tk_loaded, 1, __ATOMIC_RELEASE);
    return JNI_VERSION_1_8;
}

/* ---- What runs in the oldest copy (IN_OLDEST), called by the entries below ---- */

/* The JVM-wide Java state (internal.JvmWide): the first candidate offered in this JVM; only JDK
 * types in it, so no class loader is kept alive by another's threadkill. */
static jobject jvm_wide;

static jobject keep_jvm_wide(JNIEnv *env, jobject candidate) {
    tk_lock();
    if (jvm_wide == NULL && candidate != NULL) jvm_wide = (*env)->NewGlobalRef(env, candidate);
    jobject kept = jvm_wide;
    tk_unlock();
    return kept == NULL ? NULL : (*env)->NewLocalRef(env, kept);
}

static jstring describe_code(JNIEnv *env, jlong address) {
    char buf[256];
    tk_mech_describe((uintptr_t) address, buf, sizeof buf);
    return (*env)->NewStringUTF(env, buf);
}

static void install_signal(JNIEnv *env, jint sig) {
    tk_mech_install(env, sig);
}

static void kill_thread(JNIEnv *env, jobject thread, jint mode, jlong wait_nanos, jint fallback_tid, jlongArray out) {
    int64_t v[TK_OUT_LEN];
    memset(v, 0, sizeof v);
    tk_mech_kill(env, thread, mode, wait_nanos, fallback_tid, v);
    if ((*env)->ExceptionCheck(env)) return;
    (*env)->SetLongArrayRegion(env, out, 0, TK_OUT_LEN, (const jlong *) v);
}

static jint stop_thread(JNIEnv *env, jobject thread, jobject throwable) {
    return tk_jvmti_stop(env, thread, throwable);
}

static jint stack_of(JNIEnv *env, jobject thread, jobjectArray classes, jobjectArray names, jintArray modifiers) {
    return tk_jvmti_stack(env, thread, classes, names, modifiers);
}

static jint suspend_thread(JNIEnv *env, jobject thread) {
    return tk_jvmti_suspend(env, thread);
}

static jint resume_thread(JNIEnv *env, jobject thread) {
    return tk_jvmti_resume(env, thread);
}

static jboolean jvmti_acquired(void) {
    return tk_jvmti_acquired() ? JNI_TRUE : JNI_FALSE;
}

static jlong stray_signals(void) {
    return (jlong) tk_mech_stray_signals();
}

static jstring delivery(JNIEnv *env) {
    return (*env)->NewStringUTF(env, tk_mech_delivery());
}

/* ---- The entries ---- */

JNIEXPORT jobject JNICALL Java_org_threadkill_internal_Native_jvmWide0(JNIEnv *env, jclass cls, jobject candidate) {
    (void) cls;
    return IN_OLDEST(keep_jvm_wide)(env, candidate);
}

JNIEXPORT jstring JNICALL Java_org_threadkill_internal_Native_copies0(JNIEnv *env, jclass cls) {
    (void) cls;
    if (join_problem != NULL) return (*env)->NewStringUTF(env, join_problem);
    return (*env)->NewStringUTF(env, oldest_copy_offset != 0 ? "joined the oldest copy" : "the oldest copy");
}

JNIEXPORT jboolean JNICALL Java_org_threadkill_internal_Native_gateOpen0(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return tk_gate_open ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jboolean JNICALL Java_org_threadkill_internal_Native_uncheckedFreeze0(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return tk_unchecked_freeze ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jstring JNICALL Java_org_threadkill_internal_Native_codeAt0(JNIEnv *env, jclass cls, jlong address) {
    (void) cls;
    return IN_OLDEST(describe_code)(env, address);
}

JNIEXPORT jstring JNICALL Java_org_threadkill_internal_Native_vmStructsProblem0(JNIEnv *env, jclass cls) {
    (void) cls;
    const char *p = tk_vmstructs_problem();
    return p == NULL ? NULL : (*env)->NewStringUTF(env, p);
}

JNIEXPORT jint JNICALL Java_org_threadkill_internal_Native_signalRange0(JNIEnv *env, jclass cls, jboolean max) {
    (void) env; (void) cls;
    return tk_mech_signal_range(max);
}

JNIEXPORT void JNICALL Java_org_threadkill_internal_Native_installSignal0(JNIEnv *env, jclass cls, jint sig) {
    (void) cls;
    if (!gate_allows(env, "installing the kill signal handler")) return;
    IN_OLDEST(install_signal)(env, sig);
}

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
    jlong v[org_threadkill_internal_Native_RESOLVE_LEN];
    memset(v, 0, sizeof v);
    v[org_threadkill_internal_Native_RESOLVE_JAVA_THREAD] = ids.java_thread;
    v[org_threadkill_internal_Native_RESOLVE_TID] = ids.tid;
    v[org_threadkill_internal_Native_RESOLVE_PTHREAD] = (jlong) ids.pthread;
    v[org_threadkill_internal_Native_RESOLVE_STATE] = ids.state;
    (*env)->SetLongArrayRegion(env, out, 0, org_threadkill_internal_Native_RESOLVE_LEN, v);
    return JNI_TRUE;
}

JNIEXPORT jlong JNICALL Java_org_threadkill_internal_Native_javaThread0(JNIEnv *env, jclass cls, jobject thread) {
    (void) cls;
    return tk_eetop(env, thread);
}

JNIEXPORT void JNICALL Java_org_threadkill_internal_Native_kill0(JNIEnv *env, jclass cls, jobject thread, jint mode,
                                                             jlong wait_nanos, jint fallback_tid, jlongArray out) {
    (void) cls;
    if (!gate_allows(env, "a native kill")) return;
    IN_OLDEST(kill_thread)(env, thread, mode, wait_nanos, fallback_tid, out);
}

JNIEXPORT jint JNICALL Java_org_threadkill_internal_Native_stop0(JNIEnv *env, jclass cls, jobject thread,
                                                             jobject throwable) {
    (void) cls;
    return IN_OLDEST(stop_thread)(env, thread, throwable);
}

JNIEXPORT jint JNICALL Java_org_threadkill_internal_Native_stack0(JNIEnv *env, jclass cls, jobject thread,
                                                              jobjectArray classes, jobjectArray names,
                                                              jintArray modifiers) {
    (void) cls;
    if (!gate_allows(env, "a JVMTI stack walk")) return 0;
    return IN_OLDEST(stack_of)(env, thread, classes, names, modifiers);
}

JNIEXPORT jstring JNICALL Java_org_threadkill_internal_Native_jvmtiErrorName0(JNIEnv *env, jclass cls, jint err) {
    (void) cls;
    return (*env)->NewStringUTF(env, tk_jvmti_error_name(err));
}

/* ---- for Diagnostics only (tests and benchmarks) ---- */

JNIEXPORT jint JNICALL Java_org_threadkill_internal_Native_currentTid0(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return (jint) tk_current_tid();
}

JNIEXPORT jint JNICALL Java_org_threadkill_internal_Native_suspend0(JNIEnv *env, jclass cls, jobject thread) {
    (void) cls;
    if (!gate_allows(env, "JVMTI SuspendThread")) return 0;
    return IN_OLDEST(suspend_thread)(env, thread);
}

JNIEXPORT jint JNICALL Java_org_threadkill_internal_Native_resume0(JNIEnv *env, jclass cls, jobject thread) {
    (void) cls;
    if (!gate_allows(env, "JVMTI ResumeThread")) return 0;
    return IN_OLDEST(resume_thread)(env, thread);
}

JNIEXPORT jboolean JNICALL Java_org_threadkill_internal_Native_jvmtiAcquired0(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return IN_OLDEST(jvmti_acquired)();
}

JNIEXPORT jlong JNICALL Java_org_threadkill_internal_Native_straySignals0(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return IN_OLDEST(stray_signals)();
}

JNIEXPORT jstring JNICALL Java_org_threadkill_internal_Native_delivery0(JNIEnv *env, jclass cls) {
    (void) cls;
    return IN_OLDEST(delivery)(env);
}
