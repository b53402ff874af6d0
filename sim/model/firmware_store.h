/*
 * For model/firmware*.c only: the firmware store behind
 * sim_firmware.h (product firmware, other binaries, each device's update state and the
 * update steps to come).
 */
#ifndef SIM_FIRMWARE_STORE_H
#define SIM_FIRMWARE_STORE_H

#include "model/sim_firmware.h"

typedef enum flash_stage {
    FLASH_IDLE,      /* no update under way */
    FLASH_PENDING,   /* starts at due_ms */
    FLASH_WRITING,   /* "started" published; ends at due_ms */
    FLASH_REBOOTING, /* "success" published, offline; online again at due_ms */
} flash_stage;

/* A device's update state; all zero = idle, not failing. */
typedef struct flash_state {
    uint8_t stage;
    bool fail;              /* fails every update (fleet file, control API) */
    int32_t version;        /* product firmware version it is taking; -1 = a binary */
    uint32_t binary;        /* the sim_binary when version is -1 */
    int32_t failed_version; /* 0 = none: not retried until the device reconnects */
    uint32_t gen;           /* tells this update's steps from an earlier one's */
    int64_t due_ms;
} flash_state;

typedef struct flash_step {
    int64_t due_ms;
    uint32_t dev;
    uint32_t gen;
} flash_step;

typedef struct sim_firmware_store {
    sim_firmware *fw;
    uint32_t fw_count, fw_cap;
    sim_binary *bins;
    uint32_t bin_count, bin_cap;
    flash_state *flash; /* by device index; flash_cap entries, zeroed when grown */
    uint32_t flash_cap;
    flash_step *steps; /* min-heap by due_ms */
    uint32_t step_count, step_cap;
} sim_firmware_store;

/* The model's store, created on first use (firmware_store.c). */
sim_firmware_store *sim_firmware_store_get(sim_model *m);
/* Frees what @p f owns: its texts, data and release groups (firmware_store.c). */
void sim_firmware_free_fields(sim_firmware *f);
/* Frees @p f's release groups and leaves it with none (firmware_store.c). */
void sim_firmware_free_groups(sim_firmware *f);
/* @p dev's update state (grows the table as needed). */
flash_state *sim_firmware_flash_state(sim_model *m, uint32_t dev);
/* Starts an update of online @p dev at @p at_ms to its target, when it needs one. */
void sim_firmware_consider(sim_model *m, uint32_t dev, int64_t at_ms);
/* Starts flashing binary @p binary to @p dev at @p at_ms; an update under way gives way. */
void sim_firmware_start_binary(sim_model *m, uint32_t dev, uint32_t binary, int64_t at_ms);

#endif
