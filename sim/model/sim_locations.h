/*
 * Tracker locations (reference/cloud-api.md §13 "Location"): every device made from the
 * fleet's "tracker" template reports a GPS position every SIM_LOCATION_PERIOD_MS of
 * simulation time while it is online, moving along a closed route (a loop of about 11 km
 * a day) around a base picked by its first group (europe: Amsterdam, asia: Singapore,
 * americas: New York, others: Rotterdam). Positions are a pure function of the device and
 * the sample time, so the recorded history is computed, not stored: the samples of the
 * last SIM_LOCATION_HISTORY_MS, up to the device's last_heard when it is offline.
 */
#ifndef SIM_LOCATIONS_H
#define SIM_LOCATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/sim_model.h"

#define SIM_LOCATION_PERIOD_MS (5 * 60 * 1000)
#define SIM_LOCATION_HISTORY_MS (7LL * 24 * 3600 * 1000)

/* One reported position. */
typedef struct sim_location {
    int64_t at_ms;
    double lat, lon;
    double heading;  /* degrees, hd */
    double speed;    /* m/s */
    double accuracy; /* metres, acc_h */
    double temp;     /* °C */
} sim_location;

/* Whether device @p dev reports locations (made from the "tracker" template). */
bool sim_location_is_tracker(const sim_model *m, uint32_t dev);

/* The position device @p dev reports at @p at_ms. */
void sim_location_at(const sim_model *m, uint32_t dev, int64_t at_ms, sim_location *out);

/* The sample times of @p dev within [@p from_ms, @p to_ms] that it has reported by
 * @p now_ms: first and last (in multiples of SIM_LOCATION_PERIOD_MS). False when none. */
bool sim_location_span(const sim_model *m, uint32_t dev, int64_t from_ms, int64_t to_ms,
                       int64_t now_ms, int64_t *first_ms, int64_t *last_ms);

#endif
