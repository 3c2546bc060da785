/*
 * Native victims for tests, the consequence suite and the demo (class org.threadkill.testing.Victims):
 * code that spins or blocks inside a native call, where no Java mechanism can reach it.
 */
#define _GNU_SOURCE
#include <jni.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SPIN_SLOTS 64

static volatile int64_t spin_counter[SPIN_SLOTS];
static volatile int spin_release[SPIN_SLOTS];

JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_spin(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    if (slot < 0 || slot >= SPIN_SLOTS) return;
    while (!spin_release[slot]) spin_counter[slot]++;
}

JNIEXPORT jlong JNICALL Java_org_threadkill_testing_Victims_counter(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    return (slot < 0 || slot >= SPIN_SLOTS) ? -1 : spin_counter[slot];
}

JNIEXPORT void JNICALL Java_org_threadkill_testing_Victims_release(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    if (slot >= 0 && slot < SPIN_SLOTS) spin_release[slot] = 1;
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
