/*
 * freeze_safety.h: may a thread be parked for good where it stopped? The native half of the
 * freeze's safe point (freeze_safety_linux.c): a thread stays frozen only where it holds none of
 * the process-wide locks the JVM or the C library will need. Used by the Linux mechanism; uses
 * hotspot_threads.h and tk_common.h.
 */
#ifndef TK_FREEZE_SAFETY_H
#define TK_FREEZE_SAFETY_H

#include "tk_common.h"

/* Re-reads which code belongs to the C library, the dynamic loader, libjvm, libgcc and libstdc++
 * (/proc/self/maps, libc's exported functions), at most once a second. Takes no lock a victim
 * may hold (no malloc while reading, no dynamic-loader call). Never in a signal handler. */
void tk_safety_refresh(void);

/*
 * The native part of the stack of a thread that sits in the kill handler (it cannot move): from
 * the interrupted pc and sp up to its last Java frame, every word that is an address inside one of
 * those libraries makes it unsafe, except the C library's plain blocking calls (read, poll, sleep,
 * ...) when the thread is inside a system call: they hold no lock. Conservative: a stale pointer
 * counts too. Reads only inside the thread's own stack, at most 1 MiB of it.
 * Returns TK_UNSAFE_NONE or the reason (enum tk_unsafe); *where: the address that decided.
 */
int tk_safety_native_stack(int64_t java_thread, uintptr_t pc, uintptr_t sp, int in_syscall, int leaf_native,
                           uintptr_t *where);
/* With leaf_native (TK_MODE_FLAG_LEAF_NATIVE: the top Java frame is a JDK native whose C code
 * calls only the C library's system call wrappers), the scan ends at the first word that is an
 * address in the JDK's own native libraries (libjava, libnio, libnet): what lies above it is that
 * native's frame (buffers of stale words: FileInputStream.readBytes keeps 8 KiB on the stack) and
 * its JNI stub, not code that may hold a lock. */

/* One code address judged as a word of the stack scan above is: the return address aarch64 keeps
 * in its link register (tk_arch_link). TK_UNSAFE_NONE or the reason. */
int tk_safety_code_address(uintptr_t a);

/* Names the code at a: "the C library, in malloc", "the dynamic loader", "libjvm"; from our own
 * tables (no dladdr: the loader's lock may be held). */
void tk_safety_describe(uintptr_t a, char *buf, size_t len);

#endif
