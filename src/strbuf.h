/* The SDK's growable buffers: util's pu_buf (a cap, a sticky error, NUL-terminated data) on
 * the library's allocator, so the OOM tests reach every buffer the SDK grows. */
#ifndef PARTICLE_STRBUF_H
#define PARTICLE_STRBUF_H

#include <stddef.h>

#include "pu_buf.h"

/* An empty buffer that refuses to grow beyond @p max_bytes bytes and allocates with
 * particle__realloc/particle__free (so pu_buf_take()'s result is freed with particle__free). */
void particle__buf_init(pu_buf *b, size_t max_bytes);

/* The same for bodies that carry passwords or tokens: the memory is wiped before it is
 * freed or left behind by growth (pu_buf_keep_secret()). */
void particle__buf_init_secret(pu_buf *b, size_t max_bytes);

/* Cap on an API path or query string the SDK builds. */
#define PARTICLE__PATH_MAX_BYTES (16 * 1024)

/*
 * "/v1[/products/<product>]/<collection>[/<id>][/<suffix>]", with @p product and @p id
 * percent-encoded (@p suffix is a tail the SDK built, left as it is); NULL parts are left
 * out. Returns the path (caller frees with particle__free) or NULL with the error set
 * (PARTICLE_EINVAL when longer than PARTICLE__PATH_MAX_BYTES, PARTICLE_ENOMEM).
 */
char *particle__api_path(const char *product, const char *collection, const char *id,
                         const char *suffix);

/* The PARTICLE_* code for a buffer's sticky error: 0, PARTICLE_EINVAL when it hit its cap
 * (an argument too long for a path or query), PARTICLE_ENOMEM. */
int particle__buf_code(const pu_buf *b);

#endif
