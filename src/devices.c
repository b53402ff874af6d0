/* Device calls (cloud-api.md §5): listing, the product page iterator, get, the multiplexed
 * update and its shortcuts, ping, claim, remove; and typed getters on a device object. */
#include <string.h>

#include "alloc.h"
#include "http.h"
#include "pager.h"
#include "particle/devices.h"
#include "pu_time.h"
#include "value_internal.h"

int particle_device_list_options_init(particle_device_list_options *opts, unsigned int version)
{
    static const particle_device_list_options defaults = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_DEVICE_LIST_OPTIONS_VERSION, "list");
}

int particle_device_update_options_init(particle_device_update_options *u, unsigned int version)
{
    static const particle_device_update_options defaults = PARTICLE_DEVICE_UPDATE_OPTIONS_INIT;
    return particle__options_init(u, &defaults, sizeof(defaults), version,
                                  PARTICLE_DEVICE_UPDATE_OPTIONS_VERSION, "update");
}

/* ---- listing ---- */

/* The product listing's query, with the keys particle-api-js sends (camelCase filters,
 * `per_page`). @p page overrides opts->page when non-zero. */
static int list_query(pu_buf *q, const particle_device_list_options *o, unsigned int page)
{
    particle__pager_query_filter(q, "deviceId", o->device_id);
    particle__pager_query_filter(q, "deviceName", o->device_name);
    particle__pager_query_filter(q, "groups", o->groups);
    particle__pager_query_filter(q, "serialNumber", o->serial_number);
    particle__pager_query_filter(q, "sortAttr", o->sort_attr);
    particle__pager_query_filter(q, "sortDir", o->sort_dir);
    if (o->quarantined != PARTICLE_UNSET) {
        pu_buf_append_param(q, "quarantined", o->quarantined == PARTICLE_YES ? "true" : "false");
    }
    return particle__pager_query_end(q, page, o->page, o->per_page);
}

static int fetch_list(json_t **out, particle_client *c, const particle_device_list_options *o,
                      unsigned int page)
{
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    if (o == NULL || o->product == NULL) {
        particle__request req = {.method = "GET", .path = "/v1/devices"};
        return particle__http_perform(c, &req, out);
    }
    int error;
    if ((error = particle__require(o->product, "product id or slug")) < 0) {
        return error;
    }
    char *path = particle__api_path(o->product, "devices", NULL, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    pu_buf query;
    particle__buf_init(&query, PARTICLE__PATH_MAX_BYTES);
    if ((error = list_query(&query, o, page)) == 0) {
        particle__request req = {.method = "GET", .path = path, .query = query.data};
        error = particle__http_perform(c, &req, out);
    }
    pu_buf_dispose(&query);
    particle__free(path);
    return error;
}

int particle_device_list(particle_doc **out, particle_client *c,
                         const particle_device_list_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    json_t *root = NULL;
    int error = fetch_list(&root, c, opts, 0);
    return error < 0 ? error : particle__doc_wrap(out, root);
}

/* ---- the product page iterator ---- */

struct particle_device_iter {
    particle_client *client;
    particle_device_list_options opts; /* its strings are the pager's copies */
    particle__pager pager;
};

void particle_device_iter_free(particle_device_iter *it)
{
    if (it == NULL) {
        return;
    }
    particle__pager_dispose(&it->pager);
    particle__free(it);
}

int particle_device_iter_new(particle_device_iter **out, particle_client *c,
                             const particle_device_list_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    int error;
    if (c == NULL || opts == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client and options are required");
    }
    if ((error = particle__require(opts->product, "product id or slug")) < 0) {
        return error;
    }
    particle_device_iter *it = particle__calloc(1, sizeof(*it));
    if (it == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    it->client = c;
    it->opts = *opts;
    particle__pager_init(&it->pager, "devices", "product device", opts->page);
    if ((error = particle__pager_keep(&it->pager, &it->opts.product)) < 0 ||
        (error = particle__pager_keep(&it->pager, &it->opts.device_id)) < 0 ||
        (error = particle__pager_keep(&it->pager, &it->opts.device_name)) < 0 ||
        (error = particle__pager_keep(&it->pager, &it->opts.groups)) < 0 ||
        (error = particle__pager_keep(&it->pager, &it->opts.serial_number)) < 0 ||
        (error = particle__pager_keep(&it->pager, &it->opts.sort_attr)) < 0 ||
        (error = particle__pager_keep(&it->pager, &it->opts.sort_dir)) < 0) {
        particle_device_iter_free(it);
        return error;
    }
    *out = it;
    return 0;
}

static int fetch_page(json_t **page, void *ctx, unsigned int page_no)
{
    particle_device_iter *it = ctx;
    return fetch_list(page, it->client, &it->opts, page_no);
}

int particle_device_iter_next(const particle_value **out, particle_device_iter *it)
{
    if (out == NULL || it == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "NULL argument");
    }
    return particle__pager_next(&it->pager, out, fetch_page, it);
}

unsigned int particle_device_iter_total_pages(const particle_device_iter *it)
{
    return it == NULL ? 0 : it->pager.total_pages;
}

/* ---- one device ---- */

int particle_device_get(particle_doc **out, particle_client *c, const char *device,
                        const particle_request_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    char *path = particle__device_path(particle__request_product(opts), device, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__request req = {.method = "GET", .path = path};
    int error = particle__http_doc(out, c, &req);
    particle__free(path);
    return error;
}

static int tristate_json(json_t *body, const char *key, particle_tristate t)
{
    if (t == PARTICLE_UNSET) {
        return 0;
    }
    return particle__json_set(body, key, json_boolean(t == PARTICLE_YES));
}

/* The JSON body of the multiplexed update; field names (and their order) as in
 * particle-api-js. */
static int update_body(json_t **out, const particle_device_update_options *u)
{
    json_t *body = json_object();
    int error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    if (error == 0 && u->name != NULL) {
        error = particle__json_add_text(body, "name", u->name, "name");
    }
    if (error == 0 && u->notes != NULL) {
        error = particle__json_add_text(body, "notes", u->notes, "notes");
    }
    if (error == 0 && u->signal != PARTICLE_UNSET) {
        /* particle-api-js sends the strings "1"/"0" */
        error = particle__json_add_text(body, "signal", u->signal == PARTICLE_YES ? "1" : "0",
                                        "signal");
    }
    if (error == 0) {
        error = tristate_json(body, "development", u->development);
    }
    if (error == 0 && u->firmware_lock == PARTICLE_FIRMWARE_LOCK) {
        error = particle__json_set(body, "desired_firmware_version",
                                   json_integer(u->desired_firmware_version));
    } else if (error == 0 && u->firmware_lock == PARTICLE_FIRMWARE_UNLOCK) {
        error = particle__json_set(body, "desired_firmware_version", json_null());
    }
    if (error == 0) {
        error = tristate_json(body, "flash", u->flash);
    }
    if (error == 0) {
        error = tristate_json(body, "firmware_updates_forced", u->firmware_updates_forced);
    }
    if (error == 0 && u->groups != NULL) {
        json_t *groups = json_array();
        error = particle__json_set(body, "groups", groups);
        for (size_t i = 0; error == 0 && i < u->groups_count; i++) {
            error = particle__json_add_text(groups, NULL, u->groups[i], "group name");
        }
    }
    if (error == 0 && json_object_size(body) == 0) {
        error = particle__error_set(PARTICLE_EINVAL, "the update sets no field");
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    *out = body;
    return 0;
}

/* Sends @p body (borrowed) with @p method to the device path + @p suffix. */
static int device_json_call(particle_doc **out, particle_client *c, const char *method,
                            const char *device, const char *suffix, json_t *body,
                            const particle_request_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    char *path = particle__device_path(particle__request_product(opts), device, suffix);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    int error = particle__http_json_doc(out, c, method, path, body, particle__request_retry(opts));
    particle__free(path);
    return error;
}

int particle_device_update(particle_doc **out, particle_client *c, const char *device,
                           const particle_device_update_options *update,
                           const particle_request_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (update == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "update options are NULL");
    }
    int error =
        particle__options_check(update->version, PARTICLE_DEVICE_UPDATE_OPTIONS_VERSION, "update");
    if (error < 0) {
        return error;
    }
    json_t *body = NULL;
    error = update_body(&body, update);
    if (error < 0) {
        return error;
    }
    error = device_json_call(out, c, "PUT", device, NULL, body, opts);
    json_decref(body);
    return error;
}

int particle_device_rename(particle_doc **out, particle_client *c, const char *device,
                           const char *name, const particle_request_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(name, "new name");
    if (error < 0) {
        return error;
    }
    particle_device_update_options u = PARTICLE_DEVICE_UPDATE_OPTIONS_INIT;
    u.name = name;
    return particle_device_update(out, c, device, &u, opts);
}

int particle_device_set_notes(particle_doc **out, particle_client *c, const char *device,
                              const char *notes, const particle_request_options *opts)
{
    particle_device_update_options u = PARTICLE_DEVICE_UPDATE_OPTIONS_INIT;
    u.notes = notes != NULL ? notes : "";
    return particle_device_update(out, c, device, &u, opts);
}

int particle_device_signal(particle_doc **out, particle_client *c, const char *device, int on,
                           const particle_request_options *opts)
{
    particle_device_update_options u = PARTICLE_DEVICE_UPDATE_OPTIONS_INIT;
    u.signal = on ? PARTICLE_YES : PARTICLE_NO;
    return particle_device_update(out, c, device, &u, opts);
}

int particle_device_ping(particle_doc **out, particle_client *c, const char *device,
                         const particle_request_options *opts)
{
    return device_json_call(out, c, "PUT", device, "ping", NULL, opts);
}

int particle_device_claim(particle_doc **out, particle_client *c, const char *device_id,
                          int request_transfer, const particle_request_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(device_id, "device id");
    if (error < 0) {
        return error;
    }
    json_t *body = json_object();
    error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    if (error == 0) {
        error = particle__json_add_text(body, "id", device_id, "device id");
    }
    if (error == 0) {
        error = particle__json_set(body, "request_transfer", json_boolean(request_transfer));
    }
    if (error == 0) {
        error = particle__http_json_doc(out, c, "POST", "/v1/devices", body,
                                        particle__request_retry(opts));
    }
    json_decref(body);
    return error;
}

int particle_device_remove(particle_doc **out, particle_client *c, const char *device, int deny,
                           const particle_request_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (deny && particle__request_product(opts) == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "deny applies to product devices only");
    }
    json_t *body = NULL;
    if (particle__request_product(opts) != NULL &&
        (body = json_pack("{s:b}", "deny", deny)) == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    int error = device_json_call(out, c, "DELETE", device, NULL, body, opts);
    json_decref(body);
    return error;
}

int particle_device_remove_owner(particle_doc **out, particle_client *c, const char *device,
                                 const particle_request_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(particle__request_product(opts), "product id or slug");
    if (error < 0) {
        return error;
    }
    return device_json_call(out, c, "DELETE", device, "owner", NULL, opts);
}

/* ---- typed getters ---- */

const char *particle_device_id(const particle_value *d)
{
    return particle_value_string(particle_value_get(d, "id"));
}

const char *particle_device_name(const particle_value *d)
{
    return particle_value_string(particle_value_get(d, "name"));
}

int particle_device_online(const particle_value *d)
{
    int online = particle_value_bool(particle_value_get(d, "online"), -1);
    if (online < 0) {
        online = particle_value_bool(particle_value_get(d, "connected"), 0);
    }
    return online;
}

long long particle_device_platform_id(const particle_value *d)
{
    return particle_value_int(particle_value_get(d, "platform_id"), -1);
}

long long particle_device_product_id(const particle_value *d)
{
    return particle_value_int(particle_value_get(d, "product_id"), -1);
}

long long particle_device_last_heard_ms(const particle_value *d)
{
    const char *s = particle_value_string(particle_value_get(d, "last_heard"));
    int64_t ms;
    if (s == NULL || pu_time_parse_iso8601(s, &ms) != 0) {
        return -1;
    }
    return (long long)ms;
}

const char *particle_device_notes(const particle_value *d)
{
    return particle_value_string(particle_value_get(d, "notes"));
}

const char *particle_device_serial_number(const particle_value *d)
{
    return particle_value_string(particle_value_get(d, "serial_number"));
}

const char *particle_device_system_firmware_version(const particle_value *d)
{
    return particle_value_string(particle_value_get(d, "system_firmware_version"));
}

int particle_device_cellular(const particle_value *d)
{
    return particle_value_bool(particle_value_get(d, "cellular"), 0);
}

const particle_value *particle_device_functions(const particle_value *d)
{
    const particle_value *v = particle_value_get(d, "functions");
    return particle_value_type_of(v) == PARTICLE_VALUE_ARRAY ? v : NULL;
}

const particle_value *particle_device_variables(const particle_value *d)
{
    const particle_value *v = particle_value_get(d, "variables");
    return particle_value_type_of(v) == PARTICLE_VALUE_OBJECT ? v : NULL;
}

const particle_value *particle_device_groups(const particle_value *d)
{
    const particle_value *v = particle_value_get(d, "groups");
    return particle_value_type_of(v) == PARTICLE_VALUE_ARRAY ? v : NULL;
}

long long particle_device_firmware_version(const particle_value *d)
{
    return particle_value_int(particle_value_get(d, "firmware_version"), -1);
}

long long particle_device_targeted_firmware_release_version(const particle_value *d)
{
    return particle_value_int(particle_value_get(d, "targeted_firmware_release_version"), -1);
}

long long particle_device_desired_firmware_version(const particle_value *d)
{
    return particle_value_int(particle_value_get(d, "desired_firmware_version"), -1);
}

int particle_device_firmware_updates_enabled(const particle_value *d)
{
    return particle_value_bool(particle_value_get(d, "firmware_updates_enabled"), -1);
}

int particle_device_firmware_updates_forced(const particle_value *d)
{
    return particle_value_bool(particle_value_get(d, "firmware_updates_forced"), -1);
}
