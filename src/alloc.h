/*
 * The SDK's allocator entry points: every allocation in src/ goes through them (a CI check
 * refuses raw malloc/calloc/realloc/strdup/strndup/free there). They forward to the C
 * library; in test builds (PARTICLE_TESTING, set only when the build is configured with
 * -DPARTICLE_TESTS=ON) they can be told to fail from the Nth allocation on, and
 * particle_global_init() also routes libcurl's and jansson's allocations through them, so
 * OOM loops reach every allocation a call makes (sqlite's faultsim, jansson's test_chaos).
 *
 * Memory from these is freed with particle__free(). So is memory from util/ (pu_*, which
 * allocates with the C library's malloc, as particle__free() frees). Memory that libcurl
 * or jansson hand out is freed with their own functions (curl_free, json_decref), and text
 * that jansson serialises is taken through particle__json_dumps() (value_internal.h), so
 * the SDK never frees with another library's allocator. Not installed.
 */
#ifndef PARTICLE_ALLOC_H
#define PARTICLE_ALLOC_H

#include <stddef.h>

void *particle__malloc(size_t size);
void *particle__calloc(size_t count, size_t size);
void *particle__realloc(void *ptr, size_t size);
char *particle__strdup(const char *s);
/* A copy of at most @p n bytes of @p s, NUL-terminated. */
char *particle__strndup(const char *s, size_t n);
void particle__free(void *ptr);

#ifdef PARTICLE_TESTING
/*
 * Lets the next @p n allocations succeed and fails every one after them (particle__*,
 * libcurl's and jansson's), on every thread, until called again; a negative @p n turns
 * failing off.
 */
void particle__alloc_fail_after(long n);

/* Number of allocations refused since the last particle__alloc_fail_after(). */
unsigned long particle__alloc_failed(void);

/* Hands libcurl and jansson the allocators above and initialises libcurl: what
 * particle_global_init() does in test builds (libcurl takes allocators only when it is
 * first initialised). Returns 0, or -1 when libcurl cannot initialise. */
int particle__alloc_install(void);
#endif

#endif
