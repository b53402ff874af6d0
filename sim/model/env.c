/* Environment variables of sandboxes, organizations, products and devices (sim_env.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim_env.h"
#include "pu_time.h"

struct sim_env {
    json_t *scopes; /* scope key -> record (see record()) */
    sim_env_save_fn *on_change;
    void *on_change_payload;
};

/* What a scope inherits from, outermost first, with its "from" label. */
typedef struct env_parent {
    sim_env_scope scope;
    const char *from;
} env_parent;

sim_env *sim_env_new(void)
{
    sim_env *env = calloc(1, sizeof(*env));
    if (!env)
        abort();
    env->scopes = json_object();
    return env;
}

void sim_env_free(sim_env *env)
{
    if (!env)
        return;
    json_decref(env->scopes);
    free(env);
}

void sim_env_clear(sim_env *env)
{
    json_object_clear(env->scopes);
}

void sim_env_on_change(sim_env *env, sim_env_save_fn *fn, void *payload)
{
    env->on_change = fn;
    env->on_change_payload = payload;
}

void sim_env_changed(sim_env *env)
{
    if (env->on_change)
        env->on_change(env, env->on_change_payload);
}

json_t *sim_env_dump(const sim_env *env)
{
    return json_deep_copy(env->scopes);
}

int sim_env_load(sim_env *env, json_t *doc)
{
    if (!json_is_object(doc))
        return -1;
    json_decref(env->scopes);
    env->scopes = json_deep_copy(doc);
    return env->scopes ? 0 : -1;
}

/* The scope's stable key: "u:<user>", "o:<org id>", "p:<product id>" or "d:<device id>". */
static void scope_key(const sim_model *m, sim_env_scope s, char *out, size_t size)
{
    switch (s.kind) {
    case SIM_ENV_SANDBOX: {
        const sim_user *u = &m->users[s.index];
        snprintf(out, size, "u:%s", u->origin ? u->origin : u->username);
        break;
    }
    case SIM_ENV_ORG:
        snprintf(out, size, "o:%s", m->orgs[s.index].id);
        break;
    case SIM_ENV_PRODUCT:
        snprintf(out, size, "p:%u", (unsigned)m->products[s.index].id);
        break;
    case SIM_ENV_DEVICE:
        snprintf(out, size, "d:%s", m->devices[s.index].id);
        break;
    }
}

/* The scope's record {latest, snapshot, created_at, ...}; NULL when it has none and
 * @p create is false. */
static json_t *record(sim_env *env, const sim_model *m, sim_env_scope s, bool create)
{
    char key[160];
    scope_key(m, s, key, sizeof(key));
    json_t *r = json_object_get(env->scopes, key);
    if (!r && create) {
        r = json_pack("{s:{}, s:{}}", "latest", "snapshot");
        json_object_set_new(env->scopes, key, r);
    }
    return r;
}

/* The owner whose variables a product inherits: its organization, else the sandbox of its
 * team's first Administrator. False when it has neither. */
static bool product_owner(const sim_model *m, uint32_t product, sim_env_scope *out)
{
    const sim_product *p = &m->products[product];
    if (p->org != SIM_NONE) {
        *out = (sim_env_scope){SIM_ENV_ORG, p->org};
        return true;
    }
    for (uint32_t i = 0; i < p->team.count; i++)
        if (p->team.roles[i] == SIM_ROLE_ADMINISTRATOR) {
            *out = (sim_env_scope){SIM_ENV_SANDBOX, p->team.users[i]};
            return true;
        }
    return false;
}

/* The scopes @p s inherits from, outermost first, into @p out: how many (0-2). */
static int parents(const sim_model *m, sim_env_scope s, env_parent out[2])
{
    int n = 0;
    if (s.kind == SIM_ENV_PRODUCT) {
        if (product_owner(m, s.index, &out[n].scope))
            out[n++].from = "Owner";
    } else if (s.kind == SIM_ENV_DEVICE) {
        const sim_device *d = &m->devices[s.index];
        if (d->product != SIM_NONE) {
            if (product_owner(m, d->product, &out[n].scope))
                out[n++].from = "Owner";
            out[n].scope = (sim_env_scope){SIM_ENV_PRODUCT, d->product};
            out[n++].from = "Product";
        } else if (d->owner != SIM_NONE) {
            out[n].scope = (sim_env_scope){SIM_ENV_SANDBOX, d->owner};
            out[n++].from = "Owner";
        }
    }
    return n;
}

/* The scope's own set @p which ("latest" or "snapshot"): NAME -> value, borrowed, or NULL. */
static json_t *own_set(sim_env *env, const sim_model *m, sim_env_scope s, const char *which)
{
    return json_object_get(record(env, m, s, false), which);
}

/* NAME -> {value, from} inherited through @p which sets (nearer parents win). */
static json_t *inherited(sim_env *env, const sim_model *m, sim_env_scope s, const char *which)
{
    env_parent ps[2];
    int n = parents(m, s, ps);
    json_t *out = json_object();
    for (int i = 0; i < n; i++) {
        const char *k;
        json_t *v;
        json_object_foreach(own_set(env, m, ps[i].scope, which), k, v)
        {
            json_object_set_new(out, k, json_pack("{s:O, s:s}", "value", v, "from", ps[i].from));
        }
    }
    return out;
}

/* NAME -> value: the inherited @p which sets, then the scope's own. */
static json_t *rendered(sim_env *env, const sim_model *m, sim_env_scope s, const char *which)
{
    json_t *inh = inherited(env, m, s, which);
    json_t *out = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(inh, k, v)
    {
        json_object_set(out, k, json_object_get(v, "value"));
    }
    json_decref(inh);
    json_object_update(out, own_set(env, m, s, which));
    return out;
}

/* {own, inherited} of the @p which sets; @p with_access adds the `access` list that the
 * API shows on latest entries. */
static json_t *view(sim_env *env, const sim_model *m, sim_env_scope s, const char *which,
                    bool with_access)
{
    json_t *own = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(own_set(env, m, s, which), k, v)
    {
        json_object_set_new(own, k, json_pack("{s:O}", "value", v));
    }
    json_t *inh = inherited(env, m, s, which);
    if (with_access) {
        json_object_foreach(own, k, v)
        {
            json_object_set_new(v, "access", json_pack("[s]", "Device"));
        }
        json_object_foreach(inh, k, v)
        {
            json_object_set_new(v, "access", json_pack("[s]", "Device"));
        }
    }
    return json_pack("{s:o, s:o}", "own", own, "inherited", inh);
}

static json_t *time_json(json_t *ms)
{
    char buf[PU_ISO8601_SIZE];
    return json_is_integer(ms) ? json_string(pu_time_iso8601(json_integer_value(ms), buf))
                               : json_null();
}

static json_t *by_json(json_t *by)
{
    return json_is_string(by) ? json_incref(by) : json_null();
}

json_t *sim_env_list_json(sim_env *env, const sim_model *m, sim_env_scope s)
{
    json_t *r = record(env, m, s, false);
    json_t *snapshot = view(env, m, s, "snapshot", false);
    json_object_set_new(snapshot, "rollout_at", time_json(json_object_get(r, "rollout_at")));
    json_object_set_new(snapshot, "rollout_by", by_json(json_object_get(r, "rollout_by")));
    json_t *latest = view(env, m, s, "latest", true);
    json_t *out = json_pack("{s:o, s:o}", "last_snapshot", snapshot, "latest", latest);
    static const char *const stamps[][2] = {
        {"created_at", NULL}, {"updated_at", NULL}, {"created_by", "by"}, {"updated_by", "by"}};
    for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++) {
        json_t *v = json_object_get(r, stamps[i][0]);
        json_t *shown = stamps[i][1] ? by_json(v) : time_json(v);
        json_object_set(latest, stamps[i][0], shown);
        json_object_set_new(out, stamps[i][0], shown);
    }
    if (s.kind == SIM_ENV_DEVICE) {
        /* first: the call may deliver a pending set, and with it on_device_at */
        json_t *rendered_set = sim_env_on_device(env, m, s.index);
        json_t *dr = record(env, m, s, false);
        json_object_set_new(out, "on_device",
                            json_pack("{s:o, s:o}", "rendered", rendered_set, "last_reported_at",
                                      time_json(json_object_get(dr, "on_device_at"))));
    }
    return out;
}

/* A name the simulator accepts: [A-Za-z_][A-Za-z0-9_]*, 1..SIM_ENV_KEY_MAX bytes. */
static bool key_ok(const char *key)
{
    size_t n = key ? strlen(key) : 0;
    if (n == 0 || n > SIM_ENV_KEY_MAX || (key[0] >= '0' && key[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = key[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    return true;
}

const char *sim_env_check_ops(json_t *ops)
{
    if (!json_is_array(ops) || json_array_size(ops) == 0)
        return "ops must be a non-empty array";
    if (json_array_size(ops) > SIM_ENV_OPS_MAX)
        return "Too many operations in one update (at most 50)";
    size_t i;
    json_t *op;
    json_array_foreach(ops, i, op)
    {
        const char *kind = json_string_value(json_object_get(op, "op"));
        json_t *value = json_object_get(op, "value");
        if (!kind || (strcmp(kind, "Set") != 0 && strcmp(kind, "Unset") != 0))
            return "Each operation needs op \"Set\" or \"Unset\"";
        if (!key_ok(json_string_value(json_object_get(op, "key"))))
            return "Invalid key: use letters, digits and underscores (at most 64), not starting "
                   "with a digit";
        if (strcmp(kind, "Set") == 0 &&
            (!json_is_string(value) || json_string_length(value) > SIM_ENV_VALUE_MAX))
            return "A Set operation needs a string value (at most 4096 bytes)";
    }
    return NULL;
}

const char *sim_env_apply(sim_env *env, const sim_model *m, sim_env_scope s, json_t *ops,
                          int64_t now_ms, const char *by)
{
    json_t *r = record(env, m, s, false);
    json_t *next = json_deep_copy(json_object_get(r, "latest"));
    if (!next)
        next = json_object();
    size_t i;
    json_t *op;
    json_array_foreach(ops, i, op)
    {
        const char *key = json_string_value(json_object_get(op, "key"));
        if (strcmp(json_string_value(json_object_get(op, "op")), "Set") == 0)
            json_object_set(next, key, json_object_get(op, "value"));
        else
            json_object_del(next, key);
    }
    if (json_object_size(next) > SIM_ENV_VARS_MAX) {
        json_decref(next);
        return "Too many variables in this scope (at most 100)";
    }
    if (!r) {
        r = record(env, m, s, true);
        json_object_set_new(r, "created_at", json_integer(now_ms));
        json_object_set_new(r, "created_by", by ? json_string(by) : json_null());
    }
    json_object_set_new(r, "latest", next);
    json_object_set_new(r, "updated_at", json_integer(now_ms));
    json_object_set_new(r, "updated_by", by ? json_string(by) : json_null());
    return NULL;
}

bool sim_env_has_own(const sim_env *env, const sim_model *m, sim_env_scope s, const char *key)
{
    return json_object_get(own_set((sim_env *)env, m, s, "latest"), key) != NULL;
}

json_t *sim_env_render_json(sim_env *env, const sim_model *m, sim_env_scope s)
{
    json_t *r = record(env, m, s, false);
    return json_pack("{s:o, s:o, s:o, s:o}", "env", rendered(env, m, s, "latest"),
                     "last_updated_at", time_json(json_object_get(r, "updated_at")), "rollout_at",
                     time_json(json_object_get(r, "rollout_at")), "rollout_by",
                     by_json(json_object_get(r, "rollout_by")));
}

/* {changes:[{op, key, before?, after?}], unchanged:{}} going from @p before to @p after. */
static json_t *diff(json_t *before, json_t *after)
{
    json_t *changes = json_array();
    json_t *unchanged = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(after, k, v)
    {
        json_t *old = json_object_get(before, k);
        if (!old)
            json_array_append_new(
                changes, json_pack("{s:s, s:s, s:O}", "op", "Added", "key", k, "after", v));
        else if (!json_equal(old, v))
            json_array_append_new(changes, json_pack("{s:s, s:s, s:O, s:O}", "op", "Changed", "key",
                                                     k, "before", old, "after", v));
        else
            json_object_set(unchanged, k, v);
    }
    json_object_foreach(before, k, v)
    {
        if (!json_object_get(after, k))
            json_array_append_new(
                changes, json_pack("{s:s, s:s, s:O}", "op", "Removed", "key", k, "before", v));
    }
    return json_pack("{s:o, s:o}", "changes", changes, "unchanged", unchanged);
}

json_t *sim_env_review_json(sim_env *env, const sim_model *m, sim_env_scope s)
{
    json_t *latest = rendered(env, m, s, "latest");
    json_t *snapshot = rendered(env, m, s, "snapshot");
    json_t *out = json_pack("{s:o}", "from_snapshot", diff(snapshot, latest));
    if (s.kind == SIM_ENV_DEVICE) {
        json_t *on = sim_env_on_device(env, m, s.index);
        json_object_set_new(out, "from_device", diff(on, latest));
        json_decref(on);
    }
    json_decref(latest);
    json_decref(snapshot);
    return out;
}

/* Whether a rollout of @p s reaches device @p dev: its own scope or one it inherits. */
static bool reaches(const sim_model *m, sim_env_scope s, uint32_t dev)
{
    if (s.kind == SIM_ENV_DEVICE)
        return s.index == dev;
    env_parent ps[2];
    int n = parents(m, (sim_env_scope){SIM_ENV_DEVICE, dev}, ps);
    for (int i = 0; i < n; i++)
        if (ps[i].scope.kind == s.kind && ps[i].scope.index == s.index)
            return true;
    return false;
}

void sim_env_rollout(sim_env *env, const sim_model *m, sim_env_scope s, bool immediate,
                     int64_t now_ms, const char *by)
{
    json_t *r = record(env, m, s, true);
    json_object_set_new(r, "snapshot", json_deep_copy(json_object_get(r, "latest")));
    json_object_set_new(r, "rollout_at", json_integer(now_ms));
    json_object_set_new(r, "rollout_by", by ? json_string(by) : json_null());
    for (uint32_t d = 0; d < m->device_count; d++) {
        if (!reaches(m, s, d))
            continue;
        sim_env_scope ds = {SIM_ENV_DEVICE, d};
        json_t *set = rendered(env, m, ds, "snapshot");
        json_t *dr = record(env, m, ds, true);
        if (immediate && m->devices[d].online) {
            json_object_set_new(dr, "on_device", set);
            json_object_set_new(dr, "on_device_at", json_integer(now_ms));
            json_object_del(dr, "pending");
            json_object_del(dr, "pending_at");
        } else {
            json_object_set_new(dr, "pending", set);
            json_object_set_new(dr, "pending_at", json_integer(now_ms));
        }
    }
}

json_t *sim_env_on_device(sim_env *env, const sim_model *m, uint32_t dev)
{
    json_t *r = record(env, m, (sim_env_scope){SIM_ENV_DEVICE, dev}, false);
    json_t *pending = json_object_get(r, "pending");
    if (pending &&
        m->devices[dev].last_handshake_ms > json_integer_value(json_object_get(r, "pending_at"))) {
        json_object_set(r, "on_device", pending);
        json_object_set_new(r, "on_device_at", json_integer(m->devices[dev].last_handshake_ms));
        json_object_del(r, "pending");
        json_object_del(r, "pending_at");
    }
    json_t *on = json_object_get(r, "on_device");
    return on ? json_deep_copy(on) : json_object();
}
