/*
 * A product's device groups (reference/cloud-api.md §9.5): name, description, color, and
 * which devices are in each. Group i of a product is bit i of its devices' `groups` mask, so
 * a product has at most SIM_MAX_GROUPS; deleting a group shifts the higher bits down.
 *
 * Each change validates everything first, applies all of it or nothing, gives every device
 * whose groups show differently a new rev, and tells the observers (SIM_CHANGED_GROUPS for
 * the product's group list, SIM_CHANGED_DEVICE with SIM_DEVICE_GROUPS for each device).
 * Changes return NULL, or why they were refused (a 400 message) with nothing changed.
 *
 * Threads: model lock held.
 */
#ifndef SIM_GROUPS_H
#define SIM_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/sim_model.h"

#define SIM_GROUP_DESCRIPTION_MAX 256
/* The color of a group created without one (UNVERIFIED: the reference's examples). */
#define SIM_GROUP_DEFAULT_COLOR "#34495e"

/* 1 to SIM_GROUP_NAME_MAX characters of lowercase letters, digits, '-' and '_'. */
bool sim_group_name_valid(const char *name);
/* "#" and six hex digits. */
bool sim_group_color_valid(const char *color);
/* The group's index in @p product, or SIM_NONE. */
uint32_t sim_group_find(const sim_model *m, uint32_t product, const char *name);
/* How many devices of @p product are in @p group. */
uint32_t sim_group_device_count(const sim_model *m, uint32_t product, uint32_t group);

/* A new group: @p description NULL = none, @p color NULL = SIM_GROUP_DEFAULT_COLOR.
 * *group_out (may be NULL) gets its index. */
const char *sim_group_create(sim_model *m, uint32_t product, const char *name,
                             const char *description, const char *color, uint32_t *group_out);

/* The same, for the fleet loader: building tells no one. */
const char *sim_group_build(sim_model *m, uint32_t product, const char *name,
                            const char *description, const char *color, uint32_t *group_out);

/* What PUT /v1/products/:p/groups/:name changes: the non-NULL fields. */
typedef struct sim_group_update {
    const char *name;
    const char *color;
    bool set_description; /* with description NULL: removes it */
    const char *description;
} sim_group_update;
const char *sim_group_update_fields(sim_model *m, uint32_t product, uint32_t group,
                                    const sim_group_update *u);

/* Deletes @p group; its devices leave it. */
void sim_group_delete(sim_model *m, uint32_t product, uint32_t group);

/* Adds the devices @p devs (all of @p product) to the groups named in @p add (created when
 * the product lacks them, like the per-device update) and removes them from those named in
 * @p remove (names the product lacks are ignored). */
const char *sim_group_batch(sim_model *m, uint32_t product, const uint32_t *devs, size_t n,
                            const char *const *add, size_t nadd, const char *const *remove,
                            size_t nremove);

/* Persistence: makes @p product's groups exactly these (descriptions may hold NULLs), keeping
 * each device in the groups it had by name. Tells no one (a restore is not a change). */
void sim_group_restore(sim_model *m, uint32_t product, const char *const *names,
                       const char *const *descriptions, const char *const *colors, uint32_t count);

#endif
