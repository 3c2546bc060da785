/*
 * A JVMTI agent for SuspendedWindowTest only (never part of the jar): reports every class load,
 * class prepare, class initialisation and first link of an invokedynamic call site or dynamic
 * constant that happens on a thread while some *other* thread is JVMTI-suspended. threadkill's rule is that a killer holding
 * a victim suspended runs only code that has run before: a first link or a class load can need a
 * lock the suspended victim holds, and then the killer waits forever.
 *
 * Loaded with -agentpath:<lib>=<report file>. One line per event (tab-separated):
 *   kind  event-thread  what  suspended-threads  frames-of-ours
 * kind is "load", "prepare", "init" or "link"; "what" is a class signature, or for "link" the
 * bootstrap upcall and the method that links. Besides, "count" lines at VM death say how many events were
 * seen in all (suspended or not), so that the test knows the agent was alive, and how many lines
 * were dropped beyond the bound.
 *
 * Links are seen through breakpoints on java.lang.invoke.MethodHandleNatives' upcalls
 * (linkCallSite, linkDynamicConstant): the VM calls them the first time a call site is resolved,
 * whether or not linking spins a class. A class's initialisation has no JVMTI event: it is seen
 * through a breakpoint at the start of each <clinit> (set at ClassPrepare, and at VMInit for the
 * classes prepared but not initialised by then); a class without one initialises unseen.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jvmti.h>

#define MAX_LINES 20000
#define LINE_MAX_LEN 1024
#define STACK_DEPTH 64

static jvmtiEnv *jvmti;
static int out_fd = -1;
static volatile int lines_written;
static volatile long seen_load, seen_prepare, seen_link, seen_init, clinit_breakpoints, dropped;
static volatile int live;   /* VMInit has run: breakpoints may be set */

/* One write(2) per line on an O_APPEND descriptor: lines of concurrent callbacks do not mix. */
static void emit(const char *line, size_t len) {
    if (out_fd < 0) return;
    if (__sync_fetch_and_add(&lines_written, 1) >= MAX_LINES) {
        __sync_fetch_and_add(&dropped, 1);   // the test fails on any: a report it cannot read
        return;
    }
    ssize_t n = write(out_fd, line, len);
    (void) n;
}

static void deallocate(void *p) {
    if (p != NULL) (*jvmti)->Deallocate(jvmti, (unsigned char *) p);
}

/* Appends, always NUL-terminated and bounded; tabs and newlines in names become spaces. */
static void append(char *buf, size_t *len, const char *s) {
    for (; s != NULL && *s != '\0' && *len < LINE_MAX_LEN - 2; s++) {
        buf[(*len)++] = (*s == '\t' || *s == '\n') ? ' ' : *s;
    }
    buf[*len] = '\0';
}

static void thread_name(jthread t, char *buf, size_t size) {
    jvmtiThreadInfo info;
    memset(&info, 0, sizeof info);
    if ((*jvmti)->GetThreadInfo(jvmti, t, &info) == JVMTI_ERROR_NONE && info.name != NULL) {
        snprintf(buf, size, "%s", info.name);
    } else {
        snprintf(buf, size, "?");
    }
    deallocate(info.name);
}

/*
 * The names of the live threads other than `self` that are suspended now, comma-separated, into
 * buf; 0 when none is. Asked of the JVM in every callback: suspension by another JVMTI
 * environment (threadkill's) shows in GetThreadState too.
 */
static int suspended_others(JNIEnv *jni, jthread self, char *buf, size_t size) {
    jint count = 0;
    jthread *threads = NULL;
    int found = 0;
    size_t len = 0;
    buf[0] = '\0';
    if ((*jvmti)->GetAllThreads(jvmti, &count, &threads) != JVMTI_ERROR_NONE) return 0;
    for (jint i = 0; i < count; i++) {
        jint state = 0;
        if (!(*jni)->IsSameObject(jni, threads[i], self)
                && (*jvmti)->GetThreadState(jvmti, threads[i], &state) == JVMTI_ERROR_NONE
                && (state & JVMTI_THREAD_STATE_SUSPENDED) != 0
                && (state & JVMTI_THREAD_STATE_TERMINATED) == 0) {
            char name[200];
            thread_name(threads[i], name, sizeof name);
            if (found++ > 0 && len < size - 1) buf[len++] = ',';
            snprintf(buf + len, size - len, "%s", name);
            len = strlen(buf);
        }
        (*jni)->DeleteLocalRef(jni, threads[i]);
    }
    deallocate(threads);
    return found;
}

/* "Class.method:line" of frame `depth` of the current thread, into buf ("?" when unknown). */
static void frame_at(jthread self, jint depth, char *buf, size_t size) {
    jmethodID method;
    jlocation location;
    snprintf(buf, size, "?");
    if ((*jvmti)->GetFrameLocation(jvmti, self, depth, &method, &location) != JVMTI_ERROR_NONE) return;
    jclass cls;
    char *csig = NULL, *mname = NULL;
    if ((*jvmti)->GetMethodDeclaringClass(jvmti, method, &cls) != JVMTI_ERROR_NONE) return;
    (*jvmti)->GetClassSignature(jvmti, cls, &csig, NULL);
    (*jvmti)->GetMethodName(jvmti, method, &mname, NULL, NULL);
    jint line = -1, entries = 0;
    jvmtiLineNumberEntry *table = NULL;
    if ((*jvmti)->GetLineNumberTable(jvmti, method, &entries, &table) == JVMTI_ERROR_NONE) {
        for (jint i = 0; i < entries; i++) {
            if (table[i].start_location <= location) line = table[i].line_number;
        }
    }
    snprintf(buf, size, "%s.%s:%d", csig != NULL ? csig : "?", mname != NULL ? mname : "?", (int) line);
    deallocate(table);
    deallocate(csig);
    deallocate(mname);
}

/*
 * The first frames (from the top, at most 3) whose class is threadkill's (library or tests),
 * innermost first and joined by " < ": what to fix, and which path reached it.
 */
static void frames_of_ours(jthread self, char *buf, size_t size) {
    jvmtiFrameInfo frames[STACK_DEPTH];
    jint n = 0;
    int found = 0;
    size_t len = 0;
    snprintf(buf, size, "-");
    if ((*jvmti)->GetStackTrace(jvmti, self, 0, STACK_DEPTH, frames, &n) != JVMTI_ERROR_NONE) return;
    for (jint i = 0; i < n && found < 3; i++) {
        jclass cls;
        char *csig = NULL;
        if ((*jvmti)->GetMethodDeclaringClass(jvmti, frames[i].method, &cls) != JVMTI_ERROR_NONE) continue;
        (*jvmti)->GetClassSignature(jvmti, cls, &csig, NULL);
        int ours = csig != NULL && strncmp(csig, "Lorg/threadkill/", 16) == 0;
        deallocate(csig);
        if (!ours) continue;
        char frame[300];
        frame_at(self, i, frame, sizeof frame);
        snprintf(buf + len, size - len, "%s%s", found++ > 0 ? " < " : "", frame);
        len = strlen(buf);
    }
}

static void report(JNIEnv *jni, jthread self, const char *kind, const char *what) {
    char suspended[400];
    if (!suspended_others(jni, self, suspended, sizeof suspended)) return;
    char name[200], ours[700], line[LINE_MAX_LEN + 8];   // room for the tabs and newline past a truncated field
    size_t len = 0;
    thread_name(self, name, sizeof name);
    frames_of_ours(self, ours, sizeof ours);
    line[0] = '\0';
    const char *fields[] = {kind, name, what, suspended, ours};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (i > 0) line[len++] = '\t';
        append(line, &len, fields[i]);
    }
    line[len++] = '\n';
    emit(line, len);
}

static void class_event(JNIEnv *jni, jthread thread, jclass klass, const char *kind) {
    char *sig = NULL;
    (*jvmti)->GetClassSignature(jvmti, klass, &sig, NULL);
    report(jni, thread, kind, sig != NULL ? sig : "?");
    deallocate(sig);
}

static void JNICALL on_class_load(jvmtiEnv *env, JNIEnv *jni, jthread thread, jclass klass) {
    (void) env;
    __sync_fetch_and_add(&seen_load, 1);
    class_event(jni, thread, klass, "load");
}

/* A breakpoint at the start of the class's static initializer, if it has one: its first run. */
static void break_at_clinit(jclass klass) {
    jint count = 0;
    jmethodID *methods = NULL;
    if ((*jvmti)->GetClassMethods(jvmti, klass, &count, &methods) != JVMTI_ERROR_NONE) return;
    for (jint i = 0; i < count; i++) {
        char *name = NULL;
        if ((*jvmti)->GetMethodName(jvmti, methods[i], &name, NULL, NULL) != JVMTI_ERROR_NONE) continue;
        if (strcmp(name, "<clinit>") == 0 && (*jvmti)->SetBreakpoint(jvmti, methods[i], 0) == JVMTI_ERROR_NONE) {
            __sync_fetch_and_add(&clinit_breakpoints, 1);
        }
        deallocate(name);
    }
    deallocate(methods);
}

static void JNICALL on_class_prepare(jvmtiEnv *env, JNIEnv *jni, jthread thread, jclass klass) {
    (void) env;
    __sync_fetch_and_add(&seen_prepare, 1);
    class_event(jni, thread, klass, "prepare");
    if (live) break_at_clinit(klass);   // SetBreakpoint is live-phase only; VMInit covers the earlier ones
}

static void JNICALL on_breakpoint(jvmtiEnv *env, JNIEnv *jni, jthread thread, jmethodID method, jlocation location) {
    (void) env;
    (void) location;
    char *name = NULL, caller[300], what[400];
    (*jvmti)->GetMethodName(jvmti, method, &name, NULL, NULL);
    if (name != NULL && strcmp(name, "<clinit>") == 0) {
        __sync_fetch_and_add(&seen_init, 1);
        jclass cls;
        char *sig = NULL;
        if ((*jvmti)->GetMethodDeclaringClass(jvmti, method, &cls) == JVMTI_ERROR_NONE) {
            (*jvmti)->GetClassSignature(jvmti, cls, &sig, NULL);
        }
        report(jni, thread, "init", sig != NULL ? sig : "?");
        deallocate(sig);
    } else {
        __sync_fetch_and_add(&seen_link, 1);
        frame_at(thread, 1, caller, sizeof caller);   // the method whose call site is being linked
        snprintf(what, sizeof what, "%s from %s", name != NULL ? name : "?", caller);
        report(jni, thread, "link", what);
    }
    deallocate(name);
}

/* Breakpoints on the VM's upcalls that link an invokedynamic call site or a dynamic constant. */
static void JNICALL on_vm_init(jvmtiEnv *env, JNIEnv *jni, jthread thread) {
    (void) env;
    (void) thread;
    jclass mhn = (*jni)->FindClass(jni, "java/lang/invoke/MethodHandleNatives");
    if (mhn == NULL) {
        (*jni)->ExceptionClear(jni);
        return;
    }
    jint count = 0;
    jmethodID *methods = NULL;
    int set = 0;
    if ((*jvmti)->GetClassMethods(jvmti, mhn, &count, &methods) == JVMTI_ERROR_NONE) {
        for (jint i = 0; i < count; i++) {
            char *name = NULL;
            if ((*jvmti)->GetMethodName(jvmti, methods[i], &name, NULL, NULL) != JVMTI_ERROR_NONE) continue;
            if (strcmp(name, "linkCallSite") == 0 || strcmp(name, "linkDynamicConstant") == 0) {
                if ((*jvmti)->SetBreakpoint(jvmti, methods[i], 0) == JVMTI_ERROR_NONE) set++;
            }
            deallocate(name);
        }
    }
    deallocate(methods);
    char line[128];
    int len = snprintf(line, sizeof line, "breakpoints\t%d\n", set);
    emit(line, (size_t) len);

    // From now on each prepared class gets its <clinit> breakpoint; before, the ones not yet run.
    live = 1;
    jint n = 0;
    jclass *classes = NULL;
    if ((*jvmti)->GetLoadedClasses(jvmti, &n, &classes) != JVMTI_ERROR_NONE) return;
    for (jint i = 0; i < n; i++) {
        jint status = 0;
        if ((*jvmti)->GetClassStatus(jvmti, classes[i], &status) == JVMTI_ERROR_NONE
                && (status & JVMTI_CLASS_STATUS_PREPARED) != 0
                && (status & (JVMTI_CLASS_STATUS_INITIALIZED | JVMTI_CLASS_STATUS_ERROR
                              | JVMTI_CLASS_STATUS_ARRAY | JVMTI_CLASS_STATUS_PRIMITIVE)) == 0) {
            break_at_clinit(classes[i]);
        }
        (*jni)->DeleteLocalRef(jni, classes[i]);
    }
    deallocate(classes);
}

static void JNICALL on_vm_death(jvmtiEnv *env, JNIEnv *jni) {
    (void) env;
    (void) jni;
    char line[256];
    int len = snprintf(line, sizeof line, "count\tload=%ld\tprepare=%ld\tlink=%ld\tinit=%ld\tclinits=%ld\tdropped=%ld\n",
                       seen_load, seen_prepare, seen_link, seen_init, clinit_breakpoints, dropped);
    if (out_fd >= 0) {
        ssize_t n = write(out_fd, line, (size_t) len);   // past MAX_LINES too: the test needs it
        (void) n;
    }
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    (void) reserved;
    if (options == NULL || options[0] == '\0') {
        fprintf(stderr, "suspend_watch: -agentpath:<lib>=<report file>\n");
        return JNI_ERR;
    }
    out_fd = open(options, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out_fd < 0) {
        fprintf(stderr, "suspend_watch: cannot open %s\n", options);
        return JNI_ERR;
    }
    if ((*vm)->GetEnv(vm, (void **) &jvmti, JVMTI_VERSION_1_2) != JNI_OK) return JNI_ERR;
    jvmtiCapabilities caps;
    memset(&caps, 0, sizeof caps);
    caps.can_generate_breakpoint_events = 1;
    caps.can_get_line_numbers = 1;
    if ((*jvmti)->AddCapabilities(jvmti, &caps) != JVMTI_ERROR_NONE) return JNI_ERR;
    jvmtiEventCallbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.ClassLoad = on_class_load;
    cb.ClassPrepare = on_class_prepare;
    cb.Breakpoint = on_breakpoint;
    cb.VMInit = on_vm_init;
    cb.VMDeath = on_vm_death;
    if ((*jvmti)->SetEventCallbacks(jvmti, &cb, (jint) sizeof cb) != JVMTI_ERROR_NONE) return JNI_ERR;
    jvmtiEvent events[] = {JVMTI_EVENT_CLASS_LOAD, JVMTI_EVENT_CLASS_PREPARE, JVMTI_EVENT_BREAKPOINT,
                           JVMTI_EVENT_VM_INIT, JVMTI_EVENT_VM_DEATH};
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        if ((*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, events[i], NULL) != JVMTI_ERROR_NONE) return JNI_ERR;
    }
    return JNI_OK;
}
