/*
 * jvmti_ops.c: JVMTI from a plain JNI library: GetEnv in the live phase, with the two capabilities
 * it needs that are available then (can_suspend, can_signal_thread); GetStackTrace needs none. The environment is acquired on first
 * use only: once a JVMTI environment exists, HotSpot turns on virtual-thread transition
 * notifications, which cost every virtual thread something. Uses only tk_common.h.
 */
#include "jvmti_ops.h"

#include <stdlib.h>
#include <string.h>

static jvmtiEnv *jvmti;
static int jvmti_error = JVMTI_ERROR_NONE;

static jvmtiEnv *get_jvmti(JNIEnv *jni, int *err) {
    jvmtiEnv *env = __atomic_load_n(&jvmti, __ATOMIC_ACQUIRE);
    if (env != NULL) return env;
    tk_lock();
    if (jvmti == NULL && jvmti_error == JVMTI_ERROR_NONE) {
        JavaVM *vm = NULL;
        jvmtiEnv *fresh = NULL;
        if ((*jni)->GetJavaVM(jni, &vm) != JNI_OK
            || (*vm)->GetEnv(vm, (void **) &fresh, JVMTI_VERSION_1_2) != JNI_OK || fresh == NULL) {
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
    tk_unlock();
    return env;
}

int tk_jvmti_acquired(void) {
    return __atomic_load_n(&jvmti, __ATOMIC_ACQUIRE) != NULL;
}

int tk_jvmti_suspend(JNIEnv *env, jobject thread) {
    int err;
    jvmtiEnv *j = get_jvmti(env, &err);
    return j == NULL ? err : (int) (*j)->SuspendThread(j, thread);
}

int tk_jvmti_resume(JNIEnv *env, jobject thread) {
    int err;
    jvmtiEnv *j = get_jvmti(env, &err);
    return j == NULL ? err : (int) (*j)->ResumeThread(j, thread);
}

int tk_jvmti_stack(JNIEnv *env, jobject thread, jobjectArray classes, jobjectArray names, jintArray modifiers) {
    /* Before the environment is acquired: a warm-up links this entry with null arrays, and must
     * not create the environment (it takes can_suspend, and costs every virtual thread). */
    if (classes == NULL || names == NULL || modifiers == NULL) return -JVMTI_ERROR_NULL_POINTER;
    int err;
    jvmtiEnv *j = get_jvmti(env, &err);
    if (j == NULL) return -err;
    jsize max = (*env)->GetArrayLength(env, classes);
    if ((*env)->GetArrayLength(env, names) < max || (*env)->GetArrayLength(env, modifiers) < max) {
        return -JVMTI_ERROR_ILLEGAL_ARGUMENT;
    }
    /* One frame more than the arrays hold: the caller learns that the stack is deeper. */
    jvmtiFrameInfo *frames = malloc(((size_t) max + 1) * sizeof *frames);
    if (frames == NULL) return -JVMTI_ERROR_OUT_OF_MEMORY;
    jint count = 0;
    jvmtiError e = (*j)->GetStackTrace(j, thread, 0, max + 1, frames, &count);
    jint result = e != JVMTI_ERROR_NONE ? -(jint) e : count;
    for (jint i = 0; result >= 0 && i < count && i < max; i++) {
        jclass declaring = NULL;
        char *name = NULL;
        jint mods = 0;
        if ((*j)->GetMethodDeclaringClass(j, frames[i].method, &declaring) != JVMTI_ERROR_NONE
            || (*j)->GetMethodName(j, frames[i].method, &name, NULL, NULL) != JVMTI_ERROR_NONE
            || (*j)->GetMethodModifiers(j, frames[i].method, &mods) != JVMTI_ERROR_NONE) {
            result = -JVMTI_ERROR_INVALID_METHODID;   /* a method unloaded meanwhile: no answer */
        } else {
            jstring jname = (*env)->NewStringUTF(env, name);
            if (jname == NULL) {
                result = -JVMTI_ERROR_OUT_OF_MEMORY;   /* OutOfMemoryError pending */
            } else {
                (*env)->SetObjectArrayElement(env, classes, i, declaring);
                (*env)->SetObjectArrayElement(env, names, i, jname);
                (*env)->SetIntArrayRegion(env, modifiers, i, 1, &mods);
                (*env)->DeleteLocalRef(env, jname);
            }
        }
        if (declaring != NULL) (*env)->DeleteLocalRef(env, declaring);
        if (name != NULL) (*j)->Deallocate(j, (unsigned char *) name);
    }
    free(frames);
    return result;
}

int tk_jvmti_stop(JNIEnv *env, jobject thread, jobject throwable) {
    int err;
    jvmtiEnv *j = get_jvmti(env, &err);
    return j == NULL ? err : (int) (*j)->StopThread(j, thread, throwable);
}

/* Not the lazy environment: a temporary one, so that reading a property never leaves an
 * environment alive (tk_jvmti_acquired stays false). HotSpot may still have turned on its
 * virtual-thread notifications while it existed; the gate calls this only on a JVM without
 * jdk.internal.misc.VM.getSavedProperty. */
int tk_jvmti_system_property(JNIEnv *jni, const char *name, char *buf, size_t len) {
    JavaVM *vm = NULL;
    jvmtiEnv *env = NULL;
    if (len == 0) return -1;
    if ((*jni)->GetJavaVM(jni, &vm) != JNI_OK
        || (*vm)->GetEnv(vm, (void **) &env, JVMTI_VERSION_1_2) != JNI_OK || env == NULL) return -1;
    char *value = NULL;
    jvmtiError e = (*env)->GetSystemProperty(env, name, &value);
    int found;
    if (e == JVMTI_ERROR_NONE && value != NULL) {
        size_t n = strlen(value);
        if (n < len) memcpy(buf, value, n + 1); else buf[0] = 0;
        (*env)->Deallocate(env, (unsigned char *) value);
        found = 1;
    } else {
        found = e == JVMTI_ERROR_NOT_AVAILABLE ? 0 : -1;   /* NOT_AVAILABLE: no such property */
    }
    (*env)->DisposeEnvironment(env);
    return found;
}

const char *tk_jvmti_error_name(int err) {
    switch (err) {
    case JVMTI_ERROR_NONE: return "JVMTI_ERROR_NONE";
    case JVMTI_ERROR_THREAD_NOT_ALIVE: return "JVMTI_ERROR_THREAD_NOT_ALIVE";
    case JVMTI_ERROR_THREAD_SUSPENDED: return "JVMTI_ERROR_THREAD_SUSPENDED";
    case JVMTI_ERROR_THREAD_NOT_SUSPENDED: return "JVMTI_ERROR_THREAD_NOT_SUSPENDED";
    case JVMTI_ERROR_INVALID_THREAD: return "JVMTI_ERROR_INVALID_THREAD";
    case JVMTI_ERROR_INVALID_OBJECT: return "JVMTI_ERROR_INVALID_OBJECT";
    case JVMTI_ERROR_INVALID_METHODID: return "JVMTI_ERROR_INVALID_METHODID";
    case JVMTI_ERROR_ILLEGAL_ARGUMENT: return "JVMTI_ERROR_ILLEGAL_ARGUMENT";
    case JVMTI_ERROR_NULL_POINTER: return "JVMTI_ERROR_NULL_POINTER";
    case JVMTI_ERROR_UNSUPPORTED_VERSION: return "JVMTI_ERROR_UNSUPPORTED_VERSION";
    case JVMTI_ERROR_NOT_AVAILABLE: return "JVMTI_ERROR_NOT_AVAILABLE";
    case JVMTI_ERROR_MUST_POSSESS_CAPABILITY: return "JVMTI_ERROR_MUST_POSSESS_CAPABILITY";
    case JVMTI_ERROR_WRONG_PHASE: return "JVMTI_ERROR_WRONG_PHASE";
    case JVMTI_ERROR_OUT_OF_MEMORY: return "JVMTI_ERROR_OUT_OF_MEMORY";
    default: return "JVMTI error";
    }
}
