/* The devices' side of an over-the-air update (model/sim_firmware.h): targets, and the
 * update steps on the simulation clock. */
#include <stdlib.h>
#include <string.h>

#include "model/firmware_store.h"
#include "model/sim_internal.h"
#include "model/sim_vitals.h"

flash_state *sim_firmware_flash_state(sim_model *m, uint32_t dev)
{
    sim_firmware_store *s = sim_firmware_store_get(m);
    if (dev >= s->flash_cap) {
        uint32_t old = s->flash_cap;
        sim_model_reserve((void **)&s->flash, dev + 1, &s->flash_cap, sizeof(*s->flash));
        memset(&s->flash[old], 0, (s->flash_cap - old) * sizeof(*s->flash));
    }
    return &s->flash[dev];
}

/* The state of @p dev without growing anything; NULL = idle, not failing. */
static const flash_state *peek_state(const sim_model *m, uint32_t dev)
{
    return m->firmware && dev < m->firmware->flash_cap ? &m->firmware->flash[dev] : NULL;
}

int32_t sim_firmware_target(const sim_model *m, uint32_t dev)
{
    const sim_device *d = &m->devices[dev];
    if (d->product == SIM_NONE)
        return -1;
    if (d->desired_firmware_version >= 0)
        return d->desired_firmware_version;
    if (d->development || !m->firmware)
        return -1;
    int32_t best = -1, product_default = -1;
    const sim_product *p = &m->products[d->product];
    for (uint32_t i = 0; i < m->firmware->fw_count; i++) {
        const sim_firmware *f = &m->firmware->fw[i];
        if (f->product != d->product)
            continue;
        if (f->product_default)
            product_default = f->version;
        for (uint32_t g = 0; g < f->group_count && f->version > best; g++)
            for (uint32_t b = 0; b < p->group_count; b++)
                if ((d->groups & (1u << b)) && strcmp(p->groups[b], f->groups[g]) == 0)
                    best = f->version;
    }
    return best >= 0 ? best : product_default;
}

void sim_firmware_set_fail(sim_model *m, uint32_t dev, bool fail)
{
    sim_firmware_flash_state(m, dev)->fail = fail;
}

bool sim_firmware_fails(const sim_model *m, uint32_t dev)
{
    const flash_state *st = peek_state(m, dev);
    return st && st->fail;
}

bool sim_firmware_updating(const sim_model *m, uint32_t dev)
{
    const flash_state *st = peek_state(m, dev);
    return st && st->stage != FLASH_IDLE;
}

/* ---- the step heap ---- */

static bool step_before(const flash_step *a, const flash_step *b)
{
    return a->due_ms < b->due_ms || (a->due_ms == b->due_ms && a->dev < b->dev);
}

static void push_step(sim_firmware_store *s, uint32_t dev, const flash_state *st)
{
    sim_model_reserve((void **)&s->steps, s->step_count + 1, &s->step_cap, sizeof(*s->steps));
    uint32_t i = s->step_count++;
    s->steps[i] = (flash_step){st->due_ms, dev, st->gen};
    while (i && step_before(&s->steps[i], &s->steps[(i - 1) / 2])) {
        flash_step t = s->steps[i];
        s->steps[i] = s->steps[(i - 1) / 2];
        s->steps[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static flash_step pop_step(sim_firmware_store *s)
{
    flash_step top = s->steps[0];
    s->steps[0] = s->steps[--s->step_count];
    for (uint32_t i = 0;;) {
        uint32_t l = 2 * i + 1, r = l + 1, min = i;
        if (l < s->step_count && step_before(&s->steps[l], &s->steps[min]))
            min = l;
        if (r < s->step_count && step_before(&s->steps[r], &s->steps[min]))
            min = r;
        if (min == i)
            break;
        flash_step t = s->steps[i];
        s->steps[i] = s->steps[min];
        s->steps[min] = t;
        i = min;
    }
    return top;
}

/* Moves @p st to @p stage, due at @p due_ms: a new step (older ones go stale). */
static void schedule(sim_model *m, uint32_t dev, flash_state *st, flash_stage stage, int64_t due_ms)
{
    st->stage = (uint8_t)stage;
    st->due_ms = due_ms;
    st->gen++;
    push_step(m->firmware, dev, st);
}

void sim_firmware_consider(sim_model *m, uint32_t dev, int64_t at_ms)
{
    const sim_device *d = &m->devices[dev];
    if (d->product == SIM_NONE || !d->online || d->quarantined || d->denied ||
        (!d->updates_enabled && !d->updates_forced))
        return;
    int32_t target = sim_firmware_target(m, dev);
    if (target < 0 || target == d->firmware_version ||
        sim_firmware_find(m, d->product, target) == SIM_NONE)
        return;
    flash_state *st = sim_firmware_flash_state(m, dev);
    if (st->failed_version == target || st->stage == FLASH_WRITING ||
        st->stage == FLASH_REBOOTING || (st->stage == FLASH_PENDING && st->version == target))
        return; /* failed until it reconnects; busy (looked at again when done); on its way */
    st->version = target;
    schedule(m, dev, st, FLASH_PENDING, at_ms);
}

void sim_firmware_start_binary(sim_model *m, uint32_t dev, uint32_t binary, int64_t at_ms)
{
    flash_state *st = sim_firmware_flash_state(m, dev);
    st->version = -1;
    st->binary = binary;
    schedule(m, dev, st, FLASH_PENDING, at_ms);
}

/* The hash a successful update leaves on the device. */
static const char *app_hash(const sim_model *m, uint32_t dev, const flash_state *st)
{
    if (st->version < 0)
        return m->firmware->bins[st->binary].app_hash;
    uint32_t fw = sim_firmware_find(m, m->devices[dev].product, st->version);
    return fw != SIM_NONE ? m->firmware->fw[fw].app_hash : "";
}

/* Connects and disconnects look at a device's state without growing the table: most
 * devices never update. */
void sim_firmware_connected(sim_model *m, uint32_t dev)
{
    flash_state *st = peek_state(m, dev) ? sim_firmware_flash_state(m, dev) : NULL;
    int64_t now = sim_model_now(m);
    if (st && st->stage == FLASH_REBOOTING) { /* brought online before its reboot was over */
        st->stage = FLASH_IDLE;
        sim_model_emit_device_event_at(m, dev, "spark/device/app-hash", app_hash(m, dev, st), true,
                                       now);
    }
    if (st)
        st->failed_version = 0;
    sim_firmware_consider(m, dev, now);
}

void sim_firmware_disconnected(sim_model *m, uint32_t dev)
{
    if (!peek_state(m, dev))
        return;
    flash_state *st = sim_firmware_flash_state(m, dev);
    if (st->stage == FLASH_WRITING)
        sim_model_emit_device_event(m, dev, "spark/flash/status", "failed", true);
    if (st->stage == FLASH_PENDING || st->stage == FLASH_WRITING)
        st->stage = FLASH_IDLE;
}

void sim_firmware_lock_changed(sim_model *m, uint32_t dev, bool flash)
{
    if (flash)
        sim_firmware_consider(m, dev, sim_model_now(m));
}

void sim_firmware_set_updates_enabled(sim_model *m, uint32_t dev, bool enabled)
{
    sim_device *d = &m->devices[dev];
    if ((bool)d->updates_enabled == enabled)
        return;
    d->updates_enabled = enabled;
    sim_model_device_changed(m, dev, SIM_DEVICE_FIRMWARE);
    if (d->online)
        sim_model_emit_device_event(m, dev, "particle/device/updates/enabled",
                                    enabled ? "true" : "false", true);
    sim_firmware_consider(m, dev, sim_model_now(m));
}

void sim_firmware_restore_device(sim_model *m, uint32_t dev, int32_t firmware_version,
                                 bool updates_enabled)
{
    m->devices[dev].firmware_version = firmware_version;
    m->devices[dev].updates_enabled = updates_enabled;
    sim_model_device_new_rev(m, dev);
}

/* One due step of @p dev's update at @p at; returns the events it published. */
static size_t run_step(sim_model *m, uint32_t dev, flash_state *st, int64_t at)
{
    sim_device *d = &m->devices[dev];
    switch ((flash_stage)st->stage) {
    case FLASH_PENDING:
        if (!d->online) {
            st->stage = FLASH_IDLE;
            return 0;
        }
        sim_model_emit_device_event_at(m, dev, "spark/flash/status", "started", true, at);
        schedule(m, dev, st, FLASH_WRITING, at + SIM_FLASH_MS);
        return 1;
    case FLASH_WRITING:
        if (st->fail) {
            sim_model_emit_device_event_at(m, dev, "spark/flash/status", "failed", true, at);
            st->stage = FLASH_IDLE;
            if (st->version > 0)
                st->failed_version = st->version;
            return 1;
        }
        sim_model_emit_device_event_at(m, dev, "spark/flash/status", "success", true, at);
        if (st->version > 0)
            d->firmware_version = st->version;
        d->online = 0; /* the reboot */
        sim_model_device_changed(m, dev, SIM_DEVICE_FIRMWARE | SIM_DEVICE_ONLINE);
        sim_model_emit_device_event_at(m, dev, "spark/status", "offline", true, at);
        schedule(m, dev, st, FLASH_REBOOTING, at + SIM_REBOOT_MS);
        return 2;
    case FLASH_REBOOTING:
        st->stage = FLASH_IDLE;
        d->online = 1;
        d->last_handshake_ms = at;
        sim_vitals_record(m, dev, at, true);
        sim_model_device_changed(m, dev, SIM_DEVICE_ONLINE);
        sim_model_emit_device_event_at(m, dev, "spark/status", "online", true, at);
        sim_model_emit_device_event_at(m, dev, "spark/device/app-hash", app_hash(m, dev, st), true,
                                       at);
        sim_firmware_consider(m, dev, at); /* the target may have moved meanwhile */
        return 2;
    case FLASH_IDLE:
        break;
    }
    return 0;
}

size_t sim_firmware_run_due(sim_model *m, int64_t now, size_t budget)
{
    sim_firmware_store *s = m->firmware;
    size_t published = 0;
    while (s && s->step_count && s->steps[0].due_ms <= now && published < budget) {
        flash_step e = pop_step(s);
        flash_state *st = &s->flash[e.dev];
        if (st->stage == FLASH_IDLE || st->gen != e.gen)
            continue; /* stale: a later update took its place, or it was cancelled */
        published += run_step(m, e.dev, st, e.due_ms);
    }
    return published;
}
