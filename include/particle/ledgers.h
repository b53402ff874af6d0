/**
 * @file ledgers.h
 * @brief Ledgers: definitions (list, get, create, update, archive) and their instances
 *        (list, get, set with Replace or Merge, delete, versions), in the user's sandbox or
 *        in an organization (reference: cloud-api.md §13 "Ledger", particle-api-js.md §2.9).
 *
 * Every call takes @p org: NULL or "" = the sandbox (`/v1/ledgers…`), else the
 * organization's ledgers (`/v1/orgs/:org/ledgers…`). Ledger names, scope values (a device
 * id, a product id or the owner's id, by the ledger's scope) and versions are
 * percent-encoded into the path. Answers come back as particle_doc documents (value.h)
 * exactly as the API sends them.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_LEDGERS_H
#define PARTICLE_LEDGERS_H

#include <stdbool.h>

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/** The filters and page of particle_ledger_list(). */
typedef struct particle_ledger_list_options {
    unsigned int version;  /**< PARTICLE_LEDGER_LIST_OPTIONS_VERSION */
    const char *scope;     /**< `scope`: "Owner", "Product" or "Device"; NULL = every scope */
    unsigned int page;     /**< `page` (1-based); 0 = not sent */
    unsigned int per_page; /**< `per_page`; 0 = not sent */
    bool archived;         /**< true sends `archived=true`: the archived ledgers */
} particle_ledger_list_options;

#define PARTICLE_LEDGER_LIST_OPTIONS_VERSION 1
#define PARTICLE_LEDGER_LIST_OPTIONS_INIT                                                          \
    {                                                                                              \
        PARTICLE_LEDGER_LIST_OPTIONS_VERSION, NULL, 0, 0, false                                    \
    }

/** Fills @p opts with PARTICLE_LEDGER_LIST_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_ledger_list_options_init(particle_ledger_list_options *opts,
                                                   unsigned int version);

/**
 * Lists ledger definitions: `GET {ns}/ledgers[?scope=&page=&per_page=&archived=true]` →
 * {"ledger_definitions": [{scope, name, description, direction, updated_at, created_at,
 * archived_at}], "meta": {...}}.
 * @param[out] out the answer; free with particle_doc_free()
 * @param opts     NULL = no filter, the API's first page
 * @return 0; PARTICLE_EINVAL, PARTICLE_EFORBIDDEN, PARTICLE_ENOTFOUND (unknown org),
 *         PARTICLE_EPROTO (no `ledger_definitions` array), transport codes.
 */
PARTICLE_API int particle_ledger_list(particle_doc **out, particle_client *client, const char *org,
                                      const particle_ledger_list_options *opts);

/**
 * Gets one definition: `GET {ns}/ledgers/:name` → {"ledger": {...}}.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_ledger_get(particle_doc **out, particle_client *client, const char *org,
                                     const char *name);

/** The fields of a ledger definition for particle_ledger_create() and
 *  particle_ledger_update(). Unset (NULL) fields are not sent. */
typedef struct particle_ledger_options {
    unsigned int version;    /**< PARTICLE_LEDGER_OPTIONS_VERSION */
    const char *name;        /**< `name`: required to create */
    const char *description; /**< `description` ("" clears it) */
    const char *scope;       /**< `scope`: "Owner", "Product" or "Device"; required to create */
    const char *direction;   /**< `direction`: "Downstream" (cloud to device) or "Upstream"
                                  (device to cloud); required to create */
} particle_ledger_options;

#define PARTICLE_LEDGER_OPTIONS_VERSION 1
#define PARTICLE_LEDGER_OPTIONS_INIT                                                               \
    {                                                                                              \
        PARTICLE_LEDGER_OPTIONS_VERSION, NULL, NULL, NULL, NULL                                    \
    }

/** Fills @p ledger with PARTICLE_LEDGER_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_ledger_options_init(particle_ledger_options *ledger,
                                              unsigned int version);

/**
 * Creates a definition: `POST {ns}/ledgers` with JSON {"ledger": {name, scope, direction,
 * description?}} → {"ledger": {...}}. Not retried on 5xx or network errors.
 * @param[out] out the answer; NULL = not needed
 * @return 0; PARTICLE_EINVAL (no name, scope or direction), PARTICLE_EHTTP (400: a bad or
 *         duplicate name, 413: too big), PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_ledger_create(particle_doc **out, particle_client *client,
                                        const char *org, const particle_ledger_options *ledger);

/**
 * Changes a definition: `PUT {ns}/ledgers/:name` with JSON {"ledger": {the fields set}}
 * (at least one) → {"ledger": {...}}.
 * @return 0; PARTICLE_EINVAL, PARTICLE_EHTTP (400), PARTICLE_ENOTFOUND,
 *         PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_ledger_update(particle_doc **out, particle_client *client,
                                        const char *org, const char *name,
                                        const particle_ledger_options *changes);

/**
 * Archives a definition: `DELETE {ns}/ledgers/:name`. It then lists only with
 * `archived=true` and its instances can no longer be set.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_ledger_archive(particle_client *client, const char *org,
                                         const char *name);

/**
 * Lists a ledger's instances: `GET {ns}/ledgers/:name/instances[?page=&per_page=]` →
 * {"instances": [{name, scope{type,value}, size_bytes, data, updated_at, created_at}],
 * "meta": {...}}.
 * @param page     0 = not sent
 * @param per_page 0 = not sent
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no
 *         `instances` array), transport codes.
 */
PARTICLE_API int particle_ledger_instance_list(particle_doc **out, particle_client *client,
                                               const char *org, const char *name, unsigned int page,
                                               unsigned int per_page);

/**
 * Gets one instance: `GET {ns}/ledgers/:name/instances/:scope_value` →
 * {"instance": {name, scope, size_bytes, data, updated_at, created_at}}.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_ledger_instance_get(particle_doc **out, particle_client *client,
                                              const char *org, const char *name,
                                              const char *scope_value);

/** How particle_ledger_instance_set() combines the new data with the instance's. */
typedef enum particle_ledger_set_mode {
    PARTICLE_LEDGER_SET_REPLACE = 0, /**< `set_mode=Replace`: the data becomes the new data */
    PARTICLE_LEDGER_SET_MERGE = 1    /**< `set_mode=Merge`: top-level keys are overwritten */
} particle_ledger_set_mode;

/**
 * Sets an instance's data: `PUT {ns}/ledgers/:name/instances/:scope_value?set_mode=Replace|
 * Merge` with JSON {"instance": {"data": DATA}} → {"instance": {...}}. The previous data
 * becomes a version.
 * @param data_json a JSON object, as text
 * @return 0; PARTICLE_EINVAL (bad JSON, not an object, bad mode), PARTICLE_EHTTP (400,
 *         413: over the size limit), PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_ledger_instance_set(particle_doc **out, particle_client *client,
                                              const char *org, const char *name,
                                              const char *scope_value, const char *data_json,
                                              particle_ledger_set_mode mode);

/**
 * Deletes an instance: `DELETE {ns}/ledgers/:name/instances/:scope_value`.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_ledger_instance_delete(particle_client *client, const char *org,
                                                 const char *name, const char *scope_value);

/**
 * Lists an instance's earlier versions, newest first:
 * `GET {ns}/ledgers/:name/instances/:scope_value/versions[?replaced_before=&replaced_after=]`
 * → {"versions": [{..., "version", "replaced_at"}], "meta": {"has_more"}}.
 * @param replaced_before ISO 8601 time cursor; NULL or "" = not sent
 * @param replaced_after  ISO 8601 time cursor; NULL or "" = not sent
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no
 *         `versions` array), transport codes.
 */
PARTICLE_API int particle_ledger_version_list(particle_doc **out, particle_client *client,
                                              const char *org, const char *name,
                                              const char *scope_value, const char *replaced_before,
                                              const char *replaced_after);

/**
 * Gets one version: `GET {ns}/ledgers/:name/instances/:scope_value/versions/:version` →
 * {"instance": {...}}.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_ledger_version_get(particle_doc **out, particle_client *client,
                                             const char *org, const char *name,
                                             const char *scope_value, const char *version);

PARTICLE_END_DECL

#endif
