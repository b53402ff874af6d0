/**
 * @file oauth_clients.h
 * @brief OAuth clients of the user or of a product: list, create, update, delete
 *        (reference: cloud-api.md §4.7). A product client's id and secret create customers
 *        and customer tokens (customers.h) and log in with
 *        particle_login_client_credentials_with() (auth.h).
 *
 * Each call takes `product`: NULL = the user's clients (`/v1/clients`), else a product id or
 * slug (`/v1/products/:product/clients`). A client is named by its id (e.g. "myapp-2146").
 * The API shows a new client's secret once, in the create answer: the document holding it
 * is wiped when freed.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_OAUTH_CLIENTS_H
#define PARTICLE_OAUTH_CLIENTS_H

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/** The fields particle_oauth_client_create() and _update() send; NULL fields are not sent. */
typedef struct particle_oauth_client_options {
    unsigned int version;     /**< PARTICLE_OAUTH_CLIENT_OPTIONS_VERSION */
    const char *name;         /**< `name`; required on create */
    const char *type;         /**< `type`: "installed" or "web"; required on create, not sent
                                   on update */
    const char *redirect_uri; /**< `redirect_uri`, web clients only; not sent on update */
    const char *scope;        /**< `scope`: "customers:create" or "*:*" (space separated);
                                   on update "none" removes the scopes */
} particle_oauth_client_options;

#define PARTICLE_OAUTH_CLIENT_OPTIONS_VERSION 1
#define PARTICLE_OAUTH_CLIENT_OPTIONS_INIT                                                         \
    {                                                                                              \
        PARTICLE_OAUTH_CLIENT_OPTIONS_VERSION, NULL, NULL, NULL, NULL                              \
    }

/** Fills @p opts with PARTICLE_OAUTH_CLIENT_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_oauth_client_options_init(particle_oauth_client_options *opts,
                                                    unsigned int version);

/**
 * Lists OAuth clients: `GET /v1/clients` or the product variant →
 * {ok: true, clients: [{id, name, type, redirect_uri?, scope?}]}.
 * @param[out] out the answer; free with particle_doc_free()
 * @param product  NULL = the user's clients
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND (unknown product), PARTICLE_EAUTH,
 * PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no `clients` array), transport codes.
 */
PARTICLE_API int particle_oauth_client_list(particle_doc **out, particle_client *client,
                                            const char *product);

/**
 * Creates an OAuth client: `POST /v1/clients` (or the product variant) with JSON
 * {name, type, redirect_uri?, scope?} → {ok: true, client: {id, name, type, secret, ...}}.
 * The root of @p out is the `client` object; its `secret` is shown only this once. Not
 * retried after 5xx or network errors.
 * @param[out] out the new client; free with particle_doc_free(), which wipes its strings
 * @return 0; PARTICLE_EINVAL (no name or type, a type other than "installed"/"web", a
 *         redirect_uri on an installed client), PARTICLE_EHTTP (400 from the API),
 *         PARTICLE_ENOTFOUND, PARTICLE_EAUTH, PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no `client`
 * object), transport codes.
 */
PARTICLE_API int particle_oauth_client_create(particle_doc **out, particle_client *client,
                                              const char *product,
                                              const particle_oauth_client_options *opts);

/**
 * Renames a client or changes its scope: `PUT /v1/clients/:client_id` (or the product
 * variant) with JSON {name?, scope?} (at least one) → {ok: true, client: {...}}; the root of
 * @p out is the `client` object.
 * @param[out] out the updated client; free with particle_doc_free(); NULL = not needed
 * @return 0; PARTICLE_EINVAL (nothing to change), PARTICLE_ENOTFOUND, PARTICLE_EAUTH,
 * PARTICLE_EFORBIDDEN, PARTICLE_EHTTP, transport codes.
 */
PARTICLE_API int particle_oauth_client_update(particle_doc **out, particle_client *client,
                                              const char *product, const char *client_id,
                                              const particle_oauth_client_options *opts);

/**
 * Deletes a client: `DELETE /v1/clients/:client_id` (or the product variant) → 204.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EAUTH, PARTICLE_EFORBIDDEN, transport
 * codes.
 */
PARTICLE_API int particle_oauth_client_delete(particle_client *client, const char *product,
                                              const char *client_id);

/** @return a client object's `id`, or NULL. Borrowed from its document. */
PARTICLE_API const char *particle_oauth_client_id(const particle_value *oauth_client);
/** @return a client object's `secret` (only in a create answer), or NULL. Borrowed. */
PARTICLE_API const char *particle_oauth_client_secret(const particle_value *oauth_client);

PARTICLE_END_DECL

#endif
