/* Aborting allocators: see httpd_alloc.h for the OOM policy. */
#include "httpd_alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_log.h"

static void out_of_memory(size_t size)
{
    pu_log(PU_LOG_ERROR, "httpd", "out of memory (allocating %zu bytes)", size);
    abort();
}

void *httpd_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *httpd_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(httpd_xmul(count, size));
    return p;
}

void *httpd_xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

char *httpd_xstrndup(const char *s, size_t len)
{
    if (len == SIZE_MAX)
        out_of_memory(len);
    char *p = httpd_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *httpd_xstrdup(const char *s)
{
    return httpd_xstrndup(s, strlen(s));
}

size_t httpd_xmul(size_t count, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(count, size, &total))
        out_of_memory(SIZE_MAX);
    return total;
}

json_t *httpd_xjson_object(void)
{
    json_t *obj = json_object();
    if (!obj)
        out_of_memory(sizeof(json_t));
    return obj;
}

json_t *httpd_xjson_array(void)
{
    json_t *arr = json_array();
    if (!arr)
        out_of_memory(sizeof(json_t));
    return arr;
}
