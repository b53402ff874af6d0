/* Tracker positions along a closed route (sim_locations.h). */
#include <math.h>
#include <string.h>

#include "model/sim_locations.h"

#define DAY_MS (24.0 * 3600 * 1000)
#define PI 3.14159265358979323846
#define ROUTE_RADIUS_DEG 0.016 /* ~1.8 km: a loop of ~11 km a day */

bool sim_location_is_tracker(const sim_model *m, uint32_t dev)
{
    const sim_device *d = &m->devices[dev];
    return strcmp(m->templates[d->tmpl].name, "tracker") == 0;
}

/* The base of the route: by the device's first group. */
static void route_base(const sim_model *m, const sim_device *d, double *lat, double *lon)
{
    static const struct {
        const char *group;
        double lat, lon;
    } bases[] = {
        {"europe", 52.3676, 4.9041}, {"asia", 1.2903, 103.8519}, {"americas", 40.7128, -74.0060}};
    *lat = 51.9496; /* Rotterdam port */
    *lon = 4.1453;
    if (d->product == SIM_NONE)
        return;
    const sim_product *p = &m->products[d->product];
    for (uint32_t g = 0; g < p->group_count; g++) {
        if (!(d->groups & (1u << g)))
            continue;
        for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
            if (strcmp(p->groups[g], bases[b].group) == 0) {
                *lat = bases[b].lat;
                *lon = bases[b].lon;
            }
        return;
    }
}

void sim_location_at(const sim_model *m, uint32_t dev, int64_t at_ms, sim_location *out)
{
    const sim_device *d = &m->devices[dev];
    double lat0, lon0;
    route_base(m, d, &lat0, &lon0);
    /* each device starts at its own point of the loop */
    double phase = (double)(dev % 360) * PI / 180.0;
    double day = fmod((double)at_ms, DAY_MS) / DAY_MS;
    double angle = 2 * PI * day + phase;
    out->at_ms = at_ms;
    out->lat = round((lat0 + ROUTE_RADIUS_DEG * sin(angle)) * 1e6) / 1e6;
    out->lon = round((lon0 + ROUTE_RADIUS_DEG * cos(angle)) * 1e6) / 1e6;
    /* moving counter-clockwise: north speed ~ cos(angle), east ~ -sin(angle), so the
     * compass heading atan2(east, north) is -angle */
    double heading = fmod(-angle * 180.0 / PI, 360.0);
    out->heading = round((heading < 0 ? heading + 360.0 : heading) * 10) / 10;
    out->speed = round(2 * PI * ROUTE_RADIUS_DEG * 111000.0 / (DAY_MS / 1000) * 100) / 100;
    out->accuracy = 5;
    out->temp = round((20 + 5 * sin(angle * 2)) * 10) / 10;
}

bool sim_location_span(const sim_model *m, uint32_t dev, int64_t from_ms, int64_t to_ms,
                       int64_t now_ms, int64_t *first_ms, int64_t *last_ms)
{
    const sim_device *d = &m->devices[dev];
    int64_t end = d->online ? now_ms : d->last_heard_ms;
    if (end > now_ms)
        end = now_ms;
    if (to_ms < end)
        end = to_ms;
    int64_t start = now_ms - SIM_LOCATION_HISTORY_MS;
    if (from_ms > start)
        start = from_ms;
    int64_t first =
        (start + SIM_LOCATION_PERIOD_MS - 1) / SIM_LOCATION_PERIOD_MS * SIM_LOCATION_PERIOD_MS;
    int64_t last = end / SIM_LOCATION_PERIOD_MS * SIM_LOCATION_PERIOD_MS;
    if (end < 0 || first > last)
        return false;
    *first_ms = first;
    *last_ms = last;
    return true;
}
