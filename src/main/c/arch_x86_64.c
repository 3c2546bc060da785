/*
 * arch_x86_64.c: the signal handler's register reads on x86_64 Linux (arch.h). Async-signal-safe.
 *
 * The kernel returns a system call's result in rax and leaves the argument registers alone, so
 * rdi still holds the first argument after the call was interrupted, restarted or not.
 */
#define _GNU_SOURCE
#include "arch.h"

#include <ucontext.h>

#if !defined(__x86_64__)
#error "arch_x86_64.c is for x86_64 only; CMake picks the arch_*.c of CMAKE_SYSTEM_PROCESSOR"
#endif

void tk_arch_frame(const void *uctx, uintptr_t *pc, uintptr_t *sp) {
    const mcontext_t *mc = &((const ucontext_t *) uctx)->uc_mcontext;
    *pc = (uintptr_t) mc->gregs[REG_RIP];
    *sp = (uintptr_t) mc->gregs[REG_RSP];
}

uintptr_t tk_arch_link(const void *uctx) {
    (void) uctx;
    return 0;
}

void tk_arch_interrupted_syscall(const void *uctx, struct tk_arch_syscall *out) {
    const mcontext_t *mc = &((const ucontext_t *) uctx)->uc_mcontext;
    const unsigned char *pc = (const unsigned char *) mc->gregs[REG_RIP];
    uintptr_t in_page = (uintptr_t) pc & 0xfff;   /* never read across a page boundary */
    out->in_syscall = (in_page >= 2 && pc[-2] == 0x0f && pc[-1] == 0x05)       /* syscall: 0F 05 */
                      || (in_page <= 0xffe && pc[0] == 0x0f && pc[1] == 0x05);
    out->exact = 1;
    out->n = 1;
    out->words[0] = (uint64_t) mc->gregs[REG_RDI];
}
