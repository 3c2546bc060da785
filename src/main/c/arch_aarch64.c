/*
 * arch_aarch64.c: the signal handler's register reads on aarch64 Linux (arch.h). Async-signal-safe.
 * Only cross-compiled here: this project has never run it.
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

int tk_arch_interrupted_syscall(const void *uctx, uint64_t *first_arg) {
    const mcontext_t *mc = &((const ucontext_t *) uctx)->uc_mcontext;
    const uint32_t *pc = (const uint32_t *) (uintptr_t) mc->pc;
    /* x0 is also the return register: after an interrupted (not restarted) call it holds -EINTR,
     * so blocked threads may be judged not freezable there. */
    *first_arg = (uint64_t) mc->regs[0];
    /* Instructions are 4-byte aligned: pc[0] never crosses a page, pc[-1] only when pc starts one. */
    return (((uintptr_t) pc & 0xfff) >= 4 && pc[-1] == SVC_0) || pc[0] == SVC_0;
}
