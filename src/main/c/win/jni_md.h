/*
 * jni_md.h for 64-bit Windows. threadkill.dll is cross-compiled with mingw-w64 against the jni.h of
 * the (Linux) JDK that runs the build; that JDK's own jni_md.h is wrong for Windows: it exports
 * through ELF visibility and makes jlong a C long, which has 32 bits on Windows. This directory
 * comes first on the include path of the Windows build only.
 */
#ifndef TK_WIN_JNI_MD_H
#define TK_WIN_JNI_MD_H

#ifndef _WIN32
#error "src/main/c/win/jni_md.h is for the Windows build only"
#endif

#define JNIEXPORT __declspec(dllexport)
#define JNIIMPORT __declspec(dllimport)
/* Empty, as JDK 25's jni.h defines it again after including this file (an identical redefinition
 * is allowed, __stdcall would be an error); on x64 __stdcall is ignored anyway: one convention. */
#define JNICALL

typedef int jint;           /* 32 bits, as jvm.dll's; int keeps the shared %d formats right */
typedef long long jlong;
typedef signed char jbyte;

#endif
