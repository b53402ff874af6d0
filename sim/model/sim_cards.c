/* SIM cards: creation from cellular devices, access rules, state changes, the status task
 * and the deterministic usage history (sim_cards.h). */
#include "model/sim_cards.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/sim_internal.h"
#include "pu_hash.h"
#include "pu_str.h"

#define DAY_MS (24LL * 3600 * 1000)

static const char *card_key(const void *ctx, uint32_t v)
{
    return ((const sim_model *)ctx)->cards[v].iccid;
}

void sim_cards_init(sim_model *m)
{
    sim_index_init(&m->card_ix, card_key, m);
}

void sim_cards_clear(sim_model *m)
{
    m->card_count = 0;
    sim_index_clear(&m->card_ix);
}

void sim_cards_dispose(sim_model *m)
{
    free(m->cards);
    m->cards = NULL;
    m->card_count = m->card_cap = 0;
    sim_index_dispose(&m->card_ix);
}

/* FNV-1a of @p s mixed with @p salt: the seed of everything derived from an ICCID. */
static uint64_t iccid_hash(const char *s, uint64_t salt)
{
    uint64_t h = pu_fnv1a64_from(PU_FNV64_OFFSET ^ salt, s);
    return pu_rand_next(&h);
}

static void digits(char *out, size_t len, const char *prefix, uint64_t seed)
{
    size_t p = strlen(prefix);
    memcpy(out, prefix, p);
    for (size_t i = p; i < len; i++)
        out[i] = (char)('0' + pu_rand_next(&seed) % 10);
    out[len] = '\0';
}

void sim_cards_add_for_device(sim_model *m, uint32_t dev)
{
    const sim_device *d = &m->devices[dev];
    if (!d->cellular || !d->iccid[0] || sim_cards_find(m, d->iccid) != SIM_NONE)
        return;
    sim_model_reserve((void **)&m->cards, m->card_count + 1, &m->card_cap, sizeof(sim_card));
    uint32_t c = m->card_count++;
    sim_card *s = &m->cards[c];
    memset(s, 0, sizeof(*s));
    pu_strlcpy(s->iccid, d->iccid, sizeof(s->iccid));
    /* Telefonica ICCIDs (8934...) get a Spanish IMSI (214-07), the others an AT&T one. */
    bool telefonica = strncmp(s->iccid, "8934", 4) == 0;
    digits(s->imsi, 15, telefonica ? "21407" : "310410", iccid_hash(s->iccid, 1));
    digits(s->msisdn, 15, telefonica ? "34590" : "1555", iccid_hash(s->iccid, 2));
    s->status = SIM_CARD_ACTIVE;
    s->last_action = SIM_ACTION_ACTIVATE;
    s->device = dev;
    s->product = d->product;
    s->owner = d->product == SIM_NONE ? d->owner : SIM_NONE;
    s->mb_limit = -1;
    s->activations = 1;
    /* activated 40 to 400 days ago, so the current month's usage is complete */
    int64_t now = sim_model_now(m);
    s->first_activated_ms = now - (int64_t)(40 + iccid_hash(s->iccid, 3) % 360) * DAY_MS;
    s->last_activated_ms = s->updated_ms = s->first_activated_ms;
    sim_index_put(&m->card_ix, c);
}

uint32_t sim_cards_find(const sim_model *m, const char *iccid)
{
    uint32_t c;
    return iccid && sim_index_get(&m->card_ix, iccid, &c) ? c : SIM_NONE;
}

uint32_t sim_cards_resolve(const sim_model *m, const sim_principal *p, const char *iccid,
                           uint32_t via_product, unsigned int *status_out)
{
    uint32_t c = sim_cards_find(m, iccid);
    if (c == SIM_NONE || m->cards[c].released) {
        *status_out = 404;
        return SIM_NONE;
    }
    const sim_card *s = &m->cards[c];
    bool mine = via_product != SIM_NONE
                    ? s->product == via_product /* the route checked the caller's product access */
                    : p->kind == SIM_TOKEN_USER && s->product == SIM_NONE && s->owner == p->user;
    if (!mine) {
        *status_out = 403;
        return SIM_NONE;
    }
    return c;
}

bool sim_cards_lists(const sim_model *m, const sim_principal *p, uint32_t c)
{
    const sim_card *s = &m->cards[c];
    return !s->released && p->kind == SIM_TOKEN_USER && s->product == SIM_NONE &&
           s->owner == p->user;
}

static void set_active(sim_model *m, sim_card *s, sim_card_action action)
{
    int64_t now = sim_model_now(m);
    if (s->status != SIM_CARD_ACTIVE) {
        s->status = SIM_CARD_ACTIVE;
        s->activations++;
        if (!s->first_activated_ms)
            s->first_activated_ms = now;
        s->last_activated_ms = now;
    }
    s->last_action = (uint8_t)action;
    s->updated_ms = now;
}

static void set_deactivated(sim_model *m, sim_card *s)
{
    int64_t now = sim_model_now(m);
    if (s->status == SIM_CARD_ACTIVE) {
        s->deactivations++;
        s->deactivated_ms = now;
    }
    s->status = SIM_CARD_DEACTIVATED;
    s->last_action = SIM_ACTION_DEACTIVATE;
    s->updated_ms = now;
}

const char *sim_cards_update(sim_model *m, uint32_t c, sim_card_action action, long mb_limit)
{
    sim_card *s = &m->cards[c];
    if (mb_limit > INT32_MAX)
        return "mb_limit is too large";
    switch (action) {
    case SIM_ACTION_ACTIVATE:
        if (s->product != SIM_NONE)
            return "activate is for user SIMs; product SIMs are reactivated";
        set_active(m, s, action);
        break;
    case SIM_ACTION_REACTIVATE:
        set_active(m, s, action);
        break;
    case SIM_ACTION_DEACTIVATE:
        set_deactivated(m, s);
        break;
    case SIM_ACTION_NONE:
        break;
    }
    if (mb_limit >= 0) {
        s->mb_limit = (int32_t)mb_limit;
        s->updated_ms = sim_model_now(m);
    }
    sim_model_notify(m, SIM_CHANGED_CARD, c, 0);
    return NULL;
}

bool sim_cards_release(sim_model *m, uint32_t c)
{
    sim_card *s = &m->cards[c];
    bool was_active = s->status == SIM_CARD_ACTIVE;
    set_deactivated(m, s);
    s->released = true;
    s->owner = s->product = SIM_NONE;
    s->task_ms = 0;
    sim_model_notify(m, SIM_CHANGED_CARD, c, 0);
    return was_active;
}

bool sim_cards_import(sim_model *m, uint32_t c, uint32_t product)
{
    sim_card *s = &m->cards[c];
    bool movable = s->released || s->product == product ||
                   (s->product == SIM_NONE && s->owner != SIM_NONE &&
                    sim_model_is_team_member(m, product, s->owner));
    if (!movable)
        return false;
    s->released = false;
    s->product = product;
    s->owner = SIM_NONE;
    set_active(m, s, SIM_ACTION_ACTIVATE);
    sim_model_notify(m, SIM_CHANGED_CARD, c, 0);
    return true;
}

bool sim_cards_restore(sim_model *m, uint32_t c, const sim_card *saved)
{
    if (saved->status > SIM_CARD_DEACTIVATED || saved->last_action > SIM_ACTION_REACTIVATE ||
        (saved->owner != SIM_NONE && saved->owner >= m->user_count) ||
        (saved->product != SIM_NONE && saved->product >= m->product_count))
        return false;
    const sim_card *s = &m->cards[c];
    sim_card restored = *saved; /* its state; who the card is stays */
    memcpy(restored.iccid, s->iccid, sizeof(restored.iccid));
    memcpy(restored.imsi, s->imsi, sizeof(restored.imsi));
    memcpy(restored.msisdn, s->msisdn, sizeof(restored.msisdn));
    restored.device = s->device;
    restored.task_ms = s->task_ms;
    restored.task_id = s->task_id;
    m->cards[c] = restored;
    sim_model_notify(m, SIM_CHANGED_CARD, c, 0);
    return true;
}

bool sim_cards_status_task(sim_model *m, uint32_t c)
{
    sim_card *s = &m->cards[c];
    int64_t now = sim_model_now(m);
    if (!s->task_ms || now >= s->task_ms + SIM_STATUS_TASK_TTL_MS) {
        s->task_ms = now;
        s->task_id++;
    }
    return now >= s->task_ms + SIM_STATUS_TASK_PENDING_MS;
}

/* MB used on the whole of day @p day (days since the epoch): 0.1 to 6 MB, around a
 * per-card rate between 0.2 and 3 MB. */
static double day_mb(const sim_card *s, int64_t day)
{
    uint64_t rate = iccid_hash(s->iccid, 4);
    uint64_t h = iccid_hash(s->iccid, 5 + (uint64_t)day);
    double base = 0.2 + (double)(rate % 281) / 100.0;
    double mb = base * (0.5 + (double)(h % 1000) / 1000.0) * 1.33;
    return mb < 0.1 ? 0.1 : mb;
}

static double round2(double x)
{
    return round(x * 100.0) / 100.0;
}

size_t sim_cards_month_days(const sim_model *m, sim_usage_day out[SIM_USAGE_MAX_DAYS])
{
    int64_t now = sim_model_now(m);
    int64_t today = now / DAY_MS;
    time_t secs = (time_t)(now / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t n = 0;
    for (int64_t day = today - (tm.tm_mday - 1); day <= today && n < SIM_USAGE_MAX_DAYS; day++)
        out[n++] = (sim_usage_day){day * DAY_MS, 0, 0};
    return n;
}

size_t sim_cards_usage(const sim_model *m, uint32_t c, sim_usage_day out[SIM_USAGE_MAX_DAYS])
{
    const sim_card *s = &m->cards[c];
    int64_t now = sim_model_now(m);
    int64_t today = now / DAY_MS;
    size_t n = sim_cards_month_days(m, out);
    double cumulative = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t day = out[i].date_ms / DAY_MS;
        double mb = 0;
        bool activated = s->first_activated_ms && day >= s->first_activated_ms / DAY_MS;
        bool stopped =
            s->status != SIM_CARD_ACTIVE && s->deactivated_ms && day > s->deactivated_ms / DAY_MS;
        if (activated && !stopped) {
            mb = day_mb(s, day);
            if (day == today) /* the part of today that has passed */
                mb *= (double)(now - today * DAY_MS) / (double)DAY_MS;
        }
        out[i].mb = round2(mb);
        cumulative = round2(cumulative + out[i].mb);
        out[i].cumulative_mb = cumulative;
    }
    return n;
}

double sim_cards_month_mb(const sim_model *m, uint32_t c)
{
    sim_usage_day days[SIM_USAGE_MAX_DAYS];
    size_t n = sim_cards_usage(m, c, days);
    return n ? days[n - 1].cumulative_mb : 0;
}

bool sim_cards_over_limit(const sim_model *m, uint32_t c)
{
    const sim_card *s = &m->cards[c];
    return s->mb_limit >= 0 && sim_cards_month_mb(m, c) > (double)s->mb_limit;
}

const char *sim_card_status_name(uint8_t status)
{
    switch (status) {
    case SIM_CARD_ACTIVE:
        return "active";
    case SIM_CARD_DEACTIVATED:
        return "deactivated";
    default:
        return "inactive";
    }
}

static const char *const ACTION_NAMES[] = {NULL, "activate", "deactivate", "reactivate"};

const char *sim_card_action_name(uint8_t action)
{
    return action < sizeof(ACTION_NAMES) / sizeof(ACTION_NAMES[0]) ? ACTION_NAMES[action] : NULL;
}

sim_card_action sim_card_action_parse(const char *name)
{
    for (size_t i = 1; name && i < sizeof(ACTION_NAMES) / sizeof(ACTION_NAMES[0]); i++)
        if (strcmp(name, ACTION_NAMES[i]) == 0)
            return (sim_card_action)i;
    return SIM_ACTION_NONE;
}
