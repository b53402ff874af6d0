/*
 * libcurl, loaded when particlectl first makes a request. Mapping libcurl and the ~30
 * libraries Debian's libcurl links is most of a short command's start-up, so --version,
 * help, completion from the cache and the profile commands should not pay for it
 * (docs/BENCHMARKS.md, "particlectl start-up").
 *
 * particlectl links the SDK's objects instead of libparticle.so, so the SDK's calls to
 * libcurl bind to the definitions below: each loads libcurl with dlopen() on first use and
 * forwards. particle_global_init()'s curl_global_init() is only recorded, and made on the
 * real library right after it is loaded. Every libcurl function the SDK calls must be in
 * this file: a new one fails particlectl's link (undefined reference) until it is added.
 */
#define CURL_DISABLE_TYPECHECK /* the type-checking macros would rename the definitions */
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "curl_lazy.h"

/* libcurl's SONAME since 7.16; the -dev package particlectl builds against links the same. */
#define LIBCURL_SONAME "libcurl.so.4"

/*
 * Every function forwarded, as FN(name without "curl_"). Each forwarder below defines the
 * curl_* function curl.h declares, so the compiler checks its signature against libcurl's
 * (a difference is a "conflicting types" error; the pragma makes a forwarder curl.h does not
 * declare an error too), and each pointer the real function is called through has the type
 * of curl.h's declaration (__typeof__), so a call with the wrong arguments fails as well.
 */
#pragma GCC diagnostic error "-Wmissing-prototypes"
#define CURL_FUNCTIONS(FN)                                                                         \
    FN(global_init)                                                                                \
    FN(global_init_mem)                                                                            \
    FN(global_cleanup)                                                                             \
    FN(easy_init)                                                                                  \
    FN(easy_setopt)                                                                                \
    FN(easy_perform)                                                                               \
    FN(easy_cleanup)                                                                               \
    FN(easy_getinfo)                                                                               \
    FN(easy_header)                                                                                \
    FN(easy_strerror)                                                                              \
    FN(getdate)                                                                                    \
    FN(mime_init)                                                                                  \
    FN(mime_addpart)                                                                               \
    FN(mime_data)                                                                                  \
    FN(mime_filedata)                                                                              \
    FN(mime_filename)                                                                              \
    FN(mime_name)                                                                                  \
    FN(mime_type)                                                                                  \
    FN(mime_free)                                                                                  \
    FN(multi_init)                                                                                 \
    FN(multi_add_handle)                                                                           \
    FN(multi_remove_handle)                                                                        \
    FN(multi_setopt)                                                                               \
    FN(multi_perform)                                                                              \
    FN(multi_poll)                                                                                 \
    FN(multi_wakeup)                                                                               \
    FN(multi_info_read)                                                                            \
    FN(multi_cleanup)                                                                              \
    FN(multi_strerror)                                                                             \
    FN(slist_append)                                                                               \
    FN(slist_free_all)

/* The real libcurl's functions, once loaded. */
#define REAL_FIELD(name) __typeof__(curl_##name) *name;
static struct {
    CURL_FUNCTIONS(REAL_FIELD)
} real;

#define SYMBOL(name) {"curl_" #name, &real.name},
static const struct {
    const char *name;
    void *slot; /* a function pointer of real */
} symbols[] = {CURL_FUNCTIONS(SYMBOL)};

/* What particle_global_init() asked for, made on the real library once it is loaded. */
static struct {
    long flags;
    bool with_allocators;
    curl_malloc_callback m;
    curl_free_callback f;
    curl_realloc_callback r;
    curl_strdup_callback s;
    curl_calloc_callback c;
} pending = {.flags = CURL_GLOBAL_DEFAULT};

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
/* Why libcurl could not be loaded; written once by load(), read after it. */
static char load_error[512];
/* Set once libcurl is loaded and initialised: a handle can only exist after that. */
static atomic_bool ready;

static void load(void)
{
    void *lib = dlopen(LIBCURL_SONAME, RTLD_LAZY | RTLD_LOCAL);
    if (lib == NULL) {
        snprintf(load_error, sizeof(load_error), "cannot load %s: %s", LIBCURL_SONAME, dlerror());
        return;
    }
    for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
        void *fn = dlsym(lib, symbols[i].name);
        if (fn == NULL) {
            snprintf(load_error, sizeof(load_error), "%s has no %s", LIBCURL_SONAME,
                     symbols[i].name);
            dlclose(lib);
            return;
        }
        /* POSIX makes dlsym()'s object pointer a valid function pointer; C needs the copy */
        memcpy(symbols[i].slot, &fn, sizeof(fn));
    }
    CURLcode rc = pending.with_allocators
                      ? real.global_init_mem(pending.flags, pending.m, pending.f, pending.r,
                                             pending.s, pending.c)
                      : real.global_init(pending.flags);
    if (rc != CURLE_OK) {
        snprintf(load_error, sizeof(load_error), "curl_global_init: %s", real.easy_strerror(rc));
        return;
    }
    atomic_store(&ready, true);
}

const char *cli_curl_load_error(void)
{
    return load_error[0] != '\0' ? load_error : NULL;
}

/* Loads libcurl on the first call; false (cli_curl_load_error says why) when it cannot be. */
static bool loaded(void)
{
    pthread_once(&load_once, load);
    return atomic_load(&ready);
}

CURLcode curl_global_init(long flags)
{
    if (atomic_load(&ready)) {
        return real.global_init(flags);
    }
    pending.flags = flags;
    return CURLE_OK;
}

CURLcode curl_global_init_mem(long flags, curl_malloc_callback m, curl_free_callback f,
                              curl_realloc_callback r, curl_strdup_callback s,
                              curl_calloc_callback c)
{
    if (atomic_load(&ready)) {
        return real.global_init_mem(flags, m, f, r, s, c);
    }
    pending.flags = flags;
    pending.with_allocators = true;
    pending.m = m;
    pending.f = f;
    pending.r = r;
    pending.s = s;
    pending.c = c;
    return CURLE_OK;
}

void curl_global_cleanup(void)
{
    if (atomic_load(&ready)) {
        real.global_cleanup();
    }
}

/* The functions that make something load libcurl; the others take what these made. */

CURL *curl_easy_init(void)
{
    return loaded() ? real.easy_init() : NULL;
}

CURLM *curl_multi_init(void)
{
    return loaded() ? real.multi_init() : NULL;
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *s)
{
    return loaded() ? real.slist_append(list, s) : NULL;
}

time_t curl_getdate(const char *s, const time_t *unused)
{
    return loaded() ? real.getdate(s, unused) : -1;
}

const char *curl_easy_strerror(CURLcode code)
{
    return loaded() ? real.easy_strerror(code) : "libcurl could not be loaded";
}

const char *curl_multi_strerror(CURLMcode code)
{
    return loaded() ? real.multi_strerror(code) : "libcurl could not be loaded";
}

/*
 * The options' numbers tell the type of the argument (curl.h's CURLOPTTYPE_ ranges, the same
 * for the multi options). Callbacks travel as void *, which POSIX allows for function
 * pointers and libcurl reads back as its callback type.
 */
CURLcode curl_easy_setopt(CURL *h, CURLoption option, ...)
{
    if (!atomic_load(&ready)) {
        return CURLE_BAD_FUNCTION_ARGUMENT;
    }
    va_list ap;
    CURLcode rc;
    va_start(ap, option);
    if (option < CURLOPTTYPE_OBJECTPOINT) {
        rc = real.easy_setopt(h, option, va_arg(ap, long));
    } else if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB) {
        rc = real.easy_setopt(h, option, va_arg(ap, curl_off_t));
    } else {
        rc = real.easy_setopt(h, option, va_arg(ap, void *));
    }
    va_end(ap);
    return rc;
}

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption option, ...)
{
    if (!atomic_load(&ready)) {
        return CURLM_BAD_HANDLE;
    }
    va_list ap;
    CURLMcode rc;
    va_start(ap, option);
    if (option < CURLOPTTYPE_OBJECTPOINT) {
        rc = real.multi_setopt(m, option, va_arg(ap, long));
    } else if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB) {
        rc = real.multi_setopt(m, option, va_arg(ap, curl_off_t));
    } else {
        rc = real.multi_setopt(m, option, va_arg(ap, void *));
    }
    va_end(ap);
    return rc;
}

/* Every CURLINFO_ argument is a pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
    if (!atomic_load(&ready)) {
        return CURLE_BAD_FUNCTION_ARGUMENT;
    }
    va_list ap;
    va_start(ap, info);
    CURLcode rc = real.easy_getinfo(h, info, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

CURLcode curl_easy_perform(CURL *h)
{
    return atomic_load(&ready) ? real.easy_perform(h) : CURLE_BAD_FUNCTION_ARGUMENT;
}

void curl_easy_cleanup(CURL *h)
{
    if (atomic_load(&ready)) {
        real.easy_cleanup(h);
    }
}

CURLHcode curl_easy_header(CURL *h, const char *name, size_t index, unsigned int origin,
                           int request, struct curl_header **hout)
{
    return atomic_load(&ready) ? real.easy_header(h, name, index, origin, request, hout)
                               : CURLHE_BAD_ARGUMENT;
}

curl_mime *curl_mime_init(CURL *h)
{
    return atomic_load(&ready) ? real.mime_init(h) : NULL;
}

curl_mimepart *curl_mime_addpart(curl_mime *mime)
{
    return atomic_load(&ready) ? real.mime_addpart(mime) : NULL;
}

CURLcode curl_mime_data(curl_mimepart *part, const char *data, size_t size)
{
    return atomic_load(&ready) ? real.mime_data(part, data, size) : CURLE_BAD_FUNCTION_ARGUMENT;
}

CURLcode curl_mime_filedata(curl_mimepart *part, const char *path)
{
    return atomic_load(&ready) ? real.mime_filedata(part, path) : CURLE_BAD_FUNCTION_ARGUMENT;
}

CURLcode curl_mime_filename(curl_mimepart *part, const char *name)
{
    return atomic_load(&ready) ? real.mime_filename(part, name) : CURLE_BAD_FUNCTION_ARGUMENT;
}

CURLcode curl_mime_name(curl_mimepart *part, const char *name)
{
    return atomic_load(&ready) ? real.mime_name(part, name) : CURLE_BAD_FUNCTION_ARGUMENT;
}

CURLcode curl_mime_type(curl_mimepart *part, const char *type)
{
    return atomic_load(&ready) ? real.mime_type(part, type) : CURLE_BAD_FUNCTION_ARGUMENT;
}

void curl_mime_free(curl_mime *mime)
{
    if (atomic_load(&ready)) {
        real.mime_free(mime);
    }
}

CURLMcode curl_multi_add_handle(CURLM *m, CURL *h)
{
    return atomic_load(&ready) ? real.multi_add_handle(m, h) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_remove_handle(CURLM *m, CURL *h)
{
    return atomic_load(&ready) ? real.multi_remove_handle(m, h) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_perform(CURLM *m, int *running)
{
    return atomic_load(&ready) ? real.multi_perform(m, running) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd extra[], unsigned int count, int timeout_ms,
                          int *numfds)
{
    return atomic_load(&ready) ? real.multi_poll(m, extra, count, timeout_ms, numfds)
                               : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_wakeup(CURLM *m)
{
    return atomic_load(&ready) ? real.multi_wakeup(m) : CURLM_BAD_HANDLE;
}

CURLMsg *curl_multi_info_read(CURLM *m, int *left)
{
    return atomic_load(&ready) ? real.multi_info_read(m, left) : NULL;
}

CURLMcode curl_multi_cleanup(CURLM *m)
{
    return atomic_load(&ready) ? real.multi_cleanup(m) : CURLM_BAD_HANDLE;
}

void curl_slist_free_all(struct curl_slist *list)
{
    if (atomic_load(&ready)) {
        real.slist_free_all(list);
    }
}
