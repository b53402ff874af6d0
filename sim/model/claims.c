/* Claim codes (sim_claims.h) and a device's owner changing hands (sim_model_set_owner). */
#include "model/sim_claims.h"

#include <stdlib.h>
#include <string.h>

#include "model/sim_internal.h"
#include "pu_str.h"

static void drop(sim_model *m, uint32_t c)
{
    sim_model_notify(m, SIM_CHANGED_CLAIM_DROPPED, c, 0);
    m->claims[c] = m->claims[--m->claim_count];
}

void sim_claim_sweep(sim_model *m, int64_t now_ms)
{
    for (uint32_t c = 0; c < m->claim_count;) {
        if (m->claims[c].expires_ms <= now_ms)
            drop(m, c); /* the last one moved here: look at slot c again */
        else
            c++;
    }
}

void sim_claim_revoke_user(sim_model *m, uint32_t user)
{
    for (uint32_t c = 0; c < m->claim_count;) {
        if (m->claims[c].user == user)
            drop(m, c); /* the last one moved here: look at slot c again */
        else
            c++;
    }
}

void sim_claim_revoke_device(sim_model *m, uint32_t user, uint32_t dev)
{
    const sim_device *d = &m->devices[dev];
    for (uint32_t c = 0; c < m->claim_count;) {
        const char *key = m->claims[c].device_key;
        bool bound = key[0] && ((d->iccid[0] && strcmp(key, d->iccid) == 0) ||
                                (d->imei[0] && strcmp(key, d->imei) == 0));
        if (m->claims[c].user == user && bound)
            drop(m, c); /* the last one moved here: look at slot c again */
        else
            c++;
    }
}

uint32_t sim_claim_add(sim_model *m, const char *code, uint32_t user, const char *device_key,
                       int64_t expires_ms)
{
    uint32_t known = sim_claim_find(m, code);
    if (known != SIM_NONE)
        return known;
    sim_model_reserve((void **)&m->claims, m->claim_count + 1, &m->claim_cap, sizeof(sim_claim));
    sim_claim *c = &m->claims[m->claim_count];
    memset(c, 0, sizeof(*c));
    pu_strlcpy(c->code, code, sizeof(c->code));
    c->user = user;
    pu_strlcpy(c->device_key, device_key ? device_key : "", sizeof(c->device_key));
    c->expires_ms = expires_ms;
    return m->claim_count++;
}

uint32_t sim_claim_create(sim_model *m, uint32_t user, const char *device_key)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    int64_t now = sim_model_now(m);
    sim_claim_sweep(m, now);
    char code[SIM_CLAIM_CODE_LEN + 1];
    do {
        for (int i = 0; i < SIM_CLAIM_CODE_LEN; i++)
            code[i] = alphabet[pu_rand_next(&m->rng) % 64];
        code[SIM_CLAIM_CODE_LEN] = '\0';
    } while (sim_claim_find(m, code) != SIM_NONE);
    uint32_t c = sim_claim_add(m, code, user, device_key, now + SIM_CLAIM_VALID_MS);
    sim_model_notify(m, SIM_CHANGED_CLAIM_CREATED, c, 0);
    return c;
}

uint32_t sim_claim_find(const sim_model *m, const char *code)
{
    int64_t now = sim_model_now(m);
    for (uint32_t c = 0; c < m->claim_count; c++)
        if (strcmp(m->claims[c].code, code) == 0)
            return m->claims[c].expires_ms > now ? c : SIM_NONE;
    return SIM_NONE;
}

/* Why @p dev may not take claim code @p c; NULL when it may. */
static const char *refusal(const sim_model *m, const sim_claim *c, const sim_device *d,
                           sim_claim_refusal *why)
{
    uint32_t product = m->users[c->user].customer_of;
    *why = SIM_CLAIM_MISMATCH;
    if (c->device_key[0] && strcmp(c->device_key, d->iccid) != 0 &&
        strcmp(c->device_key, d->imei) != 0)
        return "This claim code is for another device (ICCID or IMEI)";
    if (product != SIM_NONE && d->product != SIM_NONE && d->product != product)
        return "The device belongs to another product than the customer's";
    if (product != SIM_NONE && m->products[product].platform_id != d->platform_id)
        return "The device's platform is not the customer's product's";
    *why = SIM_CLAIM_OWNED;
    if (d->owner != SIM_NONE && d->owner != c->user)
        return "That device belongs to someone else.";
    *why = SIM_CLAIM_OK;
    return NULL;
}

sim_claim_refusal sim_claim_redeem(sim_model *m, const char *code, uint32_t dev,
                                   const char **message)
{
    uint32_t c = sim_claim_find(m, code);
    if (c == SIM_NONE) {
        if (message)
            *message = "Unknown, used or expired claim code";
        return SIM_CLAIM_UNKNOWN;
    }
    sim_claim_refusal why;
    const char *text = refusal(m, &m->claims[c], &m->devices[dev], &why);
    if (text) {
        if (message)
            *message = text;
        return why;
    }
    uint32_t user = m->claims[c].user;
    uint32_t product = m->users[user].customer_of;
    drop(m, c);
    if (product != SIM_NONE && m->devices[dev].product == SIM_NONE)
        sim_model_set_product(m, dev, product);
    sim_model_set_owner(m, dev, user);
    return SIM_CLAIM_OK;
}

void sim_model_set_owner(sim_model *m, uint32_t dev, uint32_t user)
{
    uint32_t before = m->devices[dev].owner;
    sim_device_update u = {.fields = SIM_DEVICE_OWNER, .owner = user};
    if (sim_model_update_device(m, dev, &u))
        abort(); /* an owner that is no user: a bug in the caller */
    if (user == SIM_NONE && before != SIM_NONE)
        sim_claim_revoke_device(m, before, dev);
}
