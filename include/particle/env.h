/**
 * @file env.h
 * @brief Environment variables of a sandbox, an organization, a product or a device: list,
 *        set, delete, batch update, render, and review or start a rollout (reference:
 *        cloud-api.md §13, particle-api-js.md §2.11).
 *
 * Every call names one scope (particle_env_scope). Its base path is:
 *   sandbox `/v1/env`, organization `/v1/orgs/:org/env`, product `/v1/products/:product/env`,
 *   device `/v1/env/:device`.
 * Values set at a scope only reach devices after a rollout. Precedence when rendered:
 * organization < product < device (a device's own value wins). Answers come back as
 * particle_doc documents (value.h) exactly as the API sends them.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_ENV_H
#define PARTICLE_ENV_H

#include <stddef.h>

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/** Which owner an environment-variable call addresses. */
typedef enum particle_env_scope_kind {
    PARTICLE_ENV_SANDBOX = 0, /**< the caller's own sandbox (`/v1/env`); id unused */
    PARTICLE_ENV_ORG = 1,     /**< an organization: id = its slug or id */
    PARTICLE_ENV_PRODUCT = 2, /**< a product: id = its id or slug */
    PARTICLE_ENV_DEVICE = 3   /**< a device: id = its 24-hex id */
} particle_env_scope_kind;

/** One scope: the kind and, except for the sandbox, the owner's id. */
typedef struct particle_env_scope {
    particle_env_scope_kind kind;
    const char *id; /**< required unless kind is PARTICLE_ENV_SANDBOX */
} particle_env_scope;

/** One operation of a batch update (particle_env_update()). */
typedef struct particle_env_op {
    int unset;         /**< 0 = `Set` key to value, non-zero = `Unset` key */
    const char *key;   /**< the variable's name (required) */
    const char *value; /**< `Set` only: the value (required) */
} particle_env_op;

/** When a rollout reaches devices (particle_env_rollout_start()). */
typedef enum particle_env_rollout_when {
    PARTICLE_ENV_ROLLOUT_IMMEDIATE = 0, /**< `Immediate`: online devices now, others on connect */
    PARTICLE_ENV_ROLLOUT_CONNECT = 1    /**< `Connect`: each device on its next connect */
} particle_env_rollout_when;

/**
 * Lists a scope's variables: `GET {env}` → {last_snapshot:{own, inherited},
 * latest:{own, inherited}, on_device? (device scope), created_at, updated_at, created_by,
 * updated_by}. `own` maps a name to {value}; `inherited` to {value, from}.
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_EINVAL (bad scope), PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN,
 *         PARTICLE_EPROTO (no `latest` object), transport codes.
 */
PARTICLE_API int particle_env_list(particle_doc **out, particle_client *client,
                                   const particle_env_scope *scope);

/**
 * Applies a batch: `PATCH {env}` with JSON {ops:[{op:"Set"|"Unset", key, value?}]}; the
 * answer is the scope's new listing. Not retried on 5xx or network errors.
 * @param[out] out the answer; NULL = not needed
 * @param ops   @p count operations (at least one)
 * @return 0; PARTICLE_EINVAL (no ops, an empty key, a Set without a value),
 *         PARTICLE_EHTTP (400: a bad name or value), PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN,
 *         transport codes.
 */
PARTICLE_API int particle_env_update(particle_doc **out, particle_client *client,
                                     const particle_env_scope *scope, const particle_env_op *ops,
                                     size_t count);

/**
 * Sets one variable: `PUT {env}/:key` with JSON {value}.
 * @param[out] out the answer; NULL = not needed
 * @return as particle_env_update().
 */
PARTICLE_API int particle_env_set(particle_doc **out, particle_client *client,
                                  const particle_env_scope *scope, const char *key,
                                  const char *value);

/**
 * Deletes one of the scope's own variables: `DELETE {env}/:key`.
 * @param[out] out the answer; NULL = not needed
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND (no such own variable, or unknown scope),
 *         PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_env_delete(particle_doc **out, particle_client *client,
                                     const particle_env_scope *scope, const char *key);

/**
 * The set a device of this scope would get now, precedence applied: `GET {env}/render` →
 * {env:{NAME:value}, last_updated_at, rollout_at, rollout_by}.
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no
 *         `env` object), transport codes.
 */
PARTICLE_API int particle_env_render(particle_doc **out, particle_client *client,
                                     const particle_env_scope *scope);

/**
 * What a rollout would change: `GET {env}/rollout` →
 * {from_snapshot:{changes:[{op, key, before?, after?}], unchanged:{…}}, from_device?}.
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no
 *         `from_snapshot` object), transport codes.
 */
PARTICLE_API int particle_env_rollout_review(particle_doc **out, particle_client *client,
                                             const particle_env_scope *scope);

/**
 * Starts a rollout: `POST {env}/rollout` with JSON {when:"Immediate"|"Connect"} →
 * {success:true}. Not retried on 5xx or network errors.
 * @param[out] out the answer; NULL = not needed
 * @return 0; PARTICLE_EINVAL (bad scope or @p when), PARTICLE_ENOTFOUND,
 *         PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_env_rollout_start(particle_doc **out, particle_client *client,
                                            const particle_env_scope *scope,
                                            particle_env_rollout_when when);

PARTICLE_END_DECL

#endif
