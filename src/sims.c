/* SIM card calls (cloud-api.md §8, §7.6): listing and its page iterator, get, HEAD check,
 * data usage, state changes, release, product import, the cellular status task; and typed
 * getters on SIM objects and usage answers. */
#include <string.h>

#include "alloc.h"
#include "http.h"
#include "pager.h"
#include "particle/sims.h"
#include "pu_time.h"
#include "value_internal.h"

#define STATUS_POLL_MIN_MS 100
#define STATUS_POLL_MAX_MS 5000

int particle_sim_list_options_init(particle_sim_list_options *opts, unsigned int version)
{
    static const particle_sim_list_options defaults = PARTICLE_SIM_LIST_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_SIM_LIST_OPTIONS_VERSION, "SIM list");
}

int particle_sim_update_options_init(particle_sim_update_options *u, unsigned int version)
{
    static const particle_sim_update_options defaults = PARTICLE_SIM_UPDATE_OPTIONS_INIT;
    return particle__options_init(u, &defaults, sizeof(defaults), version,
                                  PARTICLE_SIM_UPDATE_OPTIONS_VERSION, "SIM update");
}

/* ---- paths ---- */

/*
 * "/v1/sims[/<iccid>][/<suffix>]" or, with @p product, "/v1/products/<product>/sims[...]".
 * @p product and @p iccid are percent-encoded (NULL iccid = the collection); @p suffix is
 * used as given. Returns a malloc'd path, or NULL with the error set.
 */
static char *sims_path(const char *product, const char *iccid, const char *suffix)
{
    if (product != NULL && particle__require(product, "product id or slug") < 0) {
        return NULL;
    }
    if (iccid != NULL && particle__require(iccid, "ICCID") < 0) {
        return NULL;
    }
    return particle__api_path(product, "sims", iccid, suffix);
}

/* A bodiless request (GET, HEAD, DELETE) on one SIM resource; the answer into *root (NULL =
 * discard it) and its HTTP status into *status_out (NULL = not wanted). */
static int sim_fetch(json_t **root, particle_client *c, const char *method, const char *iccid,
                     const char *suffix, const particle_request_options *opts, long *status_out)
{
    if (root != NULL) {
        *root = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    int error = particle__require(iccid, "ICCID");
    if (error < 0) {
        return error;
    }
    char *path = sims_path(particle__request_product(opts), iccid, suffix);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__request req = {.method = method, .path = path, .status_out = status_out};
    error = particle__http_perform(c, &req, root);
    particle__free(path);
    return error;
}

/* sim_fetch() whose answer becomes a document in *out. */
static int sim_fetch_doc(particle_doc **out, particle_client *c, const char *iccid,
                         const char *suffix, const particle_request_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    json_t *root = NULL;
    int error = sim_fetch(&root, c, "GET", iccid, suffix, opts, NULL);
    return error < 0 ? error : particle__doc_wrap(out, root);
}

/* ---- listing ---- */

/* The product listing's query with the keys particle-api-js sends. @p page overrides
 * o->page when non-zero. */
static int list_query(pu_buf *q, const particle_sim_list_options *o, unsigned int page)
{
    particle__pager_query_filter(q, "iccid", o->iccid);
    particle__pager_query_filter(q, "deviceId", o->device_id);
    particle__pager_query_filter(q, "deviceName", o->device_name);
    return particle__pager_query_end(q, page, o->page, o->per_page);
}

static int fetch_list(json_t **out, particle_client *c, const particle_sim_list_options *o,
                      unsigned int page)
{
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    int error = 0;
    if (o != NULL && (error = particle__options_check(o->version, PARTICLE_SIM_LIST_OPTIONS_VERSION,
                                                      "SIM list")) < 0) {
        return error;
    }
    if (o == NULL || o->product == NULL) {
        particle__request req = {.method = "GET", .path = "/v1/sims"};
        return particle__http_perform(c, &req, out);
    }
    char *path = sims_path(o->product, NULL, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    pu_buf query;
    particle__buf_init(&query, PARTICLE__PATH_MAX_BYTES);
    error = list_query(&query, o, page);
    if (error == 0) {
        particle__request req = {.method = "GET", .path = path, .query = query.data};
        error = particle__http_perform(c, &req, out);
    }
    pu_buf_dispose(&query);
    particle__free(path);
    return error;
}

int particle_sim_list(particle_doc **out, particle_client *c, const particle_sim_list_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    json_t *root = NULL;
    int error = fetch_list(&root, c, opts, 0);
    return error < 0 ? error : particle__doc_wrap(out, root);
}

/* ---- the page iterator ---- */

struct particle_sim_iter {
    particle_client *client;
    particle_sim_list_options opts; /* its strings are the pager's copies */
    particle__pager pager;
};

void particle_sim_iter_free(particle_sim_iter *it)
{
    if (it == NULL) {
        return;
    }
    particle__pager_dispose(&it->pager);
    particle__free(it);
}

int particle_sim_iter_new(particle_sim_iter **out, particle_client *c,
                          const particle_sim_list_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    particle_sim_list_options defaults = PARTICLE_SIM_LIST_OPTIONS_INIT;
    if (opts == NULL) {
        opts = &defaults;
    }
    int error =
        particle__options_check(opts->version, PARTICLE_SIM_LIST_OPTIONS_VERSION, "SIM list");
    if (error < 0) {
        return error;
    }
    if (opts->product != NULL && (error = particle__require(opts->product, "product id")) < 0) {
        return error;
    }
    particle_sim_iter *it = particle__calloc(1, sizeof(*it));
    if (it == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    it->client = c;
    it->opts = *opts;
    particle__pager_init(&it->pager, "sims", "SIM", opts->page);
    if ((error = particle__pager_keep(&it->pager, &it->opts.product)) < 0 ||
        (error = particle__pager_keep(&it->pager, &it->opts.iccid)) < 0 ||
        (error = particle__pager_keep(&it->pager, &it->opts.device_id)) < 0 ||
        (error = particle__pager_keep(&it->pager, &it->opts.device_name)) < 0) {
        particle_sim_iter_free(it);
        return error;
    }
    *out = it;
    return 0;
}

static int fetch_page(json_t **page, void *ctx, unsigned int page_no)
{
    particle_sim_iter *it = ctx;
    return fetch_list(page, it->client, &it->opts, page_no);
}

int particle_sim_iter_next(const particle_value **out, particle_sim_iter *it)
{
    if (out == NULL || it == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "NULL argument");
    }
    return particle__pager_next(&it->pager, out, fetch_page, it);
}

unsigned int particle_sim_iter_total_pages(const particle_sim_iter *it)
{
    return it == NULL ? 0 : it->pager.total_pages;
}

/* ---- one SIM ---- */

int particle_sim_get(particle_doc **out, particle_client *c, const char *iccid,
                     const particle_request_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    json_t *root = NULL;
    int error = sim_fetch(&root, c, "GET", iccid, NULL, opts, NULL);
    if (error < 0) {
        return error;
    }
    /* {"sim": {...}} per the field list; the bare object per the example (UNVERIFIED) */
    json_t *sim = json_object_get(root, "sim");
    if (json_is_object(sim)) {
        json_incref(sim);
        json_decref(root);
        root = sim;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        return particle__error_set(PARTICLE_EPROTO, "the SIM answer is not a JSON object");
    }
    return particle__doc_wrap(out, root);
}

int particle_sim_check(particle_client *c, const char *iccid, const particle_request_options *opts)
{
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    return sim_fetch(NULL, c, "HEAD", iccid, NULL, opts, NULL);
}

int particle_sim_data_usage(particle_doc **out, particle_client *c, const char *iccid,
                            const particle_request_options *opts)
{
    return sim_fetch_doc(out, c, iccid, "data_usage", opts);
}

int particle_product_sims_data_usage(particle_doc **out, particle_client *c, const char *product)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    int error = particle__require(product, "product id or slug");
    if (error < 0) {
        return error;
    }
    char *path = sims_path(product, NULL, "data_usage");
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__request req = {.method = "GET", .path = path};
    error = particle__http_doc(out, c, &req);
    particle__free(path);
    return error;
}

/* ---- state changes ---- */

static const char *action_name(particle_sim_action a)
{
    switch (a) {
    case PARTICLE_SIM_ACTION_ACTIVATE:
        return "activate";
    case PARTICLE_SIM_ACTION_DEACTIVATE:
        return "deactivate";
    case PARTICLE_SIM_ACTION_REACTIVATE:
        return "reactivate";
    case PARTICLE_SIM_ACTION_NONE:
        break;
    }
    return NULL;
}

/* Sends @p body (borrowed) with @p method to the SIM's path. */
static int sim_json_call(particle_doc **out, particle_client *c, const char *method,
                         const char *iccid, json_t *body, const particle_request_options *opts)
{
    int error = particle__require(iccid, "ICCID");
    if (error < 0) {
        return error;
    }
    char *path = sims_path(particle__request_product(opts), iccid, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    error = particle__http_json_doc(out, c, method, path, body, particle__request_retry(opts));
    particle__free(path);
    return error;
}

int particle_sim_update(particle_doc **out, particle_client *c, const char *iccid,
                        const particle_sim_update_options *u, const particle_request_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (u == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "SIM update options are NULL");
    }
    int error =
        particle__options_check(u->version, PARTICLE_SIM_UPDATE_OPTIONS_VERSION, "SIM update");
    if (error < 0) {
        return error;
    }
    const char *action = action_name(u->action);
    if (action == NULL && u->action != PARTICLE_SIM_ACTION_NONE) {
        return particle__error_set(PARTICLE_EINVAL, "unknown SIM action %d", (int)u->action);
    }
    if (action == NULL && !u->set_mb_limit) {
        return particle__error_set(PARTICLE_EINVAL, "the SIM update sets no field");
    }
    if (u->set_mb_limit && u->mb_limit < 0) {
        return particle__error_set(PARTICLE_EINVAL, "mb_limit must be 0 or more");
    }
    json_t *body = json_object();
    error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    if (error == 0 && action != NULL) {
        error = particle__json_add_text(body, "action", action, "action");
    }
    if (error == 0 && u->set_mb_limit) {
        error = particle__json_set(body, "mb_limit", json_integer(u->mb_limit));
    }
    if (error == 0) {
        error = sim_json_call(out, c, "PUT", iccid, body, opts);
    }
    json_decref(body);
    return error;
}

static int update_with(particle_doc **out, particle_client *c, const char *iccid,
                       particle_sim_action action, long mb_limit,
                       const particle_request_options *opts)
{
    particle_sim_update_options u = PARTICLE_SIM_UPDATE_OPTIONS_INIT;
    u.action = action;
    u.set_mb_limit = mb_limit >= 0;
    u.mb_limit = mb_limit;
    return particle_sim_update(out, c, iccid, &u, opts);
}

int particle_sim_activate(particle_doc **out, particle_client *c, const char *iccid,
                          const particle_request_options *opts)
{
    return update_with(out, c, iccid, PARTICLE_SIM_ACTION_ACTIVATE, -1, opts);
}

int particle_sim_deactivate(particle_doc **out, particle_client *c, const char *iccid,
                            const particle_request_options *opts)
{
    return update_with(out, c, iccid, PARTICLE_SIM_ACTION_DEACTIVATE, -1, opts);
}

int particle_sim_reactivate(particle_doc **out, particle_client *c, const char *iccid,
                            long mb_limit, const particle_request_options *opts)
{
    return update_with(out, c, iccid, PARTICLE_SIM_ACTION_REACTIVATE, mb_limit, opts);
}

int particle_sim_set_data_limit(particle_doc **out, particle_client *c, const char *iccid,
                                long mb_limit, const particle_request_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (mb_limit < 0) {
        return particle__error_set(PARTICLE_EINVAL, "mb_limit must be 0 or more");
    }
    return update_with(out, c, iccid, PARTICLE_SIM_ACTION_NONE, mb_limit, opts);
}

int particle_sim_remove(int *pending_out, particle_client *c, const char *iccid,
                        const particle_request_options *opts)
{
    if (pending_out != NULL) {
        *pending_out = 0;
    }
    long status = 0;
    int error = sim_fetch(NULL, c, "DELETE", iccid, NULL, opts, &status);
    if (error == 0 && pending_out != NULL) {
        *pending_out = status == 202;
    }
    return error;
}

int particle_product_sims_import(particle_doc **out, particle_client *c, const char *product,
                                 const char *const *iccids, size_t count,
                                 const particle_request_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    if (particle__request_product(opts) != NULL) {
        return particle__error_set(PARTICLE_EINVAL, "pass the product as an argument, not in "
                                                    "the options");
    }
    if (iccids == NULL || count == 0) {
        return particle__error_set(PARTICLE_EINVAL, "no ICCIDs to import");
    }
    for (size_t i = 0; i < count; i++) {
        if (iccids[i] == NULL || iccids[i][0] == '\0') {
            return particle__error_set(PARTICLE_EINVAL, "ICCID %zu is empty", i + 1);
        }
    }
    int error = particle__require(product, "product id or slug");
    if (error < 0) {
        return error;
    }
    char *path = sims_path(product, NULL, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    json_t *body = json_object(), *sims = json_array();
    /* json_object_set_new() takes sims, also when it fails (body NULL included) */
    error = particle__json_set(body, "sims", sims);
    for (size_t i = 0; error == 0 && i < count; i++) {
        error = particle__json_add_text(sims, NULL, iccids[i], "ICCID");
    }
    if (error == 0) {
        error = particle__http_json_doc(out, c, "POST", path, body, particle__request_retry(opts));
    }
    json_decref(body);
    particle__free(path);
    return error;
}

/* ---- cellular network status ---- */

static bool status_complete(const json_t *root)
{
    const char *state = json_string_value(json_object_get(json_object_get(root, "meta"), "state"));
    return state != NULL && strcmp(state, "complete") == 0;
}

int particle_sim_status(particle_doc **out, int *complete_out, particle_client *c,
                        const char *iccid, const particle_request_options *opts)
{
    if (complete_out != NULL) {
        *complete_out = 0;
    }
    int error = sim_fetch_doc(out, c, iccid, "status", opts);
    if (error == 0 && complete_out != NULL) {
        *complete_out = status_complete(particle__json(particle_doc_root(*out)));
    }
    return error;
}

/* How long to sleep before the next poll: until meta.check_again_after, within bounds. */
static int64_t poll_delay_ms(const particle_doc *doc)
{
    const char *again = particle_value_string(particle_value_get(
        particle_value_get(particle_doc_root(doc), "meta"), "check_again_after"));
    int64_t at;
    if (again == NULL || pu_time_parse_iso8601(again, &at) != 0) {
        return STATUS_POLL_MAX_MS;
    }
    int64_t wait = at - pu_time_now_ms();
    return wait < STATUS_POLL_MIN_MS ? STATUS_POLL_MIN_MS
                                     : (wait > STATUS_POLL_MAX_MS ? STATUS_POLL_MAX_MS : wait);
}

int particle_sim_status_wait(particle_doc **out, particle_client *c, const char *iccid,
                             long timeout_ms, const particle_request_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (timeout_ms <= 0) {
        return particle__error_set(PARTICLE_EINVAL, "timeout_ms must be positive");
    }
    int64_t deadline = pu_time_mono_ms() + timeout_ms;
    for (;;) {
        particle_doc *doc = NULL;
        int complete = 0;
        int error = particle_sim_status(&doc, &complete, c, iccid, opts);
        if (error < 0 || complete) {
            *out = doc;
            return error;
        }
        int64_t wait = poll_delay_ms(doc);
        particle_doc_free(doc);
        if (deadline - pu_time_mono_ms() <= wait) {
            /* the next poll would come after the deadline */
            return particle__error_set(PARTICLE_ETIMEDOUT,
                                       "the SIM status task was still pending after %ld ms",
                                       timeout_ms);
        }
        pu_time_sleep_ms(wait);
    }
}

/* ---- typed getters ---- */

const char *particle_sim_iccid(const particle_value *sim)
{
    const char *id = particle_value_string(particle_value_get(sim, "iccid"));
    return id != NULL ? id : particle_value_string(particle_value_get(sim, "_id"));
}

const char *particle_sim_status_text(const particle_value *sim)
{
    return particle_value_string(particle_value_get(sim, "status"));
}

const char *particle_sim_carrier(const particle_value *sim)
{
    return particle_value_string(particle_value_get(sim, "carrier"));
}

const char *particle_sim_last_device_id(const particle_value *sim)
{
    return particle_value_string(particle_value_get(sim, "last_device_id"));
}

long long particle_sim_mb_limit(const particle_value *sim)
{
    return particle_value_int(particle_value_get(sim, "mb_limit"), -1);
}

const particle_value *particle_sim_usage_days(const particle_value *usage)
{
    const particle_value *v = particle_value_get(usage, "usage_by_day");
    return particle_value_type_of(v) == PARTICLE_VALUE_ARRAY ? v : NULL;
}

double particle_sim_usage_total_mb(const particle_value *usage)
{
    const particle_value *total = particle_value_get(usage, "total_mbs_used");
    if (total != NULL) {
        return particle_value_double(total, 0);
    }
    const particle_value *days = particle_sim_usage_days(usage);
    size_t n = particle_value_count(days);
    return n == 0
               ? 0
               : particle_value_double(
                     particle_value_get(particle_value_at(days, n - 1), "mbs_used_cumulative"), 0);
}
