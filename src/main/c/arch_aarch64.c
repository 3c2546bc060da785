/*
 * arch_aarch64.c: the signal handler's register reads on aarch64 Linux (arch.h). Async-signal-safe.
 *
 * x0 is both the first argument and the return register. When the kernel will restart the call
 * (an untimed futex wait, read(), with SA_RESTART) it puts the first argument back in x0 and the
 * pc on the svc; when the call ends with -EINTR (every timed wait: a futex with a timeout,
 * nanosleep) x0 holds -EINTR and the first argument is gone. There the futex word is looked for
 * in the callee-saved registers x19..x28 of the interrupted frame, where the caller keeps its
 * pointers across the call: glibc 2.36's pthread_cond_timedwait keeps the condition variable's
 * address there (src/test/c/arch_check.c checks it). These are hints, not proof: docs/platforms.md
 * says that a freeze's "blocked in its own wait" check is weaker on aarch64 after a timed wait.
 */
#define _GNU_SOURCE
#include "arch.h"

#include <ucontext.h>

#if !defined(__aarch64__)
#error "arch_aarch64.c is for aarch64 only; CMake picks the arch_*.c of CMAKE_SYSTEM_PROCESSOR"
#endif

#define SVC_0 0xd4000001u   /* svc #0 */

void tk_arch_frame(const void *uctx, uintptr_t *pc, uintptr_t *sp) {
    const mcontext_t *mc = &((const ucontext_t *) uctx)->uc_mcontext;
    *pc = (uintptr_t) mc->pc;
    *sp = (uintptr_t) mc->sp;
}

uintptr_t tk_arch_link(const void *uctx) {
    return (uintptr_t) ((const ucontext_t *) uctx)->uc_mcontext.regs[30];
}

void tk_arch_interrupted_syscall(const void *uctx, struct tk_arch_syscall *out) {
    const mcontext_t *mc = &((const ucontext_t *) uctx)->uc_mcontext;
    const uint32_t *pc = (const uint32_t *) (uintptr_t) mc->pc;
    /* Instructions are 4-byte aligned: pc[0] never crosses a page, pc[-1] only when pc starts one. */
    out->in_syscall = (((uintptr_t) pc & 0xfff) >= 4 && pc[-1] == SVC_0) || pc[0] == SVC_0;
    uint64_t x0 = (uint64_t) mc->regs[0];
    if (x0 < (uint64_t) -4095) {   /* not an error return (-4095..-1): the argument itself */
        out->exact = 1;
        out->n = 1;
        out->words[0] = x0;
        return;
    }
    out->exact = 0;
    out->n = TK_ARCH_MAX_WORDS;
    for (int i = 0; i < TK_ARCH_MAX_WORDS; i++) out->words[i] = (uint64_t) mc->regs[19 + i];
}
