/**
 * @file products.h
 * @brief Products (list, get, configuration), organizations (list, get) and team members
 *        of a product or an organization (list, invite, change role, remove)
 *        (reference: cloud-api.md §9.1-§9.3).
 *
 * A product is named by its numeric id or its slug, an organization by its id or slug; both
 * are percent-encoded into the path, as is a team member's username (an email). Answers come
 * back as particle_doc documents (value.h) exactly as the API sends them, so every field is
 * reachable.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_PRODUCTS_H
#define PARTICLE_PRODUCTS_H

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/* ---- products ---- */

/** Options for particle_product_list(). */
typedef struct particle_product_list_options {
    unsigned int version; /**< PARTICLE_PRODUCT_LIST_OPTIONS_VERSION */
    const char *org;      /**< organization id or slug; NULL = the user's products */
} particle_product_list_options;

#define PARTICLE_PRODUCT_LIST_OPTIONS_VERSION 1
#define PARTICLE_PRODUCT_LIST_OPTIONS_INIT                                                         \
    {                                                                                              \
        PARTICLE_PRODUCT_LIST_OPTIONS_VERSION, NULL                                                \
    }

/** Fills @p opts with PARTICLE_PRODUCT_LIST_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_product_list_options_init(particle_product_list_options *opts,
                                                    unsigned int version);

/**
 * Lists products: `GET /v1/user/products` (the products the user can reach) or, with
 * opts->org, `GET /v1/orgs/:org/products`. The root is {"products": [{id, platform_id,
 * name, slug, description, ...}]}; the API does not page this listing.
 * @param[out] out the answer; free with particle_doc_free()
 * @param client   the client
 * @param opts     NULL = the user's products
 * @return 0; PARTICLE_EINVAL (NULL argument, wrong options version, empty org),
 *         PARTICLE_ENOTFOUND (unknown organization), PARTICLE_EFORBIDDEN, PARTICLE_EPROTO
 *         (no `products` array), transport codes.
 */
PARTICLE_API int particle_product_list(particle_doc **out, particle_client *client,
                                       const particle_product_list_options *opts);

/**
 * Gets one product: `GET /v1/products/:product` → {"product": {id, platform_id, name, slug,
 * description, organization, ...}}.
 * @param[out] out the answer; free with particle_doc_free()
 * @param product  product id or slug
 * @return 0; PARTICLE_EINVAL (empty product), PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN (not
 *         on the product's team), PARTICLE_EPROTO (no `product` object), transport codes.
 */
PARTICLE_API int particle_product_get(particle_doc **out, particle_client *client,
                                      const char *product);

/**
 * Reads a product's configuration (`GET /v1/products/:product/config`) or, with @p device,
 * one device's (`GET /v1/products/:product/config/:device`) as the API sends it.
 * @param[out] out the answer; free with particle_doc_free()
 * @param device   device id; NULL = the product's configuration
 * @return 0; PARTICLE_ENOTFOUND (no configuration: the API answers 404 {}),
 *         PARTICLE_EFORBIDDEN, PARTICLE_EINVAL, transport codes.
 */
PARTICLE_API int particle_product_config_get(particle_doc **out, particle_client *client,
                                             const char *product, const char *device);

/**
 * Writes a product's (or, with @p device, one device's) configuration:
 * `PUT /v1/products/:product/config[/:device]` with @p config_json as the body.
 * @param[out] out         the answer; NULL = not needed
 * @param device           device id; NULL = the product's configuration
 * @param config_json      a JSON object (text), sent as given after checking it parses
 * @return 0; PARTICLE_EINVAL (empty product, text that is not a JSON object),
 *         PARTICLE_EHTTP (422: a configuration the schema refuses; 400: a device that
 *         refused it), PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_product_config_set(particle_doc **out, particle_client *client,
                                             const char *product, const char *device,
                                             const char *config_json);

/**
 * Reads the JSON Schema that a product's (or, with @p device, one device's) configuration
 * must satisfy: `GET /v1/products/:product/config[/:device]` with
 * `Accept: application/schema+json`, as particle-api-js getProductConfigurationSchema and
 * getProductDeviceConfigurationSchema do.
 * @param[out] out the schema; free with particle_doc_free()
 * @param device   device id; NULL = the product's schema
 * @return 0; PARTICLE_ENOTFOUND (no schema is set), PARTICLE_EFORBIDDEN, PARTICLE_EINVAL,
 *         transport codes.
 */
PARTICLE_API int particle_product_config_schema_get(particle_doc **out, particle_client *client,
                                                    const char *product, const char *device);

/**
 * Sets that schema: `PUT /v1/products/:product/config[/:device]` with @p schema_json as an
 * `application/schema+json` body. Later configurations are checked against it (a refused one
 * is PARTICLE_EHTTP with status 422 naming the bad path).
 * @param[out] out         the answer; NULL = not needed
 * @param schema_json      a JSON object (text), sent as given after checking it parses
 * @return 0; PARTICLE_EINVAL (empty product, text that is not a JSON object), PARTICLE_EHTTP
 *         (400: a schema the server refuses), PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN,
 *         transport codes.
 */
PARTICLE_API int particle_product_config_schema_set(particle_doc **out, particle_client *client,
                                                    const char *product, const char *device,
                                                    const char *schema_json);

/* ---- organizations ---- */

/**
 * Lists the user's organizations: `GET /v1/orgs` → {"organizations": [{id, slug, name}]}.
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_EINVAL, PARTICLE_EPROTO (no `organizations` array), transport codes.
 */
PARTICLE_API int particle_org_list(particle_doc **out, particle_client *client);

/**
 * Gets one organization: `GET /v1/orgs/:org` → {"organization": {id, slug, name}}.
 * @param[out] out the answer; free with particle_doc_free()
 * @param org      organization id or slug
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no
 *         `organization` object), transport codes.
 */
PARTICLE_API int particle_org_get(particle_doc **out, particle_client *client, const char *org);

/* ---- team members ---- */

/**
 * Lists a product's team: `GET /v1/products/:product/team` → {"ok": true, "team":
 * [{username, role: {id, name}, ...}]} (API users carry `is_programmatic` and `scopes`).
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN (not on the team),
 *         PARTICLE_EPROTO (no `team` array), transport codes.
 */
PARTICLE_API int particle_team_list(particle_doc **out, particle_client *client,
                                    const char *product);

/**
 * Invites a user to a product's team: `POST /v1/products/:product/team` with JSON
 * {"username": EMAIL} and, when @p role is set, "role" (Administrator, Developer,
 * View-only, Support). The answer is {"ok": true, "invited": {"username": ...}}. Not
 * retried on 5xx or network errors.
 * @param[out] out the answer; NULL = not needed
 * @param username the email to invite (required)
 * @param role     NULL = not sent (the API's default role)
 * @return 0; PARTICLE_EINVAL, PARTICLE_EHTTP (400: already a member, a bad role),
 *         PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_team_invite(particle_doc **out, particle_client *client,
                                      const char *product, const char *username, const char *role);

/**
 * Removes a member from a product's team: `DELETE /v1/products/:product/team/:username`
 * (the username percent-encoded) → {"ok": true}.
 * @param[out] out the answer; NULL = not needed
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND (not a member), PARTICLE_EFORBIDDEN,
 *         transport codes.
 */
PARTICLE_API int particle_team_remove(particle_doc **out, particle_client *client,
                                      const char *product, const char *username);

/**
 * Changes a team member's role: `POST /v1/products/:product/team/:username` with JSON
 * {"role": ROLE} (scope teams.users:update; the reference leaves the body open, UNVERIFIED:
 * docs/COMPATIBILITY.md). particle-sim answers {"ok": true, "updated": {username, role}}.
 * @param[out] out the answer; NULL = not needed
 * @param role     Administrator, Developer, View-only or Support (required)
 * @return 0; PARTICLE_EINVAL, PARTICLE_EHTTP (400: a bad role), PARTICLE_ENOTFOUND (not a
 *         member, unknown product), PARTICLE_EFORBIDDEN (not an Administrator), transport
 *         codes.
 */
PARTICLE_API int particle_team_update(particle_doc **out, particle_client *client,
                                      const char *product, const char *username, const char *role);

/** particle_team_update() for an organization's team: `POST /v1/orgs/:org/team/:username`. */
PARTICLE_API int particle_org_team_update(particle_doc **out, particle_client *client,
                                          const char *org, const char *username, const char *role);

/** particle_team_list() for an organization's team: `GET /v1/orgs/:org/team`. */
PARTICLE_API int particle_org_team_list(particle_doc **out, particle_client *client,
                                        const char *org);

/** particle_team_invite() for an organization's team: `POST /v1/orgs/:org/team`. */
PARTICLE_API int particle_org_team_invite(particle_doc **out, particle_client *client,
                                          const char *org, const char *username, const char *role);

/** particle_team_remove() for an organization's team: `DELETE /v1/orgs/:org/team/:username`. */
PARTICLE_API int particle_org_team_remove(particle_doc **out, particle_client *client,
                                          const char *org, const char *username);

PARTICLE_END_DECL

#endif
