/* Part of the test-only libstdc++.so.6 for musl that scripts/fetch-cross-roots links from Debian's
 * libstdc++_pic.a and libgcc_eh.a (both built for glibc) so the musl release binaries can run
 * here (Debian ships no musl libstdc++): what those archives reference and neither they nor
 * musl 1.2.3 define (`ld --no-undefined` lists them), built against musl's headers. Not
 * shipped: on Alpine the binaries use Alpine's own libstdc++. */
#define _GNU_SOURCE
#include <link.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <time.h>

/* glibc 2.32+: nonzero while the process is single-threaded; 0 = always use atomics (safe). */
char __libc_single_threaded = 0;

uint32_t arc4random(void) {
  uint32_t r = 0;
  while (getrandom(&r, sizeof r, 0) != sizeof r) {}
  return r;
}

size_t __strftime_l(char *s, size_t n, const char *f, const struct tm *tm, locale_t loc) {
  return strftime_l(s, n, f, tm, loc);
}

#ifdef __aarch64__
/* glibc's internal name of getauxval, used by aarch64 libgcc.a to detect LSE atomics. */
unsigned long __getauxval(unsigned long type) { return getauxval(type); }
#endif

/* glibc 2.35's struct dl_find_object (x86_64/aarch64 layout) and _dl_find_object, the unwinder's
 * way to the .eh_frame_hdr of the object holding an address, done with dl_iterate_phdr. */
struct dl_find_object {
  unsigned long long dlfo_flags;
  void *dlfo_map_start;
  void *dlfo_map_end;
  struct link_map *dlfo_link_map;
  void *dlfo_eh_frame;
  unsigned long long reserved[7];
};
struct find { uintptr_t pc; struct dl_find_object *out; int found; };
static int visit(struct dl_phdr_info *info, size_t size, void *arg) {
  struct find *f = arg;
  (void)size;
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  void *eh = 0;
  int inside = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *p = &info->dlpi_phdr[i];
    uintptr_t start = info->dlpi_addr + p->p_vaddr;
    if (p->p_type == PT_LOAD) {
      if (start < lo) lo = start;
      if (start + p->p_memsz > hi) hi = start + p->p_memsz;
      if (f->pc >= start && f->pc < start + p->p_memsz) inside = 1;
    } else if (p->p_type == PT_GNU_EH_FRAME) {
      eh = (void *)start;
    }
  }
  if (!inside) return 0;
  f->out->dlfo_flags = 0;
  f->out->dlfo_map_start = (void *)lo;
  f->out->dlfo_map_end = (void *)hi;
  f->out->dlfo_link_map = 0;
  f->out->dlfo_eh_frame = eh;
  f->found = 1;
  return 1;
}
int _dl_find_object(void *pc, struct dl_find_object *out) {
  struct find f = { (uintptr_t)pc, out, 0 };
  dl_iterate_phdr(visit, &f);
  return f.found ? 0 : -1;
}

/* thread_local destructors: run when a thread exits (pthread key destructor); unlike glibc,
 * not for the main thread at exit(). */
struct dtor { void (*fn)(void *); void *obj; struct dtor *next; };
static pthread_key_t dtor_key;
static pthread_once_t dtor_once = PTHREAD_ONCE_INIT;
static void run_dtors(void *head) {
  for (struct dtor *d = head, *n; d; d = n) { n = d->next; d->fn(d->obj); free(d); }
}
static void make_key(void) { pthread_key_create(&dtor_key, run_dtors); }
int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj, void *dso) {
  (void)dso;
  pthread_once(&dtor_once, make_key);
  struct dtor *d = malloc(sizeof *d);
  if (!d) return -1;
  d->fn = fn;
  d->obj = obj;
  d->next = pthread_getspecific(dtor_key);
  pthread_setspecific(dtor_key, d);
  return 0;
}

/* istream::ignore(streamsize) for char and wchar_t live in libstdc++'s compatibility.o, which
 * Debian's libstdc++_pic.a does not carry: here as ignore(n, delim) with a delim no character
 * equals (char: 256; wchar_t: 0x110000, past Unicode), which skips the same n characters. */
void *_ZNSi6ignoreEli(void *in, long n, int delim);
void *_ZNSi6ignoreEl(void *in, long n) { return _ZNSi6ignoreEli(in, n, 256); }
void *_ZNSt13basic_istreamIwSt11char_traitsIwEE6ignoreElj(void *in, long n, unsigned delim);
void *_ZNSt13basic_istreamIwSt11char_traitsIwEE6ignoreEl(void *in, long n) {
  return _ZNSt13basic_istreamIwSt11char_traitsIwEE6ignoreElj(in, n, 0x110000);
}
