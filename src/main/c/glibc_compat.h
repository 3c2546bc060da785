/*
 * Binds the glibc functions threadkill calls to their oldest symbol versions, so that one Linux
 * binary loads on glibc 2.17 (RHEL/CentOS 7, Amazon Linux 2) and on every newer glibc.
 *
 * Why: glibc 2.34 moved libpthread and libdl into libc and gave the moved functions a new default
 * version (pthread_create@@GLIBC_2.34, dlsym@@GLIBC_2.34, ...). A library linked on 2.34+ then
 * refuses to load on anything older ("version `GLIBC_2.34' not found"). The old versions are still
 * exported, with the same code, so naming them costs nothing on a new glibc; on an old one they live
 * in libpthread.so.0 / libdl.so.2, which CMakeLists.txt therefore links by name.
 *
 * CMakeLists.txt forces this file first into every C file of a glibc build (-include), so it
 * declares nothing and includes nothing: a system header here would be read before a file's own
 * _GNU_SOURCE. A .symver line for a function a file does not call adds nothing to that object.
 * scripts/check-glibc fails CI when a version newer than GLIBC_2.17 appears: add the function here.
 * x86_64's oldest versions are GLIBC_2.2.5 (GLIBC_2.12 for the robust-mutex calls); aarch64's are
 * GLIBC_2.17, where its port began: linked against glibc 2.34+, it too would otherwise ask for 2.34.
 */
#ifndef THREADKILL_GLIBC_COMPAT_H
#define THREADKILL_GLIBC_COMPAT_H

#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
#if defined(__x86_64__)
#define TK_GLIBC_BASE GLIBC_2.2.5
#define TK_GLIBC_ROBUST GLIBC_2.12
#else   /* aarch64: the port began at 2.17, so its oldest versions are GLIBC_2.17 */
#define TK_GLIBC_BASE GLIBC_2.17
#define TK_GLIBC_ROBUST GLIBC_2.17
#endif
#define TK_GLIBC_VERSION_(sym, version) __asm__(".symver " #sym "," #sym "@" #version);
#define TK_GLIBC_VERSION(sym, version) TK_GLIBC_VERSION_(sym, version)
/* from libdl (GLIBC_2.34 in libc since) */
TK_GLIBC_VERSION(dlopen, TK_GLIBC_BASE)
TK_GLIBC_VERSION(dlsym, TK_GLIBC_BASE)
TK_GLIBC_VERSION(dladdr, TK_GLIBC_BASE)
TK_GLIBC_VERSION(dlclose, TK_GLIBC_BASE)
TK_GLIBC_VERSION(dlerror, TK_GLIBC_BASE)
/* from libpthread (GLIBC_2.34 in libc since) */
TK_GLIBC_VERSION(pthread_create, TK_GLIBC_BASE)
TK_GLIBC_VERSION(pthread_join, TK_GLIBC_BASE)
TK_GLIBC_VERSION(pthread_detach, TK_GLIBC_BASE)
TK_GLIBC_VERSION(pthread_cancel, TK_GLIBC_BASE)
TK_GLIBC_VERSION(pthread_mutex_timedlock, TK_GLIBC_BASE)
TK_GLIBC_VERSION(pthread_mutexattr_init, TK_GLIBC_BASE)
TK_GLIBC_VERSION(pthread_mutexattr_destroy, TK_GLIBC_BASE)
TK_GLIBC_VERSION(pthread_mutexattr_settype, TK_GLIBC_BASE)
TK_GLIBC_VERSION(pthread_mutexattr_setrobust, TK_GLIBC_ROBUST)
TK_GLIBC_VERSION(pthread_mutex_consistent, TK_GLIBC_ROBUST)
#undef TK_GLIBC_VERSION
#undef TK_GLIBC_VERSION_
#undef TK_GLIBC_BASE
#undef TK_GLIBC_ROBUST
#endif

#endif
