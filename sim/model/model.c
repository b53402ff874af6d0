/* The model's containers, lookups, access rules and state changes. */
#include "model/sim_model.h"

#include <stdlib.h>
#include <string.h>

#include "model/sim_accounts.h"
#include "model/sim_behaviour.h"
#include "model/sim_cards.h"
#include "model/sim_configs.h"
#include "model/sim_firmware.h"
#include "model/sim_groups.h"
#include "model/sim_internal.h"
#include "model/sim_keys.h"
#include "model/sim_users.h"
#include "model/sim_vitals.h"
#include "pu_hash.h"
#include "pu_str.h"

static const char *device_key(const void *ctx, uint32_t v)
{
    return ((const sim_model *)ctx)->devices[v].id;
}

static const char *token_key(const void *ctx, uint32_t v)
{
    return ((const sim_model *)ctx)->tokens[v].token;
}

static const char *refresh_key(const void *ctx, uint32_t v)
{
    return ((const sim_model *)ctx)->tokens[v].refresh;
}

sim_model *sim_model_new(struct sim_clock *clock, uint64_t seed)
{
    sim_model *m = calloc(1, sizeof(*m));
    if (!m)
        abort();
    pthread_mutex_init(&m->lock, NULL);
    m->clock = clock;
    m->seed = seed;
    m->rng = seed;
    sim_index_init(&m->device_ix, device_key, m);
    sim_index_init(&m->token_ix, token_key, m);
    sim_index_init(&m->refresh_ix, refresh_key, m);
    sim_cards_init(m);
    return m;
}

static void free_template(sim_template *t)
{
    for (uint32_t i = 0; i < t->var_count; i++) {
        free(t->vars[i].name);
        free(t->vars[i].text);
    }
    for (uint32_t i = 0; i < t->fn_count; i++)
        free(t->fns[i].name);
    for (uint32_t i = 0; i < t->pub_count; i++) {
        free(t->pubs[i].name);
        free(t->pubs[i].data);
    }
    free(t->vars);
    free(t->fns);
    free(t->pubs);
    free(t->name);
}

void sim_model_clear(sim_model *m)
{
    for (uint32_t i = 0; i < m->device_count; i++) {
        sim_device *d = &m->devices[i];
        uint32_t nvars = m->templates[d->tmpl].var_count;
        for (uint32_t v = 0; v < nvars; v++)
            free(d->vars[v].text);
        free(d->vars);
        free(d->pubs);
        free(d->name);
        free(d->notes);
    }
    for (uint32_t i = 0; i < m->template_count; i++)
        free_template(&m->templates[i]);
    for (uint32_t i = 0; i < m->user_count; i++) {
        free(m->users[i].username);
        if (m->users[i].password)
            pu_secure_zero(m->users[i].password, strlen(m->users[i].password));
        free(m->users[i].password);
        free(m->users[i].mfa_otp);
        sim_user_free_account_fields(&m->users[i]);
    }
    for (uint32_t i = 0; i < m->token_count; i++)
        free(m->tokens[i].client);
    for (uint32_t i = 0; i < m->client_count; i++)
        sim_model_client_free_fields(&m->clients[i]);
    for (uint32_t i = 0; i < m->product_count; i++) {
        sim_product *p = &m->products[i];
        free(p->slug);
        free(p->name);
        for (uint32_t g = 0; g < p->group_count; g++) {
            free(p->groups[g]);
            free(p->group_descriptions[g]);
        }
        sim_team_dispose(&p->team);
        free(p->description);
    }
    for (uint32_t i = 0; i < m->org_count; i++) {
        free(m->orgs[i].slug);
        free(m->orgs[i].name);
        sim_team_dispose(&m->orgs[i].team);
    }
    m->org_count = 0;
    for (uint32_t i = 0; i < m->interned_count; i++)
        free(m->interned[i]);
    m->device_count = m->template_count = m->user_count = m->token_count = 0;
    m->client_count = m->product_count = m->interned_count = 0;
    m->sched_count = 0;
    m->mfa_next = 0;
    memset(m->mfa, 0, sizeof(m->mfa));
    sim_index_clear(&m->device_ix);
    sim_index_clear(&m->token_ix);
    sim_index_clear(&m->refresh_ix);
    sim_cards_clear(m);
    m->claim_count = 0;
    sim_configs_clear(m);
    sim_vitals_free(m->vitals);
    m->vitals = NULL;
    sim_keys_free(m);
    sim_firmware_store_free(m);
    m->rng = m->seed;
}

void sim_model_free(sim_model *m)
{
    if (!m)
        return;
    sim_model_clear(m);
    free(m->devices);
    free(m->templates);
    free(m->users);
    free(m->tokens);
    free(m->clients);
    free(m->products);
    free(m->orgs);
    free(m->interned);
    free(m->sched);
    free(m->claims);
    sim_index_dispose(&m->device_ix);
    sim_index_dispose(&m->token_ix);
    sim_index_dispose(&m->refresh_ix);
    sim_cards_dispose(m);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

const char *sim_model_intern(sim_model *m, const char *s)
{
    for (uint32_t i = 0; i < m->interned_count; i++)
        if (strcmp(m->interned[i], s) == 0)
            return m->interned[i];
    sim_model_reserve((void **)&m->interned, m->interned_count + 1, &m->interned_cap,
                      sizeof(char *));
    m->interned[m->interned_count] = pu_xstrdup(s);
    return m->interned[m->interned_count++];
}

uint32_t sim_model_add_product(sim_model *m, uint32_t id, const char *slug, const char *name,
                               uint16_t platform_id, bool cellular)
{
    sim_model_reserve((void **)&m->products, m->product_count + 1, &m->product_cap,
                      sizeof(sim_product));
    sim_product *p = &m->products[m->product_count];
    memset(p, 0, sizeof(*p));
    p->id = id;
    p->slug = pu_xstrdup(slug);
    p->name = pu_xstrdup(name ? name : slug);
    p->platform_id = platform_id;
    p->cellular = cellular;
    p->org = SIM_NONE;
    return m->product_count++;
}

void sim_model_add_team_member(sim_model *m, uint32_t product, uint32_t user)
{
    sim_team_put(&m->products[product].team, user, SIM_ROLE_ADMINISTRATOR);
}

uint32_t sim_model_add_template(sim_model *m, sim_template *t)
{
    sim_model_reserve((void **)&m->templates, m->template_count + 1, &m->template_cap,
                      sizeof(sim_template));
    m->templates[m->template_count] = *t;
    memset(t, 0, sizeof(*t));
    return m->template_count++;
}

uint32_t sim_model_add_device(sim_model *m, const char *id, uint32_t tmpl)
{
    sim_model_reserve((void **)&m->devices, m->device_count + 1, &m->device_cap,
                      sizeof(sim_device));
    sim_device *d = &m->devices[m->device_count];
    memset(d, 0, sizeof(*d));
    if (id)
        pu_strlcpy(d->id, id, sizeof(d->id));
    else
        pu_random_hex(d->id, SIM_DEVICE_ID_LEN / 2, &m->rng);
    d->owner = d->product = SIM_NONE;
    d->tmpl = tmpl;
    d->desired_firmware_version = -1;
    d->updates_enabled = 1;
    d->rng = m->seed ^ (0x9e3779b97f4a7c15ull * (m->device_count + 1));
    const sim_template *t = &m->templates[tmpl];
    if (t->var_count) {
        d->vars = calloc(t->var_count, sizeof(*d->vars));
        if (!d->vars)
            abort();
    }
    if (t->pub_count) {
        d->pubs = calloc(t->pub_count, sizeof(*d->pubs));
        if (!d->pubs)
            abort();
    }
    return m->device_count++;
}

void sim_model_device_ready(sim_model *m, uint32_t dev)
{
    sim_index_put(&m->device_ix, dev);
    sim_cards_add_for_device(m, dev);
    sim_device_start(m, dev);
    sim_schedule_start_device(m, dev);
    sim_model_device_new_rev(m, dev);
    /* A device online when the fleet loads connected at its handshake. */
    if (m->devices[dev].online)
        sim_vitals_record(m, dev, m->devices[dev].last_handshake_ms, true);
}

static const char *const VAR_TYPE_NAMES[] = {"int32", "double", "string", "bool"};

const char *sim_var_type_name(sim_var_type type)
{
    return VAR_TYPE_NAMES[type];
}

/* BLE setup secret: 15 characters of [A-Z0-9] derived from the id (stable per device). */
void sim_device_mobile_secret(const char *id, char out[16])
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    uint64_t h = pu_fnv1a64(id);
    for (int i = 0; i < 15; i++) {
        out[i] = alphabet[h % 32];
        h = h / 32 ^ (h << 59) ^ 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
    }
    out[15] = '\0';
}
