/**
 * @file provisioning.h
 * @brief Provisioning and Device Protection: provision a device into a product, send a
 *        device's public key, and the unprotect handshake that puts a protected device into
 *        service mode (reference: cloud-api.md §5.10 and §5.12; particle-api-js
 *        provisionDevice, sendPublicKey, unprotectDevice). A device's protection status is
 *        the `device_protection.status` of its device object (particle_device_get()).
 *        Claim codes are particle_claim_code_create() (customers.h); serial-number lookup is
 *        particle_serial_lookup() (devices.h).
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_PROVISIONING_H
#define PARTICLE_PROVISIONING_H

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/**
 * Provisions a new device into @p product (a product that allows self-provisioning):
 * `POST /v1/devices` JSON `{product_id}`. The answer names the new device (`id`).
 * @param[out] out the answer; free with particle_doc_free(); NULL = not needed
 * @param product  product id (sent as a number when it is one) or slug
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND (unknown product), PARTICLE_EFORBIDDEN,
 *         transport codes.
 */
PARTICLE_API int particle_device_provision(particle_doc **out, particle_client *client,
                                           const char *product);

/**
 * Sends a device's public key: `POST /v1/provisioning/:device` JSON `{deviceID, publicKey,
 * filename: "libparticle", order: "manual_<ms>", algorithm}`, as particle-api-js
 * sendPublicKey does.
 * @param device     the device id
 * @param public_key the key in PEM ("-----BEGIN PUBLIC KEY-----")
 * @param algorithm  "rsa" or "ecc"; NULL = "rsa"
 * @return 0; PARTICLE_EINVAL, PARTICLE_EHTTP (400: not a PEM key of that algorithm),
 *         PARTICLE_EFORBIDDEN (not your device), transport codes.
 */
PARTICLE_API int particle_device_send_public_key(particle_client *client, const char *device,
                                                 const char *public_key, const char *algorithm);

/** What particle_device_unprotect() sends; NULL fields are not sent. */
typedef struct particle_unprotect_options {
    unsigned int version;         /**< PARTICLE_UNPROTECT_OPTIONS_VERSION */
    const char *org;              /**< use /v1/orgs/ORG/devices/... (wins over product) */
    const char *product;          /**< use /v1/products/P/devices/... */
    const char *action;           /**< "prepare" or "confirm" (required) */
    const char *server_nonce;     /**< confirm: the prepare answer's, base64 */
    const char *device_nonce;     /**< confirm: the device's, base64 */
    const char *device_signature; /**< confirm: base64 */
    const char *device_public_key_fingerprint; /**< confirm: base64 */
} particle_unprotect_options;

#define PARTICLE_UNPROTECT_OPTIONS_VERSION 1
#define PARTICLE_UNPROTECT_OPTIONS_INIT                                                            \
    {                                                                                              \
        PARTICLE_UNPROTECT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL               \
    }

/** Fills @p opts with PARTICLE_UNPROTECT_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_unprotect_options_init(particle_unprotect_options *opts,
                                                 unsigned int version);

/**
 * One step of the Device Protection handshake: `PUT /v1/devices/:device/unprotect` (or the
 * org or product variant) JSON `{action, server_nonce?, device_nonce?, device_signature?,
 * device_public_key_fingerprint?}`. prepare answers `{server_nonce}`; confirm answers
 * `{server_signature, server_public_key_fingerprint}` for the device to check.
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_EINVAL, PARTICLE_EHTTP (400: not protected, a bad nonce or signature),
 *         PARTICLE_ENOTFOUND (404: the cloud has no public key of the device),
 *         PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_device_unprotect(particle_doc **out, particle_client *client,
                                           const char *device,
                                           const particle_unprotect_options *opts);

PARTICLE_END_DECL

#endif
