/* What the ledger definition and instance calls share (ledgers.h): their paths and one
 * GET. Not installed. */
#ifndef PARTICLE_LEDGER_INTERNAL_H
#define PARTICLE_LEDGER_INTERNAL_H

#include <jansson.h>

#include "particle/ledgers.h"

/* The parts of a ledger path below "{ns}/ledgers"; NULL members end it. */
typedef struct particle__ledger_at {
    const char *org;         /* NULL or "" = the sandbox (/v1), else /v1/orgs/<org> */
    const char *name;        /* the ledger; NULL = the collection */
    const char *scope_value; /* "/instances/<scope_value>"; NULL = no instance */
    bool instances;          /* "/instances" after name (implied by scope_value) */
    bool versions;           /* "/versions" after the instance */
    const char *version;     /* "/versions/<version>" */
} particle__ledger_at;

/* The percent-encoded path of @p at, or NULL with the error set (PARTICLE_EINVAL names an
 * empty part). Free with particle__free(). */
char *particle__ledger_path(const particle__ledger_at *at);

/* GET @p at with @p query (encoded; NULL = none) into *out; @p key names the array the
 * answer must carry (NULL = any JSON). */
int particle__ledger_get(particle_doc **out, particle_client *c, const particle__ledger_at *at,
                         const char *query, const char *key, const char *what);

/* Sends @p method with @p body (borrowed JSON; NULL = none) to @p at; the answer into *out
 * (NULL = discarded). */
int particle__ledger_send(particle_doc **out, particle_client *c, const char *method,
                          const particle__ledger_at *at, const char *query, json_t *body);

#endif
