/*
 * kill_macos.c: the macOS (Apple silicon, arm64) kill mechanism (kill_mechanism.h). Compiled here
 * with zig cc for aarch64-macos when zig is installed (docs/platforms.md); this project has never
 * run it: no macOS machine is reachable from here.
 *
 * macOS has no thread pidfd and no queued signal with a payload to one thread. What it has:
 *   NATIVE_FREEZE  JVMTI SuspendThread first (as on Linux and Windows), then Mach thread_suspend
 *                  on the thread's port, never undone, then JVMTI ResumeThread. The freeze is kept
 *                  only where the JVM can live without the thread: in native code, or blocked and
 *                  stopped inside a system call (user pc just after `svc #0x80`); anywhere else
 *                  the thread is resumed and tried again until the deadline (KILL_NOT_SAFE). The
 *                  natural counterpart of Windows' SuspendThread.
 *   NATIVE_EXIT    pthread_kill with SIGUSR1 (no real-time signals on macOS); the handler calls
 *   NATIVE_CANCEL  pthread_exit, or pthread_cancel of its own thread, as on Linux.
 *   MODE_ACK       for the benchmark floor: thread_suspend, thread_get_state, thread_resume.
 *
 * No wrong-thread kill: HotSpot's OSThread::_thread_id on macOS is the thread's Mach port name in
 * our task. We take a send right of our own on it (mach_port_mod_refs) while the JavaThread is
 * verifiably alive (eetop unchanged afterwards): while we hold it, the name cannot be given to
 * another thread. thread_suspend goes through that port. pthread_kill has to name a pthread_t,
 * which could in a narrow window belong to a thread that reused a dead one's; the handler then
 * finds no armed request for its own port and does nothing (counted as stray).
 *
 * The handler uses only async-signal-safe calls besides pthread_exit / pthread_cancel, which are
 * the point of those modes. -Dthreadkill.signal does not apply: the signal is always SIGUSR1, and
 * install refuses when someone else's handler is on it.
 */
#include "kill_mechanism.h"
#include "hotspot_threads.h"
#include "jvmti_ops.h"

#include <errno.h>
#include <mach/mach.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if !defined(__aarch64__)
#error "kill_macos.c reads the arm64 thread state; only osx_arm64 is built"
#endif

#define TK_MACOS_SIGNAL SIGUSR1
#define SVC_0X80 0xd4001001u   /* svc #0x80: the macOS arm64 system call */
#define TK_SLOTS 64
#define ISE "java/lang/IllegalStateException"

enum slot_state { SLOT_FREE = 0, SLOT_CLAIMED, SLOT_ARMED, SLOT_ENTERED };

struct kill_slot {
    uint32_t state;      /* enum slot_state, atomic */
    uint32_t port;       /* the target's Mach port name */
    int32_t mode;
    int64_t entered_ns;
};

static struct kill_slot slots[TK_SLOTS];
static int installed;
static uint64_t stray_signals;

static void handler(int sig, siginfo_t *info, void *uctx) {
    (void) sig; (void) uctx;
    int saved_errno = errno;
    if (info != NULL && info->si_pid != 0 && info->si_pid != getpid()) goto out;   /* not from us */
    uint32_t self = (uint32_t) pthread_mach_thread_np(pthread_self());
    struct kill_slot *s = NULL;
    for (int i = 0; i < TK_SLOTS && s == NULL; i++) {
        if (__atomic_load_n(&slots[i].state, __ATOMIC_ACQUIRE) == SLOT_ARMED && slots[i].port == self) s = &slots[i];
    }
    uint32_t expected = SLOT_ARMED;
    if (s == NULL) goto stray;
    s->entered_ns = tk_now_ns();
    int mode = s->mode;
    if (!__atomic_compare_exchange_n(&s->state, &expected, SLOT_ENTERED, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) goto stray;
    if (mode == TK_MODE_EXIT) pthread_exit(NULL);
    if (mode == TK_MODE_CANCEL) pthread_cancel(pthread_self());
    goto out;
stray:
    __atomic_add_fetch(&stray_signals, 1, __ATOMIC_RELAXED);
out:
    errno = saved_errno;
}

int tk_mech_signal_range(int max) {
    (void) max;
    return 0;   /* no real-time signals: the Java side's offset is ignored (see install) */
}

void tk_mech_install(JNIEnv *env, int sig) {
    (void) sig;
    if (installed) return;
    struct sigaction old;
    if (sigaction(TK_MACOS_SIGNAL, NULL, &old) != 0) {
        tk_throw_errno(env, ISE, errno, "sigaction(SIGUSR1) query failed");
        return;
    }
    int has_handler = (old.sa_flags & SA_SIGINFO) ? old.sa_sigaction != NULL
                                                   : (old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN);
    if (has_handler && old.sa_sigaction != handler) {
        tk_throw(env, ISE, "SIGUSR1 already has a handler that threadkill did not install; on macOS "
                 "NATIVE_EXIT and NATIVE_CANCEL need it");
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(TK_MACOS_SIGNAL, &sa, NULL) != 0) {
        tk_throw_errno(env, ISE, errno, "sigaction(SIGUSR1) failed");
        return;
    }
    installed = 1;
}

/* No native safe point here (Linux's freeze_safety_linux.c scans the stack against libc, the
 * loader and libjvm): a macOS freeze in native code may catch the thread holding a malloc or loader
 * lock. docs/platforms.md says so. */
void tk_mech_configure(int unchecked_freeze) {
    (void) unchecked_freeze;
}

void tk_mech_describe(uintptr_t address, char *buf, size_t len) {
    snprintf(buf, len, "0x%llx", (unsigned long long) address);
}

uint64_t tk_mech_stray_signals(void) {
    return __atomic_load_n(&stray_signals, __ATOMIC_RELAXED);
}

const char *tk_mech_delivery(void) {
    return "mach port";   /* thread_suspend through our own send right; pthread_kill for EXIT */
}

static void pause_before_retry(int round) {
    if (round < 200) {
        sched_yield();
    } else {
        struct timespec ts = { 0, 50 * 1000 };
        nanosleep(&ts, NULL);
    }
}

/* Our send right on the port turns into a dead name when the thread has terminated. */
static int thread_gone(mach_port_t port) {
    mach_port_type_t type;
    if (mach_port_type(mach_task_self(), port, &type) != KERN_SUCCESS) return 1;
    return (type & MACH_PORT_TYPE_DEAD_NAME) != 0;
}

/* Suspends the thread and reads its user-mode pc (the thread has stopped once thread_get_state
 * returns). 0, or the Mach error (the thread is then not suspended by us). */
static kern_return_t suspend_and_read_pc(mach_port_t port, uint64_t *pc) {
    kern_return_t kr = thread_suspend(port);
    if (kr != KERN_SUCCESS) return kr;
    arm_thread_state64_t st;
    mach_msg_type_number_t count = ARM_THREAD_STATE64_COUNT;
    kr = thread_get_state(port, ARM_THREAD_STATE64, (thread_state_t) &st, &count);
    if (kr != KERN_SUCCESS) {
        thread_resume(port);
        return kr;
    }
    *pc = (uint64_t) arm_thread_state64_get_pc(st);
    return KERN_SUCCESS;
}

/* Stopped inside a system call: the saved pc is just after the svc (or on it, when the call will
 * be restarted). Instructions are 4-byte aligned; pc[-1] is read only within pc's page. */
static int in_system_call(uint64_t pc_value) {
    const uint32_t *pc = (const uint32_t *) (uintptr_t) pc_value;
    if (pc == NULL) return 0;
    return (((uintptr_t) pc & 0xfff) >= 4 && pc[-1] == SVC_0X80) || pc[0] == SVC_0X80;
}

/* 1: frozen for good; 0: not at a safe point, running again; <0: a Mach error. */
static int freeze_if_safe(mach_port_t port, int64_t java_thread, int check_state, kern_return_t *err) {
    uint64_t pc = 0;
    *err = suspend_and_read_pc(port, &pc);
    if (*err != KERN_SUCCESS) return -1;
    if (!check_state) return 1;
    int32_t st = tk_read_state(java_thread);   /* stable now: the thread does not run */
    if (st == TK_STATE_IN_NATIVE || (st == TK_STATE_BLOCKED && in_system_call(pc))) return 1;
    *err = thread_resume(port);
    return *err == KERN_SUCCESS ? 0 : -1;
}

static int claim_slot(void) {
    for (;;) {
        for (int i = 0; i < TK_SLOTS; i++) {
            uint32_t expected = SLOT_FREE;
            if (__atomic_compare_exchange_n(&slots[i].state, &expected, SLOT_CLAIMED, 0, __ATOMIC_ACQ_REL,
                                            __ATOMIC_RELAXED)) {
                return i;
            }
        }
        sched_yield();
    }
}

void tk_mech_kill(JNIEnv *env, jobject thread, int mode, int64_t wait_ns, int32_t fallback_tid, int64_t *out) {
    int64_t t0 = tk_now_ns();
    int64_t deadline = wait_ns <= 0 ? t0 : wait_ns > INT64_MAX - t0 ? INT64_MAX : t0 + wait_ns;
    int suspended = 0, slot = -1;
    mach_port_t port = MACH_PORT_NULL;
    out[TK_OUT_STATUS] = TK_KILL_TERMINATED;
    out[TK_OUT_ENTERED_NS] = -1;
    out[TK_OUT_STOPPED_NS] = -1;
    out[TK_OUT_TID] = -1;
    out[TK_OUT_STATE] = TK_STATE_UNKNOWN;
    /* The flags of the Linux freeze's safe point: a thread the caller holds JVMTI-suspended is
     * suspended once more here (suspensions nest, the caller's resume leaves ours); there is no
     * native scan to shorten. */
    mode &= ~(TK_MODE_FLAG_SUSPENDED | TK_MODE_FLAG_LEAF_NATIVE);

    if (mode != TK_MODE_ACK && mode != TK_MODE_FREEZE && mode != TK_MODE_EXIT && mode != TK_MODE_CANCEL) {
        tk_throw(env, "java/lang/IllegalArgumentException", "unknown kill mode %d", mode);
        return;
    }
    if ((mode == TK_MODE_EXIT || mode == TK_MODE_CANCEL) && !installed) {
        tk_throw(env, ISE, "threadkill's signal handler is not installed");
        return;
    }
    int32_t state_before = TK_STATE_UNKNOWN;
    if (mode == TK_MODE_FREEZE) {
        struct tk_thread_ids pre;
        if (tk_resolve(env, thread, &pre) > 0) {
            if ((uint32_t) pre.tid == (uint32_t) tk_current_tid()) {   /* JVMTI would suspend us for good */
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
    out[TK_OUT_TID] = ids.tid;
    out[TK_OUT_STATE] = mode == TK_MODE_FREEZE && state_before != TK_STATE_UNKNOWN ? state_before : ids.state;
    out[TK_OUT_JAVA_THREAD] = ids.java_thread;
    out[TK_OUT_PTHREAD] = (int64_t) ids.pthread;
    if ((uint32_t) ids.tid == (uint32_t) tk_current_tid()) {
        tk_throw(env, "java/lang/IllegalArgumentException", "refusing to kill the calling thread");
        goto done;
    }
    /* A send right of our own: the port name now names this thread for as long as we hold it. */
    if (mach_port_mod_refs(mach_task_self(), (mach_port_name_t) ids.tid, MACH_PORT_RIGHT_SEND, 1) != KERN_SUCCESS) {
        goto done;   /* no such port any more: the thread is gone */
    }
    port = (mach_port_t) ids.tid;
    if (tk_eetop(env, thread) != ids.java_thread || thread_gone(port)) goto done;
    out[TK_OUT_PIDFD] = 1;   /* acted through an identity-pinning reference, like a pidfd */

    if (mode == TK_MODE_FREEZE) {
        for (int round = 0;; round++) {
            kern_return_t kr;
            int f = freeze_if_safe(port, ids.java_thread, check_state, &kr);
            if (f > 0) break;
            if (f < 0) {
                if (!thread_gone(port)) tk_throw(env, ISE, "thread_suspend/thread_get_state failed: %s (%d)",
                                                 mach_error_string(kr), kr);
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
        uint64_t pc;
        kern_return_t kr = suspend_and_read_pc(port, &pc);
        if (kr != KERN_SUCCESS) {
            if (!thread_gone(port)) tk_throw(env, ISE, "thread_suspend failed: %s (%d)", mach_error_string(kr), kr);
            goto done;
        }
        out[TK_OUT_ENTERED_NS] = out[TK_OUT_STOPPED_NS] = tk_now_ns() - t0;
        kr = thread_resume(port);
        if (kr != KERN_SUCCESS) {
            tk_throw(env, ISE, "thread_resume failed, the thread stays suspended: %s (%d)", mach_error_string(kr), kr);
            goto done;
        }
        out[TK_OUT_STATUS] = TK_KILL_STOPPED;
    } else {
        slot = claim_slot();
        struct kill_slot *s = &slots[slot];
        s->port = (uint32_t) port;
        s->mode = mode;
        s->entered_ns = 0;
        __atomic_store_n(&s->state, SLOT_ARMED, __ATOMIC_RELEASE);
        int rc = pthread_kill((pthread_t) (uintptr_t) ids.pthread, TK_MACOS_SIGNAL);
        if (rc != 0) {
            if (rc != ESRCH) tk_throw_errno(env, ISE, rc, "pthread_kill(SIGUSR1) failed");
            goto done;
        }
        for (int round = 0; __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != SLOT_ENTERED; round++) {
            if (tk_now_ns() >= deadline) {
                uint32_t expected = SLOT_ARMED;
                if (__atomic_compare_exchange_n(&s->state, &expected, SLOT_FREE, 0, __ATOMIC_ACQ_REL,
                                                __ATOMIC_ACQUIRE)) {
                    slot = -1;   /* released: a late signal finds nothing armed */
                    out[TK_OUT_STATUS] = TK_KILL_NOT_DELIVERED;
                    goto done;
                }
            }
            pause_before_retry(round);
        }
        out[TK_OUT_ENTERED_NS] = s->entered_ns - t0;
        out[TK_OUT_STATUS] = TK_KILL_STILL_RUNNING;
        for (int round = 0; tk_now_ns() < deadline; round++) {
            if (thread_gone(port)) {
                out[TK_OUT_STATUS] = TK_KILL_STOPPED;
                out[TK_OUT_STOPPED_NS] = tk_now_ns() - t0;
                break;
            }
            pause_before_retry(round);
        }
    }

done:
    if (slot >= 0) __atomic_store_n(&slots[slot].state, SLOT_FREE, __ATOMIC_RELEASE);
    if (port != MACH_PORT_NULL) mach_port_deallocate(mach_task_self(), port);   /* never resumes it */
    if (suspended) tk_jvmti_resume(env, thread);
}
