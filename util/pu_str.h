/* Small string helpers: duplication, bounded copies, hex ids, percent-encoding. */
#ifndef PU_STR_H
#define PU_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* strdup that aborts on out of memory (servers) — use only where OOM aborts by policy. */
char *pu_xstrdup(const char *s);

/* Copies @p src into @p dst of @p size bytes, always NUL-terminating. Returns false if it
 * had to truncate. */
bool pu_strlcpy(char *dst, const char *src, size_t size);

/* Whether @p hay contains @p needle, ignoring ASCII case. An empty or NULL needle is in
 * everything; a NULL hay contains nothing else. */
bool pu_str_contains_nocase(const char *hay, const char *needle);

/* Writes @p nbytes random bytes as 2*nbytes lowercase hex characters plus NUL into @p out
 * (size 2*nbytes+1), from /dev/urandom (or @p rng_state when not NULL, for determinism). */
void pu_random_hex(char *out, size_t nbytes, uint64_t *rng_state);

/* splitmix64 step: a small deterministic generator for seeded simulations. */
uint64_t pu_rand_next(uint64_t *state);

/* Uniform double in [0, 1) from @p state. */
double pu_rand_double(uint64_t *state);

/* Percent-decodes @p s in place ("%2F" -> "/"; '+' is left alone). Returns false on a
 * malformed escape or an encoded NUL. */
bool pu_percent_decode(char *s);

/* Overwrites @p len bytes of @p p with zeros in a way the compiler can't drop. NULL-safe. */
void pu_secure_zero(void *p, size_t len);

#endif
