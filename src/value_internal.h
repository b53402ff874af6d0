/* particle_doc wraps one jansson tree; a particle_value is a json_t seen through a
 * const opaque type, so borrowing costs nothing. Not installed. */
#ifndef PARTICLE_VALUE_INTERNAL_H
#define PARTICLE_VALUE_INTERNAL_H

#include <stdbool.h>

#include <jansson.h>

#include "internal.h"
#include "particle/value.h"

struct particle_doc {
    json_t *root;
    bool wipe; /* holds a secret: particle_doc_free() zeroes every string first */
};

/* Wraps @p root (the reference is stolen, also on failure). Returns 0 or ENOMEM. */
int particle__doc_wrap(particle_doc **out, json_t *root);

/* particle__doc_wrap() for an answer holding a secret (a new OAuth client's): its strings
 * are wiped when the document is freed. */
int particle__doc_wrap_secret(particle_doc **out, json_t *root);

/* Whether a failed jansson parse ran out of memory rather than met bad text. */
bool particle__json_error_is_oom(const json_error_t *jerr);

/*
 * json_loadb() with its failures told apart: PARTICLE_ENOMEM when jansson ran out of memory,
 * else PARTICLE_EPROTO with the message "<what> at line L column C: <jansson's text>".
 * Returns 0 with *out a new reference, or the code with the error set.
 */
int particle__json_load(json_t **out, const char *text, size_t len, size_t flags, const char *what);

/*
 * json_dumps() into memory of the SDK's allocator (freed with particle__free()), so text
 * handed to the caller or kept by the SDK never mixes jansson's allocator with ours.
 * Returns NULL when @p j cannot be encoded or memory runs out.
 */
char *particle__json_dumps(const json_t *j, size_t flags);

static inline const particle_value *particle__value(const json_t *j)
{
    return (const particle_value *)(const void *)j;
}

static inline json_t *particle__json(const particle_value *v)
{
    return (json_t *)(void *)v;
}

#endif
