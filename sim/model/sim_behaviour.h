/*
 * Simulated device behaviour: variable values over simulation time, function calls, event
 * data templates and the publisher schedule (a min-heap of next publish times).
 *
 * Deterministic: random walks and {{random}} draw from the device's own splitmix64 stream
 * (seeded from the model seed and the device's position), so the same seed, fleet and clock
 * moves give the same values.
 *
 * Threads: model lock held.
 */
#ifndef SIM_BEHAVIOUR_H
#define SIM_BEHAVIOUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/sim_model.h"

typedef struct sim_value {
    sim_var_type type;
    double num;       /* int32 (integral), double, bool (0/1) */
    const char *text; /* SIM_VAR_STRING; borrowed from the model until the next change */
} sim_value;

/* Initialises a new device's times and variable state at the current time. Called by
 * sim_model_device_ready(), before sim_schedule_start_device(). */
void sim_device_start(sim_model *m, uint32_t dev);

/* Variable index by name on the device's template, or SIM_NONE. */
uint32_t sim_device_find_var(const sim_model *m, uint32_t dev, const char *name);
/* Current value at the simulation time (steps random walks forward). */
void sim_device_read_var(sim_model *m, uint32_t dev, uint32_t var, sim_value *out);
/* Sets a variable from text parsed for its type ("12", "2.5", "true"/"false"/"1"/"0", any
 * string). Returns false (and changes nothing) when the text does not parse. Setting freezes
 * the value: the variable then behaves as set-by-function. */
bool sim_device_set_var(sim_model *m, uint32_t dev, uint32_t var, const char *text);
/* Formats a value as the JSON text of `result` ("1", "2.5", "true", or the raw string). */
void sim_value_format(const sim_value *v, char *out, size_t size);

uint32_t sim_device_find_fn(const sim_model *m, uint32_t dev, const char *name);
/* Runs function @p fn with @p arg (NULL = ""); returns its return_value. */
int32_t sim_device_call_fn(sim_model *m, uint32_t dev, uint32_t fn, const char *arg);

/* Expands a data template for device @p dev's publisher @p pub. Returns a malloc'd string
 * (caller frees). Unknown placeholders are copied as they are. */
char *sim_render_template(sim_model *m, uint32_t dev, uint32_t pub, const char *tmpl);

/* Publisher index by name, or SIM_NONE. */
uint32_t sim_device_find_pub(const sim_model *m, uint32_t dev, const char *name);
/* Changes a publisher's period (0 stops it); the next event comes one period from now. */
void sim_device_set_pub_period(sim_model *m, uint32_t dev, uint32_t pub, int64_t period_ms);

/* Initialises a new device's publisher state and schedules its publishers (first publishes
 * spread over half a period). Called by sim_model_device_ready(). */
void sim_schedule_start_device(sim_model *m, uint32_t dev);
/* Puts publisher @p pub of @p dev on the schedule at its next_ms. */
void sim_schedule_push(sim_model *m, uint32_t dev, uint32_t pub);

/* Publishes every event due at or before @p now, at most @p budget of them (publishers of
 * offline devices are skipped but stay on schedule). Returns the number published. */
size_t sim_model_run_due(sim_model *m, int64_t now, size_t budget);
/* The earliest scheduled publish time, or INT64_MAX. */
int64_t sim_model_next_due(const sim_model *m);

#endif
