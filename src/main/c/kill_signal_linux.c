/*
 * kill_signal_linux.c: the Linux kill mechanism (kill_mechanism.h): a signal of our own, whose
 * handler acknowledges, freezes, exits or cancels the thread it lands on.
 *
 * One real-time signal, installed once with sigaction. The killer arms a request slot, sends the
 * signal with a payload naming the slot (SI_QUEUE), and watches the slot. The handler acts only on a
 * request it can match: sent by this process, to this very tid, for a slot still armed with the
 * same generation. A stray or late signal therefore does nothing.
 *
 * The target is addressed by a thread pidfd (pidfd_open with PIDFD_THREAD, Linux 6.9+), opened
 * while the thread is verifiably alive: a pidfd names one task for good, so a signal sent through
 * it can never reach a thread that reused the tid. Older kernels fall back to rt_tgsigqueueinfo
 * with the same eetop re-check just before sending (a narrow window remains; docs say so).
 * Which of these is used is decided once, at install, by sending the signal to a thread of our
 * own (probe_delivery); under qemu-user, which refuses a pidfd signal with a payload, the pidfd
 * is kept and the payload dropped (the handler then matches the armed slot by its tid).
 *
 * Everything the handler calls is async-signal-safe (syscall, clock_gettime, sigsuspend, the
 * register reads of arch_<cpu>.c), except pthread_exit and pthread_cancel, which are the point of
 * those modes; libgcc_s is loaded before the first kill so that the forced unwind never dlopens it
 * inside the handler.
 */
#define _GNU_SOURCE
#include "kill_mechanism.h"
#include "arch.h"
#include "freeze_safety.h"
#include "hotspot_threads.h"
#include "jvmti_ops.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

#define TK_SLOTS 64

enum slot_state { SLOT_FREE = 0, SLOT_CLAIMED, SLOT_ARMED, SLOT_ENTERED, SLOT_CANCELLED };

/* FREEZE only: the killer looks at the stopped victim and tells the handler whether to stay. */
enum freeze_verdict { VERDICT_PENDING = 0, VERDICT_STAY, VERDICT_RETURN };

struct kill_slot {
    uint32_t state;      /* enum slot_state, atomic */
    uint32_t gen;        /* bumped at every claim; stale signals carry an old one */
    int32_t tid;
    int32_t mode;
    int64_t entered_ns;
    struct tk_arch_syscall syscall_seen;   /* FREEZE: the system call the handler interrupted, if any */
    uintptr_t pc, sp;    /* FREEZE: where the handler interrupted the thread */
    uint32_t facts_gen;  /* FREEZE: the generation whose in_syscall, wait_word, pc, sp are written */
    uintptr_t link;      /* FREEZE: a return address still in a register (aarch64), or 0 */
    uint32_t verdict;    /* enum freeze_verdict, atomic */
    uint32_t verdict_seen;
};

static struct kill_slot slots[TK_SLOTS];
static int kill_signal = -1;
static pid_t own_pid;
/* How the kill signal reaches one thread: chosen once at install by probe_delivery(), which sends
 * the signal to a thread of our own and keeps the strongest way that arrives as sent. */
enum delivery {
    DELIVERY_NONE = 0,
    DELIVERY_PIDFD_QUEUE,   /* thread pidfd + SI_QUEUE payload: the strong path (Linux 6.9+ hardware) */
    DELIVERY_PIDFD_TKILL,   /* thread pidfd, no payload (SI_TKILL): the handler matches by tid (qemu-user) */
    DELIVERY_TGSIGQUEUE     /* rt_tgsigqueueinfo + payload, the tid re-checked before sending (kernels < 6.9) */
};
static int delivery = DELIVERY_NONE;

/* The install-time probe: a thread of our own, which the handler recognises by its tid. */
static struct {
    pid_t tid;          /* atomic; 0 when no probe runs */
    uint32_t seen;      /* futex word: the handler ran in the probe thread */
    uint32_t done;      /* futex word: the probe thread may end */
    int32_t code;
    uint64_t value;
} probe;
static uint64_t stray_signals;       /* handler runs that matched no request: proof of a mis-aimed signal */
static int unchecked_freeze;         /* demonstration switch: no native safe point */

/* Futex wait and wake on a 32-bit word of a slot: both are plain system calls, so the handler may
 * use them. A waker never needs to know whether anyone sleeps. */
static void futex_wait_until(uint32_t *word, uint32_t while_value, int64_t deadline) {
    int64_t left = deadline - tk_now_ns();
    if (left <= 0) return;
    struct timespec ts = { (time_t) (left / 1000000000), (long) (left % 1000000000) };
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, while_value, &ts, NULL, 0);
}

static void futex_wake_all(uint32_t *word) {
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
}

static uint64_t payload(unsigned slot, uint32_t gen, int mode) {
    return ((uint64_t) gen << 16) | ((uint64_t) slot << 8) | (uint64_t) (mode & 0xff);
}

static void kill_handler(int sig, siginfo_t *info, void *uctx) {
    (void) sig;
    int saved_errno = errno;
    if (info == NULL || info->si_pid != own_pid) goto out;
    pid_t self = tk_current_tid();
    pid_t probing = __atomic_load_n(&probe.tid, __ATOMIC_ACQUIRE);
    if (probing != 0 && probing == self) {
        probe.code = info->si_code;
        probe.value = (uint64_t) (uintptr_t) info->si_value.sival_ptr;
        __atomic_store_n(&probe.seen, 1, __ATOMIC_RELEASE);
        futex_wake_all(&probe.seen);
        goto out;
    }
    struct kill_slot *s = NULL;
    int mode;
    if (delivery == DELIVERY_PIDFD_TKILL) {
        /* No payload (qemu-user): the request is the armed slot naming this very thread. The
         * pidfd aimed the signal at this task, so an armed slot with our tid is ours. Only this
         * delivery accepts SI_TKILL; the others want the payload and its generation. */
        if (info->si_code != SI_TKILL) goto out;
        for (int i = 0; i < TK_SLOTS && s == NULL; i++) {
            if (__atomic_load_n(&slots[i].state, __ATOMIC_ACQUIRE) == SLOT_ARMED && slots[i].tid == self) s = &slots[i];
        }
        if (s == NULL) goto stray;
        mode = s->mode;
    } else {
        if (info->si_code != SI_QUEUE) goto out;
        uint64_t v = (uint64_t) (uintptr_t) info->si_value.sival_ptr;
        unsigned slot = (unsigned) ((v >> 8) & 0xff);
        mode = (int) (v & 0xff);
        uint32_t gen = (uint32_t) (v >> 16);
        if (slot >= TK_SLOTS) goto stray;
        s = &slots[slot];
        if (__atomic_load_n(&s->gen, __ATOMIC_ACQUIRE) != gen || s->tid != self || s->mode != mode) goto stray;
    }
    uint32_t expected = SLOT_ARMED;
    s->entered_ns = tk_now_ns();
    if (!__atomic_compare_exchange_n(&s->state, &expected, SLOT_ENTERED, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) goto stray;
    futex_wake_all(&s->state);

    switch (mode) {
    case TK_MODE_FREEZE: {
        tk_arch_interrupted_syscall(uctx, &s->syscall_seen);
        tk_arch_frame(uctx, &s->pc, &s->sp);
        s->link = tk_arch_link(uctx);
        /* Published only now: the killer, woken by the state change above, must not judge the
         * previous attempt's facts (seen: a stale "in user code" froze a thread inside malloc). */
        __atomic_store_n(&s->facts_gen, __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
        futex_wake_all(&s->facts_gen);
        /* Wait for the killer's verdict: it reads the JVM's view of this thread now that it
         * cannot move, and sends it back if the freeze would catch it somewhere unsafe. */
        int64_t give_up = tk_now_ns() + 5000000000LL;
        uint32_t v;
        while ((v = __atomic_load_n(&s->verdict, __ATOMIC_ACQUIRE)) == VERDICT_PENDING && tk_now_ns() < give_up) {
            futex_wait_until(&s->verdict, VERDICT_PENDING, give_up);
        }
        __atomic_store_n(&s->verdict_seen, 1, __ATOMIC_RELEASE);
        futex_wake_all(&s->verdict_seen);   /* the slot is not touched after this */
        if (v == VERDICT_RETURN) break;
        /* Park for good with the mask the thread had, so the JVM's own signals are still taken
         * (and returned from) while we stay here. */
        const sigset_t *mask = &((ucontext_t *) uctx)->uc_sigmask;
        for (;;) sigsuspend(mask);
    }
    case TK_MODE_EXIT:
        pthread_exit(NULL);
    case TK_MODE_CANCEL:
        /* The same request another thread's pthread_cancel would make, made from the only thread
         * that certainly is the target. In a cancellable syscall this unwinds now; elsewhere it
         * acts at the next cancellation point. */
        pthread_cancel(pthread_self());
        break;
    default:
        break;
    }
    goto out;
stray:
    __atomic_add_fetch(&stray_signals, 1, __ATOMIC_RELAXED);
out:
    errno = saved_errno;
}

void tk_mech_configure(int unchecked) {
    unchecked_freeze = unchecked;
}

void tk_mech_describe(uintptr_t address, char *buf, size_t len) {
    tk_safety_describe(address, buf, len);
}

uint64_t tk_mech_stray_signals(void) {
    return __atomic_load_n(&stray_signals, __ATOMIC_RELAXED);
}

static void *exit_at_once(void *arg) {
    (void) arg;
    pthread_exit(NULL);
}

/* glibc loads libgcc_s on the first forced unwind; make that first unwind happen here, on a
 * throwaway thread, rather than inside a signal handler. */
static int preload_unwinder(void) {
    pthread_t t;
    int rc = pthread_create(&t, NULL, exit_at_once, NULL);
    if (rc != 0) return rc;
    return pthread_join(t, NULL);
}

static void fill_queue_info(siginfo_t *info, uint64_t value) {
    memset(info, 0, sizeof *info);
    info->si_signo = kill_signal;
    info->si_code = SI_QUEUE;
    info->si_pid = own_pid;
    info->si_uid = getuid();
    info->si_value.sival_ptr = (void *) (uintptr_t) value;
}

static int send_by(int how, int pidfd, pid_t tid, uint64_t value) {
    siginfo_t info;
    switch (how) {
    case DELIVERY_PIDFD_QUEUE:
        fill_queue_info(&info, value);
        return (int) syscall(SYS_pidfd_send_signal, pidfd, kill_signal, &info, 0);
    case DELIVERY_PIDFD_TKILL:
        return (int) syscall(SYS_pidfd_send_signal, pidfd, kill_signal, NULL, 0);
    case DELIVERY_TGSIGQUEUE:
        fill_queue_info(&info, value);
        return (int) syscall(SYS_rt_tgsigqueueinfo, own_pid, tid, kill_signal, &info);
    default:
        errno = ENOSYS;
        return -1;
    }
}

static void *probe_thread(void *arg) {
    (void) arg;
    __atomic_store_n(&probe.tid, tk_current_tid(), __ATOMIC_RELEASE);
    int64_t give_up = tk_now_ns() + 60000000000LL;
    while (!__atomic_load_n(&probe.done, __ATOMIC_ACQUIRE) && tk_now_ns() < give_up) {
        futex_wait_until(&probe.done, 0, give_up);
    }
    return NULL;
}

/* One way of sending, tried on the probe thread: did the handler run there, with what was sent? */
static int probe_one(int how, int pidfd, pid_t tid, int *err) {
    const uint64_t magic = 0x7e57ab1e00ULL | (uint64_t) how;
    probe.code = 0;
    probe.value = 0;
    __atomic_store_n(&probe.seen, 0, __ATOMIC_RELEASE);
    errno = 0;
    if (send_by(how, pidfd, tid, magic) != 0) {
        *err = errno;
        return 0;
    }
    /* Microseconds on hardware; seconds allowed for an emulator on a loaded machine. */
    int64_t give_up = tk_now_ns() + 10000000000LL;
    while (!__atomic_load_n(&probe.seen, __ATOMIC_ACQUIRE) && tk_now_ns() < give_up) {
        futex_wait_until(&probe.seen, 0, give_up);
    }
    if (!__atomic_load_n(&probe.seen, __ATOMIC_ACQUIRE)) {
        *err = ETIMEDOUT;
        return 0;
    }
    int ok = how == DELIVERY_PIDFD_TKILL ? probe.code == SI_TKILL : probe.code == SI_QUEUE && probe.value == magic;
    *err = ok ? 0 : EPROTO;
    return ok;
}

/* Chooses how kills are sent, by sending the installed signal to a thread of our own: the first
 * way, strongest first, that arrives as sent. On Linux 6.9+ hardware that is the thread pidfd with
 * a payload. qemu-user (7.2) maps the guest's signal number to another host signal but passes the
 * siginfo's si_signo unchanged, so the kernel refuses pidfd_send_signal with a siginfo there
 * (EINVAL: sig != si_signo); the pidfd without a siginfo still reaches the right task.
 * Kernels without thread pidfds get rt_tgsigqueueinfo, as before. */
static int probe_delivery(JNIEnv *env) {
    memset(&probe, 0, sizeof probe);
    pthread_t t;
    int rc = pthread_create(&t, NULL, probe_thread, NULL);
    if (rc != 0) {
        tk_throw_errno(env, "java/lang/IllegalStateException", rc, "could not start the signal probe thread");
        return -1;
    }
    pid_t tid;
    while ((tid = __atomic_load_n(&probe.tid, __ATOMIC_ACQUIRE)) == 0) sched_yield();
    int chosen = DELIVERY_NONE;
    int err_queue = 0, err_tkill = 0, err_tg = 0, err_open = 0;
    int fd = (int) syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
    if (fd < 0) err_open = errno;
    if (fd >= 0 && probe_one(DELIVERY_PIDFD_QUEUE, fd, tid, &err_queue)) chosen = DELIVERY_PIDFD_QUEUE;
    else if (fd >= 0 && probe_one(DELIVERY_PIDFD_TKILL, fd, tid, &err_tkill)) chosen = DELIVERY_PIDFD_TKILL;
    else if (probe_one(DELIVERY_TGSIGQUEUE, -1, tid, &err_tg)) chosen = DELIVERY_TGSIGQUEUE;
    if (fd >= 0) close(fd);
    __atomic_store_n(&probe.done, 1, __ATOMIC_RELEASE);
    futex_wake_all(&probe.done);
    pthread_join(t, NULL);
    __atomic_store_n(&probe.tid, 0, __ATOMIC_RELEASE);
    if (chosen == DELIVERY_NONE) {
        char b1[64], b2[64], b3[64], b4[64];
        tk_throw(env, "java/lang/IllegalStateException",
                 "signal %d reaches no thread here (pidfd_open: %s; pidfd_send_signal with payload: %s, without: %s; "
                 "rt_tgsigqueueinfo: %s); choose another with -Dthreadkill.signal=<offset from SIGRTMIN>",
                 kill_signal, err_open ? tk_strerror(err_open, b1, sizeof b1) : "ok",
                 fd < 0 ? "not tried" : tk_strerror(err_queue, b2, sizeof b2),
                 fd < 0 ? "not tried" : tk_strerror(err_tkill, b3, sizeof b3), tk_strerror(err_tg, b4, sizeof b4));
        return -1;
    }
    delivery = chosen;
    return 0;
}

const char *tk_mech_delivery(void) {
    switch (delivery) {
    case DELIVERY_PIDFD_QUEUE: return "pidfd+payload";
    case DELIVERY_PIDFD_TKILL: return "pidfd";
    case DELIVERY_TGSIGQUEUE: return "rt_tgsigqueueinfo";
    default: return "none";
    }
}

int tk_mech_signal_range(int max) {
    return max ? SIGRTMAX : SIGRTMIN;
}

static int install(JNIEnv *env, int sig) {
    if (kill_signal == sig) return 0;
    if (kill_signal != -1) {
        tk_throw(env, "java/lang/IllegalStateException",
                 "threadkill already uses signal %d; it cannot switch to %d", kill_signal, sig);
        return -1;
    }
    if (sig < SIGRTMIN || sig > SIGRTMAX) {
        tk_throw(env, "java/lang/IllegalArgumentException",
                 "signal %d is not a real-time signal (SIGRTMIN=%d, SIGRTMAX=%d); set -Dthreadkill.signal to an offset from SIGRTMIN",
                 sig, SIGRTMIN, SIGRTMAX);
        return -1;
    }
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0) {
        tk_throw_errno(env, "java/lang/IllegalStateException", errno, "sigaction(%d) query failed", sig);
        return -1;
    }
    int has_handler = (old.sa_flags & SA_SIGINFO) ? old.sa_sigaction != NULL
                                                   : (old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN);
    if (has_handler && old.sa_sigaction != kill_handler) {
        /* jni_entry.c sends every copy of this build to the oldest one, so a handler in another
         * copy means that copy could not be joined (Native.copies0 says why). */
        uintptr_t at = (old.sa_flags & SA_SIGINFO) ? (uintptr_t) old.sa_sigaction : (uintptr_t) old.sa_handler;
        Dl_info where;
        const char *file = dladdr((void *) at, &where) != 0 && where.dli_fname != NULL ? where.dli_fname : "an unnamed object";
        if (tk_in_other_copy(at)) {
            tk_throw(env, "java/lang/IllegalStateException",
                     "signal SIGRTMIN+%d (%d) is handled by another copy of this threadkill build (%s, loaded by "
                     "another class loader) that this copy could not join; choose another with "
                     "-Dthreadkill.signal=<offset from SIGRTMIN>", sig - SIGRTMIN, sig, file);
        } else {
            tk_throw(env, "java/lang/IllegalStateException",
                     "signal SIGRTMIN+%d (%d) already has a handler that this threadkill build did not install "
                     "(in %s: another library, or another version of threadkill loaded by another class loader; "
                     "class loaders share one handler only when they load the same build); "
                     "choose another with -Dthreadkill.signal=<offset from SIGRTMIN>", sig - SIGRTMIN, sig, file);
        }
        return -1;
    }
    int rc = preload_unwinder();
    if (rc != 0) {
        tk_throw_errno(env, "java/lang/IllegalStateException", rc, "could not preload the unwinder (libgcc_s)");
        return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = kill_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0) {
        tk_throw_errno(env, "java/lang/IllegalStateException", errno, "sigaction(%d) failed", sig);
        return -1;
    }
    own_pid = getpid();
    /* What the freeze's safe point needs, found now, on the installing thread, not during a kill. */
    tk_calibrate_critical(env);
    tk_safety_refresh();
    kill_signal = sig;
    if (probe_delivery(env) != 0) {
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        sigaction(sig, &dfl, NULL);
        kill_signal = -1;
        return -1;
    }
    return 0;
}

void tk_mech_install(JNIEnv *env, int sig) {
    (void) install(env, sig);
}

/* A free slot, or -1 when all stayed in use until the deadline: we sleep between looks, never
 * spin (Java lets one native kill run at a time, so this is a safety net). */
static int claim_slot(int64_t deadline) {
    for (;;) {
        for (int i = 0; i < TK_SLOTS; i++) {
            uint32_t expected = SLOT_FREE;
            if (__atomic_compare_exchange_n(&slots[i].state, &expected, SLOT_CLAIMED, 0,
                                            __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
                return i;
            }
        }
        if (tk_now_ns() >= deadline) return -1;
        struct timespec ts = { 0, 100 * 1000 };
        nanosleep(&ts, NULL);
    }
}

static void release_slot(int i) {
    __atomic_store_n(&slots[i].state, SLOT_FREE, __ATOMIC_RELEASE);
}

static int open_thread_pidfd(pid_t tid) {
    if (delivery == DELIVERY_TGSIGQUEUE) return -2;
    int fd = (int) syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
    return fd >= 0 ? fd : -1;   /* ESRCH: gone (the probe saw thread pidfds work) */
}

static int task_exists(pid_t tid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d", (int) tid);
    return access(path, F_OK) == 0;
}

static void sleep_ns(long ns) {
    struct timespec ts = { 0, ns };
    nanosleep(&ts, NULL);
}

/* Wait until pred(slot) or the deadline: spin briefly (the usual case is tens of microseconds),
 * then sleep in small steps. */
static int wait_entered(struct kill_slot *s, int64_t deadline) {
    for (;;) {
        uint32_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
        if (st == SLOT_ENTERED) return 1;
        if (tk_now_ns() >= deadline) return 0;
        futex_wait_until(&s->state, st, deadline);   /* the handler wakes us */
    }
}

static int wait_task_gone(int pidfd, pid_t tid, int64_t deadline) {
    for (int spins = 0;; spins++) {
        if (pidfd >= 0) {   /* a thread pidfd turns readable when the thread has exited */
            int64_t left = deadline - tk_now_ns();
            if (left < 0) left = 0;
            struct timespec ts = { (time_t) (left / 1000000000), (long) (left % 1000000000) };
            struct pollfd p = { .fd = pidfd, .events = POLLIN };
            if (ppoll(&p, 1, &ts, NULL) > 0 && (p.revents & (POLLIN | POLLHUP))) return 1;
        } else if (!task_exists(tid)) {
            return 1;
        }
        if (tk_now_ns() >= deadline) return 0;
        if (pidfd < 0) {
            if (spins < 2000) sched_yield(); else sleep_ns(100 * 1000);
        }
    }
}

/* FREEZE waits for the suspended victim to be in native code or blocked; the handler's verdict
 * then checks where exactly it stopped. The caller has suspended it, so a blocked thread cannot go
 * back to Java in the meantime. */
static int wait_freezable(int64_t java_thread, int64_t deadline) {
    if (java_thread == 0 || tk_read_state(java_thread) == TK_STATE_UNKNOWN) return TK_STATE_UNKNOWN;
    for (int spins = 0;; spins++) {
        int32_t st = tk_read_state(java_thread);
        if (st == TK_STATE_IN_NATIVE || st == TK_STATE_BLOCKED) return st;
        if (tk_now_ns() >= deadline) return -1;
        if (spins < 200) sched_yield(); else sleep_ns(20 * 1000);
    }
}

/* The interrupted call was the thread's own wait: its first argument (the futex word) lies in the
 * thread's JavaThread or park events. Where the architecture lost that argument (aarch64 after a
 * timed wait), a callee-saved register pointing there, other than the JavaThread itself (a plain
 * `thread` variable), stands in for it. */
static int blocked_in_own_wait(int64_t java_thread, const struct tk_arch_syscall *sc) {
    if (!sc->in_syscall) return 0;
    if (sc->exact) return tk_is_own_wait(java_thread, (uintptr_t) sc->words[0]);
    for (int i = 0; i < sc->n && i < TK_ARCH_MAX_WORDS; i++) {
        if (sc->words[i] != (uint64_t) java_thread && tk_is_own_wait(java_thread, (uintptr_t) sc->words[i])) return 1;
    }
    return 0;
}

static int send_signal(int pidfd, pid_t tid, uint64_t value) {
    return send_by(delivery, pidfd, tid, value);
}

void tk_mech_kill(JNIEnv *env, jobject thread, int mode, int64_t wait_ns, int32_t fallback_tid,
                  int64_t *out) {
    int64_t t0 = tk_now_ns();
    int64_t deadline = wait_ns > INT64_MAX - t0 ? INT64_MAX : t0 + wait_ns;
    int suspended = 0, pidfd = -1, slot = -1;
    int presuspended = (mode & TK_MODE_FLAG_SUSPENDED) != 0;
    int leaf_native = (mode & TK_MODE_FLAG_LEAF_NATIVE) != 0;
    mode &= ~(TK_MODE_FLAG_SUSPENDED | TK_MODE_FLAG_LEAF_NATIVE);
    out[TK_OUT_STATUS] = TK_KILL_TERMINATED;
    out[TK_OUT_ENTERED_NS] = -1;
    out[TK_OUT_STOPPED_NS] = -1;
    out[TK_OUT_TID] = -1;
    out[TK_OUT_STATE] = TK_STATE_UNKNOWN;

    if (kill_signal < 0) {
        tk_throw(env, "java/lang/IllegalStateException", "threadkill's signal handler is not installed");
        return;
    }
    int32_t state_before = TK_STATE_UNKNOWN;
    if (mode == TK_MODE_FREEZE) {
        struct tk_thread_ids pre;   /* the state to report is the one before the suspension */
        if (tk_resolve(env, thread, &pre) > 0) {
            state_before = pre.state;
            /* A JavaThread whose OS thread is gone (an earlier NATIVE_EXIT): a JVMTI suspension
             * would wait for it forever. */
            if (!task_exists(pre.tid)) return;
        }
        tk_safety_refresh();   /* libraries loaded since the last kill (cached for a second) */
        if (!presuspended) {   /* else the caller holds it suspended, and resumes it */
            int err = tk_jvmti_suspend(env, thread);
            if (err == JVMTI_ERROR_THREAD_NOT_ALIVE) return;
            if (err != JVMTI_ERROR_NONE) {
                tk_throw(env, "java/lang/IllegalStateException",
                         "JVMTI SuspendThread failed before the freeze: %s (%d)", tk_jvmti_error_name(err), err);
                return;
            }
            suspended = 1;
        }
    }

    struct tk_thread_ids ids;
    if (tk_resolve_or_fallback(env, thread, fallback_tid, &ids) == 0) goto done;
    out[TK_OUT_TID] = ids.tid;
    out[TK_OUT_STATE] = mode == TK_MODE_FREEZE && state_before != TK_STATE_UNKNOWN ? state_before : ids.state;
    out[TK_OUT_JAVA_THREAD] = ids.java_thread;
    out[TK_OUT_PTHREAD] = (int64_t) ids.pthread;
    if (ids.tid == tk_current_tid()) {
        tk_throw(env, "java/lang/IllegalArgumentException", "refusing to signal the calling thread");
        goto done;
    }

    if (mode == TK_MODE_FREEZE) {
        if (wait_freezable(ids.java_thread, deadline) < 0) {
            out[TK_OUT_STATUS] = TK_KILL_NOT_SAFE;
            out[TK_OUT_REASON] = TK_UNSAFE_STATE;
            goto done;
        }
    }

    pidfd = open_thread_pidfd(ids.tid);
    if (pidfd == -1) goto done;               /* the task is gone */
    out[TK_OUT_PIDFD] = pidfd >= 0;
    /* Still the same JavaThread after the pidfd was opened: the pidfd names our thread. */
    if (tk_eetop(env, thread) != ids.java_thread) goto done;

    for (int attempt = 0;; attempt++) {
        if (attempt > 0 && tk_eetop(env, thread) != ids.java_thread) goto done;   /* it ended meanwhile */
        if (attempt > 0 && wait_freezable(ids.java_thread, deadline) < 0) {
            out[TK_OUT_STATUS] = TK_KILL_NOT_SAFE;
            if (out[TK_OUT_REASON] == TK_UNSAFE_NONE) out[TK_OUT_REASON] = TK_UNSAFE_STATE;
            goto done;
        }
        slot = claim_slot(deadline);
        if (slot < 0) {
            out[TK_OUT_STATUS] = TK_KILL_NO_SLOT;
            goto done;
        }
        struct kill_slot *s = &slots[slot];
        s->tid = ids.tid;
        s->mode = mode;
        s->entered_ns = 0;
        memset(&s->syscall_seen, 0, sizeof s->syscall_seen);
        s->pc = 0;
        s->sp = 0;
        s->link = 0;
        s->facts_gen = 0;
        s->verdict = VERDICT_PENDING;
        s->verdict_seen = 0;
        uint32_t gen = __atomic_add_fetch(&s->gen, 1, __ATOMIC_ACQ_REL);
        __atomic_store_n(&s->state, SLOT_ARMED, __ATOMIC_RELEASE);

        if (send_signal(pidfd, ids.tid, payload((unsigned) slot, gen, mode)) != 0) {
            if (errno != ESRCH) {
                tk_throw_errno(env, "java/lang/IllegalStateException", errno, "sending signal %d to tid %d failed",
                               kill_signal, (int) ids.tid);
            }
            goto done;
        }
        if (!wait_entered(s, deadline)) {
            uint32_t expected = SLOT_ARMED;
            if (__atomic_compare_exchange_n(&s->state, &expected, SLOT_CANCELLED, 0, __ATOMIC_ACQ_REL,
                                            __ATOMIC_ACQUIRE)) {
                /* The wait ran out while a retry was on its way: the answer is the earlier refusal. */
                out[TK_OUT_STATUS] = attempt > 0 && out[TK_OUT_REASON] != TK_UNSAFE_NONE ? TK_KILL_NOT_SAFE
                                                                                        : TK_KILL_NOT_DELIVERED;
                goto done;
            }
        }
        out[TK_OUT_ENTERED_NS] = s->entered_ns - t0;
        if (mode != TK_MODE_FREEZE) break;

        /* The victim sits in the handler and cannot move: its JVM state is what it will be
         * forever. Frozen in native code, or blocked inside a system call, the JVM never waits for
         * it; anywhere else (a transition, the VM itself, holding the mutex of a wait it is about
         * to enter) it would. Then let it go on, wait for it to settle and try again: it is
         * suspended, so it cannot get back to Java code meanwhile. */
        /* In native code, it must also hold none of the process-wide locks the JVM and the C
         * library need (freeze_safety.h), and be outside any JNI critical region. */
        /* The handler writes what it saw just after it claimed the request: wait for those facts. */
        int64_t facts_deadline = tk_now_ns() + 5000000000LL;
        uint32_t fg;
        while ((fg = __atomic_load_n(&s->facts_gen, __ATOMIC_ACQUIRE)) != gen && tk_now_ns() < facts_deadline) {
            futex_wait_until(&s->facts_gen, fg, facts_deadline);
        }
        int64_t check_t0 = tk_now_ns();
        int32_t st = tk_read_state(ids.java_thread);
        int reason = TK_UNSAFE_NONE;
        uintptr_t where = 0;
        if (fg != gen) {
            reason = TK_UNSAFE_STACK;   /* the handler never said where it stopped: refuse */
        } else if (ids.state == TK_STATE_UNKNOWN) {
            /* no vmStructs: nothing to check against */
        } else if (st == TK_STATE_IN_NATIVE) {
            if (!unchecked_freeze) {
                reason = tk_safety_native_stack(ids.java_thread, s->pc, s->sp, s->syscall_seen.in_syscall, leaf_native,
                                                &where);
                if (reason == TK_UNSAFE_NONE && s->link != 0 && (reason = tk_safety_code_address(s->link)) != TK_UNSAFE_NONE) {
                    where = s->link;
                }
                if (reason == TK_UNSAFE_NONE && tk_jni_critical(ids.java_thread) != 0) reason = TK_UNSAFE_CRITICAL;
            }
        } else if (!(st == TK_STATE_BLOCKED && blocked_in_own_wait(ids.java_thread, &s->syscall_seen))) {
            reason = TK_UNSAFE_STATE;
        } else if (!unchecked_freeze && tk_jni_critical(ids.java_thread) != 0) {
            /* Asleep in a wait of its own, yet still inside a critical region: seen suspended on
             * the way into ReleasePrimitiveArrayCritical, before the region is left. */
            reason = TK_UNSAFE_CRITICAL;
        }
        int safe = reason == TK_UNSAFE_NONE;
        out[TK_OUT_CHECK_NS] = tk_now_ns() - check_t0;
        out[TK_OUT_REASON] = reason;
        out[TK_OUT_WHERE] = (int64_t) where;
        __atomic_store_n(&s->verdict, safe ? VERDICT_STAY : VERDICT_RETURN, __ATOMIC_RELEASE);
        futex_wake_all(&s->verdict);
        int64_t seen_deadline = tk_now_ns() + 5000000000LL;
        while (!__atomic_load_n(&s->verdict_seen, __ATOMIC_ACQUIRE) && tk_now_ns() < seen_deadline) {
            futex_wait_until(&s->verdict_seen, 0, seen_deadline);
        }
        release_slot(slot);
        slot = -1;
        if (safe) break;
        out[TK_OUT_ENTERED_NS] = -1;
        if (tk_now_ns() >= deadline) {
            out[TK_OUT_STATUS] = TK_KILL_NOT_SAFE;
            goto done;
        }
        sleep_ns(50 * 1000);
    }

    if (mode == TK_MODE_FREEZE || mode == TK_MODE_ACK) {
        out[TK_OUT_STATUS] = TK_KILL_STOPPED;
        out[TK_OUT_STOPPED_NS] = out[TK_OUT_ENTERED_NS];
    } else if (wait_task_gone(pidfd, ids.tid, deadline)) {
        out[TK_OUT_STATUS] = TK_KILL_STOPPED;
        out[TK_OUT_STOPPED_NS] = tk_now_ns() - t0;
    } else {
        out[TK_OUT_STATUS] = TK_KILL_STILL_RUNNING;
    }

done:
    if (slot >= 0) release_slot(slot);
    if (pidfd >= 0) close(pidfd);
    if (suspended) tk_jvmti_resume(env, thread);
}
