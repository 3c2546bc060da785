/*
 * hotspot_threads.c: finding the OS thread behind a java.lang.Thread without its cooperation,
 * through HotSpot's vmStructs. Platform-neutral: libjvm's symbols come from tk_jvm_symbol.
 *
 * java.lang.Thread.eetop holds the address of HotSpot's JavaThread. The offsets of the fields we
 * need inside it come from the tables libjvm exports for the serviceability agent
 * (gHotSpotVMStructs and gHotSpotVMIntConstants), read once: nothing is hard-coded, so a field that
 * moved between releases (_osthread lives in JavaThread on 17/21 and in Thread on 25) is found
 * wherever it is.
 *
 * A JavaThread is freed when its thread exits, and Thread.eetop is cleared before that happens.
 * Every read below therefore sits between two reads of eetop: a value is used only if eetop still
 * held the same JavaThread after it was read, i.e. the memory was live when we read it.
 */
#include "hotspot_threads.h"

#include <string.h>
#include <stdio.h>

static struct {
    int ready;
    const char *problem;
    int osthread_offset;   /* in JavaThread (17/21) or Thread (25): same object either way */
    int tid_offset;        /* OSThread::_thread_id */
    int pthread_offset;    /* OSThread::_pthread_id (POSIX) or ::_thread_handle (Windows), or -1 */
    int state_offset;      /* JavaThread::_thread_state */
    int64_t java_thread_size;  /* sizeof(JavaThread), from gHotSpotVMTypes; 0 if unknown */
    int stack_base_offset;     /* JavaThread::_stack_base (highest address), or -1 */
    int stack_size_offset;     /* JavaThread::_stack_size, or -1 */
    int last_java_sp_offset;   /* JavaThread::_anchor + JavaFrameAnchor::_last_Java_sp, or -1 */
    int critical_offset;       /* the JNI critical-region count, found by calibration; -1: none */
    int critical_calibrated;   /* 0 not yet, 1 done (critical_offset may still be -1: the GC pins) */
    int st_new, st_new_trans, st_native, st_native_trans, st_vm, st_vm_trans;
    int st_java, st_java_trans, st_blocked, st_blocked_trans;
} vm = { .problem = "vmStructs not read yet" };

static jfieldID eetop_field;

static int read_u64_symbol(JNIEnv *env, const char *name, uint64_t *out) {
    uint64_t *p = (uint64_t *) tk_jvm_symbol(env, name);
    if (p == NULL) return -1;
    *out = *p;
    return 0;
}

struct struct_table {
    const char *base;
    uint64_t type_name, field_name, is_static, offset, stride;
};

static int find_field(const struct struct_table *t, const char *type, const char *field) {
    for (const char *e = t->base;; e += t->stride) {
        const char *tn = *(const char *const *) (e + t->type_name);
        const char *fn = *(const char *const *) (e + t->field_name);
        if (tn == NULL) return -1;                /* the table ends with an all-NULL entry */
        if (fn == NULL || *(const int32_t *) (e + t->is_static)) continue;
        if (strcmp(tn, type) == 0 && strcmp(fn, field) == 0) {
            return (int) *(const uint64_t *) (e + t->offset);
        }
    }
}

struct const_table {
    const char *base;
    uint64_t name, value, stride;
};

static int find_constant(const struct const_table *t, const char *name, int *out) {
    for (const char *e = t->base;; e += t->stride) {
        const char *n = *(const char *const *) (e + t->name);
        if (n == NULL) return -1;
        if (strcmp(n, name) == 0) {
            *out = *(const int32_t *) (e + t->value);
            return 0;
        }
    }
}

int tk_vmstructs_init(JNIEnv *env) {
    static char problem[256];
    jclass thread_class = (*env)->FindClass(env, "java/lang/Thread");
    if (thread_class == NULL) return -1;
    eetop_field = (*env)->GetFieldID(env, thread_class, "eetop", "J");
    (*env)->DeleteLocalRef(env, thread_class);
    if (eetop_field == NULL) {
        (*env)->ExceptionClear(env);
        vm.problem = "java.lang.Thread has no eetop field in this JVM";
        return -1;
    }

    struct struct_table st;
    uint64_t entries;
    const char *missing = NULL;
    if (read_u64_symbol(env, "gHotSpotVMStructEntryTypeNameOffset", &st.type_name)) missing = "gHotSpotVMStructEntryTypeNameOffset";
    else if (read_u64_symbol(env, "gHotSpotVMStructEntryFieldNameOffset", &st.field_name)) missing = "gHotSpotVMStructEntryFieldNameOffset";
    else if (read_u64_symbol(env, "gHotSpotVMStructEntryIsStaticOffset", &st.is_static)) missing = "gHotSpotVMStructEntryIsStaticOffset";
    else if (read_u64_symbol(env, "gHotSpotVMStructEntryOffsetOffset", &st.offset)) missing = "gHotSpotVMStructEntryOffsetOffset";
    else if (read_u64_symbol(env, "gHotSpotVMStructEntryArrayStride", &st.stride)) missing = "gHotSpotVMStructEntryArrayStride";
    else if (read_u64_symbol(env, "gHotSpotVMStructs", &entries)) missing = "gHotSpotVMStructs";
    if (missing != NULL) {
        snprintf(problem, sizeof problem, "libjvm exports no %s (not HotSpot?)", missing);
        vm.problem = problem;
        return -1;
    }
    st.base = (const char *) (uintptr_t) entries;

    struct const_table ct;
    if (read_u64_symbol(env, "gHotSpotVMIntConstantEntryNameOffset", &ct.name)
        || read_u64_symbol(env, "gHotSpotVMIntConstantEntryValueOffset", &ct.value)
        || read_u64_symbol(env, "gHotSpotVMIntConstantEntryArrayStride", &ct.stride)
        || read_u64_symbol(env, "gHotSpotVMIntConstants", &entries)) {
        vm.problem = "libjvm exports no gHotSpotVMIntConstants table";
        return -1;
    }
    ct.base = (const char *) (uintptr_t) entries;

    uint64_t type_name_off, type_size_off, type_stride, types;
    if (read_u64_symbol(env, "gHotSpotVMTypeEntryTypeNameOffset", &type_name_off) == 0
        && read_u64_symbol(env, "gHotSpotVMTypeEntrySizeOffset", &type_size_off) == 0
        && read_u64_symbol(env, "gHotSpotVMTypeEntryArrayStride", &type_stride) == 0
        && read_u64_symbol(env, "gHotSpotVMTypes", &types) == 0) {
        for (const char *e = (const char *) (uintptr_t) types;; e += type_stride) {
            const char *tn = *(const char *const *) (e + type_name_off);
            if (tn == NULL) break;
            if (strcmp(tn, "JavaThread") == 0) {
                vm.java_thread_size = (int64_t) *(const uint64_t *) (e + type_size_off);
                break;
            }
        }
    }

    vm.osthread_offset = find_field(&st, "JavaThread", "_osthread");
    if (vm.osthread_offset < 0) vm.osthread_offset = find_field(&st, "Thread", "_osthread");
    vm.tid_offset = find_field(&st, "OSThread", "_thread_id");
    /* The platform's own handle: reported, never used to act (on Windows HotSpot's HANDLE is
     * closed when the thread ends, and may be reused; kill_windows.c opens a handle of its own). */
    vm.pthread_offset = find_field(&st, "OSThread", tk_osthread_handle_field);
    vm.state_offset = find_field(&st, "JavaThread", "_thread_state");
    vm.stack_base_offset = find_field(&st, "JavaThread", "_stack_base");
    if (vm.stack_base_offset < 0) vm.stack_base_offset = find_field(&st, "Thread", "_stack_base");
    vm.stack_size_offset = find_field(&st, "JavaThread", "_stack_size");
    if (vm.stack_size_offset < 0) vm.stack_size_offset = find_field(&st, "Thread", "_stack_size");
    int anchor = find_field(&st, "JavaThread", "_anchor");
    int last_sp = find_field(&st, "JavaFrameAnchor", "_last_Java_sp");
    vm.last_java_sp_offset = anchor >= 0 && last_sp >= 0 ? anchor + last_sp : -1;
    vm.critical_offset = -1;
    if (vm.osthread_offset < 0 || vm.tid_offset < 0 || vm.state_offset < 0) {
        snprintf(problem, sizeof problem,
                 "vmStructs lacks a field: _osthread@%d OSThread::_thread_id@%d JavaThread::_thread_state@%d",
                 vm.osthread_offset, vm.tid_offset, vm.state_offset);
        vm.problem = problem;
        return -1;
    }
    if (find_constant(&ct, "_thread_new", &vm.st_new)
        || find_constant(&ct, "_thread_new_trans", &vm.st_new_trans)
        || find_constant(&ct, "_thread_in_native", &vm.st_native)
        || find_constant(&ct, "_thread_in_native_trans", &vm.st_native_trans)
        || find_constant(&ct, "_thread_in_vm", &vm.st_vm)
        || find_constant(&ct, "_thread_in_vm_trans", &vm.st_vm_trans)
        || find_constant(&ct, "_thread_in_Java", &vm.st_java)
        || find_constant(&ct, "_thread_in_Java_trans", &vm.st_java_trans)
        || find_constant(&ct, "_thread_blocked", &vm.st_blocked)
        || find_constant(&ct, "_thread_blocked_trans", &vm.st_blocked_trans)) {
        vm.problem = "vmStructs lacks the JavaThreadState constants";
        return -1;
    }
    vm.problem = NULL;
    vm.ready = 1;
    return 0;
}

const char *tk_vmstructs_problem(void) {
    return vm.problem;
}

int64_t tk_eetop(JNIEnv *env, jobject thread) {
    return (int64_t) (*env)->GetLongField(env, thread, eetop_field);
}

static int32_t map_state(int raw) {
    if (raw == vm.st_native) return TK_STATE_IN_NATIVE;
    if (raw == vm.st_java) return TK_STATE_IN_JAVA;
    if (raw == vm.st_blocked) return TK_STATE_BLOCKED;
    if (raw == vm.st_vm) return TK_STATE_IN_VM;
    if (raw == vm.st_new) return TK_STATE_NEW;
    if (raw == vm.st_native_trans || raw == vm.st_java_trans || raw == vm.st_blocked_trans
        || raw == vm.st_vm_trans || raw == vm.st_new_trans) return TK_STATE_IN_TRANSITION;
    return TK_STATE_UNKNOWN;
}

int32_t tk_read_state(int64_t java_thread) {
    if (!vm.ready || java_thread == 0) return TK_STATE_UNKNOWN;
    int raw = __atomic_load_n((const int *) (uintptr_t) (java_thread + vm.state_offset), __ATOMIC_ACQUIRE);
    return map_state(raw);
}

int tk_resolve(JNIEnv *env, jobject thread, struct tk_thread_ids *out) {
    if (!vm.ready) return -1;
    int64_t jt = tk_eetop(env, thread);
    if (jt == 0) return 0;
    /* Acquire loads: nothing read later may be satisfied before these, so a re-read of eetop
     * that still sees jt proves the memory was live when these were read. */
    const char *osthread = __atomic_load_n((const char *const *) (uintptr_t) (jt + vm.osthread_offset), __ATOMIC_ACQUIRE);
    int raw_state = __atomic_load_n((const int *) (uintptr_t) (jt + vm.state_offset), __ATOMIC_ACQUIRE);
    if (tk_eetop(env, thread) != jt) return 0;
    if (osthread == NULL || ((uintptr_t) osthread & (sizeof(void *) - 1)) != 0) return 0;
    int32_t tid = __atomic_load_n((const int32_t *) (osthread + vm.tid_offset), __ATOMIC_ACQUIRE);
    uint64_t pthread = vm.pthread_offset < 0 ? 0
        : __atomic_load_n((const uint64_t *) (osthread + vm.pthread_offset), __ATOMIC_ACQUIRE);
    if (tk_eetop(env, thread) != jt) return 0;
    out->java_thread = jt;
    out->tid = tid;
    out->pthread = pthread;
    out->state = map_state(raw_state);
    return 1;
}

/*
 * Is the futex word a thread sleeps on one that belongs to that thread alone? A thread frozen
 * inside pthread_cond_wait never leaves the condition variable's waiter group, and glibc makes the
 * next broadcast or group switch wait for it forever: freezing it in a wait on a shared monitor of
 * the VM would hang everybody who uses that monitor. The per-thread waits are on objects that live
 * in the JavaThread (its handshake/suspend monitor, its Parker) or that one of its fields points to
 * (its ParkEvents, used by sleep, wait and monitor enter). The JavaThread must be held (suspended).
 */
int tk_is_own_wait(int64_t java_thread, uintptr_t futex) {
    if (!vm.ready || java_thread == 0 || vm.java_thread_size <= 0) return 0;
    uintptr_t base = (uintptr_t) java_thread;
    uintptr_t end = base + (uintptr_t) vm.java_thread_size;
    if (futex >= base && futex < end) return 1;
    const size_t event_span = 512;   /* a ParkEvent/Parker: a mutex and two condition variables */
    for (uintptr_t p = base; p + sizeof(uintptr_t) <= end; p += sizeof(uintptr_t)) {
        uintptr_t target = *(const uintptr_t *) p;
        if (target != 0 && futex >= target && futex < target + event_span) return 1;
    }
    return 0;
}

int tk_resolve_or_fallback(JNIEnv *env, jobject thread, int32_t fallback_tid, struct tk_thread_ids *out) {
    int r = tk_resolve(env, thread, out);
    if (r >= 0) return r;
    out->java_thread = tk_eetop(env, thread);
    out->tid = fallback_tid;
    out->pthread = 0;
    out->state = TK_STATE_UNKNOWN;
    return out->java_thread != 0 && fallback_tid > 0;
}

int tk_thread_stack(int64_t java_thread, uintptr_t *lo, uintptr_t *hi, uintptr_t *last_java_sp) {
    if (!vm.ready || java_thread == 0 || vm.stack_base_offset < 0 || vm.stack_size_offset < 0) return -1;
    uintptr_t base = *(const uintptr_t *) (uintptr_t) (java_thread + vm.stack_base_offset);
    size_t size = *(const size_t *) (uintptr_t) (java_thread + vm.stack_size_offset);
    if (base == 0 || size == 0 || size > base) return -1;
    *hi = base;
    *lo = base - size;
    *last_java_sp = vm.last_java_sp_offset < 0 ? 0
        : __atomic_load_n((const uintptr_t *) (uintptr_t) (java_thread + vm.last_java_sp_offset), __ATOMIC_ACQUIRE);
    return 0;
}

/*
 * HotSpot counts the JNI critical regions a thread is in (JavaThread::_jni_active_critical), and a
 * GC that locks critical regions out (GCLocker: every GC of JDK 17; Serial and Parallel on 25) waits
 * until that count is back at zero: a thread frozen inside a region stops every later GC. The
 * count is not in vmStructs, so we find it on our own thread: the int field of our JavaThread that
 * goes 0, 1, 2, 1, 0 while we enter two nested regions and leave them. A GC that pins regions
 * instead (G1 on JDK 22+) does not count them per thread: then no field moves, and a frozen
 * region only pins its array (observed harmless, docs/WARNINGS.md).
 */
void tk_calibrate_critical(JNIEnv *env) {
    if (vm.critical_calibrated || !vm.ready || vm.java_thread_size <= 0) return;
    jclass thread_class = (*env)->FindClass(env, "java/lang/Thread");
    if (thread_class == NULL) { (*env)->ExceptionClear(env); return; }
    jmethodID current = (*env)->GetStaticMethodID(env, thread_class, "currentThread", "()Ljava/lang/Thread;");
    jobject self = current == NULL ? NULL : (*env)->CallStaticObjectMethod(env, thread_class, current);
    (*env)->DeleteLocalRef(env, thread_class);
    if (self == NULL) { (*env)->ExceptionClear(env); return; }
    int64_t jt = tk_eetop(env, self);
    (*env)->DeleteLocalRef(env, self);
    jintArray array = (*env)->NewIntArray(env, 1);
    if (jt == 0 || array == NULL) { (*env)->ExceptionClear(env); return; }
    size_t words = (size_t) vm.java_thread_size / sizeof(int32_t);
    const int32_t *fields = (const int32_t *) (uintptr_t) jt;   /* our own JavaThread: alive while we run */
    enum { STEPS = 5 };
    static int32_t snap[STEPS][4096];   /* a JavaThread is about 1.4 KiB (17) to 2.2 KiB (25) */
    if (words > 4096) return;
    void *outer, *inner;
    memcpy(snap[0], fields, words * sizeof(int32_t));
    outer = (*env)->GetPrimitiveArrayCritical(env, array, NULL);
    memcpy(snap[1], fields, words * sizeof(int32_t));
    inner = (*env)->GetPrimitiveArrayCritical(env, array, NULL);
    memcpy(snap[2], fields, words * sizeof(int32_t));
    if (inner != NULL) (*env)->ReleasePrimitiveArrayCritical(env, array, inner, JNI_ABORT);
    memcpy(snap[3], fields, words * sizeof(int32_t));
    if (outer != NULL) (*env)->ReleasePrimitiveArrayCritical(env, array, outer, JNI_ABORT);
    memcpy(snap[4], fields, words * sizeof(int32_t));
    (*env)->DeleteLocalRef(env, array);
    int found = -1, candidates = 0;
    for (size_t i = 0; i < words; i++) {
        if (snap[0][i] == 0 && snap[1][i] == 1 && snap[2][i] == 2 && snap[3][i] == 1 && snap[4][i] == 0) {
            found = (int) (i * sizeof(int32_t));
            candidates++;
        }
    }
    vm.critical_offset = candidates == 1 ? found : -1;
    vm.critical_calibrated = candidates <= 1 ? 1 : -1;   /* -1: ambiguous, cannot tell */
}

int tk_jni_critical(int64_t java_thread) {
    if (vm.critical_calibrated != 1) return -1;
    if (vm.critical_offset < 0) return 0;   /* the GC pins instead of counting */
    return __atomic_load_n((const int32_t *) (uintptr_t) (java_thread + vm.critical_offset), __ATOMIC_ACQUIRE) > 0;
}
