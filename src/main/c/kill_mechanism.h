/*
 * kill_mechanism.h: the boundary every platform's kill mechanism implements, one file each
 * (kill_signal_linux.c: a real-time signal and its handler; kill_windows.c: SuspendThread /
 * TerminateThread). jni_entry.c calls only these for kill0, installSignal0, signalRange0 and
 * straySignals0. A mechanism may use hotspot_threads.h, jvmti_ops.h, arch.h and tk_common.h,
 * never jni_entry.c.
 */
#ifndef TK_KILL_MECHANISM_H
#define TK_KILL_MECHANISM_H

#include "tk_common.h"

/* SIGRTMIN (max 0) or SIGRTMAX; 0 where the mechanism uses no signals. */
int tk_mech_signal_range(int max);
/* Installs the kill signal's handler once; throws (and returns) on failure. A no-op where the
 * mechanism uses no signals. The caller has checked the gate. */
void tk_mech_install(JNIEnv *env, int sig);
/* One kill in mode (enum tk_mode), watched for up to wait_ns; fills out[TK_OUT_LEN] (zeroed by
 * the caller), or throws. The caller has checked the gate. */
void tk_mech_kill(JNIEnv *env, jobject thread, int mode, int64_t wait_ns, int32_t fallback_tid, int64_t *out);
/* Once, at load: the demonstration switch -Dthreadkill.demo.uncheckedFreeze=true (read from the
 * startup properties) turns the freeze's native safe point off, to show what it prevents. */
void tk_mech_configure(int unchecked_freeze);
/* Names the code at an address a freeze refused (out[TK_OUT_WHERE]) into buf. */
void tk_mech_describe(uintptr_t address, char *buf, size_t len);
/* How many times the handler ran for a signal that matched no live request. */
uint64_t tk_mech_stray_signals(void);
/* How a kill reaches its thread here, for diagnostics: on Linux the delivery the install-time
 * probe chose ("pidfd+payload", "pidfd", "rt_tgsigqueueinfo"; "none" before install). */
const char *tk_mech_delivery(void);

#endif
