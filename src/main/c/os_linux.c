/*
 * os_linux.c: the Linux half of the bottom layer (tk_common.h): monotonic clock, kernel thread
 * id, errno text, libjvm's exported symbols, the process-wide lock, the other copies of this
 * library. Uses nothing of ours.
 */
#define _GNU_SOURCE
#include "tk_common.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

const char tk_osthread_handle_field[] = "_pthread_id";

int64_t tk_now_ns(void) {   /* clock_gettime is async-signal-safe */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int32_t tk_current_tid(void) {   /* a plain system call: async-signal-safe */
    return (int32_t) syscall(SYS_gettid);
}

const char *tk_strerror(int err, char *buf, size_t len) {
    return strerror_r(err, buf, len);   /* the GNU one: returns the text, in buf or static */
}

/* libjvm is found through the address of one of its JNI functions, so that a JVM loaded
 * without RTLD_GLOBAL (an embedding launcher) works too. */
void *tk_jvm_symbol(JNIEnv *env, const char *name) {
    static void *jvm_handle;
    if (jvm_handle == NULL) {
        Dl_info info;
        if (dladdr((void *) (*env)->GetVersion, &info) == 0 || info.dli_fname == NULL) return NULL;
        jvm_handle = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
        if (jvm_handle == NULL) return NULL;
    }
    return dlsym(jvm_handle, name);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
void tk_lock(void) { pthread_mutex_lock(&lock); }
void tk_unlock(void) { pthread_mutex_unlock(&lock); }

/* ---- Other copies of this very library (tk_common.h) ----
 * Only memory the dynamic loader lists as mapped is read: an object's program headers, and notes
 * that lie inside one of its loaded segments. Two objects are the same binary when their GNU
 * build-ids (a hash of the whole file, which the build always writes: --build-id) and their
 * loadable segments are equal; then an address in one, moved by the distance between their load
 * addresses, is the same function or variable in the other. */

struct elf_object {
    uintptr_t base;
    const ElfW(Phdr) *phdr;
    ElfW(Half) phnum;
    const uint8_t *build_id;
    size_t build_id_len;
};

static int in_loaded_segment(const struct dl_phdr_info *info, ElfW(Addr) vaddr, ElfW(Xword) len) {
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        if (p->p_type == PT_LOAD && vaddr >= p->p_vaddr && len <= p->p_filesz && vaddr - p->p_vaddr <= p->p_filesz - len) {
            return 1;
        }
    }
    return 0;
}

static int contains(const struct dl_phdr_info *info, uintptr_t address) {
    if (address < info->dlpi_addr) return 0;
    ElfW(Addr) vaddr = (ElfW(Addr)) (address - info->dlpi_addr);
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        if (p->p_type == PT_LOAD && vaddr >= p->p_vaddr && vaddr - p->p_vaddr < p->p_memsz) return 1;
    }
    return 0;
}

/* The object's NT_GNU_BUILD_ID note, read within the bounds of its note segment; 0 if none. */
static int describe_object(const struct dl_phdr_info *info, struct elf_object *o) {
    o->base = (uintptr_t) info->dlpi_addr;
    o->phdr = info->dlpi_phdr;
    o->phnum = info->dlpi_phnum;
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE || !in_loaded_segment(info, ph->p_vaddr, ph->p_filesz)) continue;
        const uint8_t *p = (const uint8_t *) (info->dlpi_addr + ph->p_vaddr);
        size_t left = (size_t) ph->p_filesz;
        while (left >= sizeof(ElfW(Nhdr))) {
            ElfW(Nhdr) n;
            memcpy(&n, p, sizeof n);
            size_t name = ((size_t) n.n_namesz + 3) & ~(size_t) 3, desc = ((size_t) n.n_descsz + 3) & ~(size_t) 3;
            left -= sizeof n;
            if (name > left || desc > left - name) break;
            if (n.n_type == NT_GNU_BUILD_ID && n.n_namesz == 4 && memcmp(p + sizeof n, "GNU", 4) == 0 && n.n_descsz > 0) {
                o->build_id = p + sizeof n + name;
                o->build_id_len = n.n_descsz;
                return 1;
            }
            p += sizeof n + name + desc;
            left -= name + desc;
        }
    }
    return 0;
}

static int same_binary(const struct elf_object *a, const struct elf_object *b) {
    if (a->build_id_len != b->build_id_len || memcmp(a->build_id, b->build_id, a->build_id_len) != 0) return 0;
    if (a->phnum != b->phnum) return 0;
    for (ElfW(Half) i = 0; i < a->phnum; i++) {
        const ElfW(Phdr) *x = &a->phdr[i], *y = &b->phdr[i];
        if (x->p_type != y->p_type || x->p_vaddr != y->p_vaddr || x->p_memsz != y->p_memsz
            || x->p_filesz != y->p_filesz || x->p_flags != y->p_flags) {
            return 0;
        }
    }
    return 1;
}

struct copy_search {
    uintptr_t address;        /* in: an address of the object looked for */
    struct elf_object self;   /* this copy (pass 1) */
    int self_found;
    struct elf_object match;  /* pass 2: the first copy of self, or the object holding address */
    int match_found;
};

static int find_self(struct dl_phdr_info *info, size_t size, void *data) {
    (void) size;
    struct copy_search *c = data;
    if (!contains(info, c->address)) return 0;
    c->self_found = describe_object(info, &c->self);
    return 1;
}

static int find_first_copy(struct dl_phdr_info *info, size_t size, void *data) {
    (void) size;
    struct copy_search *c = data;
    struct elf_object o;
    if (!describe_object(info, &o) || !same_binary(&o, &c->self)) return 0;
    c->match = o;
    c->match_found = 1;
    return 1;   /* the list is in load order: the first is the oldest */
}

static int find_holder(struct dl_phdr_info *info, size_t size, void *data) {
    (void) size;
    struct copy_search *c = data;
    if (!contains(info, c->address)) return 0;
    c->match_found = describe_object(info, &c->match) && same_binary(&c->match, &c->self);
    return 1;
}

static int search_self(struct copy_search *c) {
    memset(c, 0, sizeof *c);
    c->address = (uintptr_t) &search_self;
    dl_iterate_phdr(find_self, c);
    return c->self_found;
}

intptr_t tk_oldest_copy_offset(const int *ready, int64_t wait_ns, const char **problem) {
    struct copy_search c;
    if (!search_self(&c)) {
        *problem = "this library has no GNU build-id note, so other copies of it cannot be recognised";
        return 0;
    }
    dl_iterate_phdr(find_first_copy, &c);
    if (!c.match_found || c.match.base == c.self.base) return 0;
    uintptr_t offset = c.match.base - c.self.base;
    /* The oldest copy may still be in its JNI_OnLoad (two class loaders loading at once). */
    const int *theirs = (const int *) ((uintptr_t) ready + offset);
    int64_t give_up = tk_now_ns() + wait_ns;
    while (!__atomic_load_n(theirs, __ATOMIC_ACQUIRE)) {
        if (tk_now_ns() >= give_up) {
            *problem = "the oldest copy of this library (another class loader's) did not finish loading in time";
            return 0;
        }
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
    }
    return (intptr_t) offset;
}

int tk_in_other_copy(uintptr_t address) {
    struct copy_search c;
    if (!search_self(&c)) return 0;
    c.address = address;
    dl_iterate_phdr(find_holder, &c);
    return c.match_found && c.match.base != c.self.base;
}
