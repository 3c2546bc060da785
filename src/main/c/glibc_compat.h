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
 * x86_64 only: aarch64's oldest version is GLIBC_2.17 itself, so nothing older can be asked for.
 */
#ifndef THREADKILL_GLIBC_COMPAT_H
#define THREADKILL_GLIBC_COMPAT_H

#if defined(__linux__) && defined(__x86_64__)
#define TK_GLIBC_VERSION(sym, version) __asm__(".symver " #sym "," #sym "@" #version);
/* from libdl (GLIBC_2.34 in libc since) */
TK_GLIBC_VERSION(dlopen, GLIBC_2.2.5)
TK_GLIBC_VERSION(dlsym, GLIBC_2.2.5)
TK_GLIBC_VERSION(dladdr, GLIBC_2.2.5)
TK_GLIBC_VERSION(dlclose, GLIBC_2.2.5)
TK_GLIBC_VERSION(dlerror, GLIBC_2.2.5)
/* from libpthread (GLIBC_2.34 in libc since) */
TK_GLIBC_VERSION(pthread_create, GLIBC_2.2.5)
TK_GLIBC_VERSION(pthread_join, GLIBC_2.2.5)
TK_GLIBC_VERSION(pthread_detach, GLIBC_2.2.5)
TK_GLIBC_VERSION(pthread_cancel, GLIBC_2.2.5)
TK_GLIBC_VERSION(pthread_mutex_timedlock, GLIBC_2.2.5)
TK_GLIBC_VERSION(pthread_mutexattr_init, GLIBC_2.2.5)
TK_GLIBC_VERSION(pthread_mutexattr_destroy, GLIBC_2.2.5)
TK_GLIBC_VERSION(pthread_mutexattr_settype, GLIBC_2.2.5)
TK_GLIBC_VERSION(pthread_mutexattr_setrobust, GLIBC_2.12)
TK_GLIBC_VERSION(pthread_mutex_consistent, GLIBC_2.12)
#undef TK_GLIBC_VERSION
#endif

#endif
