/*
 * Aborting allocators for the server layer. The servers follow h2o's policy: running out
 * of memory while serving is not recoverable, so these print a message and abort() instead
 * of returning NULL. Every allocation in httpd/ goes through them, the JSON containers it
 * creates included (jansson's own growth inside a container is not covered).
 */
#ifndef HTTPD_ALLOC_H
#define HTTPD_ALLOC_H

#include <stddef.h>

#include <jansson.h>

void *httpd_xmalloc(size_t size);
void *httpd_xcalloc(size_t count, size_t size);
void *httpd_xrealloc(void *ptr, size_t size);
char *httpd_xstrdup(const char *s);
char *httpd_xstrndup(const char *s, size_t len);
/* Empty JSON containers; jansson returns NULL only when it cannot allocate. */
json_t *httpd_xjson_object(void);
json_t *httpd_xjson_array(void);
/* count * size with overflow check (aborts on overflow: a size that large is a bug). */
size_t httpd_xmul(size_t count, size_t size);

#endif
