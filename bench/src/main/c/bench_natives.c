/*
 * Victims for the benchmark harness (class org.threadkill.bench.BenchNatives): a thread that spins
 * or blocks inside one native call, optionally behind a gate so that a child JVM can create all its
 * victims before the first kill (a NATIVE_EXIT victim's stack is recycled by the next new thread).
 * Per-victim slots, so that one victim can be released without releasing the others.
 */
#define _GNU_SOURCE
#include <jni.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SLOTS 8192

/* One cache line per slot: a spinner must not slow the killer by sharing its line. */
struct slot {
    volatile int64_t counter;
    volatile int32_t release;
    volatile int32_t phase;   /* 1: past the gate, about to spin or block */
    volatile int32_t tid;
    char pad[64 - 20];
};
static struct slot slots[SLOTS];

static int valid(jint s) { return s >= 0 && s < SLOTS; }

static void pass_gate(jint gate_fd) {
    if (gate_fd < 0) return;
    char c;
    while (read(gate_fd, &c, 1) < 0 && errno == EINTR) {}
}

JNIEXPORT void JNICALL Java_org_threadkill_bench_BenchNatives_spin(JNIEnv *env, jclass cls, jint slot, jint gate_fd) {
    (void) env; (void) cls;
    if (!valid(slot)) return;
    struct slot *s = &slots[slot];
    s->tid = (int32_t) syscall(SYS_gettid);
    pass_gate(gate_fd);
    s->phase = 1;
    while (!s->release) s->counter++;
}

/* Blocks in read(2) on block_fd (after the gate); returns bytes read or -errno. */
JNIEXPORT jlong JNICALL Java_org_threadkill_bench_BenchNatives_blockingRead(JNIEnv *env, jclass cls, jint slot,
                                                                         jint gate_fd, jint block_fd) {
    (void) env; (void) cls;
    if (!valid(slot)) return -EINVAL;
    struct slot *s = &slots[slot];
    s->tid = (int32_t) syscall(SYS_gettid);
    pass_gate(gate_fd);
    s->phase = 1;
    char c;
    ssize_t n;
    do {
        n = read(block_fd, &c, 1);
    } while (n < 0 && errno == EINTR && !s->release);
    return n < 0 ? -errno : n;
}

JNIEXPORT void JNICALL Java_org_threadkill_bench_BenchNatives_recordTid(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    if (valid(slot)) slots[slot].tid = (int32_t) syscall(SYS_gettid);
}

JNIEXPORT void JNICALL Java_org_threadkill_bench_BenchNatives_reset(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    if (!valid(slot)) return;
    slots[slot].counter = 0;
    slots[slot].release = 0;
    slots[slot].phase = 0;
    slots[slot].tid = 0;
}

JNIEXPORT jlong JNICALL Java_org_threadkill_bench_BenchNatives_counter(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    return valid(slot) ? slots[slot].counter : -1;
}

JNIEXPORT jint JNICALL Java_org_threadkill_bench_BenchNatives_phase(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    return valid(slot) ? slots[slot].phase : -1;
}

JNIEXPORT jint JNICALL Java_org_threadkill_bench_BenchNatives_tid(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    return valid(slot) ? slots[slot].tid : -1;
}

JNIEXPORT void JNICALL Java_org_threadkill_bench_BenchNatives_release(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    if (valid(slot)) slots[slot].release = 1;
}

JNIEXPORT jintArray JNICALL Java_org_threadkill_bench_BenchNatives_pipe(JNIEnv *env, jclass cls) {
    (void) cls;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return NULL;
    jintArray a = (*env)->NewIntArray(env, 2);
    if (a != NULL) (*env)->SetIntArrayRegion(env, a, 0, 2, fds);
    return a;
}

JNIEXPORT jint JNICALL Java_org_threadkill_bench_BenchNatives_writeByte(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    char c = 'x';
    return (jint) write(fd, &c, 1);
}

JNIEXPORT jint JNICALL Java_org_threadkill_bench_BenchNatives_closeFd(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    return close(fd);
}

/* 'R', 'S', 'D', ... from /proc/self/task/<tid>/stat; 0 when the task is gone. */
JNIEXPORT jint JNICALL Java_org_threadkill_bench_BenchNatives_kernelState(JNIEnv *env, jclass cls, jint tid) {
    (void) env; (void) cls;
    char path[64], buf[512];
    int n0 = 0;
    /* hand-rolled formatting: no stdio */
    const char *pre = "/proc/self/task/";
    while (pre[n0]) { path[n0] = pre[n0]; n0++; }
    char digits[16];
    int d = 0;
    unsigned v = (unsigned) tid;
    do { digits[d++] = (char) ('0' + v % 10); v /= 10; } while (v && d < 15);
    while (d) path[n0++] = digits[--d];
    const char *post = "/stat";
    for (int i = 0; post[i]; i++) path[n0++] = post[i];
    path[n0] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = 0;
    char *p = NULL;
    for (ssize_t i = n - 1; i >= 0; i--) if (buf[i] == ')') { p = &buf[i]; break; }
    return (p != NULL && p[1] == ' ') ? p[2] : 0;
}

/* A JNI call that does nothing: the cost floor of any native lookup. */
JNIEXPORT jlong JNICALL Java_org_threadkill_bench_BenchNatives_nop(JNIEnv *env, jclass cls, jlong x) {
    (void) env; (void) cls;
    return x + 1;
}
