/*
 * arch.h: what the Linux signal handler reads from the interrupted registers, one file per
 * architecture (arch_x86_64.c, arch_aarch64.c; CMake picks one from CMAKE_SYSTEM_PROCESSOR).
 * Uses nothing of ours. Called inside a signal handler: async-signal-safe, no locks, no library
 * calls, and never a read that could cross into another (possibly unmapped) page.
 * Checked on its own by src/test/c/arch_check.c (ArchCheckTest runs it natively and, for
 * aarch64, under qemu-user).
 */
#ifndef TK_ARCH_H
#define TK_ARCH_H

#include <stdint.h>

#define TK_ARCH_MAX_WORDS 10

/* An interrupted system call, as the handler can see it. */
struct tk_arch_syscall {
    int32_t in_syscall;   /* the program counter is just after the syscall instruction, or on it
                           * (when the call will be restarted) */
    int32_t exact;        /* words[0] is the call's first argument (the futex word of a wait) */
    int32_t n;            /* words[0..n): the first argument, or, where the architecture lost it,
                           * the registers a caller keeps its pointers in (hints, not proof) */
    uint64_t words[TK_ARCH_MAX_WORDS];
};

void tk_arch_interrupted_syscall(const void *uctx, struct tk_arch_syscall *out);

/* The interrupted program counter and stack pointer. */
void tk_arch_frame(const void *uctx, uintptr_t *pc, uintptr_t *sp);

/* A return address that may live in a register rather than on the stack: aarch64's link register
 * x30 (a leaf function never stores it, so a stack scan misses its caller); 0 on x86_64, whose
 * call instruction always pushes the return address. */
uintptr_t tk_arch_link(const void *uctx);

#endif
