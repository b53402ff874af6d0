/*
 * sim_fleet: loads a fleet fixture (docs/FLEET.md) into the model, or the built-in default
 * fleet (docs/SIM.md). Validation is strict: an unknown key, a wrong type or a reference to
 * something undefined fails the whole load with "<source>: <where>: <what>".
 *
 * Threads: model lock held during the load calls.
 */
#ifndef SIM_FLEET_H
#define SIM_FLEET_H

#include <stddef.h>

#include <jansson.h>

#include "model/sim_model.h"

/* Parses fixture text (it must be a JSON object). @p source names it in errors ("source:
 * line:column: what"). Returns a new reference, or NULL with a message in @p err. */
json_t *sim_fleet_parse(const char *text, size_t len, const char *source, char *err,
                        size_t err_size);
/* Reads and parses @p path. Returns a new reference, or NULL with a message in @p err. */
json_t *sim_fleet_read_file(const char *path, char *err, size_t err_size);
/* The default fleet as a fixture document (new reference). */
json_t *sim_fleet_default(void);
/* Loads @p fixture into the (empty) model. @p source names it in errors. Returns 0, or -1
 * with a message in @p err; on error the model may be partly filled (clear it). */
int sim_fleet_load(sim_model *m, const json_t *fixture, const char *source, char *err,
                   size_t err_size);

/* The fixture's "firmware" key (fleet_firmware.c; NULL = none), after the devices. */
int sim_fleet_load_firmware(sim_model *m, const json_t *spec, const char *source, char *err,
                            size_t err_size);

#endif
