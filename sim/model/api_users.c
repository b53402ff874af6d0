/* The API users' scopes (sim_api_users.h): a JSON object {username: {friendly_name,
 * scopes}}. */
#include "model/sim_api_users.h"

#include <stdlib.h>
#include <string.h>

struct sim_api_users {
    json_t *users;
    sim_api_users_saver *saver;
    void *saver_payload;
};

static void changed(const sim_api_users *a)
{
    if (a->saver)
        a->saver(a->users, a->saver_payload);
}

sim_api_users *sim_api_users_new(void)
{
    sim_api_users *a = calloc(1, sizeof(*a));
    if (!a || !(a->users = json_object()))
        abort();
    return a;
}

void sim_api_users_free(sim_api_users *a)
{
    if (!a)
        return;
    json_decref(a->users);
    free(a);
}

void sim_api_users_clear(sim_api_users *a)
{
    json_object_clear(a->users);
    changed(a);
}

/* A stored entry: {friendly_name: string, scopes: [string...]}. */
static bool entry_valid(const json_t *entry)
{
    const json_t *scopes = json_object_get(entry, "scopes");
    if (!json_is_string(json_object_get(entry, "friendly_name")) || !json_is_array(scopes))
        return false;
    size_t i;
    const json_t *s;
    json_array_foreach(scopes, i, s)
    {
        if (!json_is_string(s))
            return false;
    }
    return true;
}

int sim_api_users_restore(sim_api_users *a, const json_t *stored, sim_api_users_saver *saver,
                          void *payload)
{
    const char *username;
    const json_t *entry;
    if (stored && !json_is_object(stored))
        return -1;
    json_object_foreach((json_t *)stored, username, entry)
    {
        if (!entry_valid(entry))
            return -1;
    }
    json_object_foreach((json_t *)stored, username, entry)
    {
        json_object_set_new(a->users, username, json_deep_copy(entry));
    }
    a->saver = saver;
    a->saver_payload = payload;
    return 0;
}

bool sim_api_user_name(const char *username)
{
    size_t len = strlen(username), suffix = strlen(SIM_API_USER_DOMAIN);
    return len > suffix && strcmp(username + len - suffix, SIM_API_USER_DOMAIN) == 0;
}

void sim_api_user_set(sim_api_users *a, const char *username, const char *friendly_name,
                      const json_t *scopes)
{
    json_object_set_new(
        a->users, username,
        json_pack("{s:s, s:o}", "friendly_name", friendly_name, "scopes", json_deep_copy(scopes)));
    changed(a);
}

void sim_api_user_forget(sim_api_users *a, const char *username)
{
    if (json_object_del(a->users, username) == 0)
        changed(a);
}

const json_t *sim_api_user_get(const sim_api_users *a, const char *username)
{
    return json_object_get(a->users, username);
}

bool sim_api_user_allows(const sim_api_users *a, const char *username, const char *scope)
{
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(json_object_get(a->users, username), "scopes"), i, s)
    {
        if (strcmp(json_string_value(s), scope) == 0)
            return true;
    }
    return false;
}

/* The documented scopes (cloud-api.md §16; ledger and logic scopes as §13 names them). */
static const char *const KNOWN_SCOPES[] = {
    "clients:list",
    "clients:create",
    "clients:update",
    "clients:remove",
    "configuration:get",
    "configuration:update",
    "customers:list",
    "customers:update",
    "customers:remove",
    "devices:list",
    "devices:get",
    "devices:import",
    "devices:update",
    "devices:remove",
    "devices:release",
    "devices:ping",
    "devices.variable:get",
    "devices.function:call",
    "devices.diagnostics:get",
    "devices.diagnostics:update",
    "devices.diagnostics.metadata:get",
    "events:get",
    "events:send",
    "firmware:list",
    "firmware:create",
    "firmware:get",
    "firmware:update",
    "firmware:remove",
    "firmware:release",
    "firmware.binary:get",
    "groups:list",
    "groups:create",
    "groups:get",
    "groups:update",
    "groups:remove",
    "groups.impact:get",
    "integrations:list",
    "integrations:create",
    "integrations:get",
    "integrations:update",
    "integrations:remove",
    "integrations:test",
    "locations:get",
    "products:list",
    "products:get",
    "organization:get",
    "sims:list",
    "sims:get",
    "sims:update",
    "sims:remove",
    "sims:import",
    "sims.status:get",
    "sims.usage:get",
    "teams.users:list",
    "teams.users:invite",
    "teams.users:update",
    "teams.users:remove",
    "ledger:list",
    "ledger:get",
    "ledger:create",
    "ledger:update",
    "ledger:remove",
    "ledger.instances:get",
    "ledger.instances:update",
    "logic:list",
    "logic:get",
    "logic:create",
    "logic:update",
    "logic:remove",
    "logic.runs:get",
    "logic:execute",
};

bool sim_api_scope_known(const char *scope)
{
    for (size_t i = 0; i < sizeof(KNOWN_SCOPES) / sizeof(KNOWN_SCOPES[0]); i++)
        if (strcmp(KNOWN_SCOPES[i], scope) == 0)
            return true;
    return false;
}

const char *sim_api_scopes_check(const json_t *scopes)
{
    if (!json_is_array(scopes) || json_array_size(scopes) == 0)
        return "scopes must be a non-empty array of scope names";
    if (json_array_size(scopes) > SIM_API_USER_SCOPES_MAX)
        return "too many scopes";
    size_t i;
    const json_t *s;
    json_array_foreach(scopes, i, s)
    {
        if (!json_is_string(s) || !sim_api_scope_known(json_string_value(s)))
            return "scopes holds an unknown scope (see the API's scope names, e.g. devices:list)";
    }
    return NULL;
}

/* Route patterns: "/"-separated segments, ":" matches any one segment, a final "*" any
 * rest (also none). First match wins: specific patterns come first. */
static const struct {
    const char *method, *pattern, *scope;
} ROUTES[] = {
    /* product devices */
    {"GET", "/v1/products/:/devices", "devices:list"},
    {"POST", "/v1/products/:/devices", "devices:import"},
    {"PUT", "/v1/products/:/devices", "devices:update"},
    {"PUT", "/v1/products/:/devices/:/ping", "devices:ping"},
    {"DELETE", "/v1/products/:/devices/:/owner", "devices:release"},
    {"GET", "/v1/products/:/devices/:/events/*", "events:get"},
    {"GET", "/v1/products/:/devices/:", "devices:get"},
    {"PUT", "/v1/products/:/devices/:", "devices:update"},
    {"DELETE", "/v1/products/:/devices/:", "devices:remove"},
    {"GET", "/v1/products/:/devices/:/:", "devices.variable:get"},
    {"POST", "/v1/products/:/devices/:/:", "devices.function:call"},
    /* device routes an API user reaches by device id */
    {"PUT", "/v1/devices/:/ping", "devices:ping"},
    {"PUT", "/v1/devices/:", "devices:update"},
    {"DELETE", "/v1/devices/:", "devices:release"},
    {"GET", "/v1/devices/:/:", "devices.variable:get"},
    {"POST", "/v1/devices/:/:", "devices.function:call"},
    {"GET", "/v1/diagnostics/:/metadata", "devices.diagnostics.metadata:get"},
    {"POST", "/v1/diagnostics/:/update", "devices.diagnostics:update"},
    {"GET", "/v1/diagnostics/*", "devices.diagnostics:get"},
    {"GET", "/v1/products/:/diagnostics/:/metadata", "devices.diagnostics.metadata:get"},
    {"POST", "/v1/products/:/diagnostics/:/update", "devices.diagnostics:update"},
    {"GET", "/v1/products/:/diagnostics/*", "devices.diagnostics:get"},
    /* events */
    {"GET", "/v1/products/:/events/*", "events:get"},
    {"POST", "/v1/products/:/events", "events:send"},
    /* SIM cards */
    {"GET", "/v1/products/:/sims/data_usage", "sims.usage:get"},
    {"GET", "/v1/products/:/sims/:/status", "sims.status:get"},
    {"GET", "/v1/products/:/sims", "sims:list"},
    {"POST", "/v1/products/:/sims", "sims:import"},
    {"GET", "/v1/products/:/sims/:", "sims:get"},
    {"PUT", "/v1/products/:/sims/:", "sims:update"},
    {"DELETE", "/v1/products/:/sims/:", "sims:remove"},
    /* products, team, customers, clients */
    {"GET", "/v1/products", "products:list"},
    {"GET", "/v1/user/products", "products:list"},
    {"GET", "/v1/products/:", "products:get"},
    {"GET", "/v1/orgs/:", "organization:get"},
    {"GET", "/v1/orgs/:/products", "products:list"},
    {"GET", "/v1/products/:/team", "teams.users:list"},
    {"POST", "/v1/products/:/team", "teams.users:invite"},
    {"PUT", "/v1/products/:/team/:/token", "teams.users:update"},
    {"POST", "/v1/products/:/team/:", "teams.users:update"},
    {"PUT", "/v1/products/:/team/:", "teams.users:update"},
    {"DELETE", "/v1/products/:/team/:", "teams.users:remove"},
    {"GET", "/v1/orgs/:/team", "teams.users:list"},
    {"POST", "/v1/orgs/:/team", "teams.users:invite"},
    {"POST", "/v1/orgs/:/team/:", "teams.users:update"},
    {"PUT", "/v1/orgs/:/team/:", "teams.users:update"},
    {"DELETE", "/v1/orgs/:/team/:", "teams.users:remove"},
    {"GET", "/v1/products/:/customers", "customers:list"},
    {"PUT", "/v1/products/:/customers/:", "customers:update"},
    {"DELETE", "/v1/products/:/customers/:", "customers:remove"},
    {"GET", "/v1/products/:/clients", "clients:list"},
    {"POST", "/v1/products/:/clients", "clients:create"},
    {"PUT", "/v1/products/:/clients/:", "clients:update"},
    {"DELETE", "/v1/products/:/clients/:", "clients:remove"},
    /* groups, firmware, integrations, configuration, locations */
    {"GET", "/v1/products/:/impact", "groups.impact:get"},
    {"GET", "/v1/products/:/groups", "groups:list"},
    {"POST", "/v1/products/:/groups", "groups:create"},
    {"GET", "/v1/products/:/groups/:", "groups:get"},
    {"PUT", "/v1/products/:/groups/:", "groups:update"},
    {"DELETE", "/v1/products/:/groups/:", "groups:remove"},
    {"PUT", "/v1/products/:/firmware/release", "firmware:release"},
    {"GET", "/v1/products/:/firmware", "firmware:list"},
    {"POST", "/v1/products/:/firmware", "firmware:create"},
    {"GET", "/v1/products/:/firmware/:/binary", "firmware.binary:get"},
    {"GET", "/v1/products/:/firmware/:", "firmware:get"},
    {"PUT", "/v1/products/:/firmware/:", "firmware:update"},
    {"DELETE", "/v1/products/:/firmware/:", "firmware:remove"},
    {"POST", "/v1/products/:/integrations/:/test", "integrations:test"},
    {"GET", "/v1/products/:/integrations", "integrations:list"},
    {"POST", "/v1/products/:/integrations", "integrations:create"},
    {"GET", "/v1/products/:/integrations/:", "integrations:get"},
    {"PUT", "/v1/products/:/integrations/:", "integrations:update"},
    {"DELETE", "/v1/products/:/integrations/:", "integrations:remove"},
    {"GET", "/v1/products/:/config/*", "configuration:get"},
    {"PUT", "/v1/products/:/config/*", "configuration:update"},
    {"DELETE", "/v1/products/:/config/*", "configuration:update"},
    {"GET", "/v1/products/:/locations/*", "locations:get"},
    {"GET", "/v1/products/:/fleet_locations", "locations:get"},
    /* ledgers and logic of an organization or a product */
    {"GET", "/v1/orgs/:/ledgers/:/instances/*", "ledger.instances:get"},
    {"PUT", "/v1/orgs/:/ledgers/:/instances/:", "ledger.instances:update"},
    {"DELETE", "/v1/orgs/:/ledgers/:/instances/:", "ledger.instances:update"},
    {"GET", "/v1/orgs/:/ledgers", "ledger:list"},
    {"POST", "/v1/orgs/:/ledgers", "ledger:create"},
    {"GET", "/v1/orgs/:/ledgers/:", "ledger:get"},
    {"PUT", "/v1/orgs/:/ledgers/:", "ledger:update"},
    {"DELETE", "/v1/orgs/:/ledgers/:", "ledger:remove"},
    {"GET", "/v1/products/:/ledgers/:/instances/*", "ledger.instances:get"},
    {"PUT", "/v1/products/:/ledgers/:/instances/:", "ledger.instances:update"},
    {"DELETE", "/v1/products/:/ledgers/:/instances/:", "ledger.instances:update"},
    {"GET", "/v1/products/:/ledgers", "ledger:list"},
    {"POST", "/v1/products/:/ledgers", "ledger:create"},
    {"GET", "/v1/products/:/ledgers/:", "ledger:get"},
    {"PUT", "/v1/products/:/ledgers/:", "ledger:update"},
    {"DELETE", "/v1/products/:/ledgers/:", "ledger:remove"},
    {"POST", "/v1/orgs/:/logic/execute", "logic:execute"},
    {"GET", "/v1/orgs/:/logic/functions/:/runs/*", "logic.runs:get"},
    {"GET", "/v1/orgs/:/logic/functions", "logic:list"},
    {"POST", "/v1/orgs/:/logic/functions", "logic:create"},
    {"GET", "/v1/orgs/:/logic/functions/:", "logic:get"},
    {"PUT", "/v1/orgs/:/logic/functions/:", "logic:update"},
    {"DELETE", "/v1/orgs/:/logic/functions/:", "logic:remove"},
};

/* Does @p path match @p pattern (see ROUTES)? */
static bool path_matches(const char *pattern, const char *path)
{
    while (*pattern && *path) {
        if (pattern[0] == '*')
            return true;
        if (*pattern != *path && pattern[0] != ':')
            return false;
        if (pattern[0] == ':') {
            size_t seg = strcspn(path, "/");
            if (seg == 0)
                return false;
            path += seg;
            pattern++;
            continue;
        }
        pattern++;
        path++;
    }
    if (pattern[0] == '/' && pattern[1] == '*' && !*path)
        return true; /* a final "/" and star also matches nothing */
    return !*pattern && !*path;
}

const char *sim_api_route_scope(const char *method, const char *path)
{
    for (size_t i = 0; i < sizeof(ROUTES) / sizeof(ROUTES[0]); i++)
        if (strcmp(ROUTES[i].method, method) == 0 && path_matches(ROUTES[i].pattern, path))
            return ROUTES[i].scope;
    return NULL;
}
