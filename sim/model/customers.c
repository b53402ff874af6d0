/* Product customers: create (also shadow customers), password, delete
 * (reference/cloud-api.md §9.4). A customer is a user with customer_of set. */
#include <stdlib.h>
#include <string.h>

#include "model/account_text.h"
#include "model/sim_accounts.h"
#include "model/sim_claims.h"
#include "model/sim_internal.h"
#include "model/sim_tokens.h"
#include "pu_str.h"

uint32_t sim_model_find_customer(const sim_model *m, uint32_t product, const char *username)
{
    uint32_t u = sim_model_find_user(m, username);
    return u != SIM_NONE && m->users[u].customer_of == product ? u : SIM_NONE;
}

static const char *check_password(const char *password)
{
    return sim_plain_text(password, SIM_PASSWORD_MAX, false)
               ? NULL
               : "password must be 1 to 256 characters without control characters";
}

sim_result sim_model_customer_create(sim_model *m, uint32_t product, const char *username,
                                     const char *password, bool no_password, uint32_t *out,
                                     const char **why)
{
    if (!sim_plain_text(username, SIM_USERNAME_MAX, true)) {
        *why = "email is required: 1 to 254 characters without spaces or control characters";
        return SIM_INVALID;
    }
    if (no_password && password && *password) {
        *why = "A customer created with no_password has no password";
        return SIM_INVALID;
    }
    if (!no_password && (*why = check_password(password)) != NULL)
        return SIM_INVALID;
    if (sim_model_find_user(m, username) != SIM_NONE) {
        *why = "A user with that email already exists";
        return SIM_CONFLICT;
    }
    uint32_t u = sim_model_add_user(m, username, no_password ? NULL : password, NULL, product);
    m->users[u].no_password = no_password;
    sim_model_notify(m, SIM_CHANGED_USER, u, 0);
    *out = u;
    return SIM_OK;
}

sim_result sim_model_customer_set_password(sim_model *m, uint32_t user, const char *password,
                                           const char **why)
{
    sim_user *u = &m->users[user];
    if (u->no_password) {
        *why = "A customer created with no_password has no password to change";
        return SIM_INVALID;
    }
    if ((*why = check_password(password)) != NULL)
        return SIM_INVALID;
    if (u->password)
        pu_secure_zero(u->password, strlen(u->password));
    free(u->password);
    u->password = pu_xstrdup(password);
    sim_model_notify(m, SIM_CHANGED_USER, user, 0);
    return SIM_OK;
}

void sim_model_customer_delete(sim_model *m, uint32_t user)
{
    for (uint32_t t = m->token_count; t-- > 0;) /* backwards: revoking moves the last */
        if (m->tokens[t].user == user)
            sim_token_revoke(m, t);
    for (uint32_t d = 0; d < m->device_count; d++)
        if (m->devices[d].owner == user)
            sim_model_set_owner(m, d, SIM_NONE);
    sim_claim_revoke_user(m, user); /* §9.4: its claim codes go too */
    m->users[user].deleted = true;
    sim_model_notify(m, SIM_CHANGED_USER, user, 0);
}
