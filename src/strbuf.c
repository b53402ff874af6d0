#include "strbuf.h"

#include "alloc.h"
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
