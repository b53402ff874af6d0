/* Changes to one device's own fields (sim_model.h "device changes"): checked, applied all
 * or nothing, one new rev and one notification per change. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model/sim_firmware.h"
#include "model/sim_groups.h"
#include "model/sim_internal.h"
#include "model/sim_model.h"
#include "model/sim_vitals.h"
#include "pu_str.h"

#define PRODUCT_FIELDS (SIM_DEVICE_DEVELOPMENT | SIM_DEVICE_DESIRED_FIRMWARE | SIM_DEVICE_GROUPS)

/* At most @p max bytes of UTF-8 without control characters: what the device object can
 * carry (requests arrive as raw bytes). */
static bool valid_text(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return false;
    json_t *utf8 = json_stringn(s, n); /* NULL when not UTF-8 */
    bool ok = utf8 != NULL;
    json_decref(utf8);
    return ok;
}

static bool product_has_group(const sim_product *p, const char *name)
{
    for (uint32_t g = 0; g < p->group_count; g++)
        if (strcmp(p->groups[g], name) == 0)
            return true;
    return false;
}

/* Are the names valid, and do the ones the product lacks fit beside its groups? */
static bool groups_fit(const sim_product *p, const char *const *names, size_t count)
{
    uint32_t added = 0;
    for (size_t i = 0; i < count; i++) {
        if (!names[i] || !sim_group_name_valid(names[i]))
            return false;
        if (product_has_group(p, names[i]))
            continue;
        bool repeated = false;
        for (size_t j = 0; j < i && !repeated; j++)
            repeated = strcmp(names[j], names[i]) == 0;
        added += !repeated;
    }
    return p->group_count + added <= SIM_MAX_GROUPS;
}

static const char *check_update(const sim_model *m, const sim_device *d, const sim_device_update *u)
{
    if ((u->fields & SIM_DEVICE_NAME) &&
        (!u->name || !*u->name || !valid_text(u->name, SIM_DEVICE_NAME_MAX)))
        return "Invalid name: 1 to 64 characters of text";
    if ((u->fields & SIM_DEVICE_NOTES) && u->notes && !valid_text(u->notes, SIM_DEVICE_NOTES_MAX))
        return "Invalid notes: up to 1024 characters of text";
    if ((u->fields & SIM_DEVICE_OWNER) && u->owner != SIM_NONE && u->owner >= m->user_count)
        return "Unknown owner";
    if ((u->fields & PRODUCT_FIELDS) && d->product == SIM_NONE)
        return "development, desired_firmware_version and groups are for product devices";
    if ((u->fields & SIM_DEVICE_DESIRED_FIRMWARE) && u->desired_firmware_version < -1)
        return "desired_firmware_version must be a version number or null";
    if (u->flash && (!(u->fields & SIM_DEVICE_DESIRED_FIRMWARE) || u->desired_firmware_version < 0))
        return "flash goes with a desired_firmware_version to lock to";
    if ((u->fields & SIM_DEVICE_GROUPS) &&
        !groups_fit(&m->products[d->product], u->groups, u->group_count))
        return "Invalid group name, or too many groups";
    return NULL;
}

/* The group mask of @p names, adding the product's missing groups (groups_fit() passed). */
static uint32_t group_mask(sim_model *m, uint32_t product, const char *const *names, size_t count)
{
    uint32_t mask = 0;
    for (size_t i = 0; i < count; i++)
        mask |= 1u << sim_model_product_group(m, product, names[i], true);
    return mask;
}

const char *sim_model_update_device(sim_model *m, uint32_t dev, const sim_device_update *u)
{
    sim_device *d = &m->devices[dev];
    const char *refused = check_update(m, d, u);
    if (refused)
        return refused;
    if (u->fields & SIM_DEVICE_NAME) {
        free(d->name);
        d->name = pu_xstrdup(u->name);
    }
    if (u->fields & SIM_DEVICE_NOTES) {
        free(d->notes);
        d->notes = u->notes ? pu_xstrdup(u->notes) : NULL;
    }
    if (u->fields & SIM_DEVICE_OWNER)
        d->owner = u->owner;
    if (u->fields & SIM_DEVICE_SIGNALING)
        d->signaling = u->signaling;
    if (u->fields & SIM_DEVICE_UPDATES_FORCED)
        d->updates_forced = u->updates_forced;
    if (u->fields & SIM_DEVICE_DEVELOPMENT)
        d->development = u->development;
    if (u->fields & SIM_DEVICE_DESIRED_FIRMWARE) {
        d->desired_firmware_version = u->desired_firmware_version;
        d->lock_flash = u->flash;
    }
    uint32_t product_groups = d->product != SIM_NONE ? m->products[d->product].group_count : 0;
    if (u->fields & SIM_DEVICE_GROUPS)
        d->groups = group_mask(m, d->product, u->groups, u->group_count);
    if (d->product != SIM_NONE && m->products[d->product].group_count != product_groups)
        sim_model_notify(m, SIM_CHANGED_GROUPS, d->product, 0); /* unknown groups were added */
    if (u->fields)
        sim_model_device_changed(m, dev, u->fields);
    return NULL;
}

void sim_model_set_online(sim_model *m, uint32_t dev, bool online)
{
    sim_device *d = &m->devices[dev];
    if ((bool)d->online == online)
        return;
    d->online = online;
    int64_t now = sim_model_now(m);
    if (online) {
        d->last_handshake_ms = now;
        sim_vitals_record(m, dev, now, true);
    }
    sim_model_device_changed(m, dev, SIM_DEVICE_ONLINE);
    sim_model_emit_device_event(m, dev, "spark/status", online ? "online" : "offline", true);
    if (online) /* an update it lacks starts (model/sim_firmware.h) */
        sim_firmware_connected(m, dev);
    else
        sim_firmware_disconnected(m, dev);
}

bool sim_model_ping(sim_model *m, uint32_t dev)
{
    sim_device *d = &m->devices[dev];
    if (d->online)
        d->last_heard_ms = sim_model_now(m); /* not in the rendered text: no new rev */
    return d->online;
}
