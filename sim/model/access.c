/* Access rules of the model: who may see and act on which device and product. The lookups
 * by name or id they build on are in lookup.c. */
#include <string.h>

#include "model/sim_accounts.h"
#include "model/sim_model.h"

bool sim_model_is_team_member(const sim_model *m, uint32_t product, uint32_t user)
{
    return sim_model_team_role(m, product, user) >= 0;
}

bool sim_model_can_access_product(const sim_model *m, const sim_principal *p, uint32_t product)
{
    switch (p->kind) {
    case SIM_TOKEN_USER:
        return sim_model_is_team_member(m, product, p->user);
    case SIM_TOKEN_PRODUCT:
        return p->product == product;
    case SIM_TOKEN_CUSTOMER:
        return false;
    }
    return false;
}

bool sim_model_can_access_device(const sim_model *m, const sim_principal *p, uint32_t dev,
                                 uint32_t via_product)
{
    const sim_device *d = &m->devices[dev];
    if (via_product != SIM_NONE) {
        if (d->product != via_product)
            return false;
        if (p->kind == SIM_TOKEN_CUSTOMER)
            return d->owner == p->user;
        return sim_model_can_access_product(m, p, via_product);
    }
    switch (p->kind) {
    case SIM_TOKEN_USER:
        return d->owner == p->user ||
               (d->product != SIM_NONE && sim_model_is_team_member(m, d->product, p->user));
    case SIM_TOKEN_PRODUCT:
        return d->product == p->product;
    case SIM_TOKEN_CUSTOMER:
        return d->owner == p->user;
    }
    return false;
}

bool sim_model_lists_device(const sim_model *m, const sim_principal *p, uint32_t dev)
{
    const sim_device *d = &m->devices[dev];
    if (p->kind == SIM_TOKEN_PRODUCT)
        return d->product == p->product;
    return d->owner == p->user;
}

uint32_t sim_model_resolve_device(const sim_model *m, const sim_principal *p,
                                  const char *id_or_name, uint32_t via_product)
{
    uint32_t dev = sim_model_find_device_id(m, id_or_name);
    if (dev != SIM_NONE)
        return sim_model_can_access_device(m, p, dev, via_product) ? dev : SIM_NONE;
    /* Names are unique only per owner: prefer the caller's own devices. */
    uint32_t fallback = SIM_NONE;
    for (uint32_t i = 0; i < m->device_count; i++) {
        const sim_device *d = &m->devices[i];
        if (!d->name || strcmp(d->name, id_or_name) != 0)
            continue;
        if (!sim_model_can_access_device(m, p, i, via_product))
            continue;
        if (sim_model_lists_device(m, p, i))
            return i;
        if (fallback == SIM_NONE)
            fallback = i;
    }
    return fallback;
}
