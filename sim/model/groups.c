/* A product's device groups (sim_groups.h). */
#include "model/sim_groups.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model/sim_internal.h"
#include "pu_str.h"

bool sim_group_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > SIM_GROUP_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

bool sim_group_color_valid(const char *color)
{
    if (!color || color[0] != '#' || strlen(color) != 7)
        return false;
    for (int i = 1; i < 7; i++) {
        char c = color[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

/* Up to SIM_GROUP_DESCRIPTION_MAX bytes of UTF-8 without control characters. */
static bool description_valid(const char *s)
{
    size_t n = strlen(s);
    if (n > SIM_GROUP_DESCRIPTION_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return false;
    json_t *utf8 = json_stringn(s, n); /* NULL when not UTF-8 */
    json_decref(utf8);
    return utf8 != NULL;
}

uint32_t sim_group_find(const sim_model *m, uint32_t product, const char *name)
{
    const sim_product *p = &m->products[product];
    for (uint32_t g = 0; g < p->group_count; g++)
        if (strcmp(p->groups[g], name) == 0)
            return g;
    return SIM_NONE;
}

uint32_t sim_group_device_count(const sim_model *m, uint32_t product, uint32_t group)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->device_count; i++)
        n += m->devices[i].product == product && (m->devices[i].groups & (1u << group));
    return n;
}

/* Every device of @p product in any group of @p mask shows a change of its groups. */
static void members_changed(sim_model *m, uint32_t product, uint32_t mask)
{
    for (uint32_t i = 0; i < m->device_count; i++)
        if (m->devices[i].product == product && (m->devices[i].groups & mask))
            sim_model_device_changed(m, i, SIM_DEVICE_GROUPS);
}

static const char *check_description(const char *description)
{
    return description && !description_valid(description)
               ? "Invalid description: up to 256 characters of text"
               : NULL;
}

const char *sim_group_build(sim_model *m, uint32_t product, const char *name,
                            const char *description, const char *color, uint32_t *group_out)
{
    sim_product *p = &m->products[product];
    if (!sim_group_name_valid(name))
        return "Invalid group name: 1 to 64 lowercase letters, digits, dashes or underscores";
    if (color && !sim_group_color_valid(color))
        return "Invalid color: # and six hex digits, like #e74c3c";
    const char *bad = check_description(description);
    if (bad)
        return bad;
    if (sim_group_find(m, product, name) != SIM_NONE)
        return "A group with this name already exists";
    if (p->group_count >= SIM_MAX_GROUPS)
        return "This product has the most groups particle-sim allows (32)";
    uint32_t g = sim_model_product_group(m, product, name, true);
    p->group_descriptions[g] = description ? pu_xstrdup(description) : NULL;
    pu_strlcpy(p->group_colors[g], color ? color : SIM_GROUP_DEFAULT_COLOR,
               sizeof(p->group_colors[g]));
    if (group_out)
        *group_out = g;
    return NULL;
}

const char *sim_group_create(sim_model *m, uint32_t product, const char *name,
                             const char *description, const char *color, uint32_t *group_out)
{
    const char *bad = sim_group_build(m, product, name, description, color, group_out);
    if (!bad)
        sim_model_notify(m, SIM_CHANGED_GROUPS, product, 0);
    return bad;
}

const char *sim_group_update_fields(sim_model *m, uint32_t product, uint32_t group,
                                    const sim_group_update *u)
{
    sim_product *p = &m->products[product];
    if (u->name && !sim_group_name_valid(u->name))
        return "Invalid group name: 1 to 64 lowercase letters, digits, dashes or underscores";
    if (u->color && !sim_group_color_valid(u->color))
        return "Invalid color: # and six hex digits, like #e74c3c";
    const char *bad = u->set_description ? check_description(u->description) : NULL;
    if (bad)
        return bad;
    uint32_t same = u->name ? sim_group_find(m, product, u->name) : SIM_NONE;
    if (same != SIM_NONE && same != group)
        return "A group with this name already exists";
    bool renamed = u->name && strcmp(u->name, p->groups[group]) != 0;
    if (renamed) {
        free(p->groups[group]);
        p->groups[group] = pu_xstrdup(u->name);
    }
    if (u->color)
        pu_strlcpy(p->group_colors[group], u->color, sizeof(p->group_colors[group]));
    if (u->set_description) {
        free(p->group_descriptions[group]);
        p->group_descriptions[group] = u->description ? pu_xstrdup(u->description) : NULL;
    }
    sim_model_notify(m, SIM_CHANGED_GROUPS, product, 0);
    if (renamed) /* the devices show the new name */
        members_changed(m, product, 1u << group);
    return NULL;
}

/* @p mask without bit @p bit, the bits above it moved down one. */
static uint32_t drop_bit(uint32_t mask, uint32_t bit)
{
    uint32_t below = mask & ((1u << bit) - 1);
    uint32_t above = bit + 1 < 32 ? (mask >> (bit + 1)) << bit : 0;
    return below | above;
}

void sim_group_delete(sim_model *m, uint32_t product, uint32_t group)
{
    sim_product *p = &m->products[product];
    /* The members are told after the list changed, so an observer reads the new one. */
    bool *was_member = calloc(m->device_count ? m->device_count : 1, sizeof(*was_member));
    if (!was_member)
        abort();
    for (uint32_t i = 0; i < m->device_count; i++) {
        sim_device *d = &m->devices[i];
        if (d->product != product)
            continue;
        was_member[i] = (d->groups & (1u << group)) != 0;
        d->groups = drop_bit(d->groups, group);
    }
    free(p->groups[group]);
    free(p->group_descriptions[group]);
    for (uint32_t g = group; g + 1 < p->group_count; g++) {
        p->groups[g] = p->groups[g + 1];
        p->group_descriptions[g] = p->group_descriptions[g + 1];
        memcpy(p->group_colors[g], p->group_colors[g + 1], sizeof(p->group_colors[g]));
    }
    p->group_count--;
    p->groups[p->group_count] = NULL;
    p->group_descriptions[p->group_count] = NULL;
    sim_model_notify(m, SIM_CHANGED_GROUPS, product, 0);
    for (uint32_t i = 0; i < m->device_count; i++)
        if (was_member[i])
            sim_model_device_changed(m, i, SIM_DEVICE_GROUPS);
    free(was_member);
}

const char *sim_group_batch(sim_model *m, uint32_t product, const uint32_t *devs, size_t n,
                            const char *const *add, size_t nadd, const char *const *remove,
                            size_t nremove)
{
    const sim_product *p = &m->products[product];
    uint32_t missing = 0;
    for (size_t i = 0; i < nadd; i++) {
        if (!add[i] || !sim_group_name_valid(add[i]))
            return "Invalid group name: 1 to 64 lowercase letters, digits, dashes or underscores";
        bool repeated = false;
        for (size_t j = 0; j < i && !repeated; j++)
            repeated = strcmp(add[j], add[i]) == 0;
        missing += !repeated && sim_group_find(m, product, add[i]) == SIM_NONE;
    }
    for (size_t i = 0; i < nremove; i++)
        if (!remove[i])
            return "Invalid group name: 1 to 64 lowercase letters, digits, dashes or underscores";
    if (p->group_count + missing > SIM_MAX_GROUPS)
        return "This product has the most groups particle-sim allows (32)";
    for (size_t i = 0; i < n; i++)
        if (m->devices[devs[i]].product != product)
            return "A device is not in this product";
    uint32_t set = 0, clear = 0;
    for (size_t i = 0; i < nadd; i++) {
        uint32_t g = sim_group_find(m, product, add[i]);
        if (g == SIM_NONE) {
            sim_group_create(m, product, add[i], NULL, NULL, &g);
        }
        set |= 1u << g;
    }
    for (size_t i = 0; i < nremove; i++) {
        uint32_t g = sim_group_find(m, product, remove[i]);
        if (g != SIM_NONE)
            clear |= 1u << g;
    }
    for (size_t i = 0; i < n; i++) {
        sim_device *d = &m->devices[devs[i]];
        uint32_t groups = (d->groups | set) & ~clear;
        if (groups == d->groups)
            continue;
        d->groups = groups;
        sim_model_device_changed(m, devs[i], SIM_DEVICE_GROUPS);
    }
    return NULL;
}

void sim_group_restore(sim_model *m, uint32_t product, const char *const *names,
                       const char *const *descriptions, const char *const *colors, uint32_t count)
{
    sim_product *p = &m->products[product];
    uint32_t remap[SIM_MAX_GROUPS]; /* old bit -> new bit, SIM_NONE when gone */
    for (uint32_t g = 0; g < p->group_count; g++) {
        remap[g] = SIM_NONE;
        for (uint32_t k = 0; k < count && k < SIM_MAX_GROUPS; k++)
            if (strcmp(p->groups[g], names[k]) == 0)
                remap[g] = k;
    }
    for (uint32_t i = 0; i < m->device_count; i++) {
        sim_device *d = &m->devices[i];
        if (d->product != product)
            continue;
        uint32_t mask = 0;
        for (uint32_t g = 0; g < p->group_count; g++)
            if ((d->groups & (1u << g)) && remap[g] != SIM_NONE)
                mask |= 1u << remap[g];
        if (mask != d->groups) {
            d->groups = mask;
            sim_model_device_new_rev(m, i);
        }
    }
    for (uint32_t g = 0; g < p->group_count; g++) {
        free(p->groups[g]);
        free(p->group_descriptions[g]);
        p->groups[g] = p->group_descriptions[g] = NULL;
    }
    p->group_count = 0;
    for (uint32_t k = 0; k < count && k < SIM_MAX_GROUPS; k++) {
        p->groups[k] = pu_xstrdup(names[k]);
        p->group_descriptions[k] = descriptions[k] ? pu_xstrdup(descriptions[k]) : NULL;
        pu_strlcpy(p->group_colors[k],
                   colors[k] && sim_group_color_valid(colors[k]) ? colors[k]
                                                                 : SIM_GROUP_DEFAULT_COLOR,
                   sizeof(p->group_colors[k]));
        p->group_count++;
    }
}

uint32_t sim_model_product_group(sim_model *m, uint32_t product, const char *group, bool add)
{
    sim_product *p = &m->products[product];
    for (uint32_t g = 0; g < p->group_count; g++)
        if (strcmp(p->groups[g], group) == 0)
            return g;
    if (!add || p->group_count >= SIM_MAX_GROUPS)
        return SIM_NONE;
    p->groups[p->group_count] = pu_xstrdup(group);
    p->group_descriptions[p->group_count] = NULL;
    pu_strlcpy(p->group_colors[p->group_count], SIM_GROUP_DEFAULT_COLOR,
               sizeof(p->group_colors[p->group_count]));
    return p->group_count++;
}
