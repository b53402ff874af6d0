#include "strbuf.h"

#include "alloc.h"
#include "internal.h"
#include "particle/error.h"

static const pu_allocator library_allocator = {particle__realloc, particle__free};

void particle__buf_init(pu_buf *b, size_t max_bytes)
{
    pu_buf_init(b, max_bytes, &library_allocator);
}

void particle__buf_init_secret(pu_buf *b, size_t max_bytes)
{
    particle__buf_init(b, max_bytes);
    pu_buf_keep_secret(b);
}

int particle__buf_code(const pu_buf *b)
{
    switch (pu_buf_error(b)) {
    case 0:
        return 0;
    case PU_BUF_ETOOBIG:
        return PARTICLE_EINVAL;
    default:
        return PARTICLE_ENOMEM;
    }
}

char *particle__api_path(const char *product, const char *collection, const char *id,
                         const char *suffix)
{
    pu_buf b;
    particle__buf_init(&b, PARTICLE__PATH_MAX_BYTES);
    if (product != NULL) {
        pu_buf_append_str(&b, "/v1/products/");
        pu_buf_append_percent_encoded(&b, product);
        pu_buf_append_char(&b, '/');
    } else {
        pu_buf_append_str(&b, "/v1/");
    }
    pu_buf_append_str(&b, collection);
    if (id != NULL) {
        pu_buf_append_char(&b, '/');
        pu_buf_append_percent_encoded(&b, id);
    }
    if (suffix != NULL) {
        pu_buf_append_char(&b, '/');
        pu_buf_append_str(&b, suffix);
    }
    if (pu_buf_error(&b) != 0) {
        particle__error_set(particle__buf_code(&b), "cannot build the path");
    }
    return pu_buf_take(&b, NULL); /* NULL after an error */
}
