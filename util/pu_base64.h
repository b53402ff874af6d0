/* Base64 (RFC 4648, standard alphabet) decoding, e.g. for HTTP Basic credentials. */
#ifndef PU_BASE64_H
#define PU_BASE64_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Decodes @p in (padding optional, no whitespace) into @p out of @p out_size bytes and
 * NUL-terminates it; *out_len (may be NULL) gets the decoded length. Returns false on a
 * malformed input or when the result (plus NUL) does not fit.
 */
bool pu_base64_decode(const char *in, char *out, size_t out_size, size_t *out_len);

#endif
