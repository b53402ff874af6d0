/*
 * Firmware in the simulated cloud: products' firmware versions (reference/cloud-api.md §9.6),
 * other binaries the simulator knows (flashed to developer devices, or prepared compile
 * results from the fleet file), and the devices' side of an over-the-air update.
 *
 * A product device's target firmware is its locked version (desired_firmware_version), else
 * the highest version released to one of its groups, else the product default release;
 * development devices follow only a lock. A device updates when it is online, its target
 * differs from its firmware_version, and updates are enabled or forced: at once when a
 * release (or a lock with flash) reaches it while online, else on its next connect. An
 * update runs on the simulation clock (sim_firmware_run_due, called by sim_model_run_due):
 *   start             spark/flash/status "started"
 *   + SIM_FLASH_MS    "success", then spark/status "offline" (firmware_version is the target)
 *                     or "failed" (the device keeps its firmware and is not retried before
 *                     it reconnects)
 *   + SIM_REBOOT_MS   spark/status "online", spark/device/app-hash (the binary's hash)
 * A release spreads its online devices' starts over SIM_FLASH_SPREAD_MS (the model's random
 * stream), like a fleet taking the update in turn. A device marked to fail (fleet file,
 * control API) fails every update.
 *
 * Binaries: a Particle module binary starts with a 24-byte module prefix (binary-version-
 * reader's HalModuleParser): start address and end address (u32 LE), reserved, flags, module
 * version (u16 LE), platform id (u16 LE at byte 12), module function (byte 14; 0 = none), ...
 * It sits at offset 0, or after an interrupt vector table: 0x200 (Gen 3), 0x184 (Gen 2),
 * 0xC0, 0x10C (Core). The first offset whose prefix is plausible (end > start, the file
 * holds end - start + 4 bytes, a module function) gives the platform. The module's SHA-256
 * is the 32 bytes before the suffix size field (the last 2 bytes before the CRC-32): that
 * is the app hash.
 *
 * Changes validate everything first and change nothing when refused (a 400 message, or
 * SIM_CONFLICT/SIM_NOT_FOUND through *result). Threads: model lock held.
 */
#ifndef SIM_FIRMWARE_H
#define SIM_FIRMWARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/sim_accounts.h"
#include "model/sim_model.h"

/* Largest binary accepted (the cloud's cap is not documented); request bodies stop at 1 MiB
 * (413) before this check. */
#define SIM_FIRMWARE_MAX_BYTES (512u * 1024)
#define SIM_FIRMWARE_TITLE_MAX 128
#define SIM_FIRMWARE_DESCRIPTION_MAX 1024
#define SIM_FLASH_MS 20000        /* from "started" to "success" or "failed" */
#define SIM_REBOOT_MS 5000        /* offline after a successful update */
#define SIM_FLASH_SPREAD_MS 60000 /* a release starts its online devices within this */
#define SIM_APP_HASH_LEN 64       /* hex */

typedef struct sim_firmware {
    char id[25]; /* "_id": 24 hex */
    uint32_t product;
    int32_t version;
    char *title;
    char *description; /* NULL = none */
    char *filename;    /* the uploaded file's name */
    unsigned char *data;
    size_t size;
    char app_hash[SIM_APP_HASH_LEN + 1];
    bool product_default;
    bool mandatory;
    char **groups; /* group names it is released to */
    uint32_t group_count;
    char *uploaded_by; /* username, NULL for a product token */
    int64_t uploaded_ms;
    int64_t released_ms; /* 0 = never released */
} sim_firmware;

/* A binary that is not product firmware: flashed to a device, or a prepared compile result
 * (source = the source file name it stands for). */
typedef struct sim_binary {
    char id[25];
    unsigned char *data;
    size_t size;
    uint16_t platform_id;
    char app_hash[SIM_APP_HASH_LEN + 1];
    char *source; /* NULL for flashed binaries */
} sim_binary;

/* What a binary's module prefix says (see above). */
typedef struct sim_module_info {
    uint16_t platform_id;
    uint8_t module_function;
    char app_hash[SIM_APP_HASH_LEN + 1];
} sim_module_info;

/* Reads @p data's module prefix and hash; false when it is not a Particle module binary. */
bool sim_module_read(const unsigned char *data, size_t size, sim_module_info *out);

void sim_firmware_store_free(sim_model *m); /* sim_model_clear/free: drops everything */

/* ---- product firmware ---- */
uint32_t sim_firmware_count(const sim_model *m);
const sim_firmware *sim_firmware_at(const sim_model *m, uint32_t i);
/* The firmware @p version of @p product, or SIM_NONE. */
uint32_t sim_firmware_find(const sim_model *m, uint32_t product, int64_t version);
/* Devices of @p product running @p version (firmware_version). */
uint32_t sim_firmware_device_count(const sim_model *m, uint32_t product, int32_t version);

typedef struct sim_firmware_upload {
    int64_t version; /* 1 .. INT32_MAX */
    const char *title;
    const char *description; /* NULL = none */
    const char *filename;    /* NULL = "firmware.bin" */
    const unsigned char *data;
    size_t size;
    bool mandatory;
    const char *uploaded_by; /* NULL for a product token */
} sim_firmware_upload;

/* Adds firmware to @p product: the binary must be a module for the product's platform, no
 * larger than SIM_FIRMWARE_MAX_BYTES, the version new. Returns NULL (*index_out = the new
 * firmware) or why not, *result saying SIM_INVALID or SIM_CONFLICT (a version that exists). */
const char *sim_firmware_upload_add(sim_model *m, uint32_t product, const sim_firmware_upload *u,
                                    uint32_t *index_out, sim_result *result);
/* New title (NULL = keep) and description (set_description: NULL removes it). */
const char *sim_firmware_edit(sim_model *m, uint32_t fw, const char *title, bool set_description,
                              const char *description);
/* Deletes firmware never released (else refused). */
const char *sim_firmware_delete(sim_model *m, uint32_t fw);

/* Releases @p fw product-wide (@p product_default) and/or to the groups @p groups (names of
 * existing groups; replaces the groups it was released to). Product-wide release takes the
 * default from the version that had it. Targeted online devices start updating. */
const char *sim_firmware_release(sim_model *m, uint32_t fw, bool product_default,
                                 const char *const *groups, size_t group_count);
/* The version released to @p group of @p product (the highest), or -1. */
int32_t sim_firmware_group_version(const sim_model *m, uint32_t product, uint32_t group);

/* ---- the devices' side ---- */
/* The version @p dev should run (see above), or -1 for none. */
int32_t sim_firmware_target(const sim_model *m, uint32_t dev);
/* Marks @p dev to fail (or not) every update from now on. */
void sim_firmware_set_fail(sim_model *m, uint32_t dev, bool fail);
bool sim_firmware_fails(const sim_model *m, uint32_t dev);
/* Is an update of @p dev under way (started or pending)? */
bool sim_firmware_updating(const sim_model *m, uint32_t dev);
/* @p dev connected (a new session): it takes its target if it lacks it. */
void sim_firmware_connected(sim_model *m, uint32_t dev);
/* @p dev disconnected: an update under way fails ("failed" when it had started). */
void sim_firmware_disconnected(sim_model *m, uint32_t dev);
/* @p dev's lock changed; @p flash: update now when online (else on the next connect). */
void sim_firmware_lock_changed(sim_model *m, uint32_t dev, bool flash);
/* Sets firmware_updates_enabled (the device's own setting) and publishes
 * particle/device/updates/enabled; enabling lets a pending update start. */
void sim_firmware_set_updates_enabled(sim_model *m, uint32_t dev, bool enabled);
/* Runs the update steps due by @p now, at their own times; returns the events published
 * (at most about @p budget). */
size_t sim_firmware_run_due(sim_model *m, int64_t now, size_t budget);

/* ---- other binaries ---- */
/* Flashes @p data to @p dev (online; any device the caller may update): a new binary the
 * simulator keeps for GET /v1/binaries/:id. Refused for a binary of another platform. */
const char *sim_firmware_flash_binary(sim_model *m, uint32_t dev, const unsigned char *data,
                                      size_t size, uint32_t *binary_out);
/* Adds a prepared compile result for @p source (fleet loader). */
const char *sim_binary_add_prepared(sim_model *m, const char *source, const unsigned char *data,
                                    size_t size, uint32_t *binary_out);
uint32_t sim_binary_count(const sim_model *m);
const sim_binary *sim_binary_at(const sim_model *m, uint32_t i);
uint32_t sim_binary_find(const sim_model *m, const char *id);
/* The prepared binary for source file @p source for @p platform_id (0 = any), or SIM_NONE. */
uint32_t sim_binary_find_source(const sim_model *m, const char *source, uint16_t platform_id);

/* ---- persistence (no observers told) ---- */
/* Puts back a stored firmware version (upload fields, then release state). */
void sim_firmware_restore(sim_model *m, uint32_t product, const sim_firmware_upload *u,
                          const char *id, int64_t uploaded_ms, bool product_default,
                          const char *const *groups, size_t group_count, int64_t released_ms);
/* Puts back a device's firmware_version and updates_enabled. */
void sim_firmware_restore_device(sim_model *m, uint32_t dev, int32_t firmware_version,
                                 bool updates_enabled);

#endif
