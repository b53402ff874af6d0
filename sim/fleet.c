/* Fleet fixture loader (format in docs/FLEET.md). */
#include "fleet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/sim_accounts.h"
#include "model/sim_behaviour.h"
#include "model/sim_claims.h"
#include "model/sim_groups.h"
#include "model/sim_tokens.h"
#include "pu_buf.h"
#include "pu_file.h"
#include "pu_str.h"

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
/* A fuzzer that raises a count to 100,000 spends its time making devices, not finding paths:
 * the bound's check is fuzzed all the same. */
#define MAX_GENERATED_DEVICES 1000
#else
#define MAX_GENERATED_DEVICES 1000000
#endif

typedef struct load_ctx {
    sim_model *m;
    const char *source;
    char *err;
    size_t err_size;
} load_ctx;

static int fail(load_ctx *c, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    snprintf(c->err, c->err_size, "%s: %s", c->source, what);
    return -1;
}

json_t *sim_fleet_parse(const char *text, size_t len, const char *source, char *err,
                        size_t err_size)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, err_size, "%s:%d:%d: %s", source, jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        snprintf(err, err_size, "%s: the fixture must be a JSON object", source);
        json_decref(root);
        return NULL;
    }
    return root;
}

json_t *sim_fleet_read_file(const char *path, char *err, size_t err_size)
{
    size_t len;
    char *text = NULL;
    if (pu_file_read(path, PU_FILE_NO_LIMIT, &text, &len, err, err_size) < 0)
        return NULL;
    json_t *root = sim_fleet_parse(text, len, path, err, err_size);
    free(text);
    return root;
}

static bool is_hex_id(const char *s, size_t len)
{
    if (strlen(s) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* tokens: ["40 hex", ...] for a user, customer or product. */
static int load_tokens(load_ctx *c, const json_t *tokens, const char *where, sim_token_kind kind,
                       uint32_t user, uint32_t product)
{
    size_t i;
    const json_t *t;
    if (!tokens)
        return 0;
    if (!json_is_array(tokens))
        return fail(c, "%s.tokens: must be an array of strings", where);
    json_array_foreach(tokens, i, t)
    {
        const char *v = json_string_value(t);
        if (!v || !is_hex_id(v, SIM_TOKEN_LEN))
            return fail(c, "%s.tokens[%zu]: must be 40 lowercase hex characters", where, i);
        if (sim_token_find(c->m, v, NULL) != SIM_NONE)
            return fail(c, "%s.tokens[%zu]: token used twice", where, i);
        sim_token_add(c->m, v, NULL, kind, user, product, "fixture", 0, 0);
    }
    return 0;
}

static int load_users(load_ctx *c, const json_t *users, uint32_t customer_of, const char *where)
{
    size_t i;
    const json_t *u;
    if (!users)
        return 0;
    if (!json_is_array(users))
        return fail(c, "%s: must be an array", where);
    json_array_foreach(users, i, u)
    {
        const char *name = NULL, *password = NULL, *otp = NULL;
        json_t *tokens = NULL;
        int no_password = 0;
        json_error_t jerr;
        char at[96];
        snprintf(at, sizeof(at), "%s[%zu]", where, i);
        if (json_unpack_ex((json_t *)u, &jerr, 0, "{s:s, s?s, s?s, s?o, s?b !}", "username", &name,
                           "password", &password, "mfa_otp", &otp, "tokens", &tokens, "no_password",
                           &no_password) < 0)
            return fail(c, "%s: %s", at, jerr.text);
        if (sim_model_find_user(c->m, name) != SIM_NONE)
            return fail(c, "%s: user \"%s\" defined twice", at, name);
        if (no_password && (customer_of == SIM_NONE || password))
            return fail(c, "%s: no_password is for customers without a password", at);
        uint32_t idx = sim_model_add_user(c->m, name, password, otp, customer_of);
        c->m->users[idx].no_password = no_password;
        if (load_tokens(c, tokens, at,
                        customer_of == SIM_NONE ? SIM_TOKEN_USER : SIM_TOKEN_CUSTOMER, idx,
                        customer_of) < 0)
            return -1;
    }
    return 0;
}

/* team: [username | {"username", "role"}]; a plain username is an Administrator. */
static int load_team(load_ctx *c, const json_t *team, sim_team *into, const char *where)
{
    size_t k;
    const json_t *v;
    if (team && !json_is_array(team))
        return fail(c, "%s: must be an array of usernames or members", where);
    json_array_foreach(team, k, v)
    {
        const char *name = json_string_value(v), *role_name = "Administrator";
        json_error_t jerr;
        if (!name && json_unpack_ex((json_t *)v, &jerr, 0, "{s:s, s?s !}", "username", &name,
                                    "role", &role_name) < 0)
            return fail(c, "%s[%zu]: %s", where, k, jerr.text);
        uint32_t u = sim_model_find_user(c->m, name);
        if (u == SIM_NONE || c->m->users[u].customer_of != SIM_NONE)
            return fail(c, "%s[%zu]: not a known developer", where, k);
        int role = sim_role_parse(role_name);
        if (role < 0)
            return fail(c, "%s[%zu].role: one of Administrator, Developer, View-only, Support",
                        where, k);
        sim_team_put(into, u, (sim_role)role);
    }
    return 0;
}

static int load_clients(load_ctx *c, const json_t *clients, uint32_t product, const char *where)
{
    size_t i;
    const json_t *j;
    if (!clients)
        return 0;
    if (!json_is_array(clients))
        return fail(c, "%s: must be an array", where);
    json_array_foreach(clients, i, j)
    {
        const char *id = NULL, *secret = NULL, *owner = NULL;
        sim_client_spec spec = {NULL, "installed", NULL, NULL};
        json_error_t jerr;
        if (json_unpack_ex((json_t *)j, &jerr, 0, "{s:s, s:s, s?s, s?s, s?s, s?s, s?s !}", "id",
                           &id, "secret", &secret, "owner", &owner, "name", &spec.name, "type",
                           &spec.type, "redirect_uri", &spec.redirect_uri, "scope",
                           &spec.scope) < 0)
            return fail(c, "%s[%zu]: %s", where, i, jerr.text);
        uint32_t owner_idx = SIM_NONE;
        if (product == SIM_NONE) {
            if (!owner)
                return fail(c, "%s[%zu]: a user client needs an \"owner\"", where, i);
            owner_idx = sim_model_find_user(c->m, owner);
            if (owner_idx == SIM_NONE)
                return fail(c, "%s[%zu]: unknown owner \"%s\"", where, i, owner);
        } else if (owner) {
            return fail(c, "%s[%zu]: a product client has no \"owner\"", where, i);
        }
        if (sim_model_find_client(c->m, id) != SIM_NONE)
            return fail(c, "%s[%zu]: client \"%s\" defined twice", where, i, id);
        sim_client saved = {.id = (char *)id,
                            .secret = (char *)secret,
                            .name = (char *)(spec.name ? spec.name : id),
                            .type = (char *)spec.type,
                            .redirect_uri = (char *)spec.redirect_uri,
                            .scope = (char *)spec.scope,
                            .product = product,
                            .owner = owner_idx};
        spec.name = saved.name;
        const char *bad = sim_model_client_check(&spec);
        if (bad)
            return fail(c, "%s[%zu]: %s", where, i, bad);
        sim_model_add_client_as(c->m, &saved);
    }
    return 0;
}

/* A product group: a name, or {"name", "description", "color"} (model/sim_groups.h). */
static int load_group(load_ctx *c, uint32_t product, const json_t *j, const char *at, size_t k)
{
    const char *name = json_string_value(j), *description = NULL, *color = NULL;
    json_error_t jerr;
    if (!name && json_unpack_ex((json_t *)j, &jerr, 0, "{s:s, s?s, s?s !}", "name", &name,
                                "description", &description, "color", &color) < 0)
        return fail(c, "%s.groups[%zu]: a name or {name, description, color}: %s", at, k,
                    jerr.text);
    const char *bad = sim_group_build(c->m, product, name, description, color, NULL);
    return bad ? fail(c, "%s.groups[%zu]: %s", at, k, bad) : 0;
}

static int load_products(load_ctx *c, const json_t *products)
{
    size_t i;
    const json_t *j;
    if (!products)
        return 0;
    if (!json_is_array(products))
        return fail(c, "products: must be an array");
    json_array_foreach(products, i, j)
    {
        json_int_t id = 0, platform = 0;
        const char *slug = NULL, *name = NULL, *description = NULL;
        int cellular = 0;
        json_t *groups = NULL, *team = NULL, *customers = NULL, *clients = NULL, *tokens = NULL;
        json_error_t jerr;
        char at[64];
        snprintf(at, sizeof(at), "products[%zu]", i);
        if (json_unpack_ex((json_t *)j, &jerr, 0,
                           "{s:I, s:s, s?s, s:I, s?b, s?o, s?o, s?o, s?o, s?o, s?s !}", "id", &id,
                           "slug", &slug, "name", &name, "platform_id", &platform, "cellular",
                           &cellular, "groups", &groups, "team", &team, "customers", &customers,
                           "clients", &clients, "tokens", &tokens, "description", &description) < 0)
            return fail(c, "%s: %s", at, jerr.text);
        if (id <= 0 || id > UINT32_MAX || platform < 0 || platform > UINT16_MAX)
            return fail(c, "%s: id or platform_id out of range", at);
        if (sim_model_find_product(c->m, slug) != SIM_NONE)
            return fail(c, "%s: slug \"%s\" used twice", at, slug);
        char idtext[16];
        snprintf(idtext, sizeof(idtext), "%u", (unsigned)id);
        if (sim_model_find_product(c->m, idtext) != SIM_NONE)
            return fail(c, "%s: id %s used twice", at, idtext);
        uint32_t p =
            sim_model_add_product(c->m, (uint32_t)id, slug, name, (uint16_t)platform, cellular);
        size_t k;
        const json_t *v;
        if (groups && !json_is_array(groups))
            return fail(c, "%s.groups: must be an array of groups", at);
        json_array_foreach(groups, k, v)
        {
            if (load_group(c, p, v, at, k) < 0)
                return -1;
        }
        if (description)
            c->m->products[p].description = pu_xstrdup(description);
        char where[96];
        snprintf(where, sizeof(where), "%s.team", at);
        if (load_team(c, team, &c->m->products[p].team, where) < 0)
            return -1;
        snprintf(where, sizeof(where), "%s.customers", at);
        if (load_users(c, customers, p, where) < 0)
            return -1;
        snprintf(where, sizeof(where), "%s.clients", at);
        if (load_clients(c, clients, p, where) < 0)
            return -1;
        if (load_tokens(c, tokens, at, SIM_TOKEN_PRODUCT, SIM_NONE, p) < 0)
            return -1;
    }
    return 0;
}

static int parse_enum(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static const char *const VAR_TYPES[] = {"int32", "double", "string", "bool"};
static const char *const VAR_BEHAVIOURS[] = {"constant", "random_walk", "counter", "sine",
                                             "set_by_function"};
static const char *const FN_BEHAVIOURS[] = {"return", "validate", "set_variable"};

static int load_var(load_ctx *c, const json_t *j, sim_var_def *v, const char *at)
{
    const char *name = NULL, *type = NULL, *beh = "constant";
    json_t *value = NULL;
    double step = 1, min = 0, max = 100;
    json_int_t period = 1000;
    json_error_t jerr;
    if (json_unpack_ex((json_t *)j, &jerr, 0, "{s:s, s:s, s?s, s?o, s?F, s?F, s?F, s?I !}", "name",
                       &name, "type", &type, "behaviour", &beh, "value", &value, "step", &step,
                       "min", &min, "max", &max, "period_ms", &period) < 0)
        return fail(c, "%s: %s", at, jerr.text);
    int t = parse_enum(type, VAR_TYPES, 4), b = parse_enum(beh, VAR_BEHAVIOURS, 5);
    if (t < 0)
        return fail(c, "%s.type: \"%s\" is not int32, double, string or bool", at, type);
    if (b < 0)
        return fail(c,
                    "%s.behaviour: \"%s\" is not constant, random_walk, counter, sine or "
                    "set_by_function",
                    at, beh);
    if (t == SIM_VAR_STRING && b != SIM_VB_CONSTANT && b != SIM_VB_SET_BY_FUNCTION)
        return fail(c, "%s: a string variable is constant or set_by_function", at);
    if (period <= 0 || min > max)
        return fail(c, "%s: period_ms must be > 0 and min <= max", at);
    v->name = pu_xstrdup(name);
    v->type = (sim_var_type)t;
    v->behaviour = (sim_var_behaviour)b;
    v->step = step;
    v->min = min;
    v->max = max;
    v->period_ms = period;
    if (t == SIM_VAR_STRING) {
        if (value && !json_is_string(value))
            return fail(c, "%s.value: must be a string", at);
        v->text = pu_xstrdup(value ? json_string_value(value) : "");
    } else if (value) {
        if (t == SIM_VAR_BOOL ? !json_is_boolean(value) : !json_is_number(value))
            return fail(c, "%s.value: must be a %s", at, t == SIM_VAR_BOOL ? "boolean" : "number");
        v->value = json_is_boolean(value) ? json_is_true(value) : json_number_value(value);
    } else if (b == SIM_VB_RANDOM_WALK || b == SIM_VB_SINE) {
        v->value = (min + max) / 2;
    }
    return 0;
}

static uint32_t find_var_def(const sim_template *t, const char *name)
{
    for (uint32_t i = 0; i < t->var_count; i++)
        if (strcmp(t->vars[i].name, name) == 0)
            return i;
    return SIM_NONE;
}

static int load_fn(load_ctx *c, const json_t *j, const sim_template *t, sim_fn_def *f,
                   const char *at)
{
    const char *name = NULL, *beh = "return", *var = NULL;
    json_int_t result = 1, args = 0, min = 0, max = 255;
    json_error_t jerr;
    if (json_unpack_ex((json_t *)j, &jerr, 0, "{s:s, s?s, s?I, s?I, s?I, s?I, s?s !}", "name",
                       &name, "behaviour", &beh, "result", &result, "args", &args, "min", &min,
                       "max", &max, "variable", &var) < 0)
        return fail(c, "%s: %s", at, jerr.text);
    int b = parse_enum(beh, FN_BEHAVIOURS, 3);
    if (b < 0)
        return fail(c, "%s.behaviour: \"%s\" is not return, validate or set_variable", at, beh);
    if (result < INT32_MIN || result > INT32_MAX)
        return fail(c, "%s.result: out of int32 range", at);
    f->name = pu_xstrdup(name);
    f->behaviour = (sim_fn_behaviour)b;
    f->result = (int32_t)result;
    f->variable = SIM_NONE;
    if (var) {
        f->variable = find_var_def(t, var);
        if (f->variable == SIM_NONE)
            return fail(c, "%s.variable: no variable \"%s\" in this template", at, var);
    }
    if (b == SIM_FB_SET_VARIABLE && f->variable == SIM_NONE)
        return fail(c, "%s: set_variable needs \"variable\"", at);
    if (b == SIM_FB_VALIDATE) {
        if (args < 1 || args > 64 || min > max)
            return fail(c, "%s: validate needs 1..64 \"args\" and min <= max", at);
        f->arg_count = (unsigned)args;
        f->arg_min = (long)min;
        f->arg_max = (long)max;
    }
    return 0;
}

static int load_pub(load_ctx *c, const json_t *j, sim_pub_def *p, const char *at)
{
    const char *name = NULL, *data = "";
    json_int_t period = 0;
    int priv = 1;
    json_error_t jerr;
    if (json_unpack_ex((json_t *)j, &jerr, 0, "{s:s, s:I, s?s, s?b !}", "name", &name, "period_ms",
                       &period, "data", &data, "private", &priv) < 0)
        return fail(c, "%s: %s", at, jerr.text);
    if (period <= 0)
        return fail(c, "%s.period_ms: must be > 0", at);
    if (!*name || strlen(name) > 64)
        return fail(c, "%s.name: 1 to 64 characters", at);
    p->name = pu_xstrdup(name);
    p->data = pu_xstrdup(data);
    p->period_ms = period;
    p->is_private = priv;
    return 0;
}

/* Allocates @p n zeroed elements of @p size, aborting on OOM (n may be 0). */
static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

static int load_template(load_ctx *c, const json_t *j, size_t i)
{
    const char *name = NULL;
    json_t *vars = NULL, *fns = NULL, *pubs = NULL;
    json_error_t jerr;
    char at[160];
    snprintf(at, sizeof(at), "templates[%zu]", i);
    if (json_unpack_ex((json_t *)j, &jerr, 0, "{s:s, s?o, s?o, s?o !}", "name", &name, "variables",
                       &vars, "functions", &fns, "publishers", &pubs) < 0)
        return fail(c, "%s: %s", at, jerr.text);
    if (sim_model_find_template(c->m, name) != SIM_NONE)
        return fail(c, "%s: template \"%s\" defined twice", at, name);
    if ((vars && !json_is_array(vars)) || (fns && !json_is_array(fns)) ||
        (pubs && !json_is_array(pubs)))
        return fail(c, "%s: variables, functions and publishers must be arrays", at);
    sim_template t = {0};
    t.name = pu_xstrdup(name);
    t.var_count = (uint32_t)json_array_size(vars);
    t.fn_count = (uint32_t)json_array_size(fns);
    t.pub_count = (uint32_t)json_array_size(pubs);
    t.vars = xcalloc(t.var_count, sizeof(*t.vars));
    t.fns = xcalloc(t.fn_count, sizeof(*t.fns));
    t.pubs = xcalloc(t.pub_count, sizeof(*t.pubs));
    /* Add first so the model owns (and frees) the template even when a field is bad. */
    uint32_t idx = sim_model_add_template(c->m, &t);
    sim_template *tp = &c->m->templates[idx];
    size_t k;
    const json_t *v;
    json_array_foreach(vars, k, v)
    {
        snprintf(at, sizeof(at), "templates[%zu] (%s).variables[%zu]", i, name, k);
        if (load_var(c, v, &tp->vars[k], at) < 0)
            return -1;
        if (find_var_def(tp, tp->vars[k].name) != k)
            return fail(c, "%s: variable \"%s\" defined twice", at, tp->vars[k].name);
    }
    json_array_foreach(fns, k, v)
    {
        snprintf(at, sizeof(at), "templates[%zu] (%s).functions[%zu]", i, name, k);
        if (load_fn(c, v, tp, &tp->fns[k], at) < 0)
            return -1;
    }
    json_array_foreach(pubs, k, v)
    {
        snprintf(at, sizeof(at), "templates[%zu] (%s).publishers[%zu]", i, name, k);
        if (load_pub(c, v, &tp->pubs[k], at) < 0)
            return -1;
    }
    return 0;
}

/* Serial numbers look like real ones: a per-platform prefix and 9 digits. */
static void make_serial(char out[16], uint16_t platform, uint64_t *rng)
{
    const char *prefix = platform == 13   ? "E40KAB"
                         : platform == 12 ? "ARGHAB"
                         : platform == 6  ? "PH1AAB"
                         : platform == 32 ? "P2AAAB"
                                          : "SIMAAB";
    snprintf(out, 16, "%s%09u", prefix, (unsigned)(pu_rand_next(rng) % 1000000000u));
}

static void make_digits(char *out, size_t len, const char *prefix, uint64_t *rng)
{
    size_t p = strlen(prefix);
    memcpy(out, prefix, p);
    for (size_t i = p; i < len; i++)
        out[i] = (char)('0' + pu_rand_next(rng) % 10);
    out[len] = '\0';
}

/* Fields a device entry and a generator entry share. */
typedef struct device_spec {
    const char *id, *name, *tmpl, *owner, *notes, *serial, *iccid, *imei, *sysfw, *ip;
    json_t *product, *groups, *groups_cycle;
    int online, cellular, quarantined, development;
    json_int_t platform, fw_version, count, offline_every, quarantined_every;
} device_spec;

static int apply_groups(load_ctx *c, sim_device *d, const json_t *groups, const char *at)
{
    size_t k;
    const json_t *g;
    if (!groups)
        return 0;
    if (!json_is_array(groups))
        return fail(c, "%s.groups: must be an array of strings", at);
    if (d->product == SIM_NONE)
        return fail(c, "%s.groups: only product devices have groups", at);
    json_array_foreach(groups, k, g)
    {
        const char *name = json_string_value(g);
        uint32_t bit = name && sim_group_name_valid(name)
                           ? sim_model_product_group(c->m, d->product, name, true)
                           : SIM_NONE;
        if (bit == SIM_NONE)
            return fail(c, "%s.groups[%zu]: not a group name, or too many groups", at, k);
        d->groups |= 1u << bit;
    }
    return 0;
}

static void expand_name(char *out, size_t size, const char *pattern, json_int_t n)
{
    const char *ph = strstr(pattern, "{{n}}");
    if (!ph) {
        snprintf(out, size, "%s-%lld", pattern, (long long)n);
        return;
    }
    snprintf(out, size, "%.*s%lld%s", (int)(ph - pattern), pattern, (long long)n, ph + 5);
}

static int make_device(load_ctx *c, const device_spec *s, json_int_t n, uint32_t tmpl,
                       uint32_t product, uint32_t owner, const char *at)
{
    sim_model *m = c->m;
    if (s->id && sim_model_find_device_id(m, s->id) != SIM_NONE)
        return fail(c, "%s.id: device %s defined twice", at, s->id);
    uint32_t dev = sim_model_add_device(m, s->id, tmpl);
    sim_device *d = &m->devices[dev];
    /* A generated id can collide only with an explicit one defined later; check anyway. */
    if (!s->id && sim_model_find_device_id(m, d->id) != SIM_NONE)
        return fail(c, "%s: generated id %s collides", at, d->id);
    d->product = product;
    d->owner = owner;
    const sim_product *p = product != SIM_NONE ? &m->products[product] : NULL;
    d->platform_id = (uint16_t)(s->platform ? s->platform : (p ? p->platform_id : 12));
    d->cellular =
        s->cellular >= 0
            ? s->cellular
            : (p ? p->cellular
                 : (d->platform_id == 13 || d->platform_id == 10 || d->platform_id == 23));
    bool offline = s->offline_every > 0 && n > 0 && n % s->offline_every == 0;
    d->online = s->online && !offline;
    d->quarantined =
        s->quarantined || (s->quarantined_every > 0 && n > 0 && n % s->quarantined_every == 0);
    d->development = s->development;
    d->firmware_version = (int32_t)s->fw_version;
    d->system_firmware = sim_model_intern(m, s->sysfw ? s->sysfw : "5.5.0");
    if (s->name) {
        char name[128];
        if (s->count)
            expand_name(name, sizeof(name), s->name, n);
        else
            pu_strlcpy(name, s->name, sizeof(name));
        d->name = pu_xstrdup(name);
    }
    d->notes = s->notes ? pu_xstrdup(s->notes) : NULL;
    if (s->serial)
        pu_strlcpy(d->serial, s->serial, sizeof(d->serial));
    else
        make_serial(d->serial, d->platform_id, &d->rng);
    if (d->cellular) {
        if (s->iccid)
            pu_strlcpy(d->iccid, s->iccid, sizeof(d->iccid));
        else
            make_digits(d->iccid, 20, "89014", &d->rng);
        if (s->imei)
            pu_strlcpy(d->imei, s->imei, sizeof(d->imei));
        else
            make_digits(d->imei, 15, "35275309", &d->rng);
    }
    d->ip = 0xCB007100u | (uint32_t)(pu_rand_next(&d->rng) % 254 + 1); /* 203.0.113.0/24 */
    if (s->ip) {
        struct in_addr a;
        if (inet_pton(AF_INET, s->ip, &a) != 1)
            return fail(c, "%s.last_ip_address: not an IPv4 address", at);
        d->ip = ntohl(a.s_addr);
    }
    if (apply_groups(c, d, s->groups, at) < 0)
        return -1;
    if (s->groups_cycle) {
        size_t len = json_array_size(s->groups_cycle);
        if (!json_is_array(s->groups_cycle) || len == 0)
            return fail(c, "%s.groups_cycle: must be a non-empty array of arrays", at);
        if (apply_groups(c, d, json_array_get(s->groups_cycle, (size_t)(n - 1) % len), at) < 0)
            return -1;
    }
    sim_model_device_ready(m, dev);
    return 0;
}

static int load_device(load_ctx *c, const json_t *j, size_t i)
{
    device_spec s = {0};
    s.online = 1;
    s.cellular = -1;
    s.fw_version = 1;
    json_error_t jerr;
    char at[64];
    snprintf(at, sizeof(at), "devices[%zu]", i);
    if (json_unpack_ex((json_t *)j, &jerr, 0,
                       "{s?s, s?s, s:s, s?s, s?o, s?I, s?b, s?b, s?s, s?s, s?s, s?s, s?s, s?I, "
                       "s?o, s?b, s?b, s?s, s?I, s?I, s?I, s?o !}",
                       "id", &s.id, "name", &s.name, "template", &s.tmpl, "owner", &s.owner,
                       "product", &s.product, "platform_id", &s.platform, "online", &s.online,
                       "cellular", &s.cellular, "notes", &s.notes, "serial_number", &s.serial,
                       "iccid", &s.iccid, "imei", &s.imei, "system_firmware_version", &s.sysfw,
                       "firmware_version", &s.fw_version, "groups", &s.groups, "quarantined",
                       &s.quarantined, "development", &s.development, "last_ip_address", &s.ip,
                       "count", &s.count, "offline_every", &s.offline_every, "quarantined_every",
                       &s.quarantined_every, "groups_cycle", &s.groups_cycle) < 0)
        return fail(c, "%s: %s", at, jerr.text);
    if (s.id && !is_hex_id(s.id, SIM_DEVICE_ID_LEN))
        return fail(c, "%s.id: must be 24 lowercase hex characters", at);
    if (s.count < 0 || s.count > MAX_GENERATED_DEVICES)
        return fail(c, "%s.count: must be 1..%d", at, MAX_GENERATED_DEVICES);
    if (s.count && s.id)
        return fail(c, "%s: a generator (count) cannot have a fixed id", at);
    if (!s.count && (s.offline_every || s.quarantined_every || s.groups_cycle))
        return fail(c, "%s: offline_every, quarantined_every and groups_cycle need count", at);
    if (s.platform < 0 || s.platform > UINT16_MAX)
        return fail(c, "%s.platform_id: out of range", at);
    if ((s.serial && strlen(s.serial) > 15) || (s.iccid && strlen(s.iccid) > 20) ||
        (s.imei && strlen(s.imei) > 15))
        return fail(c, "%s: serial_number (15), iccid (20) or imei (15) too long", at);
    uint32_t tmpl = sim_model_find_template(c->m, s.tmpl);
    if (tmpl == SIM_NONE)
        return fail(c, "%s.template: unknown template \"%s\"", at, s.tmpl);
    uint32_t product = SIM_NONE, owner = SIM_NONE;
    if (s.product) {
        char key[32];
        if (json_is_integer(s.product))
            snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(s.product));
        else if (json_is_string(s.product))
            pu_strlcpy(key, json_string_value(s.product), sizeof(key));
        else
            return fail(c, "%s.product: must be a product id or slug", at);
        product = sim_model_find_product(c->m, key);
        if (product == SIM_NONE)
            return fail(c, "%s.product: unknown product \"%s\"", at, key);
    }
    if (s.owner) {
        owner = sim_model_find_user(c->m, s.owner);
        if (owner == SIM_NONE)
            return fail(c, "%s.owner: unknown user \"%s\"", at, s.owner);
        uint32_t of = c->m->users[owner].customer_of;
        if (of != SIM_NONE && of != product)
            return fail(c, "%s.owner: customer \"%s\" belongs to another product", at, s.owner);
    }
    if (product == SIM_NONE && owner == SIM_NONE)
        return fail(c, "%s: a device needs an owner, a product, or both", at);
    if (!s.count)
        return make_device(c, &s, 0, tmpl, product, owner, at);
    for (json_int_t n = 1; n <= s.count; n++)
        if (make_device(c, &s, n, tmpl, product, owner, at) < 0)
            return -1;
    return 0;
}

/* claim_codes: [{"code", "username", "iccid" or "imei"}]: valid for SIM_CLAIM_VALID_MS from
 * the load. */
static int load_claim_codes(load_ctx *c, const json_t *codes)
{
    size_t i;
    const json_t *j;
    if (codes && !json_is_array(codes))
        return fail(c, "claim_codes: must be an array");
    json_array_foreach(codes, i, j)
    {
        const char *code = NULL, *username = NULL, *iccid = NULL, *imei = NULL;
        json_error_t jerr;
        if (json_unpack_ex((json_t *)j, &jerr, 0, "{s:s, s:s, s?s, s?s !}", "code", &code,
                           "username", &username, "iccid", &iccid, "imei", &imei) < 0)
            return fail(c, "claim_codes[%zu]: %s", i, jerr.text);
        uint32_t user = sim_model_find_user(c->m, username);
        if (user == SIM_NONE)
            return fail(c, "claim_codes[%zu].username: unknown user \"%s\"", i, username);
        if (strlen(code) != SIM_CLAIM_CODE_LEN || (iccid && strlen(iccid) > 20) ||
            (imei && strlen(imei) > 15))
            return fail(c,
                        "claim_codes[%zu]: code must have %d characters, iccid at most 20, imei 15",
                        i, SIM_CLAIM_CODE_LEN);
        if (sim_claim_find(c->m, code) != SIM_NONE)
            return fail(c, "claim_codes[%zu]: code used twice", i);
        sim_claim_add(c->m, code, user, iccid ? iccid : imei,
                      sim_model_now(c->m) + SIM_CLAIM_VALID_MS);
    }
    return 0;
}

/* organizations: [{"id", "slug", "name", "products": [id or slug], "team": [...]}] */
static int load_orgs(load_ctx *c, const json_t *orgs)
{
    size_t i;
    const json_t *j;
    if (orgs && !json_is_array(orgs))
        return fail(c, "organizations: must be an array");
    json_array_foreach(orgs, i, j)
    {
        const char *id = NULL, *slug = NULL, *name = NULL;
        json_t *products = NULL, *team = NULL;
        json_error_t jerr;
        char at[64];
        snprintf(at, sizeof(at), "organizations[%zu]", i);
        if (json_unpack_ex((json_t *)j, &jerr, 0, "{s:s, s:s, s?s, s?o, s?o !}", "id", &id, "slug",
                           &slug, "name", &name, "products", &products, "team", &team) < 0)
            return fail(c, "%s: %s", at, jerr.text);
        if (!is_hex_id(id, 24))
            return fail(c, "%s.id: must be 24 lowercase hex characters", at);
        if (sim_model_find_org(c->m, id) != SIM_NONE || sim_model_find_org(c->m, slug) != SIM_NONE)
            return fail(c, "%s: id or slug used twice", at);
        uint32_t o = sim_model_add_org(c->m, id, slug, name);
        size_t k;
        const json_t *v;
        if (products && !json_is_array(products))
            return fail(c, "%s.products: must be an array of product ids or slugs", at);
        json_array_foreach(products, k, v)
        {
            char key[24];
            if (json_is_integer(v))
                snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(v));
            uint32_t p = json_is_integer(v)  ? sim_model_find_product(c->m, key)
                         : json_is_string(v) ? sim_model_find_product(c->m, json_string_value(v))
                                             : SIM_NONE;
            if (p == SIM_NONE)
                return fail(c, "%s.products[%zu]: not a known product", at, k);
            if (c->m->products[p].org != SIM_NONE)
                return fail(c, "%s.products[%zu]: already in an organization", at, k);
            c->m->products[p].org = o;
        }
        char where[96];
        snprintf(where, sizeof(where), "%s.team", at);
        if (load_team(c, team, &c->m->orgs[o].team, where) < 0)
            return -1;
    }
    return 0;
}

int sim_fleet_load(sim_model *m, const json_t *fixture, const char *source, char *err,
                   size_t err_size)
{
    load_ctx c = {m, source, err, err_size};
    json_t *users = NULL, *products = NULL, *clients = NULL, *templates = NULL, *devices = NULL;
    json_t *claim_codes = NULL, *orgs = NULL, *firmware = NULL;
    json_error_t jerr;
    if (!json_is_object(fixture))
        return fail(&c, "the fixture must be a JSON object");
    if (json_unpack_ex((json_t *)fixture, &jerr, 0, "{s?o, s?o, s?o, s?o, s?o, s?o, s?o, s?o !}",
                       "users", &users, "products", &products, "clients", &clients, "templates",
                       &templates, "devices", &devices, "claim_codes", &claim_codes,
                       "organizations", &orgs, "firmware", &firmware) < 0)
        return fail(&c, "%s", jerr.text);
    if (load_users(&c, users, SIM_NONE, "users") < 0 || load_products(&c, products) < 0 ||
        load_clients(&c, clients, SIM_NONE, "clients") < 0 || load_orgs(&c, orgs) < 0)
        return -1;
    size_t i;
    const json_t *j;
    if (templates && !json_is_array(templates))
        return fail(&c, "templates: must be an array");
    json_array_foreach(templates, i, j) if (load_template(&c, j, i) < 0) return -1;
    if (devices && !json_is_array(devices))
        return fail(&c, "devices: must be an array");
    json_array_foreach(devices, i, j) if (load_device(&c, j, i) < 0) return -1;
    if (sim_fleet_load_firmware(m, firmware, source, err, err_size) < 0)
        return -1;
    return load_claim_codes(&c, claim_codes);
}
