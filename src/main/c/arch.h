/*
 * arch.h: what the Linux signal handler reads from the interrupted registers, one file per
 * architecture (arch_x86_64.c, arch_aarch64.c; CMake picks one from CMAKE_SYSTEM_PROCESSOR).
 * Uses nothing of ours. Called inside a signal handler: async-signal-safe, no locks, no library
 * calls, and never a read that could cross into another (possibly unmapped) page.
 */
#ifndef TK_ARCH_H
#define TK_ARCH_H

#include <stdint.h>

/* Did the signal (ucontext_t *uctx) interrupt a system call? The kernel leaves the program
 * counter just after the syscall instruction (or on it, when the call will be restarted).
 * *first_arg receives the first syscall argument register: the futex word of a wait. */
int tk_arch_interrupted_syscall(const void *uctx, uint64_t *first_arg);

/* The interrupted program counter and stack pointer. */
void tk_arch_frame(const void *uctx, uintptr_t *pc, uintptr_t *sp);

#endif
