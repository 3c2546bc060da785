/*
 * Native victims for the library's tests, the consequence suite (demo/) and the benchmarks (bench/)
 * (class org.threadkill.testing.Victims): code that spins or blocks inside a native call, where no
 * Java mechanism can reach it. Built by CMake into test-classes/natives/<platform>/ and shipped in
 * the library's test-jar.
 *
 * Per-victim slots, so that one victim can be released without releasing the others. A victim can
 * wait behind a gate (a pipe it reads one byte from) so that a child JVM can create all its victims
 * before the first kill (a NATIVE_EXIT victim's stack is recycled by the next new thread).
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

static void spin_in(jint slot, jint gate_fd) {
    if (!valid(slot)) return;
    struct slot *s = &slots[slot];
    s->tid = (int32_t) syscall(SYS_gettid);
    pass_gate(gate_fd);
    s->phase = 1;
    while (!s->release) s->counter++;
}

/* Spins until release(slot), counting in counter(slot). */
JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_spin(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    spin_in(slot, -1);
}

/* Records the tid, passes the gate, then spins. */
JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_spinGated(JNIEnv *env, jclass cls, jint slot, jint gate_fd) {
    (void) env; (void) cls;
    spin_in(slot, gate_fd);
}

/* Records the tid, passes the gate, then blocks in read(2) on block_fd; returns bytes read or -errno. */
JNIEXPORT jlong JNICALL Java_org_threadkill_testing_Victims_blockingReadGated(JNIEnv *env, jclass cls, jint slot,
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

JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_recordTid(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    if (valid(slot)) slots[slot].tid = (int32_t) syscall(SYS_gettid);
}

JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_reset(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    if (!valid(slot)) return;
    slots[slot].counter = 0;
    slots[slot].release = 0;
    slots[slot].phase = 0;
    slots[slot].tid = 0;
}

JNIEXPORT jlong JNICALL Java_org_threadkill_testing_Victims_counter(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    return valid(slot) ? slots[slot].counter : -1;
}

JNIEXPORT jint JNICALL Java_org_threadkill_testing_Victims_phase(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    return valid(slot) ? slots[slot].phase : -1;
}

JNIEXPORT jint JNICALL Java_org_threadkill_testing_Victims_slotTid(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    return valid(slot) ? slots[slot].tid : -1;
}

JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_release(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    if (valid(slot)) slots[slot].release = 1;
}

JNIEXPORT jintArray JNICALL Java_org_threadkill_testing_Victims_pipe(JNIEnv *env, jclass cls) {
    (void) cls;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return NULL;
    jintArray a = (*env)->NewIntArray(env, 2);
    if (a != NULL) (*env)->SetIntArrayRegion(env, a, 0, 2, fds);
    return a;
}

/* Blocks in read(2) until a byte arrives: a thread stuck in a native syscall. */
JNIEXPORT jlong JNICALL Java_org_threadkill_testing_Victims_blockingRead(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    char c;
    ssize_t n = read(fd, &c, 1);
    return n < 0 ? -errno : n;
}

JNIEXPORT jint JNICALL Java_org_threadkill_testing_Victims_writeByte(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    char c = 'x';
    return (jint) write(fd, &c, 1);
}

JNIEXPORT jint JNICALL Java_org_threadkill_testing_Victims_closeFd(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    return close(fd);
}

JNIEXPORT jint JNICALL Java_org_threadkill_testing_Victims_tid(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return (jint) syscall(SYS_gettid);
}

#include <pthread.h>

JNIEXPORT jlong JNICALL Java_org_threadkill_testing_Victims_pthreadSelf(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return (jlong) pthread_self();
}

#include <signal.h>
#include <string.h>

static void foreign_handler(int sig) {
    (void) sig;
}

/* Installs a handler that is not threadkill's on SIGRTMIN+offset: threadkill must then refuse it. */
JNIEXPORT jint JNICALL Java_org_threadkill_testing_Victims_installForeignHandler(JNIEnv *env, jclass cls,
                                                                               jint offset) {
    (void) env; (void) cls;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = foreign_handler;
    sigemptyset(&sa.sa_mask);
    return sigaction(SIGRTMIN + offset, &sa, NULL);
}

/* A condition variable shared by several threads, as native libraries use them. */
static pthread_mutex_t shared_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t shared_cond = PTHREAD_COND_INITIALIZER;
static volatile long shared_generation;

/* Waits on the shared condition variable until the next broadcast. */
JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_waitShared(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    pthread_mutex_lock(&shared_mutex);
    long gen = shared_generation;
    while (shared_generation == gen) pthread_cond_wait(&shared_cond, &shared_mutex);
    pthread_mutex_unlock(&shared_mutex);
}

JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_broadcastShared(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    pthread_mutex_lock(&shared_mutex);
    shared_generation++;
    pthread_cond_broadcast(&shared_cond);
    pthread_mutex_unlock(&shared_mutex);
}

/* ---- The consequence suite: native mutexes, C stdio, signals to one thread. ---- */

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void nap_ms(long ms) {
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);   /* a cancellation point, like most blocking calls */
}

/* A process-private pthread mutex, plain or robust; leaked on purpose (a cell lives in its own JVM). */
JNIEXPORT jlong JNICALL Java_org_threadkill_testing_Victims_mutexNew(JNIEnv *env, jclass cls, jboolean robust) {
    (void) env; (void) cls;
    pthread_mutex_t *m = malloc(sizeof *m);
    if (m == NULL) return 0;
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    if (robust) pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
    return (jlong) (intptr_t) m;
}

/* Locks the mutex, then naps (in nanosleep) holding it until release(slot); counter(slot) is 1
 * while held. Returns the result of the lock. */
JNIEXPORT jint JNICALL Java_org_threadkill_testing_Victims_holdMutex(JNIEnv *env, jclass cls, jlong mutex, jint slot) {
    (void) env; (void) cls;
    if (!valid(slot)) return -1;
    pthread_mutex_t *m = (pthread_mutex_t *) (intptr_t) mutex;
    int rc = pthread_mutex_lock(m);
    if (rc != 0 && rc != EOWNERDEAD) return rc;
    slots[slot].counter = 1;
    while (!slots[slot].release) nap_ms(5);
    slots[slot].counter = 0;
    pthread_mutex_unlock(m);
    return rc;
}

/* pthread_mutex_timedlock for up to ms; unlocks again at once when acquired. Returns 0, ETIMEDOUT,
 * EOWNERDEAD (acquired from a dead owner; marked consistent), or another errno. */
JNIEXPORT jint JNICALL Java_org_threadkill_testing_Victims_tryMutex(JNIEnv *env, jclass cls, jlong mutex, jint ms) {
    (void) env; (void) cls;
    pthread_mutex_t *m = (pthread_mutex_t *) (intptr_t) mutex;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += ms / 1000;
    deadline.tv_nsec += (ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }
    int rc = pthread_mutex_timedlock(m, &deadline);
    if (rc == EOWNERDEAD) pthread_mutex_consistent(m);
    if (rc == 0 || rc == EOWNERDEAD) pthread_mutex_unlock(m);
    return rc;
}

/* A C stdio stream on /dev/null, line-buffered so that every line is a write(2) under the
 * stream's lock, the same lock stdout has. */
JNIEXPORT jlong JNICALL Java_org_threadkill_testing_Victims_stdioOpen(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    FILE *f = fopen("/dev/null", "we");
    if (f == NULL) return 0;
    setvbuf(f, NULL, _IOLBF, 0);
    return (jlong) (intptr_t) f;
}

/* Prints lines through fprintf until release(slot); counter(slot) counts them. */
JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_stdioLoop(JNIEnv *env, jclass cls, jlong file, jint slot) {
    (void) env; (void) cls;
    if (!valid(slot)) return;
    FILE *f = (FILE *) (intptr_t) file;
    while (!slots[slot].release) {
        fprintf(f, "victim line %lld: %s %d %f\n", (long long) slots[slot].counter, "some text", slot, 3.25);
        slots[slot].counter++;
    }
}

/* Another thread prints one line: first waits (bounded) for the stream's lock with ftrylockfile.
 * Returns 0 when it printed, -1 when the lock stayed held for ms. */
JNIEXPORT jint JNICALL Java_org_threadkill_testing_Victims_stdioPrintTimed(JNIEnv *env, jclass cls, jlong file, jint ms) {
    (void) env; (void) cls;
    FILE *f = (FILE *) (intptr_t) file;
    for (int waited = 0; ftrylockfile(f) != 0; waited++) {
        if (waited >= ms) return -1;
        nap_ms(1);
    }
    fprintf(f, "another thread prints\n");
    funlockfile(f);
    return 0;
}

/* tgkill(getpid(), tid, sig): the signal goes to one thread, its disposition is the process's. */
JNIEXPORT jint JNICALL Java_org_threadkill_testing_Victims_signalThread(JNIEnv *env, jclass cls, jint tid, jint sig) {
    (void) env; (void) cls;
    return (jint) syscall(SYS_tgkill, getpid(), tid, sig);
}

/* ---- Victims in the process-wide locks of the JVM and the C library (the freeze's safe point) ---- */
#include <link.h>
#include <stdlib.h>

/* Spins inside JNI critical regions on array, one after another: a GC that locks critical regions
 * out waits for each. */
JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_criticalSpin(JNIEnv *env, jclass cls, jintArray array,
                                                                     jint slot) {
    (void) cls;
    if (!valid(slot)) return;
    struct slot *s = &slots[slot];
    while (!s->release) {   /* most of its time inside a region, a little between two */
        jint *p = (*env)->GetPrimitiveArrayCritical(env, array, NULL);
        if (p == NULL) return;
        for (int i = 0; i < 200000; i++) { s->counter++; p[0]++; }
        (*env)->ReleasePrimitiveArrayCritical(env, array, p, 0);
        for (volatile int i = 0; i < 2000; i++) { }
    }
}

/* malloc and free in a tight loop: nearly all its time inside the C library's allocator. With
 * work > 0, that many iterations of plain arithmetic between two calls (time outside libc). */
JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_mallocLoop(JNIEnv *env, jclass cls, jint slot, jint work) {
    (void) env; (void) cls;
    if (!valid(slot)) return;
    struct slot *s = &slots[slot];
    unsigned seed = 12345;
    volatile uint64_t sink = 0;
    while (!s->release) {
        seed = seed * 1103515245u + 12345u;
        void *a = malloc(16 + (seed >> 20) % 4096);
        void *b = malloc(32 + (seed >> 8) % 65536);
        free(a);
        free(b);
        for (int i = 0; i < work; i++) sink += (uint64_t) i * seed;
        s->counter++;
    }
}

static int slow_callback(struct dl_phdr_info *info, size_t size, void *data) {
    (void) info; (void) size;
    struct slot *s = data;
    for (int i = 0; i < 2000; i++) s->counter++;   /* user code, run under the loader's lock */
    return 0;
}

/* dl_iterate_phdr in a loop, with a callback that takes its time: the PC is in our callback while
 * glibc holds the dynamic loader's lock below it. */
JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_loaderLoop(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    if (!valid(slot)) return;
    struct slot *s = &slots[slot];
    while (!s->release) dl_iterate_phdr(slow_callback, s);
}

/* 'R', 'S', 'D', ... from /proc/self/task/<tid>/stat; 0 when the task is gone. */
JNIEXPORT jint JNICALL Java_org_threadkill_testing_Victims_kernelState(JNIEnv *env, jclass cls, jint tid) {
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

/* A JNI call that does nothing: the cost floor of any native lookup (bench/). */
JNIEXPORT jlong JNICALL Java_org_threadkill_testing_Victims_nop(JNIEnv *env, jclass cls, jlong x) {
    (void) env; (void) cls;
    return x + 1;
}
