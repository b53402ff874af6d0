/* Calls on the product, organization, team and group resources (products.h, groups.h):
 * their paths, and one request whose answer must carry the member the reference documents.
 * Not installed. */
#ifndef PARTICLE_RESOURCE_H
#define PARTICLE_RESOURCE_H

#include <stdbool.h>

#include <jansson.h>

#include "particle/client.h"
#include "particle/value.h"

/* One call: @p body (borrowed; NULL = none) goes as JSON. When @p key is set, a 2xx answer
 * must be an object whose member @p key is an array (@p key_is_array) or an object, else
 * PARTICLE_EPROTO naming @p what. */
typedef struct particle__call {
    const char *method;
    const char *path;  /* percent-encoded */
    const char *query; /* encoded, NULL = none */
    json_t *body;
    bool retry_unsafe;
    const char *key;
    bool key_is_array;
    const char *what;
    /* NULL = application/json; else the Accept header and, with a body, its Content-Type
     * (application/schema+json for configuration schemas) */
    const char *media_type;
} particle__call;

/* Performs @p call on @p c and wraps the answer into *out (NULL @p out = discard it; *out is
 * NULL on failure). Returns 0 or a negative code with the error set. */
int particle__call_doc(particle_doc **out, particle_client *c, const particle__call *call);

/*
 * "/v1/<scope>/<owner>/<collection>[/<id>]" with @p owner and @p id percent-encoded, e.g.
 * ("orgs", "acme", "team", "a@b.c"). @p owner is required; so is @p id when @p id_what is
 * set (NULL @p id_what and @p id = the collection). @p owner_what and @p id_what name them
 * in the PARTICLE_EINVAL message. Returns the path (particle__free) or NULL with the error
 * set.
 */
char *particle__scoped_path(const char *scope, const char *owner, const char *owner_what,
                            const char *collection, const char *id, const char *id_what);

/* Fails with PARTICLE_EINVAL when @p out or @p c is NULL; else sets *out to NULL. */
int particle__check_out_client(particle_doc **out, const particle_client *c);

#endif
