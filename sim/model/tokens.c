/* Token bookkeeping: tokens live in the model's array; the indexes map live values. */
#include "model/sim_tokens.h"

#include <stdlib.h>
#include <string.h>

#include "model/sim_internal.h"
#include "model/sim_totp.h"
#include "model/sim_users.h"
#include "pu_str.h"
#include "pu_time.h"

#define MFA_TTL_MS (5 * 60 * 1000)

uint32_t sim_token_add(sim_model *m, const char *token, const char *refresh, sim_token_kind kind,
                       uint32_t user, uint32_t product, const char *client, int64_t created_ms,
                       int64_t expires_ms)
{
    uint32_t known;
    if (sim_index_get(&m->token_ix, token, &known))
        return known;
    sim_model_reserve((void **)&m->tokens, m->token_count + 1, &m->token_cap, sizeof(sim_token));
    uint32_t i = m->token_count++;
    sim_token *t = &m->tokens[i];
    memset(t, 0, sizeof(*t));
    pu_strlcpy(t->token, token, sizeof(t->token));
    if (refresh)
        pu_strlcpy(t->refresh, refresh, sizeof(t->refresh));
    t->kind = (uint8_t)kind;
    t->user = user;
    t->product = product;
    t->client = pu_xstrdup(client ? client : "particle");
    t->created_ms = created_ms;
    t->expires_ms = expires_ms;
    sim_index_put(&m->token_ix, i);
    if (t->refresh[0])
        sim_index_put(&m->refresh_ix, i);
    return i;
}

uint32_t sim_token_create(sim_model *m, sim_token_kind kind, uint32_t user, uint32_t product,
                          const char *client, int64_t expires_in_s)
{
    char token[SIM_TOKEN_LEN + 1], refresh[SIM_TOKEN_LEN + 1];
    pu_random_hex(token, SIM_TOKEN_LEN / 2, NULL);
    pu_random_hex(refresh, SIM_TOKEN_LEN / 2, NULL);
    int64_t now = pu_time_now_ms();
    int64_t expires = 0;
    if (expires_in_s > 0 && __builtin_mul_overflow(expires_in_s, 1000, &expires))
        expires = 0;
    if (expires > 0 && __builtin_add_overflow(expires, now, &expires))
        expires = 0;
    if (m->token_count >= m->token_sweep_at) {
        sim_token_sweep(m, now);
        m->token_sweep_at = m->token_count * 2 > 64 ? m->token_count * 2 : 64;
    }
    uint32_t i = sim_token_add(m, token, refresh, kind, user, product, client, now, expires);
    sim_model_notify(m, SIM_CHANGED_TOKEN_CREATED, i, 0);
    pu_secure_zero(token, sizeof(token));
    pu_secure_zero(refresh, sizeof(refresh));
    return i;
}

uint32_t sim_token_find(const sim_model *m, const char *token, bool *expired)
{
    uint32_t i;
    if (expired)
        *expired = false;
    if (!sim_index_get(&m->token_ix, token, &i))
        return SIM_NONE;
    if (m->tokens[i].expires_ms && m->tokens[i].expires_ms <= pu_time_now_ms()) {
        if (expired)
            *expired = true;
        return SIM_NONE;
    }
    return i;
}

uint32_t sim_token_find_refresh(const sim_model *m, const char *refresh)
{
    uint32_t i;
    if (!refresh[0] || !sim_index_get(&m->refresh_ix, refresh, &i))
        return SIM_NONE;
    return i;
}

static void unindex(sim_model *m, uint32_t t)
{
    sim_index_remove(&m->token_ix, m->tokens[t].token);
    if (m->tokens[t].refresh[0])
        sim_index_remove(&m->refresh_ix, m->tokens[t].refresh);
}

/* Removes token @p t from the array and the indexes; the last token takes its slot. */
static void drop(sim_model *m, uint32_t t)
{
    sim_token *tok = &m->tokens[t];
    unindex(m, t);
    free(tok->client);
    pu_secure_zero(tok, sizeof(*tok));
    uint32_t last = --m->token_count;
    if (t == last)
        return;
    unindex(m, last);
    *tok = m->tokens[last];
    pu_secure_zero(&m->tokens[last], sizeof(m->tokens[last]));
    sim_index_put(&m->token_ix, t);
    if (tok->refresh[0])
        sim_index_put(&m->refresh_ix, t);
}

void sim_token_revoke(sim_model *m, uint32_t t)
{
    sim_model_notify(m, SIM_CHANGED_TOKEN_REVOKED, t, 0);
    drop(m, t);
}

uint32_t sim_token_sweep(sim_model *m, int64_t now_ms)
{
    uint32_t n = 0;
    for (uint32_t i = m->token_count; i-- > 0;) { /* backwards: drop() moves the last */
        const sim_token *t = &m->tokens[i];
        if (!t->expires_ms || t->expires_ms > now_ms)
            continue;
        sim_model_notify(m, SIM_CHANGED_TOKEN_EXPIRED, i, 0);
        drop(m, i);
        n++;
    }
    return n;
}

void sim_token_revoke_all_like(sim_model *m, uint32_t t)
{
    sim_token like = m->tokens[t];
    for (uint32_t i = m->token_count; i-- > 0;) { /* backwards: revoking moves the last */
        const sim_token *o = &m->tokens[i];
        if (o->kind != like.kind)
            continue;
        bool same =
            like.kind == SIM_TOKEN_PRODUCT ? o->product == like.product : o->user == like.user;
        if (same)
            sim_token_revoke(m, i);
    }
}

bool sim_token_principal(const sim_model *m, const char *token, sim_principal *out, bool *expired)
{
    uint32_t i = sim_token_find(m, token, expired);
    if (i == SIM_NONE)
        return false;
    const sim_token *t = &m->tokens[i];
    out->kind = (sim_token_kind)t->kind;
    memcpy(out->token, t->token, sizeof(out->token));
    out->user = t->user;
    out->product = t->product;
    return true;
}

const char *sim_mfa_begin(sim_model *m, uint32_t user)
{
    struct sim_mfa_pending *p = &m->mfa[m->mfa_next];
    m->mfa_next = (m->mfa_next + 1) % (sizeof(m->mfa) / sizeof(m->mfa[0]));
    pu_random_hex(p->mfa_token, SIM_TOKEN_LEN / 2, NULL);
    p->user = user;
    p->expires_ms = pu_time_now_ms() + MFA_TTL_MS;
    return p->mfa_token;
}

uint32_t sim_mfa_complete(sim_model *m, const char *mfa_token, const char *otp)
{
    int64_t now = pu_time_now_ms();
    for (size_t i = 0; i < sizeof(m->mfa) / sizeof(m->mfa[0]); i++) {
        struct sim_mfa_pending *p = &m->mfa[i];
        if (!p->mfa_token[0] || p->expires_ms <= now || strcmp(p->mfa_token, mfa_token) != 0)
            continue;
        if (!sim_user_otp_ok(m, p->user, otp))
            return SIM_NONE;
        uint32_t user = p->user;
        memset(p, 0, sizeof(*p));
        return user;
    }
    return SIM_NONE;
}

bool sim_user_otp_ok(sim_model *m, uint32_t user, const char *otp)
{
    sim_user *u = &m->users[user];
    if (!otp)
        return false;
    if (u->mfa_secret) {
        int64_t step =
            sim_totp_check(u->mfa_secret, otp, pu_time_now_ms() / 1000, u->mfa_used_step);
        if (step < 0)
            return false;
        u->mfa_used_step = step;
        return true;
    }
    return u->mfa_otp && strcmp(u->mfa_otp, otp) == 0;
}
