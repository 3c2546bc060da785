/*
 * arch_check: the unit check of src/main/c/arch_<cpu>.c, built for each architecture the build
 * makes (natively, and cross-compiled for aarch64) and run by ArchCheckTest (the aarch64 one under
 * qemu-user). A thread is caught by a signal in a known place; the handler calls
 * tk_arch_interrupted_syscall and the check compares what it saw with what the thread was doing.
 * Prints one line per case ("ok ..." or "FAIL ...") and exits 1 on any failure.
 */
#define _GNU_SOURCE
#include "arch.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum kind { SPIN, FUTEX_UNTIMED, FUTEX_TIMED, READ_PIPE, COND_TIMEDWAIT, KINDS };
static const char *names[KINDS] = { "spinning in user code", "futex wait without timeout", "futex wait with timeout",
                                    "read() on an empty pipe", "pthread_cond_timedwait" };

static volatile int kind;
static volatile int stop;
static volatile pid_t victim_tid;
static uint32_t word;
static int pipe_fds[2];
/* A condition variable inside a larger object, like HotSpot's ParkEvent. */
static struct { char before[64]; pthread_mutex_t m; pthread_cond_t c; char after[64]; } event = {
    .m = PTHREAD_MUTEX_INITIALIZER, .c = PTHREAD_COND_INITIALIZER };

static struct tk_arch_syscall seen;
static volatile int handled;

static void handler(int sig, siginfo_t *info, void *uctx) {
    (void) sig;
    (void) info;
    tk_arch_interrupted_syscall(uctx, &seen);
    __atomic_store_n(&handled, 1, __ATOMIC_RELEASE);
}

static void *victim(void *arg) {
    (void) arg;
    victim_tid = (pid_t) syscall(SYS_gettid);
    struct timespec rel = { 60, 0 }, abs_time;
    clock_gettime(CLOCK_REALTIME, &abs_time);
    abs_time.tv_sec += 60;
    char b;
    switch (kind) {
    case SPIN:
        while (!stop) { }
        break;
    case FUTEX_UNTIMED:
        while (!stop) syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
        break;
    case FUTEX_TIMED:
        while (!stop) syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0);
        break;
    case READ_PIPE:
        while (!stop && read(pipe_fds[0], &b, 1) < 0 && errno == EINTR) { }
        break;
    case COND_TIMEDWAIT:
        pthread_mutex_lock(&event.m);
        while (!stop) pthread_cond_timedwait(&event.c, &event.m, &abs_time);
        pthread_mutex_unlock(&event.m);
        break;
    }
    return NULL;
}

/* The kernel's view of the victim: 'R' running, 'S' sleeping (blocked in a call). Under qemu-user
 * this is the host thread that runs the guest thread, which blocks in the same call. */
static char task_state(pid_t tid) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int) tid);
    FILE *f = fopen(path, "r");
    if (f == NULL) return '?';
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    return p != NULL && p[1] == ' ' ? p[2] : '?';
}

static int in_event(uint64_t w) {
    return w >= (uint64_t) (uintptr_t) &event && w < (uint64_t) (uintptr_t) &event + sizeof event;
}

static int check(int k) {
    kind = k;
    stop = 0;
    victim_tid = 0;
    handled = 0;
    memset(&seen, 0, sizeof seen);
    pthread_t t;
    pthread_create(&t, NULL, victim, NULL);
    while (victim_tid == 0) sched_yield();
    char want = k == SPIN ? 'R' : 'S';
    for (int i = 0; i < 2000 && task_state(victim_tid) != want; i++) usleep(1000);
    usleep(50000);
    if (task_state(victim_tid) != want) {
        printf("FAIL %s: the victim never reached state %c\n", names[k], want);
        return 0;
    }
    pthread_kill(t, SIGRTMIN + 4);
    while (!__atomic_load_n(&handled, __ATOMIC_ACQUIRE)) usleep(1000);
    stop = 1;
    word = 1;
    syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    if (k == READ_PIPE && write(pipe_fds[1], "x", 1) != 1) return 0;
    pthread_mutex_lock(&event.m);
    pthread_cond_broadcast(&event.c);
    pthread_mutex_unlock(&event.m);
    pthread_join(t, NULL);
    word = 0;

    int ok;
    const char *want_text;
    switch (k) {
    case SPIN:
        ok = !seen.in_syscall;
        want_text = "not in a system call";
        break;
    case FUTEX_UNTIMED:
        ok = seen.in_syscall && seen.exact && seen.words[0] == (uint64_t) (uintptr_t) &word;
        want_text = "in a system call, exactly the futex word";
        break;
    case FUTEX_TIMED:
        /* Ended with -EINTR: x86_64 keeps rdi; aarch64's x0 holds the error, so it must say so
         * rather than report -EINTR as the word. */
        ok = seen.in_syscall && (seen.exact ? seen.words[0] == (uint64_t) (uintptr_t) &word : seen.n > 0);
        want_text = "in a system call, the futex word or no exact claim";
        break;
    case READ_PIPE:
        ok = seen.in_syscall && seen.exact && seen.words[0] == (uint64_t) pipe_fds[0];
        want_text = "in a system call, exactly the fd";
        break;
    default: {
        int hit = 0;
        for (int i = 0; i < seen.n && i < TK_ARCH_MAX_WORDS; i++) hit |= in_event(seen.words[i]);
        ok = seen.in_syscall && hit;
        want_text = "in a system call, a word inside the condition's object";
        break;
    }
    }
    printf("%s %s: in_syscall=%d exact=%d n=%d words[0]=%#llx (want %s)\n", ok ? "ok" : "FAIL", names[k],
           seen.in_syscall, seen.exact, seen.n, (unsigned long long) seen.words[0], want_text);
    return ok;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
#if defined(__x86_64__)
    printf("arch x86_64\n");
#elif defined(__aarch64__)
    printf("arch aarch64\n");
#endif
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGRTMIN + 4, &sa, NULL) != 0 || pipe(pipe_fds) != 0) {
        printf("FAIL setup\n");
        return 1;
    }
    int failures = 0;
    for (int k = 0; k < KINDS; k++) failures += !check(k);
    printf("%s\n", failures ? "arch_check FAILED" : "arch_check passed");
    return failures ? 1 : 0;
}
