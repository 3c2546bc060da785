/*
 * JVMTI from a plain JNI library: GetEnv in the live phase, with the two capabilities that are
 * available then (can_suspend, can_signal_thread). The environment is acquired on first use only:
 * once a JVMTI environment exists, HotSpot turns on virtual-thread transition notifications, which
 * cost every virtual thread something.
 */
#include "threadkill.h"

#include <jvmti.h>
#include <string.h>

static jvmtiEnv *jvmti;
static int jvmti_error = JVMTI_ERROR_NONE;

#ifdef _WIN32
#include <windows.h>
/* A slim reader/writer lock needs no initialisation call, like a static pthread mutex. */
static SRWLOCK jvmti_lock = SRWLOCK_INIT;
static void lock_jvmti(void) { AcquireSRWLockExclusive(&jvmti_lock); }
static void unlock_jvmti(void) { ReleaseSRWLockExclusive(&jvmti_lock); }
#else
#include <pthread.h>
static pthread_mutex_t jvmti_lock = PTHREAD_MUTEX_INITIALIZER;
static void lock_jvmti(void) { pthread_mutex_lock(&jvmti_lock); }
static void unlock_jvmti(void) { pthread_mutex_unlock(&jvmti_lock); }
#endif

static jvmtiEnv *get_jvmti(int *err) {
    jvmtiEnv *env = __atomic_load_n(&jvmti, __ATOMIC_ACQUIRE);
    if (env != NULL) return env;
    lock_jvmti();
    if (jvmti == NULL && jvmti_error == JVMTI_ERROR_NONE) {
        jvmtiEnv *fresh = NULL;
        if ((*tk_vm)->GetEnv(tk_vm, (void **) &fresh, JVMTI_VERSION_1_2) != JNI_OK || fresh == NULL) {
            jvmti_error = JVMTI_ERROR_UNSUPPORTED_VERSION;
        } else {
            jvmtiCapabilities caps;
            memset(&caps, 0, sizeof caps);
            caps.can_suspend = 1;
            caps.can_signal_thread = 1;
            jvmtiError e = (*fresh)->AddCapabilities(fresh, &caps);
            if (e != JVMTI_ERROR_NONE) {
                jvmti_error = e;
                (*fresh)->DisposeEnvironment(fresh);
            } else {
                __atomic_store_n(&jvmti, fresh, __ATOMIC_RELEASE);
            }
        }
    }
    env = jvmti;
    *err = jvmti_error;
    unlock_jvmti();
    return env;
}

int tk_jvmti_acquired(void) {
    return __atomic_load_n(&jvmti, __ATOMIC_ACQUIRE) != NULL;
}

int tk_jvmti_suspend(JNIEnv *env, jobject thread) {
    (void) env;
    int err;
    jvmtiEnv *j = get_jvmti(&err);
    return j == NULL ? err : (int) (*j)->SuspendThread(j, thread);
}

int tk_jvmti_resume(JNIEnv *env, jobject thread) {
    (void) env;
    int err;
    jvmtiEnv *j = get_jvmti(&err);
    return j == NULL ? err : (int) (*j)->ResumeThread(j, thread);
}

int tk_jvmti_stop(JNIEnv *env, jobject thread, jobject throwable) {
    (void) env;
    int err;
    jvmtiEnv *j = get_jvmti(&err);
    return j == NULL ? err : (int) (*j)->StopThread(j, thread, throwable);
}

const char *tk_jvmti_error_name(int err) {
    switch (err) {
    case JVMTI_ERROR_NONE: return "JVMTI_ERROR_NONE";
    case JVMTI_ERROR_THREAD_NOT_ALIVE: return "JVMTI_ERROR_THREAD_NOT_ALIVE";
    case JVMTI_ERROR_THREAD_SUSPENDED: return "JVMTI_ERROR_THREAD_SUSPENDED";
    case JVMTI_ERROR_THREAD_NOT_SUSPENDED: return "JVMTI_ERROR_THREAD_NOT_SUSPENDED";
    case JVMTI_ERROR_INVALID_THREAD: return "JVMTI_ERROR_INVALID_THREAD";
    case JVMTI_ERROR_INVALID_OBJECT: return "JVMTI_ERROR_INVALID_OBJECT";
    case JVMTI_ERROR_UNSUPPORTED_VERSION: return "JVMTI_ERROR_UNSUPPORTED_VERSION";
    case JVMTI_ERROR_NOT_AVAILABLE: return "JVMTI_ERROR_NOT_AVAILABLE";
    case JVMTI_ERROR_MUST_POSSESS_CAPABILITY: return "JVMTI_ERROR_MUST_POSSESS_CAPABILITY";
    case JVMTI_ERROR_WRONG_PHASE: return "JVMTI_ERROR_WRONG_PHASE";
    case JVMTI_ERROR_OUT_OF_MEMORY: return "JVMTI_ERROR_OUT_OF_MEMORY";
    default: return "JVMTI error";
    }
}
