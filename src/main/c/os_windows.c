/*
 * os_windows.c: the Windows half of the bottom layer (tk_common.h): monotonic clock, thread id,
 * errno text, jvm.dll's exported symbols, the process-wide lock. Uses nothing of ours.
 * Cross-compiled with mingw-w64; this project has never run it.
 */
#include "tk_common.h"

#include <string.h>
#include <windows.h>

const char tk_osthread_handle_field[] = "_thread_handle";

int64_t tk_now_ns(void) {
    static LARGE_INTEGER freq;   /* fixed at boot; reading it twice in a race is harmless */
    LARGE_INTEGER now;
    if (freq.QuadPart == 0) QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&now);
    /* split so that counter * 1e9 cannot overflow */
    return (now.QuadPart / freq.QuadPart) * 1000000000
           + (now.QuadPart % freq.QuadPart) * 1000000000 / freq.QuadPart;
}

int32_t tk_current_tid(void) {
    return (int32_t) GetCurrentThreadId();
}

const char *tk_strerror(int err, char *buf, size_t len) {
    return strerror_s(buf, len, err) == 0 ? buf : "unknown error";
}

void *tk_jvm_symbol(JNIEnv *env, const char *name) {
    (void) env;
    HMODULE jvm = GetModuleHandleA("jvm.dll");
    return jvm == NULL ? NULL : (void *) GetProcAddress(jvm, name);
}

/* A slim reader/writer lock needs no initialisation call, like a static pthread mutex. */
static SRWLOCK lock = SRWLOCK_INIT;
void tk_lock(void) { AcquireSRWLockExclusive(&lock); }
void tk_unlock(void) { ReleaseSRWLockExclusive(&lock); }

/* Copies are not looked for here: each copy keeps its own state (docs/TROUBLESHOOTING.md). */
intptr_t tk_oldest_copy_offset(const int *ready, int64_t wait_ns, const char **problem) {
    (void) ready; (void) wait_ns; (void) problem;
    return 0;
}

int tk_in_other_copy(uintptr_t address) {
    (void) address;
    return 0;
}
