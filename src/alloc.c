/* Allocation entry points of the SDK, with the test builds' fault injection (see alloc.h). */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

#ifdef PARTICLE_TESTING
#include <stdatomic.h>
#include <stdbool.h>

#include <curl/curl.h>
#include <jansson.h>

/* Allocations still allowed before failing starts; negative = never fail. */
static atomic_long budget = -1;
static atomic_ulong refused;

/* Spends one allocation of the budget; false when this one must fail. */
static bool allowed(void)
{
    long left = atomic_load(&budget);
    while (left >= 0) {
        if (left == 0) {
            atomic_fetch_add(&refused, 1);
            return false;
        }
        if (atomic_compare_exchange_weak(&budget, &left, left - 1)) {
            return true;
        }
    }
    return true;
}

void particle__alloc_fail_after(long n)
{
    atomic_store(&refused, 0);
    atomic_store(&budget, n < 0 ? -1 : n);
}

unsigned long particle__alloc_failed(void)
{
    return atomic_load(&refused);
}

int particle__alloc_install(void)
{
    json_set_alloc_funcs(particle__malloc, particle__free);
    return curl_global_init_mem(CURL_GLOBAL_DEFAULT, particle__malloc, particle__free,
                                particle__realloc, particle__strdup, particle__calloc) == CURLE_OK
               ? 0
               : -1;
}
#define ALLOWED() allowed()
#else
#define ALLOWED() 1
#endif

void *particle__malloc(size_t size)
{
    return ALLOWED() ? malloc(size) : NULL;
}

void *particle__calloc(size_t count, size_t size)
{
    return ALLOWED() ? calloc(count, size) : NULL;
}

void *particle__realloc(void *ptr, size_t size)
{
    return ALLOWED() ? realloc(ptr, size) : NULL;
}

char *particle__strdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = particle__malloc(len);
    if (copy != NULL) {
        memcpy(copy, s, len);
    }
    return copy;
}

char *particle__strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *copy = particle__malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

void particle__free(void *ptr)
{
    free(ptr);
}
