/* Product membership changes: a device imported into a product, or a quarantined one approved
 * (reference/cloud-api.md §5.4). Removal lives with the product device routes. */
#include "model/sim_model.h"

void sim_model_set_product(sim_model *m, uint32_t dev, uint32_t product)
{
    sim_device *d = &m->devices[dev];
    if (d->product != product) {
        /* Customers belong to one product: a device moved away leaves its customer. */
        if (d->owner != SIM_NONE && m->users[d->owner].customer_of != SIM_NONE &&
            m->users[d->owner].customer_of != product)
            sim_model_set_owner(m, dev, SIM_NONE);
        d->product = product;
        d->groups = 0; /* group bits index the old product's groups */
        d->development = 0;
        d->desired_firmware_version = -1;
    }
    d->quarantined = 0;
    d->denied = 0;
    sim_model_device_changed(m, dev);
}
