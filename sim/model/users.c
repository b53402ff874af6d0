/* Developer accounts: sign-up, account changes, deletion and MFA (sim_users.h). */
#include <stdlib.h>
#include <string.h>

#include "model/account_text.h"
#include "model/sim_claims.h"
#include "model/sim_internal.h"
#include "model/sim_tokens.h"
#include "model/sim_users.h"
#include "pu_str.h"
#include "pu_time.h"

static void free_secret(char **s)
{
    if (*s)
        pu_secure_zero(*s, strlen(*s));
    free(*s);
    *s = NULL;
}

static void set_text(char **field, const char *value)
{
    free(*field);
    *field = value ? pu_xstrdup(value) : NULL;
}

bool sim_user_password_ok(const sim_user *u, const char *password)
{
    if (!u->password || !password)
        return false;
    size_t a = strlen(u->password), b = strlen(password);
    unsigned char diff = a != b;
    for (size_t i = 0; i < a && i < b; i++)
        diff |= (unsigned char)(u->password[i] ^ password[i]);
    return diff == 0;
}

bool sim_user_has_mfa(const sim_user *u)
{
    return u->mfa_secret != NULL || u->mfa_otp != NULL;
}

static const char *check_username(const char *username)
{
    return sim_plain_text(username, SIM_USERNAME_MAX, true) && strchr(username, '@') &&
                   username[0] != '@'
               ? NULL
               : "username must be an email address";
}

static const char *check_password(const char *password)
{
    return sim_plain_text(password, SIM_PASSWORD_MAX, false)
               ? NULL
               : "password must be 1 to 256 characters without control characters";
}

static const char *check_info(const sim_account_info *info)
{
    const char *fields[] = {info->first_name, info->last_name, info->company_name};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (fields[i] && *fields[i] && !sim_plain_text(fields[i], SIM_ACCOUNT_FIELD_MAX, false))
            return "account_info fields must be up to 128 characters without control characters";
    return NULL;
}

static void apply_info(sim_user *u, const sim_account_info *info)
{
    if (info->first_name)
        set_text(&u->first_name, info->first_name);
    if (info->last_name)
        set_text(&u->last_name, info->last_name);
    if (info->company_name)
        set_text(&u->company_name, info->company_name);
    if (info->business_account >= 0)
        u->business_account = info->business_account != 0;
}

sim_result sim_user_create(sim_model *m, const char *username, const char *password,
                           const sim_account_info *info, uint32_t *out, const char **why)
{
    if ((*why = check_username(username)) || (*why = check_password(password)) ||
        (info && (*why = check_info(info))))
        return SIM_INVALID;
    if (sim_model_find_user(m, username) != SIM_NONE) {
        *why = "A user with that email already exists";
        return SIM_CONFLICT;
    }
    uint32_t u = sim_model_add_user(m, username, password, NULL, SIM_NONE);
    m->users[u].signed_up = true;
    m->users[u].origin = pu_xstrdup(username);
    if (info)
        apply_info(&m->users[u], info);
    *out = u;
    sim_model_notify(m, SIM_CHANGED_USER, u, 0);
    return SIM_OK;
}

sim_result sim_user_check_change(const sim_model *m, uint32_t user, const char *username,
                                 const char *password, const sim_account_info *info,
                                 const char **why)
{
    if ((username && (*why = check_username(username))) ||
        (password && (*why = check_password(password))) || (info && (*why = check_info(info))))
        return SIM_INVALID;
    uint32_t other = username ? sim_model_find_user(m, username) : SIM_NONE;
    if (other != SIM_NONE && other != user) {
        *why = "A user with that email already exists";
        return SIM_CONFLICT;
    }
    return SIM_OK;
}

/* The first change of a fleet user remembers the name it had: its --state key. */
static void remember_origin(sim_user *u)
{
    if (!u->origin)
        u->origin = pu_xstrdup(u->username);
}

sim_result sim_user_set_info(sim_model *m, uint32_t user, const sim_account_info *info,
                             const char **why)
{
    if ((*why = check_info(info)))
        return SIM_INVALID;
    remember_origin(&m->users[user]);
    apply_info(&m->users[user], info);
    sim_model_notify(m, SIM_CHANGED_USER, user, 0);
    return SIM_OK;
}

sim_result sim_user_set_username(sim_model *m, uint32_t user, const char *username,
                                 const char **why)
{
    if ((*why = check_username(username)))
        return SIM_INVALID;
    uint32_t other = sim_model_find_user(m, username);
    if (other != SIM_NONE && other != user) {
        *why = "A user with that email already exists";
        return SIM_CONFLICT;
    }
    remember_origin(&m->users[user]);
    set_text(&m->users[user].username, username);
    sim_model_notify(m, SIM_CHANGED_USER, user, 0);
    return SIM_OK;
}

sim_result sim_user_set_password(sim_model *m, uint32_t user, const char *password,
                                 const char **why)
{
    if ((*why = check_password(password)))
        return SIM_INVALID;
    sim_user *u = &m->users[user];
    remember_origin(u);
    free_secret(&u->password);
    u->password = pu_xstrdup(password);
    sim_model_notify(m, SIM_CHANGED_USER, user, 0);
    return SIM_OK;
}

uint32_t sim_user_revoke_tokens(sim_model *m, uint32_t user, uint32_t keep)
{
    char kept[SIM_TOKEN_LEN + 1] = "";
    if (keep != SIM_NONE)
        memcpy(kept, m->tokens[keep].token, sizeof(kept));
    for (uint32_t t = m->token_count; t-- > 0;) /* backwards: revoking moves the last */
        if (m->tokens[t].user == user && strcmp(m->tokens[t].token, kept) != 0)
            sim_token_revoke(m, t);
    uint32_t found = kept[0] ? sim_token_find(m, kept, NULL) : SIM_NONE;
    pu_secure_zero(kept, sizeof(kept));
    return found;
}

void sim_user_delete(sim_model *m, uint32_t user)
{
    const char *why;
    sim_user_revoke_tokens(m, user, SIM_NONE);
    for (uint32_t d = 0; d < m->device_count; d++)
        if (m->devices[d].owner == user)
            sim_model_set_owner(m, d, SIM_NONE);
    sim_claim_revoke_user(m, user);
    const char *name = m->users[user].username;
    for (uint32_t p = 0; p < m->product_count; p++)
        if (sim_team_find(&m->products[p].team, user) != SIM_NONE)
            sim_model_team_remove(m, false, p, name, &why);
    for (uint32_t o = 0; o < m->org_count; o++)
        if (sim_team_find(&m->orgs[o].team, user) != SIM_NONE)
            sim_model_team_remove(m, true, o, name, &why);
    for (uint32_t c = m->client_count; c-- > 0;) /* deleting moves the last into c */
        if (m->clients[c].owner == user)
            sim_model_client_delete(m, c);
    sim_user *u = &m->users[user];
    remember_origin(u);
    free_secret(&u->mfa_secret);
    free_secret(&u->mfa_enrol_secret);
    free_secret(&u->mfa_enrol_token);
    u->deleted = true;
    sim_model_notify(m, SIM_CHANGED_USER, user, 0);
}

sim_result sim_user_mfa_begin(sim_model *m, uint32_t user, const char **secret,
                              const char **mfa_token, const char **why)
{
    sim_user *u = &m->users[user];
    if (sim_user_has_mfa(u)) {
        *why = "Multifactor authentication is already enabled";
        return SIM_CONFLICT;
    }
    free_secret(&u->mfa_enrol_secret);
    free_secret(&u->mfa_enrol_token);
    u->mfa_enrol_secret = malloc(SIM_TOTP_SECRET_LEN + 1);
    u->mfa_enrol_token = malloc(SIM_TOKEN_LEN + 1);
    if (!u->mfa_enrol_secret || !u->mfa_enrol_token)
        abort();
    sim_totp_new_secret(u->mfa_enrol_secret);
    pu_random_hex(u->mfa_enrol_token, SIM_TOKEN_LEN / 2, NULL);
    *secret = u->mfa_enrol_secret;
    *mfa_token = u->mfa_enrol_token;
    return SIM_OK;
}

sim_result sim_user_mfa_confirm(sim_model *m, uint32_t user, const char *mfa_token, const char *otp,
                                const char **why)
{
    sim_user *u = &m->users[user];
    if (sim_user_has_mfa(u)) {
        *why = "Multifactor authentication is already enabled";
        return SIM_CONFLICT;
    }
    if (!u->mfa_enrol_token || !mfa_token || strcmp(u->mfa_enrol_token, mfa_token) != 0) {
        *why = "Invalid mfa_token: start the enrolment with GET /v1/user/mfa-enable";
        return SIM_INVALID;
    }
    int64_t step = sim_totp_check(u->mfa_enrol_secret, otp, pu_time_now_ms() / 1000, -1);
    if (step < 0) {
        *why = "Invalid one-time password";
        return SIM_INVALID;
    }
    remember_origin(u);
    u->mfa_secret = u->mfa_enrol_secret;
    u->mfa_enrol_secret = NULL;
    u->mfa_used_step = step;
    free_secret(&u->mfa_enrol_token);
    sim_model_notify(m, SIM_CHANGED_USER, user, 0);
    return SIM_OK;
}

sim_result sim_user_mfa_disable(sim_model *m, uint32_t user, const char **why)
{
    sim_user *u = &m->users[user];
    if (!sim_user_has_mfa(u)) {
        *why = "Multifactor authentication is not enabled";
        return SIM_INVALID;
    }
    remember_origin(u);
    free_secret(&u->mfa_secret);
    free(u->mfa_otp);
    u->mfa_otp = NULL;
    u->mfa_used_step = 0;
    sim_model_notify(m, SIM_CHANGED_USER, user, 0);
    return SIM_OK;
}

void sim_user_restore(sim_model *m, const char *origin, const char *username, const char *password,
                      bool mfa_on, const char *mfa_secret, const sim_account_info *info,
                      bool signed_up, bool deleted)
{
    uint32_t u = SIM_NONE;
    for (uint32_t i = 0; i < m->user_count && u == SIM_NONE; i++) {
        const sim_user *c = &m->users[i];
        const char *key = c->origin ? c->origin : c->username;
        if (!c->deleted && c->customer_of == SIM_NONE && strcmp(key, origin) == 0)
            u = i;
    }
    if (u == SIM_NONE) {
        if (!signed_up || deleted)
            return; /* a fleet user the current fleet no longer has */
        u = sim_model_add_user(m, username, password, NULL, SIM_NONE);
        m->users[u].signed_up = true;
        m->users[u].origin = pu_xstrdup(origin);
    }
    sim_user *usr = &m->users[u];
    remember_origin(usr);
    if (deleted) {
        sim_user_delete(m, u);
        return;
    }
    set_text(&usr->username, username);
    if (password) {
        free_secret(&usr->password);
        usr->password = pu_xstrdup(password);
    }
    free_secret(&usr->mfa_secret);
    usr->mfa_secret = mfa_secret ? pu_xstrdup(mfa_secret) : NULL;
    if (mfa_secret || !mfa_on) { /* a fixture's fixed code only while MFA was never changed */
        free(usr->mfa_otp);
        usr->mfa_otp = NULL;
    }
    if (info)
        apply_info(usr, info);
    sim_model_notify(m, SIM_CHANGED_USER, u, 0);
}

void sim_user_free_account_fields(sim_user *u)
{
    free_secret(&u->mfa_secret);
    free_secret(&u->mfa_enrol_secret);
    free_secret(&u->mfa_enrol_token);
    free(u->first_name);
    free(u->last_name);
    free(u->company_name);
    free(u->origin);
    u->first_name = u->last_name = u->company_name = u->origin = NULL;
}

uint32_t sim_model_add_user(sim_model *m, const char *username, const char *password,
                            const char *mfa_otp, uint32_t customer_of)
{
    sim_model_reserve((void **)&m->users, m->user_count + 1, &m->user_cap, sizeof(sim_user));
    sim_user *u = &m->users[m->user_count];
    memset(u, 0, sizeof(*u));
    u->username = pu_xstrdup(username);
    u->password = password ? pu_xstrdup(password) : NULL;
    u->mfa_otp = mfa_otp ? pu_xstrdup(mfa_otp) : NULL;
    u->customer_of = customer_of;
    return m->user_count++;
}
