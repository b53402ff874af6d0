/**
 * @file groups.h
 * @brief Device groups of a product: list, get, create, update, delete, and assigning
 *        devices to groups, one device or a batch (reference: cloud-api.md §9.5).
 *
 * A group is named by its name (lowercase letters, digits, dashes and underscores; the API
 * checks it), percent-encoded into the path like the product id or slug. Listing a
 * product's devices by group is particle_device_list_options.groups (devices.h); each
 * product device carries its `groups` array. Answers come back as particle_doc documents
 * (value.h) exactly as the API sends them.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_GROUPS_H
#define PARTICLE_GROUPS_H

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/**
 * Lists a product's groups: `GET /v1/products/:product/groups[?name=FILTER]` →
 * {"groups": [{name, description, color, fw_version?}]}. The API does not page it.
 * @param[out] out    the answer; free with particle_doc_free()
 * @param product     product id or slug
 * @param name_filter partial name match (`name`); NULL or "" = every group
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND (unknown product), PARTICLE_EFORBIDDEN,
 *         PARTICLE_EPROTO (no `groups` array), transport codes.
 */
PARTICLE_API int particle_group_list(particle_doc **out, particle_client *client,
                                     const char *product, const char *name_filter);

/**
 * Gets one group: `GET /v1/products/:product/groups/:name` →
 * {"group": {name, description, color, fw_version, device_count}}.
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND (unknown group or product),
 *         PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no `group` object), transport codes.
 */
PARTICLE_API int particle_group_get(particle_doc **out, particle_client *client,
                                    const char *product, const char *name);

/** The fields of a group for particle_group_create() and particle_group_update(). Unset
 *  (NULL) fields are not sent. */
typedef struct particle_group_options {
    unsigned int version;    /**< PARTICLE_GROUP_OPTIONS_VERSION */
    const char *name;        /**< `name`: required to create; set on update to rename */
    const char *description; /**< `description` ("" clears it) */
    const char *color;       /**< `color`, e.g. "#e74c3c" */
} particle_group_options;

#define PARTICLE_GROUP_OPTIONS_VERSION 1
#define PARTICLE_GROUP_OPTIONS_INIT                                                                \
    {                                                                                              \
        PARTICLE_GROUP_OPTIONS_VERSION, NULL, NULL, NULL                                           \
    }

/** Fills @p group with PARTICLE_GROUP_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_group_options_init(particle_group_options *group, unsigned int version);

/**
 * Creates a group: `POST /v1/products/:product/groups` with JSON {name, description?,
 * color?} → 201 {"group": {...}}. Not retried on 5xx or network errors.
 * @param[out] out the answer; NULL = not needed
 * @param group    group->name is required
 * @return 0; PARTICLE_EINVAL (no name, wrong version), PARTICLE_EHTTP (400: a bad or
 *         duplicate name, too many groups), PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN,
 *         transport codes.
 */
PARTICLE_API int particle_group_create(particle_doc **out, particle_client *client,
                                       const char *product, const particle_group_options *group);

/**
 * Changes a group: `PUT /v1/products/:product/groups/:name` with the fields of @p changes
 * that are set (at least one, else PARTICLE_EINVAL); changes->name renames the group.
 * The answer is {"group": {...}}.
 * @param[out] out the answer; NULL = not needed
 * @param name     the group's current name
 * @return 0; PARTICLE_EINVAL, PARTICLE_EHTTP (400: a bad or duplicate new name),
 *         PARTICLE_ENOTFOUND (unknown group), PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_group_update(particle_doc **out, particle_client *client,
                                       const char *product, const char *name,
                                       const particle_group_options *changes);

/**
 * Deletes a group: `DELETE /v1/products/:product/groups/:name` → 204. Its devices leave
 * the group and stay in the product.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_group_delete(particle_client *client, const char *product,
                                       const char *name);

/**
 * Sets one product device's groups (the absolute list; groups the product does not have
 * yet are created): `PUT /v1/products/:product/devices/:device` with JSON
 * {"groups": [...]} → {id, groups, updated_at}.
 * @param[out] out the answer; NULL = not needed
 * @param device   device id or name
 * @param groups   @p count group names, none NULL or empty; NULL with @p count 0 = no group
 * @return 0; PARTICLE_EINVAL, PARTICLE_EHTTP (400: a bad group name), PARTICLE_ENOTFOUND,
 *         PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_device_set_groups(particle_doc **out, particle_client *client,
                                            const char *product, const char *device,
                                            const char *const *groups, size_t count);

/** A batch change of group membership for particle_group_batch_update(). */
typedef struct particle_group_batch_options {
    unsigned int version;       /**< PARTICLE_GROUP_BATCH_OPTIONS_VERSION */
    const char *const *devices; /**< device ids (required, at least one) */
    size_t device_count;        /**< entries in devices */
    const char *const *add;     /**< groups each device joins; NULL = none */
    size_t add_count;           /**< entries in add */
    const char *const *remove;  /**< groups each device leaves; NULL = none */
    size_t remove_count;        /**< entries in remove */
} particle_group_batch_options;

#define PARTICLE_GROUP_BATCH_OPTIONS_VERSION 1
#define PARTICLE_GROUP_BATCH_OPTIONS_INIT                                                          \
    {                                                                                              \
        PARTICLE_GROUP_BATCH_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, 0                            \
    }

/** Fills @p batch with PARTICLE_GROUP_BATCH_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_group_batch_options_init(particle_group_batch_options *batch,
                                                   unsigned int version);

/**
 * Adds groups to and removes groups from several devices in one call:
 * `PUT /v1/products/:product/devices` with JSON {"action": "groups", "devices": [...],
 * "metadata": {"add": [...], "remove": [...]}} → {"ok": true}. At least one group to add or
 * remove is needed. Every string must be non-empty.
 * @param[out] out the answer; NULL = not needed
 * @return 0; PARTICLE_EINVAL, PARTICLE_EHTTP (400: a bad group name), PARTICLE_ENOTFOUND,
 *         PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_group_batch_update(particle_doc **out, particle_client *client,
                                             const char *product,
                                             const particle_group_batch_options *batch);

/** particle_group_batch_update() that puts @p count devices into group @p group. */
PARTICLE_API int particle_group_add_devices(particle_doc **out, particle_client *client,
                                            const char *product, const char *group,
                                            const char *const *devices, size_t count);

/** particle_group_batch_update() that takes @p count devices out of group @p group. */
PARTICLE_API int particle_group_remove_devices(particle_doc **out, particle_client *client,
                                               const char *product, const char *group,
                                               const char *const *devices, size_t count);

PARTICLE_END_DECL

#endif
