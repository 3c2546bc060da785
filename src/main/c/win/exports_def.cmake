# Writes the module-definition (.def) file of threadkill.dll from the header javac -h generated for
# org.threadkill.internal.Native: JNI_OnLoad and every Java_ function declared there, nothing else.
# The linker fails on an export it cannot find, so a native method without a Windows
# implementation breaks the build instead of the first call on Windows.
# Usage: cmake -DHEADER=<org_threadkill_internal_Native.h> -DOUT=<threadkill.def> -P exports_def.cmake
if(NOT HEADER OR NOT OUT)
  message(FATAL_ERROR "exports_def.cmake needs -DHEADER=... and -DOUT=...")
endif()
file(STRINGS "${HEADER}" declarations REGEX "^JNIEXPORT .* JNICALL Java_[A-Za-z0-9_]+")
if(NOT declarations)
  message(FATAL_ERROR "no JNI declarations in ${HEADER}")
endif()
set(text "; Generated from ${HEADER} by src/main/c/win/exports_def.cmake\nLIBRARY threadkill.dll\nEXPORTS\n    JNI_OnLoad\n")
foreach(declaration IN LISTS declarations)
  string(REGEX REPLACE "^.* JNICALL (Java_[A-Za-z0-9_]+).*$" "\\1" name "${declaration}")
  string(APPEND text "    ${name}\n")
endforeach()
file(WRITE "${OUT}" "${text}")
