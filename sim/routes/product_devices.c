/*
 * POST /v1/products/:product/devices: import devices into a product, which with one {id} is
 * also how a quarantined device is approved (reference/cloud-api.md §5.4).
 *
 * The body names the devices as {"id": ID} and/or {"ids": [ID, ...]} (JSON), or id=ID /
 * ids[]=ID&ids[]=ID (form). Each id lands in one list of the answer:
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
 * Who may call: the product's team members and product tokens (sim_route_product: 404 for an
 * unknown product, 403 otherwise).
 */
#include <ctype.h>
#include <string.h>

#include "routes/sim_routes.h"

typedef struct import_result {
    json_t *updated, *existing, *nonmember, *invalid;
} import_result;

/* Adds the body's "id" and "ids" entries to @p out. Returns NULL, or why the body is bad. */
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
    if (!json_array_size(out))
        return "No devices to import: send id or ids";
    size_t i;
    json_t *v;
    json_array_foreach(out, i, v)
    {
        if (!*json_string_value(v))
            return "A device id is empty";
    }
    return NULL;
}

/* The device for a 24-hex id (any case), else SIM_NONE. */
static uint32_t find_device(const sim_model *m, const char *id)
{
    char lower[SIM_DEVICE_ID_LEN + 1];
    if (strlen(id) != SIM_DEVICE_ID_LEN)
        return SIM_NONE;
    for (size_t i = 0; i < SIM_DEVICE_ID_LEN; i++) {
        if (!isxdigit((unsigned char)id[i]))
            return SIM_NONE;
        lower[i] = (char)tolower((unsigned char)id[i]);
    }
    lower[SIM_DEVICE_ID_LEN] = '\0';
    return sim_model_find_device_id(m, lower);
}

/* Sorts one id into its list, moving the device when it may join. Model lock held. */
static void import_one(sim_model *m, uint32_t product, uint32_t claimer, const char *id,
                       import_result *r)
{
    uint32_t dev = find_device(m, id);
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

void sim_routes_product_devices(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "POST", "/v1/products/:product/devices", 0, handle_import, ctx);
}
