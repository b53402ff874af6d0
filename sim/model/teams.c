/* Organizations, teams with roles, and the rights they give on products
 * (reference/cloud-api.md §9.2, §9.3). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/account_text.h"
#include "model/sim_accounts.h"
#include "model/sim_internal.h"
#include "pu_hash.h"
#include "pu_str.h"

static const char *const ROLE_NAMES[SIM_ROLE_COUNT] = {"Administrator", "Developer", "View-only",
                                                       "Support"};
/* The documented Administrator id is ...0002 (§9.3); the others follow it (UNVERIFIED). */
static const char *const ROLE_IDS[SIM_ROLE_COUNT] = {
    "000000000000000000000002", "000000000000000000000003", "000000000000000000000004",
    "000000000000000000000005"};

const char *sim_role_name(sim_role role)
{
    return ROLE_NAMES[role];
}

const char *sim_role_id(sim_role role)
{
    return ROLE_IDS[role];
}

int sim_role_parse(const char *name)
{
    for (int r = 0; r < SIM_ROLE_COUNT; r++)
        if (strcasecmp(name, ROLE_NAMES[r]) == 0)
            return r;
    return -1;
}

uint32_t sim_team_find(const sim_team *team, uint32_t user)
{
    for (uint32_t i = 0; i < team->count; i++)
        if (team->users[i] == user)
            return i;
    return SIM_NONE;
}

void sim_team_put(sim_team *team, uint32_t user, sim_role role)
{
    uint32_t i = sim_team_find(team, user);
    if (i == SIM_NONE) {
        uint32_t *users = realloc(team->users, (team->count + 1) * sizeof(*users));
        if (!users)
            abort();
        team->users = users;
        uint8_t *roles = realloc(team->roles, (team->count + 1) * sizeof(*roles));
        if (!roles)
            abort();
        team->roles = roles;
        i = team->count++;
        team->users[i] = user;
    }
    team->roles[i] = (uint8_t)role;
}

/* Drops member @p i; the last member takes its slot. */
static void team_drop(sim_team *team, uint32_t i)
{
    team->count--;
    team->users[i] = team->users[team->count];
    team->roles[i] = team->roles[team->count];
}

void sim_team_dispose(sim_team *team)
{
    free(team->users);
    free(team->roles);
    memset(team, 0, sizeof(*team));
}

uint32_t sim_model_add_org(sim_model *m, const char *id, const char *slug, const char *name)
{
    sim_model_reserve((void **)&m->orgs, m->org_count + 1, &m->org_cap, sizeof(sim_org));
    sim_org *o = &m->orgs[m->org_count];
    memset(o, 0, sizeof(*o));
    pu_strlcpy(o->id, id, sizeof(o->id));
    o->slug = pu_xstrdup(slug);
    o->name = pu_xstrdup(name ? name : slug);
    return m->org_count++;
}

uint32_t sim_model_find_org(const sim_model *m, const char *id_or_slug)
{
    for (uint32_t i = 0; i < m->org_count; i++)
        if (strcmp(m->orgs[i].id, id_or_slug) == 0 || strcmp(m->orgs[i].slug, id_or_slug) == 0)
            return i;
    return SIM_NONE;
}

/* Does @p role include @p right? */
static bool role_allows(int role, sim_right right)
{
    switch (right) {
    case SIM_RIGHT_READ:
        return role >= 0;
    case SIM_RIGHT_DEVELOP:
        return role == SIM_ROLE_ADMINISTRATOR || role == SIM_ROLE_DEVELOPER;
    case SIM_RIGHT_ADMIN:
        return role == SIM_ROLE_ADMINISTRATOR;
    }
    return false;
}

static int team_role(const sim_team *team, uint32_t user)
{
    uint32_t i = sim_team_find(team, user);
    return i == SIM_NONE ? -1 : team->roles[i];
}

bool sim_model_can_access_org(const sim_model *m, const sim_principal *p, uint32_t org)
{
    return sim_model_org_right(m, p, org, SIM_RIGHT_READ);
}

bool sim_model_org_right(const sim_model *m, const sim_principal *p, uint32_t org, sim_right right)
{
    if (p->kind != SIM_TOKEN_USER)
        return false;
    return role_allows(team_role(&m->orgs[org].team, p->user), right);
}

/* A lower role value is never less powerful (View-only and Support give the same rights):
 * of the two teams, the lower value wins. */
int sim_model_team_role(const sim_model *m, uint32_t product, uint32_t user)
{
    const sim_product *p = &m->products[product];
    int own = team_role(&p->team, user);
    int via_org = p->org != SIM_NONE ? team_role(&m->orgs[p->org].team, user) : -1;
    if (own < 0)
        return via_org;
    return via_org >= 0 && via_org < own ? via_org : own;
}

bool sim_model_product_right(const sim_model *m, const sim_principal *p, uint32_t product,
                             sim_right right)
{
    switch (p->kind) {
    case SIM_TOKEN_USER:
        return role_allows(sim_model_team_role(m, product, p->user), right);
    case SIM_TOKEN_PRODUCT:
        return p->product == product && right != SIM_RIGHT_ADMIN;
    case SIM_TOKEN_CUSTOMER:
        return false;
    }
    return false;
}

static sim_team *team_of(sim_model *m, bool org, uint32_t index)
{
    return org ? &m->orgs[index].team : &m->products[index].team;
}

sim_result sim_model_team_invite(sim_model *m, bool org, uint32_t index, const char *username,
                                 sim_role role, const char **why)
{
    if (!sim_plain_text(username, SIM_USERNAME_MAX, true)) {
        *why = "username must be 1 to 254 characters without spaces or control characters";
        return SIM_INVALID;
    }
    uint32_t u = sim_model_find_user(m, username);
    if (u == SIM_NONE) {
        *why = "No user with that username";
        return SIM_NOT_FOUND;
    }
    if (m->users[u].customer_of != SIM_NONE) {
        *why = "A customer cannot join a team";
        return SIM_INVALID;
    }
    sim_team *team = team_of(m, org, index);
    if (sim_team_find(team, u) != SIM_NONE) {
        *why = "Already a member of this team";
        return SIM_CONFLICT;
    }
    sim_team_put(team, u, role);
    sim_model_notify(m, org ? SIM_CHANGED_ORG_TEAM : SIM_CHANGED_PRODUCT_TEAM, index, 0);
    return SIM_OK;
}

/* Why @p u is not on the team it was looked for in: an organization product's list also
 * shows the organization's team, whose members change only through the organization. */
static const char *not_a_member(const sim_model *m, bool org, uint32_t index, uint32_t u)
{
    uint32_t o = org ? SIM_NONE : m->products[index].org;
    if (u != SIM_NONE && o != SIM_NONE && sim_team_find(&m->orgs[o].team, u) != SIM_NONE)
        return "A member of the organization's team: change it through /v1/orgs/:org/team";
    return "Not a member of this team";
}

sim_result sim_model_team_remove(sim_model *m, bool org, uint32_t index, const char *username,
                                 const char **why)
{
    uint32_t u = sim_model_find_user(m, username);
    sim_team *team = team_of(m, org, index);
    uint32_t i = u == SIM_NONE ? SIM_NONE : sim_team_find(team, u);
    if (i == SIM_NONE) {
        *why = not_a_member(m, org, index, u);
        return SIM_NOT_FOUND;
    }
    team_drop(team, i);
    sim_model_notify(m, org ? SIM_CHANGED_ORG_TEAM : SIM_CHANGED_PRODUCT_TEAM, index, 0);
    return SIM_OK;
}

sim_result sim_model_team_set_role(sim_model *m, bool org, uint32_t index, const char *username,
                                   sim_role role, const char **why)
{
    uint32_t u = sim_model_find_user(m, username);
    sim_team *team = team_of(m, org, index);
    uint32_t i = u == SIM_NONE ? SIM_NONE : sim_team_find(team, u);
    if (i == SIM_NONE) {
        *why = not_a_member(m, org, index, u);
        return SIM_NOT_FOUND;
    }
    team->roles[i] = (uint8_t)role;
    sim_model_notify(m, org ? SIM_CHANGED_ORG_TEAM : SIM_CHANGED_PRODUCT_TEAM, index, 0);
    return SIM_OK;
}

void sim_model_object_id(const char *kind, const char *key, char out[25])
{
    uint64_t a = pu_fnv1a64_from(pu_fnv1a64(kind), key);
    uint64_t b = pu_fnv1a64_from(a ^ 0x9e3779b97f4a7c15ull, key);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++)
        out[i] = hex[(a >> (60 - 4 * i)) & 0xf];
    for (int i = 0; i < 8; i++)
        out[16 + i] = hex[(b >> (60 - 4 * i)) & 0xf];
    out[24] = '\0';
}

void sim_model_team_replace(sim_model *m, bool org, uint32_t index, const uint32_t *users,
                            const uint8_t *roles, uint32_t n)
{
    sim_team *team = team_of(m, org, index);
    team->count = 0;
    for (uint32_t i = 0; i < n; i++)
        if (roles[i] < SIM_ROLE_COUNT)
            sim_team_put(team, users[i], (sim_role)roles[i]);
    sim_model_notify(m, org ? SIM_CHANGED_ORG_TEAM : SIM_CHANGED_PRODUCT_TEAM, index, 0);
}
