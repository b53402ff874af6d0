/* The logic function store (sim_logic.h): one JSON tree
 *   {"functions": {ns: {id: <the function object as rendered, without today_stats>}},
 *    "runs": {function id: [<run object> + "logs": [...], ...oldest first]}}
 * Scheduled triggers keep their next time in their own next_unscheduled_at. */
#include "model/sim_logic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim_logic_cron.h"
#include "pu_str.h"
#include "pu_time.h"

#define DAY_MS 86400000LL

struct sim_logic {
    json_t *store;
    sim_logic_saver *saver;
    void *saver_payload;
};

static json_t *new_store(void)
{
    json_t *s = json_pack("{s:{}, s:{}}", "functions", "runs");
    if (!s)
        abort();
    return s;
}

sim_logic *sim_logic_new(void)
{
    sim_logic *l = calloc(1, sizeof(*l));
    if (!l)
        abort();
    l->store = new_store();
    return l;
}

void sim_logic_free(sim_logic *l)
{
    if (!l)
        return;
    json_decref(l->store);
    free(l);
}

static void saved(sim_logic *l)
{
    if (l->saver)
        l->saver(l->store, l->saver_payload);
}

void sim_logic_clear(sim_logic *l)
{
    json_decref(l->store);
    l->store = new_store();
    saved(l);
}

void sim_logic_restore(sim_logic *l, json_t *store, sim_logic_saver *saver, void *payload)
{
    if (json_is_object(json_object_get(store, "functions")) &&
        json_is_object(json_object_get(store, "runs"))) {
        json_decref(l->store);
        l->store = json_deep_copy(store);
    }
    l->saver = saver;
    l->saver_payload = payload;
}

/* ---- helpers ---- */

static json_t *iso(int64_t ms)
{
    char buf[PU_ISO8601_SIZE];
    return json_string(pu_time_iso8601(ms, buf));
}

/* A random (version 4) UUID. */
static void new_uuid(char out[37])
{
    char hex[33];
    pu_random_hex(hex, 16, NULL);
    hex[12] = '4';
    hex[16] = "89ab"[hex[16] % 4];
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static json_t *namespace_of(const sim_logic *l, const char *ns, bool create)
{
    json_t *functions = json_object_get(l->store, "functions");
    json_t *mine = json_object_get(functions, ns);
    if (!mine && create) {
        mine = json_object();
        json_object_set_new(functions, ns, mine);
    }
    return mine;
}

static json_t *function_at(const sim_logic *l, const char *ns, const char *id)
{
    return id ? json_object_get(namespace_of(l, ns, false), id) : NULL;
}

/* An ISO time field of @p o into *ms (0 when absent or null); false when it is not one. */
static bool time_field(const json_t *o, const char *key, int64_t *ms)
{
    const json_t *v = json_object_get(o, key);
    *ms = 0;
    if (!v || json_is_null(v))
        return true;
    return json_is_string(v) && pu_time_parse_iso8601(json_string_value(v), ms) == 0;
}

/* ---- validation ---- */

static const char *trigger_event_name(const json_t *t)
{
    const json_t *name = json_object_get(t, "event_name");
    return json_is_string(name) ? json_string_value(name)
                                : json_string_value(json_object_get(t, "event"));
}

/* Is trigger @p t well formed? NULL, or why not. */
static const char *check_trigger(const json_t *t)
{
    const char *type = json_string_value(json_object_get(t, "type"));
    const json_t *enabled = json_object_get(t, "enabled");
    if (!json_is_object(t) || !type)
        return "Each logic trigger needs a type";
    if (enabled && !json_is_boolean(enabled))
        return "A logic trigger's enabled must be true or false";
    if (strcmp(type, "Event") == 0) {
        json_int_t product = json_integer_value(json_object_get(t, "product_id"));
        if (!trigger_event_name(t))
            return "An Event trigger needs event_name";
        if (!json_is_integer(json_object_get(t, "product_id")) || product <= 0)
            return "An Event trigger needs product_id, a product's number";
        return NULL;
    }
    if (strcmp(type, "Scheduled") == 0) {
        sim_cron cron;
        int64_t ms;
        const char *text = json_string_value(json_object_get(t, "cron"));
        if (!text || !sim_cron_parse(text, &cron))
            return "A Scheduled trigger needs cron, five fields (minute hour day month weekday)";
        if (!time_field(t, "start_at", &ms) || !time_field(t, "end_at", &ms))
            return "start_at and end_at must be ISO 8601 times";
        return NULL;
    }
    if (strcmp(type, "LedgerChange") == 0) {
        const char *change = json_string_value(json_object_get(t, "change_type"));
        const json_t *change_v = json_object_get(t, "change_type");
        if (!json_is_string(json_object_get(t, "ledger_name")))
            return "A LedgerChange trigger needs ledger_name";
        if (change_v && !json_is_null(change_v) &&
            (!change || (strcmp(change, "set") != 0 && strcmp(change, "delete") != 0)))
            return "change_type must be set or delete";
        return NULL;
    }
    return "A logic trigger's type must be Event, Scheduled or LedgerChange";
}

/* Are the fields of @p in that @p creating requires there, and every field sent well
 * formed? NULL, or why not. */
static const char *check_function(const json_t *in, bool creating)
{
    const json_t *name = json_object_get(in, "name"), *source = json_object_get(in, "source");
    const json_t *description = json_object_get(in, "description");
    const json_t *enabled = json_object_get(in, "enabled");
    const json_t *triggers = json_object_get(in, "logic_triggers");
    if (creating && !name)
        return "A logic function needs a name";
    if (name && (!json_is_string(name) || json_string_length(name) == 0 ||
                 json_string_length(name) > SIM_LOGIC_NAME_MAX))
        return "name must be 1 to 100 characters";
    if (description && !json_is_string(description) && !json_is_null(description))
        return "description must be a string";
    if (enabled && !json_is_boolean(enabled))
        return "enabled must be true or false";
    if (creating && !source)
        return "A logic function needs source {type, code}";
    if (source) {
        const char *type = json_string_value(json_object_get(source, "type"));
        const json_t *code = json_object_get(source, "code");
        if (!json_is_object(source) || !type || strcmp(type, "JavaScript") != 0)
            return "source.type must be JavaScript";
        if (code && !json_is_string(code))
            return "source.code must be a string";
        if (json_string_length(code) > SIM_LOGIC_CODE_MAX)
            return "source.code is over 64 KiB";
    }
    if (triggers && !json_is_array(triggers))
        return "logic_triggers must be an array";
    if (json_array_size(triggers) > SIM_LOGIC_TRIGGERS_MAX)
        return "A logic function has at most 20 triggers";
    size_t i;
    const json_t *t;
    json_array_foreach(triggers, i, t)
    {
        const char *why = check_trigger(t);
        if (why)
            return why;
    }
    return NULL;
}

json_t *sim_logic_trigger_products(const json_t *in)
{
    json_t *out = json_array();
    size_t i;
    const json_t *t;
    json_array_foreach(json_object_get(in, "logic_triggers"), i, t)
    {
        const char *type = json_string_value(json_object_get(t, "type"));
        if (type && strcmp(type, "Event") == 0 && json_is_integer(json_object_get(t, "product_id")))
            json_array_append(out, json_object_get(t, "product_id"));
    }
    return out;
}

/* ---- building ---- */

/* The trigger of the old function @p old with id @p id, or NULL. */
static json_t *old_trigger(const json_t *old, const char *id)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(old, "logic_triggers"), i, t)
    {
        if (id && json_is_string(json_object_get(t, "id")) &&
            strcmp(json_string_value(json_object_get(t, "id")), id) == 0)
            return t;
    }
    return NULL;
}

/* The next time of Scheduled trigger @p t after @p after (and not before start_at, not
 * after end_at) into its next_unscheduled_at (null when there is none). */
static void schedule_next(json_t *t, int64_t after)
{
    sim_cron cron;
    int64_t start, end, next = -1;
    if (sim_cron_parse(json_string_value(json_object_get(t, "cron")), &cron) &&
        time_field(t, "start_at", &start) && time_field(t, "end_at", &end)) {
        next = sim_cron_next(&cron, start > after ? start - 1 : after);
        if (end && next > end)
            next = -1;
    }
    json_object_set_new(t, "next_unscheduled_at", next < 0 ? json_null() : iso(next));
}

/* The stored triggers of function @p id from the ones sent (@p in, checked), keeping the
 * ids (and versions + 1) of triggers the old function @p old had. */
static json_t *build_triggers(const json_t *in, const json_t *old, const char *id, int64_t now)
{
    json_t *out = json_array();
    size_t i;
    const json_t *sent;
    json_array_foreach(in, i, sent)
    {
        json_t *t = json_deep_copy(sent);
        json_t *before = old_trigger(old, json_string_value(json_object_get(sent, "id")));
        char tid[37];
        if (before)
            pu_strlcpy(tid, json_string_value(json_object_get(before, "id")), sizeof(tid));
        else
            new_uuid(tid);
        json_object_set_new(t, "id", json_string(tid));
        json_object_set_new(t, "logic_function_id", json_string(id));
        if (!json_is_boolean(json_object_get(t, "enabled")))
            json_object_set_new(t, "enabled", json_true());
        json_object_set_new(
            t, "version",
            json_integer(before ? json_integer_value(json_object_get(before, "version")) + 1 : 1));
        if (strcmp(json_string_value(json_object_get(t, "type")), "Scheduled") == 0) {
            if (!json_object_get(t, "start_at"))
                json_object_set_new(t, "start_at", iso(now));
            if (!json_object_get(t, "end_at"))
                json_object_set_new(t, "end_at", json_null());
            json_t *last = before ? json_object_get(before, "last_scheduled_at") : NULL;
            json_object_set_new(t, "last_scheduled_at", last ? json_incref(last) : json_null());
            schedule_next(t, now);
        }
        json_array_append_new(out, t);
    }
    return out;
}

/* Sets the fields @p in sends on function @p fn (id set). */
static void apply_fields(json_t *fn, const json_t *in, int64_t now)
{
    const json_t *v;
    if ((v = json_object_get(in, "name")))
        json_object_set(fn, "name", (json_t *)v);
    if ((v = json_object_get(in, "description")))
        json_object_set_new(fn, "description",
                            json_string(json_is_string(v) ? json_string_value(v) : ""));
    if ((v = json_object_get(in, "enabled")))
        json_object_set(fn, "enabled", (json_t *)v);
    if ((v = json_object_get(in, "template_slug")) && (json_is_string(v) || json_is_null(v)))
        json_object_set(fn, "template_slug", (json_t *)v);
    if ((v = json_object_get(in, "source"))) {
        const json_t *code = json_object_get(v, "code");
        json_object_set_new(fn, "source",
                            json_pack("{s:s, s:s}", "type", "JavaScript", "code",
                                      code ? json_string_value(code) : ""));
    }
    if ((v = json_object_get(in, "logic_triggers")))
        json_object_set_new(
            fn, "logic_triggers",
            build_triggers(v, fn, json_string_value(json_object_get(fn, "id")), now));
}

unsigned int sim_logic_create(sim_logic *l, const char *ns, const char *owner, const char *by,
                              const json_t *in, int64_t now, json_t **out, const char **why)
{
    if ((*why = check_function(in, true)))
        return 400;
    char id[37];
    new_uuid(id);
    json_t *fn = json_pack("{s:s, s:s, s:i, s:b, s:s, s:s, s:n, s:o, s:o, s:s, s:s, s:[]}", "id",
                           id, "owner_id", owner, "version", 1, "enabled", 1, "name", "",
                           "description", "", "template_slug", "created_at", iso(now), "updated_at",
                           iso(now), "created_by", by, "updated_by", by, "logic_triggers");
    if (!fn)
        abort();
    apply_fields(fn, in, now);
    json_object_set_new(namespace_of(l, ns, true), id, fn);
    json_object_set_new(json_object_get(l->store, "runs"), id, json_array());
    saved(l);
    *out = json_deep_copy(fn);
    return 201;
}

unsigned int sim_logic_get(const sim_logic *l, const char *ns, const char *id, json_t **out,
                           const char **why)
{
    const json_t *fn = function_at(l, ns, id);
    if (!fn) {
        *why = "Logic function not found";
        return 404;
    }
    *out = json_deep_copy(fn);
    return 200;
}

unsigned int sim_logic_update(sim_logic *l, const char *ns, const char *id, const char *by,
                              const json_t *in, int64_t now, json_t **out, const char **why)
{
    json_t *fn = function_at(l, ns, id);
    if (!fn) {
        *why = "Logic function not found";
        return 404;
    }
    if ((*why = check_function(in, false)))
        return 400;
    apply_fields(fn, in, now);
    json_object_set_new(fn, "version",
                        json_integer(json_integer_value(json_object_get(fn, "version")) + 1));
    json_object_set_new(fn, "updated_at", iso(now));
    json_object_set_new(fn, "updated_by", json_string(by));
    saved(l);
    *out = json_deep_copy(fn);
    return 200;
}

unsigned int sim_logic_delete(sim_logic *l, const char *ns, const char *id, const char **why)
{
    if (!function_at(l, ns, id)) {
        *why = "Logic function not found";
        return 404;
    }
    json_object_del(json_object_get(l->store, "runs"), id);
    json_object_del(namespace_of(l, ns, false), id);
    saved(l);
    return 204;
}

/* The runs of function @p id (an array, possibly empty). */
static json_t *runs_of(const sim_logic *l, const char *id)
{
    return json_object_get(json_object_get(l->store, "runs"), id);
}

/* A run without its logs. */
static json_t *render_run(const json_t *run)
{
    json_t *r = json_deep_copy(run);
    json_object_del(r, "logs");
    return r;
}

static json_t *today_stats(const sim_logic *l, const char *id, int64_t now)
{
    int64_t midnight = now - now % DAY_MS;
    json_int_t counts[3] = {0, 0, 0};
    size_t i;
    const json_t *run;
    json_array_foreach(runs_of(l, id), i, run)
    {
        int64_t started;
        const char *status = json_string_value(json_object_get(run, "status"));
        if (!time_field(run, "started_at", &started) || started < midnight || !status)
            continue;
        counts[strcmp(status, "Success") == 0 ? 0 : strcmp(status, "Timeout") == 0 ? 2 : 1]++;
    }
    return json_pack("{s:I, s:I, s:I}", "success", counts[0], "failure", counts[1], "timeout",
                     counts[2]);
}

json_t *sim_logic_list(const sim_logic *l, const char *ns, bool with_stats, int64_t now)
{
    json_t *list = json_array();
    const char *id;
    json_t *fn;
    json_object_foreach(namespace_of(l, ns, false), id, fn)
    {
        json_t *copy = json_deep_copy(fn);
        if (with_stats)
            json_object_set_new(copy, "today_stats", today_stats(l, id, now));
        json_array_append_new(list, copy);
    }
    return json_pack("{s:o}", "logic_functions", list);
}

unsigned int sim_logic_runs(const sim_logic *l, const char *ns, const char *id, json_t **out,
                            const char **why)
{
    if (!function_at(l, ns, id)) {
        *why = "Logic function not found";
        return 404;
    }
    json_t *runs = runs_of(l, id), *list = json_array();
    for (size_t i = json_array_size(runs); i-- > 0;)
        json_array_append_new(list, render_run(json_array_get(runs, i)));
    *out = json_pack("{s:o}", "logic_runs", list);
    return 200;
}

/* The stored run @p run_id of function @p id, or NULL after setting *why. */
static const json_t *run_at(const sim_logic *l, const char *ns, const char *id, const char *run_id,
                            const char **why)
{
    if (!function_at(l, ns, id)) {
        *why = "Logic function not found";
        return NULL;
    }
    size_t i;
    const json_t *run;
    json_array_foreach(runs_of(l, id), i, run)
    {
        if (strcmp(json_string_value(json_object_get(run, "id")), run_id) == 0)
            return run;
    }
    *why = "Logic run not found";
    return NULL;
}

unsigned int sim_logic_run_get(const sim_logic *l, const char *ns, const char *id,
                               const char *run_id, json_t **out, const char **why)
{
    const json_t *run = run_at(l, ns, id, run_id, why);
    if (!run)
        return 404;
    *out = json_pack("{s:o}", "logic_run", render_run(run));
    return 200;
}

unsigned int sim_logic_run_logs(const sim_logic *l, const char *ns, const char *id,
                                const char *run_id, json_t **out, const char **why)
{
    const json_t *run = run_at(l, ns, id, run_id, why);
    if (!run)
        return 404;
    *out = json_pack("{s:O}", "logs", json_object_get(run, "logs"));
    return 200;
}

/* ---- runs ---- */

/* Records a run of trigger @p t of function @p fn at @p now (not saved). */
static void record_run(sim_logic *l, const json_t *fn, const json_t *t, int64_t now)
{
    char run_id[37], log_name[48];
    new_uuid(run_id);
    snprintf(log_name, sizeof(log_name), "%s.log", run_id);
    const char *fn_id = json_string_value(json_object_get(fn, "id"));
    json_t *run =
        json_pack("{s:s, s:O, s:s, s:O, s:O, s:s, s:o, s:o, s:s, s:[{s:s, s:o, s:[s]}]}", "id",
                  run_id, "owner_id", json_object_get(fn, "owner_id"), "logic_function_id", fn_id,
                  "logic_trigger_type", json_object_get(t, "type"), "logic_trigger_id",
                  json_object_get(t, "id"), "status", "Failure", "started_at", iso(now),
                  "finished_at", iso(now), "log_filename", log_name, "logs", "level", "Error",
                  "timestamp", iso(now), "args", SIM_LOGIC_NO_ENGINE);
    if (!run)
        abort();
    json_t *runs = json_object_get(json_object_get(l->store, "runs"), fn_id);
    if (!runs) {
        runs = json_array();
        json_object_set_new(json_object_get(l->store, "runs"), fn_id, runs);
    }
    json_array_append_new(runs, run);
    while (json_array_size(runs) > SIM_LOGIC_RUNS_KEPT)
        json_array_remove(runs, 0);
}

static bool is_enabled(const json_t *o)
{
    return json_is_true(json_object_get(o, "enabled"));
}

/* Calls @p fire for each enabled trigger of type @p type of each enabled function (of
 * namespace @p only, or all when NULL); records a run when it says so, and saves once. */
typedef bool trigger_matches(json_t *t, const void *what);

static void fire(sim_logic *l, const char *only, const char *type, trigger_matches *matches,
                 const void *what, int64_t now)
{
    bool any = false;
    const char *ns;
    json_t *mine;
    json_object_foreach(json_object_get(l->store, "functions"), ns, mine)
    {
        if (only && strcmp(ns, only) != 0)
            continue;
        const char *id;
        json_t *fn;
        json_object_foreach(mine, id, fn)
        {
            if (!is_enabled(fn))
                continue;
            size_t i;
            json_t *t;
            json_array_foreach(json_object_get(fn, "logic_triggers"), i, t)
            {
                const char *t_type = json_string_value(json_object_get(t, "type"));
                if (is_enabled(t) && t_type && strcmp(t_type, type) == 0 && matches(t, what)) {
                    record_run(l, fn, t, now);
                    any = true;
                }
            }
        }
    }
    if (any)
        saved(l);
}

typedef struct event_what {
    unsigned int product_id;
    const char *name;
} event_what;

static bool event_matches(json_t *t, const void *what)
{
    const event_what *e = what;
    const char *prefix = trigger_event_name(t);
    return json_integer_value(json_object_get(t, "product_id")) == (json_int_t)e->product_id &&
           prefix && strncmp(e->name, prefix, strlen(prefix)) == 0;
}

void sim_logic_on_event(sim_logic *l, unsigned int product_id, const char *name, int64_t now)
{
    if (product_id == 0)
        return;
    event_what e = {product_id, name};
    fire(l, NULL, "Event", event_matches, &e, now);
}

typedef struct ledger_what {
    const char *ledger, *change_type;
} ledger_what;

static bool ledger_matches(json_t *t, const void *what)
{
    const ledger_what *w = what;
    const char *change = json_string_value(json_object_get(t, "change_type"));
    return strcmp(json_string_value(json_object_get(t, "ledger_name")), w->ledger) == 0 &&
           (!change || strcmp(change, w->change_type) == 0);
}

void sim_logic_on_ledger_change(sim_logic *l, const char *ns, const char *ledger,
                                const char *change_type, int64_t now)
{
    ledger_what w = {ledger, change_type};
    fire(l, ns, "LedgerChange", ledger_matches, &w, now);
}

/* A due Scheduled trigger: its run is recorded by fire(); the trigger moves on to its
 * next time after now. */
static bool schedule_due(json_t *t, const void *what)
{
    int64_t now = *(const int64_t *)what, next;
    if (!time_field(t, "next_unscheduled_at", &next) || next == 0 || next > now)
        return false;
    json_object_set_new(t, "last_scheduled_at", iso(next));
    schedule_next(t, now);
    return true;
}

void sim_logic_run_schedules(sim_logic *l, int64_t now)
{
    fire(l, NULL, "Scheduled", schedule_due, &now, now);
}
