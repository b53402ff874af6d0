/* What senml.c (the pack, JSON) and senml_cbor.c (CBOR) share: a pack's records with their
 * base values worked out, so both encodings carry exactly the same fields. */
#ifndef BRIDGE_SENML_PLAN_H
#define BRIDGE_SENML_PLAN_H

#include "api/senml.h"

/* One record to write; NULL / false fields are left out. */
typedef struct bridge_senml_fields {
    const char *bn;
    bool has_bt;
    double bt;
    const char *bu;
    const char *n;
    const char *u;
    bool has_t;
    double t;
    bridge_senml_kind kind;
    double v;       /* NUMBER */
    bool vb;        /* BOOL */
    const char *vs; /* STRING */
} bridge_senml_fields;

/* Called once per record in order; non-zero stops. */
typedef int bridge_senml_field_fn(const bridge_senml_fields *f, void *payload);

/* The number of records; a walk over them in order with base values applied, returning 0 or
 * the first non-zero result of @p fn. */
size_t bridge_senml_pack_count(const bridge_senml_pack *pack);
int bridge_senml_pack_walk(const bridge_senml_pack *pack, bridge_senml_field_fn *fn, void *payload);

/* Whether @p x is a whole number an integer type holds exactly (written as an integer). */
bool bridge_senml_is_whole(double x);

#endif
