/*
 * POST /v1/products/:product/devices: import devices into a product, which with one {id} is
 * also how a quarantined device is approved (reference/cloud-api.md §5.4).
 *
 * The body names the devices as {"id": ID} and/or {"ids": [ID, ...]} (JSON), or id=ID /
 * ids[]=ID&ids[]=ID (form), or as a multipart/form-data file part (any part whose name starts
 * with "file", as particle-api-js's addDeviceToProduct sends it): one identifier per line,
 * a device id, serial number, IMEI or ICCID. Each one lands in one list of the answer:
 *   updatedDeviceIds   a known device that was not (or not yet approved) in the product and
 *                      is now: moved from another product or from no product, or approved
 *   existingDeviceIds  already in the product (also a repeated id in the same request)
 *   nonmemberDeviceIds owned by a developer who is not on the product's team: left alone
 *   invalidDeviceIds   unknown to the simulator, or of another platform than the product
 *   protectedDeviceIds always empty (the simulator has no device protection)
 * The simulator's fleet stands for every device Particle ever made, so an id it does not
 * know is invalid rather than created (docs/SIM.md). claim_user (body or query) must be a
 * developer on the product's team; the updated devices are then claimed by that user.
 * import_sims is accepted and ignored: SIMs are device fields here.
 *
 * PUT /v1/products/:product/devices is the batch update (§9.5); its one action, "groups",
 * adds devices to groups and removes them from others.
 *
 * Who may call: the product's team members and product tokens (sim_route_product: 404 for an
 * unknown product, 403 otherwise).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim_accounts.h"
#include "model/sim_groups.h"
#include "routes/sim_routes.h"

typedef struct import_result {
    json_t *updated, *existing, *nonmember, *invalid;
} import_result;

/* Adds each non-blank line of an import file (surrounding white space trimmed) to @p out. */
static void add_file_lines(const char *text, json_t *out)
{
    while (*text) {
        size_t len = strcspn(text, "\r\n");
        const char *start = text, *end = text + len;
        while (start < end && isspace((unsigned char)*start))
            start++;
        while (end > start && isspace((unsigned char)end[-1]))
            end--;
        if (end > start)
            json_array_append_new(out, json_stringn(start, (size_t)(end - start)));
        text += len;
        text += strspn(text, "\r\n");
    }
}

/* Adds the body's "id" and "ids" entries, and the lines of its "file" parts, to @p out. Returns
 * NULL, or why the body is bad. */
static const char *collect_ids(json_t *body, json_t *out)
{
    json_t *id = json_object_get(body, "id");
    json_t *ids = json_object_get(body, "ids");
    if (id && !json_is_string(id))
        return "id must be a string";
    if (id)
        json_array_append(out, id);
    if (json_is_string(ids)) { /* a form's plain ids=ID */
        json_array_append(out, ids);
    } else if (json_is_array(ids)) {
        size_t i;
        json_t *v;
        json_array_foreach(ids, i, v)
        {
            if (!json_is_string(v))
                return "ids must be an array of device ids";
            json_array_append(out, v);
        }
    } else if (ids) {
        return "ids must be an array of device ids";
    }
    const char *key;
    json_t *part;
    json_object_foreach(body, key, part)
    {
        if (strncmp(key, "file", 4) == 0 && json_is_string(part))
            add_file_lines(json_string_value(part), out);
    }
    if (!json_array_size(out))
        return "No devices to import: send id, ids or a file";
    size_t i;
    json_t *v;
    json_array_foreach(out, i, v)
    {
        if (!*json_string_value(v))
            return "A device id is empty";
    }
    return NULL;
}

/* Sorts one id into its list, moving the device when it may join. Model lock held. */
static void import_one(sim_model *m, uint32_t product, uint32_t claimer, const char *id,
                       import_result *r)
{
    uint32_t dev = sim_model_find_device_identifier(m, id);
    if (dev == SIM_NONE || m->devices[dev].platform_id != m->products[product].platform_id) {
        json_array_append_new(r->invalid, json_string(id));
        return;
    }
    const sim_device *d = &m->devices[dev];
    json_t *canonical = json_string(d->id);
    if (d->product == product && !d->quarantined && !d->denied) {
        json_array_append_new(r->existing, canonical);
        return;
    }
    if (d->product != product && d->owner != SIM_NONE &&
        m->users[d->owner].customer_of == SIM_NONE &&
        !sim_model_is_team_member(m, product, d->owner)) {
        json_array_append_new(r->nonmember, canonical);
        return;
    }
    sim_model_set_product(m, dev, product);
    if (claimer != SIM_NONE)
        sim_model_set_owner(m, dev, claimer);
    json_array_append_new(r->updated, canonical);
}

static void handle_import(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    json_t *ids = json_array();
    const char *claim_user = httpd_request_arg(req, "claim_user");
    sim_model_lock(m);
    uint32_t product = sim_route_product(ctx, req, res);
    if (product == SIM_NONE)
        goto done;
    const char *bad = collect_ids(httpd_request_body(req), ids);
    if (bad) {
        sim_reply_fail(res, 400, bad);
        goto done;
    }
    uint32_t claimer = SIM_NONE;
    if (claim_user && *claim_user) {
        claimer = sim_model_find_user(m, claim_user);
        if (claimer == SIM_NONE || !sim_model_is_team_member(m, product, claimer)) {
            sim_reply_fail(res, 400, "claim_user is not a member of the product team");
            goto done;
        }
    }
    import_result r = {json_array(), json_array(), json_array(), json_array()};
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id)
    {
        import_one(m, product, claimer, json_string_value(id), &r);
    }
    httpd_response_json(res, 200,
                        json_pack("{s:I, s:o, s:o, s:o, s:o, s:[]}", "updated",
                                  (json_int_t)json_array_size(r.updated), "updatedDeviceIds",
                                  r.updated, "existingDeviceIds", r.existing, "nonmemberDeviceIds",
                                  r.nonmember, "invalidDeviceIds", r.invalid,
                                  "protectedDeviceIds"));
done:
    sim_model_unlock(m);
    json_decref(ids);
}

/* The strings of @p arr (a JSON array, or absent = none) in *@p out (to free); NULL for an
 * entry that is not a string. Returns false when @p arr is neither absent nor an array. */
static bool string_list(json_t *arr, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!arr)
        return true;
    if (!json_is_array(arr))
        return false;
    *n = json_array_size(arr);
    *out = calloc(*n ? *n : 1, sizeof(**out));
    if (!*out)
        abort();
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = json_string_value(json_array_get(arr, i));
    return true;
}

/* The devices of a batch, resolved in @p product (any-case ids); NULL with *bad set. */
static uint32_t *batch_devices(const sim_model *m, uint32_t product, json_t *devices, size_t *n,
                               const char **bad)
{
    *n = json_array_size(devices);
    if (!json_is_array(devices) || *n == 0) {
        *bad = "devices must be a non-empty array of device ids";
        return NULL;
    }
    uint32_t *devs = calloc(*n, sizeof(*devs));
    if (!devs)
        abort();
    for (size_t i = 0; i < *n; i++) {
        const char *id = json_string_value(json_array_get(devices, i));
        devs[i] = id ? sim_model_find_device_identifier(m, id) : SIM_NONE;
        if (devs[i] == SIM_NONE || m->devices[devs[i]].product != product ||
            (id && strlen(id) != SIM_DEVICE_ID_LEN)) {
            *bad = "devices names a device id that is not in this product";
            free(devs);
            return NULL;
        }
    }
    return devs;
}

/* PUT /v1/products/:product/devices {"action":"groups","devices":[..],"metadata":{"add":[..],
 * "remove":[..]}} (§9.5): every device or none; 200 {"ok":true}. */
static void handle_batch(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    json_t *body = httpd_request_body(req);
    json_t *metadata = json_object_get(body, "metadata");
    const char *action = json_string_value(json_object_get(body, "action"));
    const char **add = NULL, **remove = NULL;
    size_t nadd = 0, nremove = 0, n = 0;
    uint32_t *devs = NULL;
    const char *bad = NULL;
    sim_model_lock(m);
    uint32_t product = sim_route_product_right(ctx, req, res, SIM_RIGHT_DEVELOP);
    if (product == SIM_NONE)
        goto done;
    if (!action || strcmp(action, "groups") != 0)
        bad = "action must be \"groups\" (the only batch action particle-sim has)";
    else if (!json_is_object(metadata) ||
             (!json_object_get(metadata, "add") && !json_object_get(metadata, "remove")) ||
             !string_list(json_object_get(metadata, "add"), &add, &nadd) ||
             !string_list(json_object_get(metadata, "remove"), &remove, &nremove))
        bad = "metadata must be an object with add and/or remove arrays of group names";
    else if ((devs = batch_devices(m, product, json_object_get(body, "devices"), &n, &bad)))
        bad = sim_group_batch(m, product, devs, n, add, nadd, remove, nremove);
    if (bad)
        sim_reply_fail(res, 400, bad);
    else
        httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
done:
    sim_model_unlock(m);
    free(devs);
    free(add);
    free(remove);
}

void sim_routes_product_devices(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "POST", "/v1/products/:product/devices", 0, handle_import, ctx);
    httpd_route_add(srv, "PUT", "/v1/products/:product/devices", 0, handle_batch, ctx);
}
