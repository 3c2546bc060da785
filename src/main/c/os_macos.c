/*
 * os_macos.c: the macOS half of the bottom layer (tk_common.h): monotonic clock, thread id,
 * errno text, libjvm's exported symbols, the process-wide lock. Uses nothing of ours.
 * Compiled here for aarch64-macos with zig cc (docs/platforms.md); this project has never run it.
 *
 * The thread id is what HotSpot stores in OSThread::_thread_id on macOS (os::Bsd::gettid): the
 * Mach port name of the thread in our task, the same name pthread_mach_thread_np gives.
 */
#include "tk_common.h"

#include <dlfcn.h>
#include <mach/mach.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

const char tk_osthread_handle_field[] = "_pthread_id";

int64_t tk_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int32_t tk_current_tid(void) {   /* no new port reference: a plain lookup, safe in a handler */
    return (int32_t) pthread_mach_thread_np(pthread_self());
}

const char *tk_strerror(int err, char *buf, size_t len) {
    return strerror_r(err, buf, len) == 0 ? buf : "unknown error";   /* the POSIX one */
}

/* As on Linux: libjvm through the address of one of its JNI functions. */
void *tk_jvm_symbol(JNIEnv *env, const char *name) {
    static void *jvm_handle;
    if (jvm_handle == NULL) {
        Dl_info info;
        if (dladdr((void *) (*env)->GetVersion, &info) == 0 || info.dli_fname == NULL) return NULL;
        jvm_handle = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
        if (jvm_handle == NULL) return NULL;
    }
    return dlsym(jvm_handle, name);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
void tk_lock(void) { pthread_mutex_lock(&lock); }
void tk_unlock(void) { pthread_mutex_unlock(&lock); }

/* Copies are not looked for here: each copy keeps its own state (docs/TROUBLESHOOTING.md). */
intptr_t tk_oldest_copy_offset(const int *ready, int64_t wait_ns, const char **problem) {
    (void) ready; (void) wait_ns; (void) problem;
    return 0;
}

int tk_in_other_copy(uintptr_t address) {
    (void) address;
    return 0;
}
