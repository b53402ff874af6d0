/* Product membership changes: a device imported into a product, or a quarantined one approved
 * (reference/cloud-api.md §5.4), removed from it, or denied. */
#include "model/sim_internal.h"
#include "model/sim_model.h"

/* Customers belong to one product: a device that leaves @p product's customers leaves its
 * customer owner. Returns SIM_DEVICE_OWNER when it did. */
static uint32_t drop_customer_owner(sim_model *m, sim_device *d, uint32_t keep_product)
{
    if (d->owner == SIM_NONE || m->users[d->owner].customer_of == SIM_NONE ||
        m->users[d->owner].customer_of == keep_product)
        return 0;
    d->owner = SIM_NONE;
    return SIM_DEVICE_OWNER;
}

void sim_model_set_product(sim_model *m, uint32_t dev, uint32_t product)
{
    sim_device *d = &m->devices[dev];
    uint32_t fields = SIM_DEVICE_MEMBERSHIP;
    if (d->product != product) {
        fields |= drop_customer_owner(m, d, product);
        d->product = product;
        d->groups = 0; /* group bits index the old product's groups */
        d->development = 0;
        d->desired_firmware_version = -1;
        d->lock_flash = false;
        fields |= SIM_DEVICE_GROUPS | SIM_DEVICE_DEVELOPMENT | SIM_DEVICE_DESIRED_FIRMWARE;
    }
    d->quarantined = 0;
    d->denied = 0;
    sim_model_device_changed(m, dev, fields);
}

void sim_model_leave_product(sim_model *m, uint32_t dev)
{
    sim_device *d = &m->devices[dev];
    uint32_t fields = SIM_DEVICE_MEMBERSHIP | SIM_DEVICE_GROUPS;
    fields |= drop_customer_owner(m, d, SIM_NONE);
    d->product = SIM_NONE;
    d->groups = 0;
    sim_model_device_changed(m, dev, fields);
}

void sim_model_deny(sim_model *m, uint32_t dev)
{
    sim_device *d = &m->devices[dev];
    d->quarantined = 0;
    d->denied = 1;
    sim_model_device_changed(m, dev, SIM_DEVICE_MEMBERSHIP);
}
