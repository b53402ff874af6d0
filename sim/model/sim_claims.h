/*
 * Claim codes (reference/cloud-api.md §5.10): a developer or a product customer asks for one
 * (POST /v1/device_claims, or the product variant for customers); a device that presents it
 * while unclaimed is claimed by that user or customer. A code is single-use and valid for
 * SIM_CLAIM_VALID_MS on the simulation clock (UNVERIFIED: the reference gives no lifetime;
 * the simulation clock lets tests advance past it). A code asked for with an ICCID or IMEI
 * works only for the device with that ICCID or IMEI.
 *
 * Codes are 63 characters of the base64 alphabet from the model's random stream (the
 * reference's example has 63). Used and expired codes are dropped (the last one moves into
 * the slot, so indexes are valid only under the lock that found them).
 *
 * Threads: model lock held.
 */
#ifndef SIM_CLAIMS_H
#define SIM_CLAIMS_H

#include <stdint.h>

#include "model/sim_model.h"

#define SIM_CLAIM_CODE_LEN 63
#define SIM_CLAIM_VALID_MS (24LL * 3600 * 1000)

typedef struct sim_claim {
    char code[SIM_CLAIM_CODE_LEN + 1];
    uint32_t user;       /* developer or customer (users[user].customer_of) */
    char device_key[21]; /* ICCID or IMEI the code is for; "" = any device */
    int64_t expires_ms;  /* simulation clock */
} sim_claim;

/* A new code for @p user (SIM_CHANGED_CLAIM_CREATED); @p device_key NULL or "" = any device.
 * Drops expired codes first. */
uint32_t sim_claim_create(sim_model *m, uint32_t user, const char *device_key);
/* A code with a known value (fixtures, persisted state), telling no one. */
uint32_t sim_claim_add(sim_model *m, const char *code, uint32_t user, const char *device_key,
                       int64_t expires_ms);
/* A live, unexpired code; SIM_NONE otherwise. */
uint32_t sim_claim_find(const sim_model *m, const char *code);

/* Why a device's claim with a code failed (the HTTP status a route answers). */
typedef enum sim_claim_refusal {
    SIM_CLAIM_OK = 0,
    SIM_CLAIM_UNKNOWN = 404, /* no such code, used or expired */
    SIM_CLAIM_OWNED = 403,   /* the device has another owner */
    SIM_CLAIM_MISMATCH = 400 /* another device's code, or a device of another product */
} sim_claim_refusal;

/* Device @p dev presents @p code: it is claimed by the code's user (a customer's device
 * joins the customer's product when it is in none) and the code is dropped. On refusal
 * nothing changes and *message (may be NULL) says why. */
sim_claim_refusal sim_claim_redeem(sim_model *m, const char *code, uint32_t dev,
                                   const char **message);

/* Drops every code of @p user (a deleted customer's, §9.4), SIM_CHANGED_CLAIM_DROPPED each. */
void sim_claim_revoke_user(sim_model *m, uint32_t user);

/* Drops the codes of @p user bound to device @p dev's ICCID or IMEI: the user released the
 * device, so a code that would claim it back goes too (sim_model_set_owner). */
void sim_claim_revoke_device(sim_model *m, uint32_t user, uint32_t dev);

/* Drops codes expired at simulation time @p now_ms (SIM_CHANGED_CLAIM_DROPPED for each). */
void sim_claim_sweep(sim_model *m, int64_t now_ms);

#endif
