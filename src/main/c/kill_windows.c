/*
 * kill_windows.c: the Windows (x64) kill mechanism (kill_mechanism.h): SuspendThread and
 * TerminateThread through a handle of our own. Cross-compiled with mingw-w64; this project has
 * never run it.
 *
 * Windows has no signals to send to one thread, so the killer acts on the victim from outside,
 * through a thread handle of its own:
 *   NATIVE_FREEZE  JVMTI SuspendThread first (a victim in Java code must reach a state the JVM does
 *                  not wait for), then Win32 SuspendThread, never undone, then JVMTI ResumeThread
 *                  (the JVM stops counting the thread as suspended; it still never runs).
 *                  SuspendThread only requests the suspension: GetThreadContext waits until it has
 *                  happened. The freeze is kept only where the JVM can live without the thread: in
 *                  native code, or blocked and stopped inside a system call (a kernel wait, which
 *                  holds none of the user-mode locks around the wait). Anywhere else the thread is
 *                  resumed and tried again until the deadline (KILL_NOT_SAFE).
 *   NATIVE_EXIT    TerminateThread, then a wait on the handle (bounded by the caller's wait) to see
 *                  the thread gone.
 *   MODE_ACK       SuspendThread, confirmed, then ResumeThread: the floor the others are measured
 *                  against.
 *   NATIVE_CANCEL  does not exist: Windows has no pthread_cancel.
 *
 * No wrong-thread kill: the handle is opened by thread id while the JavaThread is verifiably alive
 * (Thread.eetop read before, and found unchanged after OpenThread; HotSpot clears eetop before the
 * OS thread exits). An open handle keeps the kernel's thread object, and with it the id, from being
 * reused, and everything afterwards goes through that handle.
 *
 * Timing slots keep their Linux names: OUT_ENTERED_NS is when Windows confirmed the suspension
 * (FREEZE, ACK) or accepted TerminateThread (EXIT); no code of ours runs on the victim.
 */
#include "kill_mechanism.h"
#include "hotspot_threads.h"
#include "jvmti_ops.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

#if !defined(__x86_64__) && !defined(_M_X64)
#error "kill_windows.c reads the x64 CONTEXT (Rip); only windows_64 is built"
#endif

/* GetExitCodeThread of a NATIVE_EXIT victim: recognisable in a debugger. */
#define TK_EXIT_CODE 0xDEADu

#define ISE "java/lang/IllegalStateException"

/* Throws with the system's text for a GetLastError() code appended. */
__attribute__((format(printf, 4, 5)))
static void throw_win32(JNIEnv *env, const char *class_name, unsigned long err, const char *fmt, ...) {
    char text[256];
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD) err,
                             MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), text, sizeof text, NULL);
    while (n > 0 && (text[n - 1] == '\r' || text[n - 1] == '\n' || text[n - 1] == ' ' || text[n - 1] == '.')) n--;
    if (n == 0) {
        snprintf(text, sizeof text, "Windows error %lu", err);
    } else {
        text[n] = 0;
        snprintf(text + n, sizeof text - n, " (error %lu)", err);
    }
    va_list ap;
    va_start(ap, fmt);
    tk_vthrow(env, class_name, text, fmt, ap);
    va_end(ap);
}

static int handle_signalled(HANDLE h) {
    return WaitForSingleObject(h, 0) == WAIT_OBJECT_0;
}

/* Milliseconds from now to the deadline, rounded up, for WaitForSingleObject. */
static DWORD ms_until(int64_t deadline) {
    int64_t left = deadline - tk_now_ns();
    if (left <= 0) return 0;
    int64_t ms = left / 1000000 + (left % 1000000 != 0);
    return ms >= (int64_t) INFINITE ? INFINITE - 1 : (DWORD) ms;
}

static void pause_before_retry(int round) {
    if (round < 200) SwitchToThread(); else Sleep(1);
}

static int executable_in(const void *p, HMODULE module) {
    MEMORY_BASIC_INFORMATION mbi;
    if (VirtualQuery(p, &mbi, sizeof mbi) != sizeof mbi) return 0;
    return mbi.AllocationBase == (void *) module && mbi.State == MEM_COMMIT && !(mbi.Protect & PAGE_GUARD)
           && (mbi.Protect & (PAGE_EXECUTE_READ | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)) != 0;
}

/* A thread stopped inside a system call has its user-mode Rip just after the `syscall` (0F 05), or
 * the legacy `int 2Eh` (CD 2E), of one of ntdll's stubs. Blocked JVM threads wait through ntdll. */
static int stopped_in_system_call(const CONTEXT *ctx) {
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    const unsigned char *pc = (const unsigned char *) (uintptr_t) ctx->Rip;
    if (ntdll == NULL || (uintptr_t) pc < 2) return 0;
    if (!executable_in(pc - 2, ntdll) || !executable_in(pc - 1, ntdll)) return 0;
    return (pc[-2] == 0x0f && pc[-1] == 0x05) || (pc[-2] == 0xcd && pc[-1] == 0x2e);
}

/* Suspends the thread and waits until it really stopped. 0, or -1 with GetLastError set (the
 * thread is then not suspended by us). */
static int suspend_confirmed(HANDLE h, CONTEXT *ctx) {
    if (SuspendThread(h) == (DWORD) -1) return -1;
    memset(ctx, 0, sizeof *ctx);
    ctx->ContextFlags = CONTEXT_CONTROL;
    if (!GetThreadContext(h, ctx)) {
        DWORD err = GetLastError();
        ResumeThread(h);
        SetLastError(err);
        return -1;
    }
    return 0;
}

/* 1: frozen for good; 0: not at a safe point, running again; -1: failed (GetLastError set).
 * check_state is 0 only without vmStructs, where (as on Linux) the thread is frozen wherever it is.
 * The JavaThread is readable: the caller holds the thread JVMTI-suspended, so it cannot exit. */
static int freeze_if_safe(HANDLE h, int64_t java_thread, int check_state) {
    CONTEXT ctx;
    if (suspend_confirmed(h, &ctx) != 0) return -1;
    if (!check_state) return 1;
    int32_t st = tk_read_state(java_thread);   /* stable now: the thread does not run */
    if (st == TK_STATE_IN_NATIVE || (st == TK_STATE_BLOCKED && stopped_in_system_call(&ctx))) return 1;
    if (ResumeThread(h) == (DWORD) -1) return -1;
    return 0;
}

/* A Win32 call on the victim failed: a thread that ended meanwhile is no error (status stays
 * KILL_TERMINATED, as when Linux finds no task); anything else is thrown. */
static void victim_call_failed(JNIEnv *env, HANDLE h, const char *what, DWORD tid) {
    DWORD err = GetLastError();
    if (handle_signalled(h)) return;
    throw_win32(env, ISE, err, "%s on thread %lu failed", what, (unsigned long) tid);
}

void tk_mech_kill(JNIEnv *env, jobject thread, int mode, int64_t wait_ns, int32_t fallback_tid, int64_t *out) {
    int64_t t0 = tk_now_ns();
    int64_t deadline = wait_ns <= 0 ? t0 : wait_ns > INT64_MAX - t0 ? INT64_MAX : t0 + wait_ns;
    int suspended = 0;
    HANDLE h = NULL;
    out[TK_OUT_STATUS] = TK_KILL_TERMINATED;
    out[TK_OUT_ENTERED_NS] = -1;
    out[TK_OUT_STOPPED_NS] = -1;
    out[TK_OUT_TID] = -1;
    out[TK_OUT_STATE] = TK_STATE_UNKNOWN;
    /* The flags of the Linux freeze's safe point: a thread the caller holds JVMTI-suspended is
     * suspended once more here (suspensions nest, the caller's resume leaves ours); there is no
     * native scan to shorten. */
    mode &= ~(TK_MODE_FLAG_SUSPENDED | TK_MODE_FLAG_LEAF_NATIVE);

    if (mode == TK_MODE_CANCEL) {
        tk_throw(env, "java/lang/UnsupportedOperationException", "Windows has no pthread_cancel");
        return;
    }
    if (mode != TK_MODE_ACK && mode != TK_MODE_FREEZE && mode != TK_MODE_EXIT) {
        tk_throw(env, "java/lang/IllegalArgumentException", "unknown kill mode %d", mode);
        return;
    }
    int32_t state_before = TK_STATE_UNKNOWN;
    if (mode == TK_MODE_FREEZE) {
        struct tk_thread_ids pre;   /* the state to report is the one before the suspension */
        if (tk_resolve(env, thread, &pre) > 0) {
            if ((DWORD) pre.tid == GetCurrentThreadId()) {   /* JVMTI would suspend us for good */
                tk_throw(env, "java/lang/IllegalArgumentException", "refusing to kill the calling thread");
                return;
            }
            state_before = pre.state;
        }
        int err = tk_jvmti_suspend(env, thread);
        if (err == JVMTI_ERROR_THREAD_NOT_ALIVE) return;
        if (err != JVMTI_ERROR_NONE) {
            tk_throw(env, ISE, "JVMTI SuspendThread failed before the freeze: %s (%d)", tk_jvmti_error_name(err), err);
            return;
        }
        suspended = 1;
    }

    struct tk_thread_ids ids;
    if (tk_resolve_or_fallback(env, thread, fallback_tid, &ids) == 0) goto done;
    int check_state = ids.state != TK_STATE_UNKNOWN;
    DWORD tid = (DWORD) (uint32_t) ids.tid;
    out[TK_OUT_TID] = tid;
    out[TK_OUT_STATE] = mode == TK_MODE_FREEZE && state_before != TK_STATE_UNKNOWN ? state_before : ids.state;
    out[TK_OUT_JAVA_THREAD] = ids.java_thread;
    out[TK_OUT_PTHREAD] = (int64_t) ids.pthread;   /* HotSpot's HANDLE: reported, not used */
    if (tid == GetCurrentThreadId()) {
        tk_throw(env, "java/lang/IllegalArgumentException", "refusing to kill the calling thread");
        goto done;
    }

    DWORD access = SYNCHRONIZE | (mode == TK_MODE_EXIT ? THREAD_TERMINATE : THREAD_SUSPEND_RESUME | THREAD_GET_CONTEXT);
    h = OpenThread(access, FALSE, tid);
    if (h == NULL) {
        DWORD err = GetLastError();
        if (err != ERROR_INVALID_PARAMETER) {   /* that one means: no thread has this id any more */
            throw_win32(env, ISE, err, "OpenThread(%lu) failed", (unsigned long) tid);
        }
        goto done;
    }
    /* Still the same JavaThread after the handle was opened: the handle names our thread. */
    if (tk_eetop(env, thread) != ids.java_thread) goto done;
    /* The OS thread ended while the JVM still holds it (an earlier NATIVE_EXIT): nothing to kill. */
    if (handle_signalled(h)) goto done;
    out[TK_OUT_PIDFD] = 1;   /* the Windows counterpart: acted through an identity-pinning handle */

    if (mode == TK_MODE_FREEZE) {
        for (int round = 0;; round++) {
            int f = freeze_if_safe(h, ids.java_thread, check_state);
            if (f > 0) break;
            if (f < 0) {
                victim_call_failed(env, h, "SuspendThread/GetThreadContext", tid);
                goto done;
            }
            if (tk_now_ns() >= deadline) {
                out[TK_OUT_STATUS] = TK_KILL_NOT_SAFE;
                goto done;
            }
            pause_before_retry(round);
        }
        out[TK_OUT_ENTERED_NS] = out[TK_OUT_STOPPED_NS] = tk_now_ns() - t0;
        out[TK_OUT_STATUS] = TK_KILL_STOPPED;
    } else if (mode == TK_MODE_ACK) {
        CONTEXT ctx;
        if (suspend_confirmed(h, &ctx) != 0) {
            victim_call_failed(env, h, "SuspendThread/GetThreadContext", tid);
            goto done;
        }
        out[TK_OUT_ENTERED_NS] = out[TK_OUT_STOPPED_NS] = tk_now_ns() - t0;
        if (ResumeThread(h) == (DWORD) -1) {
            throw_win32(env, ISE, GetLastError(), "ResumeThread(%lu) failed: the thread stays suspended",
                           (unsigned long) tid);
            goto done;
        }
        out[TK_OUT_STATUS] = TK_KILL_STOPPED;
    } else {
        if (!TerminateThread(h, TK_EXIT_CODE)) {
            victim_call_failed(env, h, "TerminateThread", tid);
            goto done;
        }
        out[TK_OUT_ENTERED_NS] = tk_now_ns() - t0;
        DWORD w = WaitForSingleObject(h, ms_until(deadline));
        if (w == WAIT_OBJECT_0) {
            out[TK_OUT_STATUS] = TK_KILL_STOPPED;
            out[TK_OUT_STOPPED_NS] = tk_now_ns() - t0;
        } else if (w == WAIT_TIMEOUT) {
            out[TK_OUT_STATUS] = TK_KILL_STILL_RUNNING;
        } else {
            throw_win32(env, ISE, GetLastError(), "waiting for thread %lu to end failed", (unsigned long) tid);
        }
    }

done:
    if (h != NULL) CloseHandle(h);   /* closing never resumes a suspended thread */
    /* As on Linux: the JVM stops counting the thread as suspended; a frozen one still never runs. */
    if (suspended) tk_jvmti_resume(env, thread);
}

/* No signals on Windows: the range is empty, installing is a no-op, nothing can be stray. */
int tk_mech_signal_range(int max) {
    (void) max;
    return 0;
}

void tk_mech_install(JNIEnv *env, int sig) {
    (void) env; (void) sig;
}

void tk_mech_configure(int unchecked_freeze) {
    (void) unchecked_freeze;   /* no native safe point here yet: see docs/platforms.md */
}

void tk_mech_describe(uintptr_t address, char *buf, size_t len) {
    snprintf(buf, len, "0x%llx", (unsigned long long) address);
}

uint64_t tk_mech_stray_signals(void) {
    return 0;
}

const char *tk_mech_delivery(void) {
    return "thread handle";   /* SuspendThread / TerminateThread through our own handle */
}
