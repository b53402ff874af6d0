/* What the ledger routes (routes/ledgers.c) and the device side of ledgers in the control
 * API (routes/ledger_control.c) share: the namespace of a request and the scope values it
 * owns. Model lock held. */
#ifndef SIM_LEDGER_ROUTES_H
#define SIM_LEDGER_ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "routes/sim_routes.h"

/* A ledger namespace: an organization, or a user's sandbox. */
typedef struct sim_ledger_ns {
    uint32_t org;     /* SIM_NONE for a sandbox */
    uint32_t user;    /* SIM_NONE for an organization */
    uint32_t product; /* reached through /v1/products/:product (its organization's ledgers,
                         limited to that product): the product, else SIM_NONE */
    char key[96];     /* "org:<org id>" or "user:<username>": the store's key */
} sim_ledger_ns;

/* The namespace of the request: :org when the route has one (404 unknown, 403 not on its
 * team or, for @p write, without a role that develops); :product when it has one: the
 * ledgers of the product's organization, with the product's access rules (its team or its
 * token; 404 for a product of no organization); else the caller's sandbox (403 without a
 * developer token). False after replying. */
bool sim_ledger_namespace(const sim_ctx *ctx, const httpd_request *req, httpd_response *res,
                          bool write, sim_ledger_ns *ns);

/* Does @p ns own scope value @p value of a ledger of scope @p scope (Owner: the username or
 * the organization's id or slug; Product: one of its products, by id or slug; Device: one
 * of its devices; through a product, only that product and its devices)? @p out gets the canonical
 * value (organization id, product id, device id) the instance is stored under. */
bool sim_ledger_scope_value(const sim_model *m, const sim_ledger_ns *ns, const char *scope,
                            const char *value, char *out, size_t out_size);

#endif
