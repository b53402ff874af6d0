/*
 * Device public keys and Device Protection (reference/cloud-api.md §5.12; particle-cli's
 * `keys send` and `device-protection disable`).
 *
 * A device's public key arrives with POST /v1/provisioning/:device (PEM, RSA or EC; checked
 * by parsing it with OpenSSL). A device's protection status is "disabled" (an open device;
 * the default), "active" (protected: set through the control API, as the real cloud sets it
 * from the product's setting) or "service_mode" (after the unprotect handshake).
 *
 * The unprotect handshake (particle-cli's device-protection-helper.js):
 *   prepare -> server_nonce (32 random bytes, base64), good for 5 minutes;
 *   confirm with device_nonce, device_signature, device_public_key_fingerprint (base64):
 *     the fingerprint is SHA-256 of the device key's DER SubjectPublicKeyInfo, the
 *     signature the device key's SHA-256 signature (PKCS#1 v1.5 for RSA, DER ECDSA for EC)
 *     of server_nonce || device_nonce. The simulator answers with its own signature of
 *     device_nonce || server_nonce by a P-256 key made once per model, and that key's
 *     fingerprint. The real cloud's signed message is not documented: UNVERIFIED,
 *     docs/COMPATIBILITY.md.
 *
 * Threads: model lock held.
 */
#ifndef SIM_KEYS_H
#define SIM_KEYS_H

#include <stdint.h>

#include "model/sim_accounts.h"
#include "model/sim_model.h"

#define SIM_PUBLIC_KEY_MAX 8192
#define SIM_NONCE_B64 45 /* base64 of 32 bytes plus NUL */

typedef enum sim_protection {
    SIM_PROTECTION_DISABLED,
    SIM_PROTECTION_ACTIVE,
    SIM_PROTECTION_SERVICE_MODE
} sim_protection;

/* Stores @p pem (algorithm "rsa" or "ecc", NULL = "rsa") as device @p dev's public key. */
sim_result sim_key_set(sim_model *m, uint32_t dev, const char *pem, const char *algorithm,
                       const char **why);
/* The device's key (PEM) or NULL. */
const char *sim_key_get(const sim_model *m, uint32_t dev);

/* "disabled", "active" or "service_mode". */
const char *sim_protection_name(sim_protection p);
/* The status named @p name, or -1. */
int sim_protection_parse(const char *name);
sim_protection sim_protection_of(const sim_model *m, uint32_t dev);
/* Sets the status (the control API); a new rev for the device object. */
void sim_protection_set(sim_model *m, uint32_t dev, sim_protection p);

/* Starts the handshake. SIM_INVALID: the device is not protected; SIM_NOT_FOUND: no public
 * key ("Device public key was not found", the text particle-cli looks for). */
sim_result sim_unprotect_prepare(sim_model *m, uint32_t dev, char nonce[SIM_NONCE_B64],
                                 const char **why);
/* Completes it: the device is in service mode and the simulator's signature and key
 * fingerprint (base64, caller frees) are returned. SIM_INVALID when anything does not
 * check out (nothing changes). */
sim_result sim_unprotect_confirm(sim_model *m, uint32_t dev, const char *server_nonce,
                                 const char *device_nonce, const char *signature,
                                 const char *fingerprint, char **server_signature,
                                 char **server_fingerprint, const char **why);

/* Frees everything (model.c's clear and free). */
void sim_keys_free(sim_model *m);

#endif
