/*
 * Publisher schedule: a binary min-heap of (next_ms, device, publisher). Entries go stale
 * when a period changes (the publisher's state then holds another next_ms); stale entries
 * are dropped when they reach the top, which keeps period changes O(log n).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim_behaviour.h"
#include "model/sim_firmware.h"
#include "model/sim_internal.h"
#include "pu_buf.h"
#include "pu_str.h"
#include "pu_time.h"

#define MAX_CATCH_UP_PERIODS 1000 /* after a huge clock jump, replay at most this many */
#define MAX_EVENT_DATA 4096       /* rendered data is cut here (Device OS allows 1024) */

static void heap_swap(sim_sched_entry *a, sim_sched_entry *b)
{
    sim_sched_entry t = *a;
    *a = *b;
    *b = t;
}

void sim_schedule_push(sim_model *m, uint32_t dev, uint32_t pub)
{
    sim_model_reserve((void **)&m->sched, m->sched_count + 1, &m->sched_cap,
                      sizeof(sim_sched_entry));
    uint32_t i = m->sched_count++;
    m->sched[i] = (sim_sched_entry){m->devices[dev].pubs[pub].next_ms, dev, pub};
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (m->sched[parent].next_ms <= m->sched[i].next_ms)
            break;
        heap_swap(&m->sched[parent], &m->sched[i]);
        i = parent;
    }
}

static sim_sched_entry heap_pop(sim_model *m)
{
    sim_sched_entry top = m->sched[0];
    m->sched[0] = m->sched[--m->sched_count];
    uint32_t i = 0;
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, min = i;
        if (l < m->sched_count && m->sched[l].next_ms < m->sched[min].next_ms)
            min = l;
        if (r < m->sched_count && m->sched[r].next_ms < m->sched[min].next_ms)
            min = r;
        if (min == i)
            break;
        heap_swap(&m->sched[min], &m->sched[i]);
        i = min;
    }
    return top;
}

int64_t sim_model_next_due(const sim_model *m)
{
    return m->sched_count ? m->sched[0].next_ms : INT64_MAX;
}

void sim_schedule_start_device(sim_model *m, uint32_t dev)
{
    sim_device *d = &m->devices[dev];
    const sim_template *t = &m->templates[d->tmpl];
    int64_t now = sim_model_now(m);
    for (uint32_t p = 0; p < t->pub_count; p++) {
        int64_t period = t->pubs[p].period_ms;
        d->pubs[p].period_ms = period;
        /* Spread first publishes over (now + period/2, now + period] so a fleet does not fire
         * in lockstep, yet advancing by one period always fires each publisher once. */
        int64_t jitter = (int64_t)(pu_rand_double(&d->rng) * (double)(period / 2));
        d->pubs[p].next_ms = now + period - jitter;
        if (period > 0)
            sim_schedule_push(m, dev, p);
    }
}

uint32_t sim_device_find_pub(const sim_model *m, uint32_t dev, const char *name)
{
    const sim_template *t = &m->templates[m->devices[dev].tmpl];
    for (uint32_t p = 0; p < t->pub_count; p++)
        if (strcmp(t->pubs[p].name, name) == 0)
            return p;
    return SIM_NONE;
}

void sim_device_set_pub_period(sim_model *m, uint32_t dev, uint32_t pub, int64_t period_ms)
{
    sim_pub_state *s = &m->devices[dev].pubs[pub];
    s->period_ms = period_ms > 0 ? period_ms : 0;
    s->next_ms = sim_model_now(m) + s->period_ms;
    if (s->period_ms)
        sim_schedule_push(m, dev, pub);
}

/* Appends to a template expansion, which is cut at MAX_EVENT_DATA. */
static void out_append(pu_buf *o, const char *s, size_t n)
{
    if (o->len + n > MAX_EVENT_DATA)
        n = MAX_EVENT_DATA - o->len;
    pu_buf_append(o, s, n);
}

static void expand(sim_model *m, uint32_t dev, uint32_t pub, const char *key, size_t klen,
                   pu_buf *o)
{
    sim_device *d = &m->devices[dev];
    char tmp[1100];
    if (klen == 7 && memcmp(key, "counter", 7) == 0) {
        uint32_t c = pub != SIM_NONE ? d->pubs[pub].counter : 0;
        snprintf(tmp, sizeof(tmp), "%u", c);
    } else if (klen == 6 && memcmp(key, "random", 6) == 0) {
        snprintf(tmp, sizeof(tmp), "%u", (unsigned)(pu_rand_next(&d->rng) % 1000));
    } else if (klen == 9 && memcmp(key, "device_id", 9) == 0) {
        pu_strlcpy(tmp, d->id, sizeof(tmp));
    } else if (klen == 4 && memcmp(key, "name", 4) == 0) {
        pu_strlcpy(tmp, d->name ? d->name : "", sizeof(tmp));
    } else if (klen > 6 && memcmp(key, "value:", 6) == 0 && klen - 6 < 64) {
        char name[64];
        memcpy(name, key + 6, klen - 6);
        name[klen - 6] = '\0';
        uint32_t var = sim_device_find_var(m, dev, name);
        if (var == SIM_NONE) {
            out_append(o, key - 2, klen + 4);
            return;
        }
        sim_value v;
        sim_device_read_var(m, dev, var, &v);
        /* Published doubles read like firmware's String(x, 2), not full precision. */
        if (v.type == SIM_VAR_DOUBLE)
            snprintf(tmp, sizeof(tmp), "%.2f", v.num);
        else
            sim_value_format(&v, tmp, sizeof(tmp));
    } else {
        out_append(o, key - 2, klen + 4); /* unknown placeholder: keep it visible */
        return;
    }
    out_append(o, tmp, strlen(tmp));
}

char *sim_render_template(sim_model *m, uint32_t dev, uint32_t pub, const char *tmpl)
{
    pu_buf o;
    pu_buf_xinit(&o);
    const char *p = tmpl;
    while (*p) {
        const char *open = strstr(p, "{{");
        const char *close = open ? strstr(open + 2, "}}") : NULL;
        if (!close) {
            out_append(&o, p, strlen(p));
            break;
        }
        out_append(&o, p, (size_t)(open - p));
        expand(m, dev, pub, open + 2, (size_t)(close - open - 2), &o);
        p = close + 2;
    }
    return pu_buf_take(&o, NULL);
}

size_t sim_model_run_due(sim_model *m, int64_t now, size_t budget)
{
    size_t published = 0;
    while (m->sched_count && m->sched[0].next_ms <= now && published < budget) {
        sim_sched_entry e = heap_pop(m);
        sim_device *d = &m->devices[e.device];
        sim_pub_state *s = &d->pubs[e.pub];
        if (!s->period_ms || s->next_ms != e.next_ms)
            continue; /* stale: the period changed or the publisher stopped */
        const sim_pub_def *def = &m->templates[d->tmpl].pubs[e.pub];
        if (d->online) {
            s->counter++;
            char *data = sim_render_template(m, e.device, e.pub, def->data);
            d->last_heard_ms = e.next_ms;
            sim_event ev = {.name = def->name,
                            .data = data,
                            .ttl = 60,
                            .published_ms = e.next_ms,
                            .coreid = d->id,
                            .device = e.device,
                            .owner = d->owner,
                            .product = d->product,
                            .is_private = def->is_private};
            sim_model_emit(m, &ev);
            free(data);
            published++;
        }
        s->next_ms += s->period_ms;
        int64_t behind = (now - s->next_ms) / s->period_ms;
        if (behind > MAX_CATCH_UP_PERIODS)
            s->next_ms += (behind - MAX_CATCH_UP_PERIODS) * s->period_ms;
        sim_schedule_push(m, e.device, e.pub);
    }
    /* Over-the-air updates run on the same clock (model/sim_firmware.h). */
    if (published < budget)
        published += sim_firmware_run_due(m, now, budget - published);
    return published;
}
