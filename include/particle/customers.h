/**
 * @file customers.h
 * @brief A product's customers: create (with the product's OAuth client credentials, shadow
 *        customers included, or with a team member's token), list (with a page iterator),
 *        change a password, delete, a customer's access token; and claim codes, for the user
 *        and for a product's customer (reference: cloud-api.md §9.4, §4.1 and §5.10).
 *
 * A customer is named by the e-mail (or other unique identifier) it was created with,
 * percent-encoded into the path. Passwords and client secrets travel in form bodies that are
 * wiped after the request, and are never logged.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_CUSTOMERS_H
#define PARTICLE_CUSTOMERS_H

#include "particle/auth.h"
#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/* ---- listing ---- */

/** Options for particle_customer_list() and particle_customer_iter_new(). */
typedef struct particle_customer_list_options {
    unsigned int version;  /**< PARTICLE_CUSTOMER_LIST_OPTIONS_VERSION */
    unsigned int page;     /**< 1-based; 0 = not sent */
    unsigned int per_page; /**< 0 = not sent; sent as `perPage` (UNVERIFIED name, reference 9.4) */
} particle_customer_list_options;

#define PARTICLE_CUSTOMER_LIST_OPTIONS_VERSION 1
#define PARTICLE_CUSTOMER_LIST_OPTIONS_INIT                                                        \
    {                                                                                              \
        PARTICLE_CUSTOMER_LIST_OPTIONS_VERSION, 0u, 0u                                             \
    }

/** Fills @p opts with PARTICLE_CUSTOMER_LIST_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_customer_list_options_init(particle_customer_list_options *opts,
                                                     unsigned int version);

/**
 * Lists one page of a product's customers: `GET /v1/products/:product/customers`. The root
 * is {customers: [{id, username, full_name, devices: [...]}], devices: [...],
 * meta: {total_pages}}.
 * @param[out] out the answer; free with particle_doc_free()
 * @param client   the client (a product team member's or the product client's token)
 * @param product  product id or slug (required)
 * @param opts     NULL = the server's first page and page size
 * @return 0; PARTICLE_EINVAL (NULL argument, empty product, wrong options version),
 *         PARTICLE_ENOTFOUND (unknown product), PARTICLE_EAUTH (401), PARTICLE_EFORBIDDEN (403: not
 * a team member), transport codes.
 */
PARTICLE_API int particle_customer_list(particle_doc **out, particle_client *client,
                                        const char *product,
                                        const particle_customer_list_options *opts);

/** Walks every page of a customer listing, like particle_sim_iter. Not thread-safe; one owner. */
typedef struct particle_customer_iter particle_customer_iter;

/**
 * Starts an iteration over a product's customers (opts->page is the first page, default 1).
 * No request is made until the first _next(). @p product is copied.
 * @param[out] out the iterator; free with particle_customer_iter_free()
 * @param client   borrowed; must outlive the iterator
 * @return 0, PARTICLE_EINVAL, PARTICLE_ENOMEM.
 */
PARTICLE_API int particle_customer_iter_new(particle_customer_iter **out, particle_client *client,
                                            const char *product,
                                            const particle_customer_list_options *opts);

/**
 * Advances to the next customer object, fetching the next page when needed.
 * @param[out] out the customer, borrowed from the iterator: valid until the next call of
 *                 particle_customer_iter_next() or _free(); NULL at the end
 * @return 0 (check *out for the end), or a negative code (calling again retries the page);
 *         PARTICLE_EPROTO when a page has no `customers` array.
 */
PARTICLE_API int particle_customer_iter_next(const particle_value **out,
                                             particle_customer_iter *it);

/** @return the total_pages the server reported, 0 before the first page. */
PARTICLE_API unsigned int particle_customer_iter_total_pages(const particle_customer_iter *it);

/** Frees @p it. NULL-safe. */
PARTICLE_API void particle_customer_iter_free(particle_customer_iter *it);

/**
 * Gets one customer of @p product by e-mail. The reference documents no route for a single
 * customer (cloud-api.md §9.4), so this walks the documented listing
 * (`GET /v1/products/:product/customers`, every page) and keeps the first customer whose
 * `username` equals @p email, ignoring case (docs/COMPATIBILITY.md).
 * @param[out] out the customer object {id, username, full_name, devices: [...]} as listed;
 *                 free with particle_doc_free()
 * @param email    the customer's e-mail or unique identifier
 * @return 0; PARTICLE_ENOTFOUND (no such customer, or an unknown product), PARTICLE_EINVAL,
 *         PARTICLE_EAUTH, PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (a page without `customers`),
 *         transport codes.
 */
PARTICLE_API int particle_customer_get(particle_doc **out, particle_client *client,
                                       const char *product, const char *email);

/* ---- create, change, delete ---- */

/** How particle_customer_create() authenticates and what it sends. */
typedef struct particle_customer_create_options {
    unsigned int version;      /**< PARTICLE_CUSTOMER_CREATE_OPTIONS_VERSION */
    const char *client_id;     /**< the product's OAuth client; NULL = use the client's
                                    token (a product team member's) instead */
    const char *client_secret; /**< with client_id; copied into the request only */
    const char *password;      /**< the customer's password; NULL or "" = none (then
                                    no_password must be set) */
    int no_password;           /**< non-zero: a shadow customer (`no_password=true`) */
    unsigned int flags;        /**< PARTICLE_LOGIN_RETRY to retry after 5xx / network errors */
} particle_customer_create_options;

#define PARTICLE_CUSTOMER_CREATE_OPTIONS_VERSION 1
#define PARTICLE_CUSTOMER_CREATE_OPTIONS_INIT                                                      \
    {                                                                                              \
        PARTICLE_CUSTOMER_CREATE_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0u                          \
    }

/** Fills @p opts with PARTICLE_CUSTOMER_CREATE_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_customer_create_options_init(particle_customer_create_options *opts,
                                                       unsigned int version);

/**
 * Creates a customer of @p product: `POST /v1/products/:product/customers` with the form
 * `email`, then `password` or `no_password=true`; with opts->client_id also
 * `grant_type=client_credentials, client_id, client_secret` and no Authorization header
 * (particle-api-js createCustomer), else the client's bearer token. The API answers 201
 * with the new customer's token.
 * @param[out] out the customer's token; free with particle_token_free(); NULL = not needed
 * @param product  product id or slug
 * @param email    the customer's e-mail or unique identifier
 * @param opts     required: a password, no_password, or both unset with a client token is
 *                 refused (PARTICLE_EINVAL)
 * @return 0; PARTICLE_EINVAL, PARTICLE_EAUTH (bad client credentials), PARTICLE_EFORBIDDEN (not a
 * team member), PARTICLE_EHTTP (409: the customer exists; 400: bad e-mail), PARTICLE_ENOTFOUND
 * (unknown product), PARTICLE_EPROTO (an answer without an access_token), transport codes.
 */
PARTICLE_API int particle_customer_create(particle_token **out, particle_client *client,
                                          const char *product, const char *email,
                                          const particle_customer_create_options *opts);

/**
 * Changes a (non-shadow) customer's password: `PUT /v1/products/:product/customers/:email`
 * with the form `password`, on a product token (not the customer's) → {ok: true}.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EAUTH, PARTICLE_EFORBIDDEN,
 * PARTICLE_EHTTP, transport codes.
 */
PARTICLE_API int particle_customer_set_password(particle_client *client, const char *product,
                                                const char *email, const char *password);

/**
 * Deletes a customer, revoking its tokens and claim codes:
 * `DELETE /v1/products/:product/customers/:email` → {ok: true}.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EAUTH, PARTICLE_EFORBIDDEN, transport
 * codes.
 */
PARTICLE_API int particle_customer_delete(particle_client *client, const char *product,
                                          const char *email);

/**
 * A customer's access token: `POST /oauth/token` with `grant_type=client_credentials`,
 * `scope=customer=<email>` and the product client's id and secret (not the client's own).
 * opts->scope must be NULL; opts->flags may hold PARTICLE_LOGIN_SET_TOKEN and
 * PARTICLE_LOGIN_RETRY.
 * @param[out] out the token; free with particle_token_free(); may be NULL with
 *                 PARTICLE_LOGIN_SET_TOKEN
 * @return as particle_login_client_credentials_with().
 */
PARTICLE_API int particle_customer_token(particle_token **out, particle_client *client,
                                         const char *client_id, const char *client_secret,
                                         const char *email, const particle_login_options *opts);

/** @return a customer object's `username` (its e-mail), or NULL. Borrowed. */
PARTICLE_API const char *particle_customer_username(const particle_value *customer);

/* ---- claim codes (§5.10) ---- */

/** What particle_claim_code_create() asks for. */
typedef struct particle_claim_code_options {
    unsigned int version; /**< PARTICLE_CLAIM_CODE_OPTIONS_VERSION */
    const char *product;  /**< NULL = the user's `POST /v1/device_claims`; a product id or slug =
                               `POST /v1/products/:product/device_claims`, on a customer's token */
    const char *iccid;    /**< a cellular device's ICCID (`iccid`); NULL = not sent */
    const char *imei;     /**< a cellular device's IMEI (`imei`); NULL = not sent */
} particle_claim_code_options;

#define PARTICLE_CLAIM_CODE_OPTIONS_VERSION 1
#define PARTICLE_CLAIM_CODE_OPTIONS_INIT                                                           \
    {                                                                                              \
        PARTICLE_CLAIM_CODE_OPTIONS_VERSION, NULL, NULL, NULL                                      \
    }

/** Fills @p opts with PARTICLE_CLAIM_CODE_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_claim_code_options_init(particle_claim_code_options *opts,
                                                  unsigned int version);

/**
 * Creates a claim code: a JSON body {} or {iccid, imei} (particle-api-js getClaimCode); the
 * answer is {claim_code, device_ids: [...]} (the devices the caller already owns). Not
 * retried after 5xx or network errors.
 * @param[out] out the answer; free with particle_doc_free()
 * @param opts     NULL = the user's Wi-Fi claim code
 * @return 0; PARTICLE_EINVAL (NULL argument, empty product/ICCID/IMEI), PARTICLE_EFORBIDDEN
 *         (e.g. a non-customer token on the product route), PARTICLE_ENOTFOUND,
 *         PARTICLE_EPROTO (no `claim_code` string in the answer), transport codes.
 */
PARTICLE_API int particle_claim_code_create(particle_doc **out, particle_client *client,
                                            const particle_claim_code_options *opts);

/** @return the `claim_code` of a particle_claim_code_create() answer, or NULL. Borrowed. */
PARTICLE_API const char *particle_claim_code_text(const particle_value *answer);

PARTICLE_END_DECL

#endif
