/* How the model tells the world: its clock reading, events to the sink, changes to the
 * observers (sim_internal.h), and the lock every caller holds meanwhile. */
#include <stdbool.h>
#include <stdlib.h>

#include "clock.h"
#include "model/sim_internal.h"
#include "model/sim_model.h"

void sim_model_set_sink(sim_model *m, sim_event_sink_fn *sink, void *payload)
{
    m->sink = sink;
    m->sink_payload = payload;
}

void sim_model_observe(sim_model *m, sim_observer_fn *fn, void *payload)
{
    if (m->observer_count == SIM_MAX_OBSERVERS)
        abort();
    m->observers[m->observer_count++] = (struct sim_observer){fn, payload};
}

void sim_model_notify(sim_model *m, sim_change_kind kind, uint32_t index, uint32_t fields)
{
    sim_change change = {kind, index, fields};
    for (uint32_t i = 0; i < m->observer_count; i++)
        m->observers[i].fn(m, &change, m->observers[i].payload);
}

void sim_model_lock(sim_model *m)
{
    pthread_mutex_lock(&m->lock);
}

void sim_model_unlock(sim_model *m)
{
    pthread_mutex_unlock(&m->lock);
}

int64_t sim_model_now(const sim_model *m)
{
    return sim_clock_now(m->clock);
}

void sim_model_device_new_rev(sim_model *m, uint32_t dev)
{
    m->devices[dev].rev = ++m->rev_clock;
}

void sim_model_device_changed(sim_model *m, uint32_t dev, uint32_t fields)
{
    sim_model_device_new_rev(m, dev);
    sim_model_notify(m, SIM_CHANGED_DEVICE, dev, fields);
}

void sim_model_emit(sim_model *m, const sim_event *ev)
{
    m->events_published++;
    if (m->sink)
        m->sink(ev, m->sink_payload);
}

void sim_model_emit_device_event(sim_model *m, uint32_t dev, const char *name, const char *data,
                                 bool is_private)
{
    sim_model_emit_device_event_at(m, dev, name, data, is_private, sim_model_now(m));
}

void sim_model_emit_device_event_at(sim_model *m, uint32_t dev, const char *name, const char *data,
                                    bool is_private, int64_t now)
{
    sim_device *d = &m->devices[dev];
    d->last_heard_ms = now;
    sim_event ev = {.name = name,
                    .data = data,
                    .ttl = 60,
                    .published_ms = now,
                    .coreid = d->id,
                    .device = dev,
                    .owner = d->owner,
                    .product = d->product,
                    .is_private = is_private};
    sim_model_emit(m, &ev);
}
