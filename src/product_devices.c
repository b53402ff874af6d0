/* The product-device calls that are one case of a general call (cloud-api.md §5.9, §9.7):
 * quarantine approve (an import of one id) and deny (a removal with deny), the development
 * flag and the firmware lock (the multiplexed update). Each needs a product. */
#include "http.h"
#include "internal.h"
#include "particle/devices.h"

/* The update @p u on @p device of @p product. */
static int product_update(particle_doc **out, particle_client *c, const char *product,
                          const char *device, const particle_device_update_options *u)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(product, "product id or slug");
    if (error < 0) {
        return error;
    }
    particle_request_options ropts = PARTICLE_REQUEST_OPTIONS_INIT;
    ropts.product = product;
    return particle_device_update(out, c, device, u, &ropts);
}

int particle_product_device_approve(particle_doc **out, particle_client *c, const char *product,
                                    const char *device)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(device, "device id");
    if (error < 0) {
        return error;
    }
    return particle_product_devices_add(out, c, product, &device, 1, NULL);
}

int particle_product_device_deny(particle_client *c, const char *product, const char *device)
{
    int error = particle__require(product, "product id or slug");
    if (error < 0) {
        return error;
    }
    particle_request_options ropts = PARTICLE_REQUEST_OPTIONS_INIT;
    ropts.product = product;
    return particle_device_remove(NULL, c, device, 1, &ropts);
}

int particle_product_device_set_development(particle_doc **out, particle_client *c,
                                            const char *product, const char *device, int on)
{
    particle_device_update_options u = PARTICLE_DEVICE_UPDATE_OPTIONS_INIT;
    u.development = on ? PARTICLE_YES : PARTICLE_NO;
    return product_update(out, c, product, device, &u);
}

int particle_product_device_lock_firmware(particle_doc **out, particle_client *c,
                                          const char *product, const char *device, long version,
                                          int flash_now)
{
    if (version < 1) {
        if (out != NULL) {
            *out = NULL;
        }
        return particle__error_set(PARTICLE_EINVAL, "firmware version must be 1 or more");
    }
    particle_device_update_options u = PARTICLE_DEVICE_UPDATE_OPTIONS_INIT;
    u.firmware_lock = PARTICLE_FIRMWARE_LOCK;
    u.desired_firmware_version = version;
    u.flash = flash_now ? PARTICLE_YES : PARTICLE_UNSET;
    return product_update(out, c, product, device, &u);
}

int particle_product_device_unlock_firmware(particle_doc **out, particle_client *c,
                                            const char *product, const char *device)
{
    particle_device_update_options u = PARTICLE_DEVICE_UPDATE_OPTIONS_INIT;
    u.firmware_lock = PARTICLE_FIRMWARE_UNLOCK;
    return product_update(out, c, product, device, &u);
}
