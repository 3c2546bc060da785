/*
 * os_linux.c: the Linux half of the bottom layer (tk_common.h): monotonic clock, kernel thread
 * id, errno text, libjvm's exported symbols, the process-wide lock. Uses nothing of ours.
 */
#define _GNU_SOURCE
#include "tk_common.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

const char tk_osthread_handle_field[] = "_pthread_id";

int64_t tk_now_ns(void) {   /* clock_gettime is async-signal-safe */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int32_t tk_current_tid(void) {   /* a plain system call: async-signal-safe */
    return (int32_t) syscall(SYS_gettid);
}

const char *tk_strerror(int err, char *buf, size_t len) {
    return strerror_r(err, buf, len);   /* the GNU one: returns the text, in buf or static */
}

/* libjvm is found through the address of one of its JNI functions, so that a JVM loaded
 * without RTLD_GLOBAL (an embedding launcher) works too. */
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
