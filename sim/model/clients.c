/* OAuth clients: create, rename/rescope, delete (reference/cloud-api.md §4.7). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/account_text.h"
#include "model/sim_accounts.h"
#include "model/sim_internal.h"
#include "model/sim_tokens.h"
#include "pu_str.h"

/* NULL/"" (none) or one of the two documented scopes; "none" too when @p allow_none. */
static bool valid_scope(const char *scope, bool allow_none)
{
    return !scope || !*scope || strcmp(scope, "customers:create") == 0 ||
           strcmp(scope, "*:*") == 0 || (allow_none && strcmp(scope, "none") == 0);
}

static char *scope_value(const char *scope)
{
    return scope && *scope && strcmp(scope, "none") != 0 ? pu_xstrdup(scope) : NULL;
}

const char *sim_model_client_check(const sim_client_spec *s)
{
    if (!sim_plain_text(s->name, SIM_CLIENT_NAME_MAX, false))
        return "name is required: 1 to 64 characters without control characters";
    if (!s->type || (strcmp(s->type, "installed") != 0 && strcmp(s->type, "web") != 0))
        return "type must be installed or web";
    bool web = strcmp(s->type, "web") == 0;
    if (web && (!sim_plain_text(s->redirect_uri, SIM_REDIRECT_URI_MAX, true) ||
                (strncmp(s->redirect_uri, "https://", 8) != 0 &&
                 strncmp(s->redirect_uri, "http://", 7) != 0)))
        return "A web client needs an http(s) redirect_uri";
    if (!web && s->redirect_uri && *s->redirect_uri)
        return "Only a web client has a redirect_uri";
    if (!valid_scope(s->scope, false))
        return "scope must be customers:create or *:*";
    return NULL;
}

/* "<name as a slug>-NNNN", new among the clients (§1.4: "myapp-2146"). */
static void make_id(sim_model *m, const char *name, char *out, size_t size)
{
    char slug[SIM_CLIENT_NAME_MAX + 1];
    size_t n = 0;
    for (const char *c = name; *c && n < sizeof(slug) - 1; c++) {
        char ch = *c;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
            slug[n++] = ch;
    }
    slug[n] = '\0';
    do {
        char digits[5];
        pu_random_hex(digits, 2, NULL);
        unsigned v = (unsigned)strtoul(digits, NULL, 16) % 9000 + 1000;
        snprintf(out, size, "%s-%u", n ? slug : "client", v);
    } while (sim_model_find_client(m, out) != SIM_NONE);
}

sim_result sim_model_client_create(sim_model *m, const sim_client_spec *spec, uint32_t product,
                                   uint32_t owner, uint32_t *out, const char **why)
{
    *why = sim_model_client_check(spec);
    if (*why)
        return SIM_INVALID;
    char id[SIM_CLIENT_NAME_MAX + 8], secret[SIM_TOKEN_LEN + 1];
    make_id(m, spec->name, id, sizeof(id));
    pu_random_hex(secret, SIM_TOKEN_LEN / 2, NULL);
    uint32_t c =
        sim_model_add_client(m, id, secret, product, product == SIM_NONE ? owner : SIM_NONE);
    pu_secure_zero(secret, sizeof(secret));
    sim_client *cl = &m->clients[c];
    free(cl->name);
    free(cl->type);
    cl->name = pu_xstrdup(spec->name);
    cl->type = pu_xstrdup(spec->type);
    cl->redirect_uri =
        spec->redirect_uri && *spec->redirect_uri ? pu_xstrdup(spec->redirect_uri) : NULL;
    cl->scope = scope_value(spec->scope);
    sim_model_notify(m, SIM_CHANGED_CLIENT, c, 0);
    *out = c;
    return SIM_OK;
}

sim_result sim_model_client_update(sim_model *m, uint32_t c, const char *name, const char *scope,
                                   const char **why)
{
    if (name && !sim_plain_text(name, SIM_CLIENT_NAME_MAX, false)) {
        *why = "name must be 1 to 64 characters without control characters";
        return SIM_INVALID;
    }
    if (!valid_scope(scope, true)) {
        *why = "scope must be customers:create, *:* or none";
        return SIM_INVALID;
    }
    sim_client *cl = &m->clients[c];
    if (name) {
        free(cl->name);
        cl->name = pu_xstrdup(name);
    }
    if (scope) {
        free(cl->scope);
        cl->scope = scope_value(scope);
    }
    sim_model_notify(m, SIM_CHANGED_CLIENT, c, 0);
    return SIM_OK;
}

void sim_model_client_free_fields(sim_client *cl)
{
    free(cl->id);
    if (cl->secret)
        pu_secure_zero(cl->secret, strlen(cl->secret));
    free(cl->secret);
    free(cl->name);
    free(cl->type);
    free(cl->redirect_uri);
    free(cl->scope);
}

void sim_model_client_delete(sim_model *m, uint32_t c)
{
    const char *id = m->clients[c].id;
    for (uint32_t t = m->token_count; t-- > 0;) /* backwards: revoking moves the last */
        if (strcmp(m->tokens[t].client, id) == 0)
            sim_token_revoke(m, t);
    sim_model_notify(m, SIM_CHANGED_CLIENT_DELETED, c, 0);
    sim_model_client_free_fields(&m->clients[c]);
    m->clients[c] = m->clients[--m->client_count];
}

static char *dup_or_null(const char *s)
{
    return s ? pu_xstrdup(s) : NULL;
}

uint32_t sim_model_add_client_as(sim_model *m, const sim_client *saved)
{
    uint32_t c = sim_model_find_client(m, saved->id);
    if (c == SIM_NONE)
        c = sim_model_add_client(m, saved->id, saved->secret, saved->product, saved->owner);
    sim_client *cl = &m->clients[c];
    char *id = pu_xstrdup(saved->id);
    sim_model_client_free_fields(cl);
    cl->id = id;
    cl->secret = pu_xstrdup(saved->secret);
    cl->name = pu_xstrdup(saved->name ? saved->name : saved->id);
    cl->type = pu_xstrdup(saved->type ? saved->type : "installed");
    cl->redirect_uri = dup_or_null(saved->redirect_uri);
    cl->scope = dup_or_null(saved->scope);
    cl->product = saved->product;
    cl->owner = saved->owner;
    return c;
}

uint32_t sim_model_client_restore(sim_model *m, const sim_client *saved)
{
    uint32_t c = sim_model_add_client_as(m, saved);
    sim_model_notify(m, SIM_CHANGED_CLIENT, c, 0);
    return c;
}

uint32_t sim_model_add_client(sim_model *m, const char *id, const char *secret, uint32_t product,
                              uint32_t owner)
{
    sim_model_reserve((void **)&m->clients, m->client_count + 1, &m->client_cap,
                      sizeof(sim_client));
    sim_client *c = &m->clients[m->client_count];
    c->id = pu_xstrdup(id);
    c->secret = pu_xstrdup(secret);
    c->product = product;
    c->owner = owner;
    c->name = pu_xstrdup(id);
    c->type = pu_xstrdup("installed");
    c->redirect_uri = NULL;
    c->scope = NULL;
    return m->client_count++;
}
