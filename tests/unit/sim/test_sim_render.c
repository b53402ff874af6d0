/*
 * The device rendering (routes/device_render.h) against an oracle kept here, the same object
 * built field by field as a jansson tree (device_json_oracle) and dumped compactly: byte for byte,
 * for every device of the default fleet and every view (user/product, with/without owner), before
 * and after changes made through the model (rename, notes with characters that need escaping,
 * offline and online, owner, product membership) and through the HTTP routes (PUT
 * name/notes/groups/ development/desired firmware, claim, unclaim, product removal and denial,
 * import, the control API's offline/online, reset). The route tests compare what GET /v1/devices,
 * GET /v1/devices/:id, the product routes and the product list send with the reference
 * built from the model under its lock, with the simulation clock paused so "last_heard"
 * cannot move in between. A stale cache entry would fail the comparison (and, in debug
 * builds, abort in the renderer's own hit check).
 */
#include "sim_test.h"

#include "clock.h"
#include "fleet.h"
#include "model/sim_keys.h"
#include "model/sim_model.h"
#include "model/sim_tokens.h"
#include "pu_buf.h"
#include "pu_str.h"
#include "routes/device_render.h"
#include "routes/sim_routes.h"

#define START_MS 1700000000000LL

/* ---- the oracle: the §5.1 device object as a jansson tree ---- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}
static json_t *device_json_oracle(const sim_model *m, uint32_t dev, bool product_view,
                                  bool with_owner)
{
    const sim_device *d = &m->devices[dev];
    const sim_template *t = &m->templates[d->tmpl];
    const sim_product *p = d->product != SIM_NONE ? &m->products[d->product] : NULL;
    int64_t now = sim_model_now(m);
    char ip[16], secret[16];
    snprintf(ip, sizeof(ip), "%u.%u.%u.%u", d->ip >> 24, (d->ip >> 16) & 255, (d->ip >> 8) & 255,
             d->ip & 255);
    sim_device_mobile_secret(d->id, secret);

    json_t *fns = json_array();
    for (uint32_t i = 0; i < t->fn_count; i++)
        json_array_append_new(fns, json_string(t->fns[i].name));
    json_t *vars = json_object();
    for (uint32_t i = 0; i < t->var_count; i++)
        json_object_set_new(vars, t->vars[i].name, json_string(sim_var_type_name(t->vars[i].type)));

    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(d->id));
    json_object_set_new(o, "name", str_or_null(d->name));
    if (with_owner && d->owner != SIM_NONE)
        json_object_set_new(o, "owner", json_string(m->users[d->owner].username));
    json_object_set_new(o, "last_ip_address", json_string(ip));
    json_object_set_new(o, "last_heard", sim_json_time(d->online ? now : d->last_heard_ms));
    json_object_set_new(o, "last_handshake_at", sim_json_time(d->last_handshake_ms));
    json_object_set_new(o, "product_id", json_integer(p ? p->id : d->platform_id));
    json_object_set_new(o, "online", json_boolean(d->online));
    json_object_set_new(o, "connected", json_boolean(d->online));
    json_object_set_new(o, "platform_id", json_integer(d->platform_id));
    json_object_set_new(o, "cellular", json_boolean(d->cellular));
    json_object_set_new(o, "notes", str_or_null(d->notes));
    json_object_set_new(o, "functions", fns);
    json_object_set_new(o, "variables", vars);
    json_object_set_new(o, "status", json_string("normal"));
    json_object_set_new(o, "serial_number", json_string(d->serial));
    if (d->cellular) {
        json_object_set_new(o, "iccid", json_string(d->iccid));
        json_object_set_new(o, "imei", json_string(d->imei));
    } else {
        char mac[18];
        snprintf(mac, sizeof(mac), "%.2s:%.2s:%.2s:%.2s:%.2s:%.2s", d->id + 12, d->id + 14,
                 d->id + 16, d->id + 18, d->id + 20, d->id + 22);
        json_object_set_new(o, "mac_wifi", json_string(mac));
    }
    json_object_set_new(o, "mobile_secret", json_string(secret));
    json_object_set_new(o, "system_firmware_version", json_string(d->system_firmware));
    json_object_set_new(o, "firmware_updates_enabled", json_boolean(d->updates_enabled));
    json_object_set_new(o, "firmware_updates_forced", json_boolean(d->updates_forced));
    json_object_set_new(
        o, "device_protection",
        json_pack("{s:s}", "status", sim_protection_name(sim_protection_of(m, dev))));
    if (product_view && p) {
        json_t *groups = json_array();
        for (uint32_t g = 0; g < p->group_count; g++)
            if (d->groups & (1u << g))
                json_array_append_new(groups, json_string(p->groups[g]));
        json_object_set_new(o, "firmware_product_id", json_integer(p->id));
        json_object_set_new(o, "groups", groups);
        json_object_set_new(o, "firmware_version", json_integer(d->firmware_version));
        json_object_set_new(o, "desired_firmware_version",
                            d->desired_firmware_version < 0
                                ? json_null()
                                : json_integer(d->desired_firmware_version));
        json_object_set_new(o, "targeted_firmware_release_version",
                            json_integer(d->desired_firmware_version < 0
                                             ? d->firmware_version
                                             : d->desired_firmware_version));
        json_object_set_new(o, "development", json_boolean(d->development));
        json_object_set_new(o, "quarantined", json_boolean(d->quarantined));
        json_object_set_new(o, "denied", json_boolean(d->denied));
    }
    return o;
}

/* ---- model level ---- */

typedef struct model_fixture {
    sim_clock *clock;
    sim_model *m;
    sim_render_cache *cache;
} model_fixture;

static int model_setup(void **state)
{
    model_fixture *f = calloc(1, sizeof(*f));
    f->clock = sim_clock_new(START_MS);
    sim_clock_pause(f->clock);
    f->m = sim_model_new(f->clock, 1);
    f->cache = sim_render_cache_new(0);
    char err[256];
    json_t *fleet = sim_fleet_default();
    sim_model_lock(f->m);
    assert_int_equal(sim_fleet_load(f->m, fleet, "default", err, sizeof(err)), 0);
    sim_model_unlock(f->m);
    json_decref(fleet);
    *state = f;
    return 0;
}

static int model_teardown(void **state)
{
    model_fixture *f = *state;
    sim_render_cache_free(f->cache);
    sim_model_free(f->m);
    sim_clock_free(f->clock);
    free(f);
    return 0;
}

static char *reference(const sim_model *m, uint32_t dev, bool product_view, bool with_owner)
{
    json_t *o = device_json_oracle(m, dev, product_view, with_owner);
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    assert_non_null(text);
    return text;
}

/* Every device, every view, twice (the second time from the cache). */
static void expect_all_equal(sim_render_cache *cache, const sim_model *m, const char *when)
{
    for (int round = 0; round < 2; round++) {
        for (uint32_t dev = 0; dev < m->device_count; dev++) {
            for (int view = 0; view < 4; view++) {
                bool product_view = view & 1, with_owner = view & 2;
                char *want = reference(m, dev, product_view, with_owner);
                pu_buf got;
                pu_buf_xinit(&got);
                sim_render_device(cache, m, dev, product_view, with_owner, sim_model_now(m), &got);
                if (strcmp(got.data, want) != 0)
                    fail_msg("%s: device %s (product_view %d, with_owner %d):\n"
                             "want %s\ngot  %s",
                             when, m->devices[dev].id, product_view, with_owner, want, got.data);
                pu_buf_dispose(&got);
                free(want);
            }
        }
    }
}

static void test_default_fleet_every_view(void **state)
{
    model_fixture *f = *state;
    sim_model *m = f->m;
    sim_model_lock(m);
    assert_true(m->device_count >= 10);
    /* the fleet has what the optional parts depend on: owners, products, both radios */
    bool owned = false, unowned = false, product = false, cellular = false, wifi = false;
    for (uint32_t i = 0; i < m->device_count; i++) {
        const sim_device *d = &m->devices[i];
        owned |= d->owner != SIM_NONE;
        unowned |= d->owner == SIM_NONE;
        product |= d->product != SIM_NONE;
        cellular |= d->cellular;
        wifi |= !d->cellular;
    }
    assert_true(owned && unowned && product && cellular && wifi);
    expect_all_equal(f->cache, m, "initial fleet");
    assert_true(sim_render_cache_bytes(f->cache) > 0);
    sim_model_unlock(m);
}

static void test_changes_through_the_model(void **state)
{
    model_fixture *f = *state;
    sim_model *m = f->m;
    sim_model_lock(m);
    expect_all_equal(f->cache, m, "before changes"); /* fills the cache */
    uint32_t boron = sim_test_device_named(m, "demo-boron-1");
    uint32_t photon = sim_test_device_named(m, "demo-photon-1");
    uint32_t tracker = sim_test_device_named(m, "tracker-2");

    /* (control characters cannot get in: test_string_escaping covers their escaping) */
    sim_device_update u = {.fields = SIM_DEVICE_NAME,
                           .name = "caf\xc3\xa9 \"quoted\" \\ back/slash"};
    assert_null(sim_model_update_device(m, boron, &u));
    expect_all_equal(f->cache, m, "after rename");
    u = (sim_device_update){.fields = SIM_DEVICE_NOTES, .notes = "line1 \xe2\x82\xac </script>"};
    assert_null(sim_model_update_device(m, boron, &u));
    expect_all_equal(f->cache, m, "after notes");
    u = (sim_device_update){.fields = SIM_DEVICE_NOTES, .notes = NULL};
    assert_null(sim_model_update_device(m, boron, &u));
    expect_all_equal(f->cache, m, "after notes cleared");

    sim_clock_advance(f->clock, 1234);
    sim_model_set_online(m, boron, false); /* last_heard stops at the offline time */
    expect_all_equal(f->cache, m, "after offline");
    sim_clock_advance(f->clock, 60000);
    expect_all_equal(f->cache, m, "offline, a minute later");
    sim_model_set_online(m, photon, true); /* new handshake time */
    expect_all_equal(f->cache, m, "after online");
    sim_model_emit_device_event(m, photon, "temp", "21", false); /* last_heard only */
    sim_clock_advance(f->clock, 5);
    expect_all_equal(f->cache, m, "after a publish");

    sim_model_set_owner(m, tracker, sim_model_find_user(m, "other@example.com"));
    expect_all_equal(f->cache, m, "after owner change");
    sim_model_set_owner(m, boron, SIM_NONE);
    expect_all_equal(f->cache, m, "after unclaim");
    sim_model_set_product(m, boron, m->devices[tracker].product);
    expect_all_equal(f->cache, m, "after product import");
    sim_model_unlock(m);
}

static void test_full_cache_renders_the_same(void **state)
{
    model_fixture *f = *state;
    sim_render_cache *small = sim_render_cache_new(1); /* nothing fits */
    sim_model_lock(f->m);
    expect_all_equal(small, f->m, "without cache");
    assert_int_equal(sim_render_cache_bytes(small), 0);
    sim_model_unlock(f->m);
    sim_render_cache_free(small);
}

static void test_string_escaping(void **state)
{
    (void)state;
    pu_buf b;
    pu_buf_xinit(&b);
    sim_render_string(&b, "a\"b\\c/d\n\x1f\xc3\xa9");
    sim_render_string(&b, NULL);
    sim_render_string(&b, "\xff not UTF-8");
    assert_string_equal(b.data, "\"a\\\"b\\\\c/d\\n\\u001F\xc3\xa9\"nullnull");
    pu_buf_dispose(&b);
}

/* ---- HTTP routes against the reference ---- */

static void post_ok(const sim_test *t, const char *method, const char *path, const char *ct,
                    const char *body, long status)
{
    http_reply r = sim_req(t, method, path, DEMO_TOKEN, ct, body);
    if (r.status != status)
        fail_msg("%s %s: expected %ld, got %ld %s", method, path, status, r.status,
                 r.body ? r.body : "");
    http_reply_dispose(&r);
}

static char *get_body(const sim_test *t, const char *path, const char *token)
{
    http_reply r = sim_req(t, "GET", path, token, NULL, NULL);
    if (r.status != 200)
        fail_msg("GET %s: %ld %s", path, r.status, r.body ? r.body : "");
    char *body = r.body;
    r.body = NULL;
    http_reply_dispose(&r);
    return body;
}

/* GET /v1/devices for @p token equals the jansson list of the devices the model lists. */
static void expect_user_list(const sim_test *t, const char *token, const char *when)
{
    char *body = get_body(t, "/v1/devices", token);
    sim_model *m = sim_server_model(t->srv);
    sim_model_lock(m);
    sim_principal p;
    assert_true(sim_token_principal(m, token, &p, NULL));
    json_t *list = json_array();
    for (uint32_t i = 0; i < m->device_count; i++)
        if (sim_model_lists_device(m, &p, i))
            json_array_append_new(list, device_json_oracle(m, i, false, false));
    sim_model_unlock(m);
    char *want = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    if (strcmp(body, want) != 0)
        fail_msg("%s: GET /v1/devices\nwant %s\ngot  %s", when, want, body);
    free(want);
    free(body);
}

/* GET of every device the demo user may see, by the user route and its product route. */
static void expect_gets(const sim_test *t, const char *when)
{
    sim_model *m = sim_server_model(t->srv);
    sim_model_lock(m);
    sim_principal p;
    assert_true(sim_token_principal(m, DEMO_TOKEN, &p, NULL));
    uint32_t count = m->device_count;
    sim_model_unlock(m);
    for (uint32_t dev = 0; dev < count; dev++) {
        for (int via_product = 0; via_product < 2; via_product++) {
            char path[160], id[SIM_DEVICE_ID_LEN + 1];
            sim_model_lock(m);
            uint32_t product = m->devices[dev].product;
            bool visible =
                sim_model_can_access_device(m, &p, dev, via_product ? product : SIM_NONE);
            if (via_product && product == SIM_NONE)
                visible = false;
            pu_strlcpy(id, m->devices[dev].id, sizeof(id));
            if (via_product && visible)
                snprintf(path, sizeof(path), "/v1/products/%u/devices/%s", m->products[product].id,
                         id);
            else
                snprintf(path, sizeof(path), "/v1/devices/%s", id);
            sim_model_unlock(m);
            if (!visible)
                continue;
            char *body = get_body(t, path, DEMO_TOKEN);
            sim_model_lock(m);
            json_t *o = device_json_oracle(m, dev, via_product, true);
            sim_model_unlock(m);
            char *want = json_dumps(o, JSON_COMPACT);
            json_decref(o);
            if (strcmp(body, want) != 0)
                fail_msg("%s: GET %s\nwant %s\ngot  %s", when, path, want, body);
            free(want);
            free(body);
        }
    }
}

/* The product list's devices are the reference objects; customers and meta as sent. */
static void expect_product_list(const sim_test *t, const char *slug, const char *when)
{
    char path[128];
    snprintf(path, sizeof(path), "/v1/products/%s/devices?perPage=100", slug);
    char *body = get_body(t, path, DEMO_TOKEN);
    json_error_t jerr;
    json_t *got = json_loads(body, 0, &jerr);
    assert_non_null(got);
    sim_model *m = sim_server_model(t->srv);
    json_t *devices = json_array();
    size_t i;
    json_t *d;
    sim_model_lock(m);
    json_array_foreach(json_object_get(got, "devices"), i, d)
    {
        uint32_t dev = sim_model_find_device_id(m, jstr(d, "id"));
        assert_int_not_equal(dev, SIM_NONE);
        json_array_append_new(devices, device_json_oracle(m, dev, true, true));
    }
    sim_model_unlock(m);
    json_t *want_obj =
        json_pack("{s:o, s:O, s:O}", "devices", devices, "customers",
                  json_object_get(got, "customers"), "meta", json_object_get(got, "meta"));
    char *want = json_dumps(want_obj, JSON_COMPACT);
    if (strcmp(body, want) != 0)
        fail_msg("%s: GET %s\nwant %s\ngot  %s", when, path, want, body);
    assert_true(json_array_size(json_object_get(got, "devices")) > 0);
    free(want);
    json_decref(want_obj);
    json_decref(got);
    free(body);
}

static void expect_everything(const sim_test *t, const char *when)
{
    expect_user_list(t, DEMO_TOKEN, when);
    expect_user_list(t, OTHER_TOKEN, when);
    expect_gets(t, when);
    expect_product_list(t, "asset-tracker", when);
    expect_product_list(t, "env-sensors", when);
}

static void test_routes_match_reference(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    post_ok(t, "POST", "/sim/clock/pause", NULL, NULL, 200);
    expect_everything(t, "initial fleet");
    expect_everything(t, "initial fleet, from the cache");

    post_ok(t, "PUT", "/v1/devices/demo-boron-1", JSON_CT,
            "{\"name\":\"na\\u00efve \\\"one\\\"\",\"notes\":\"a/b \\\\ c \\u20ac\"}", 200);
    expect_everything(t, "after rename and notes");
    post_ok(t, "PUT", "/v1/devices/demo-argon-1", JSON_CT, "{\"notes\":null}", 200);
    post_ok(t, "PUT", "/v1/devices/demo-argon-1", JSON_CT, "{\"firmware_updates_forced\":true}",
            200);
    expect_everything(t, "after notes null and forced updates");

    post_ok(t, "POST", "/sim/devices/demo-argon-1/offline", NULL, NULL, 200);
    post_ok(t, "POST", "/sim/clock/advance", JSON_CT, "{\"ms\":90000}", 200);
    expect_everything(t, "after offline");
    post_ok(t, "POST", "/sim/devices/demo-photon-1/online", NULL, NULL, 200);
    expect_everything(t, "after online");

    post_ok(t, "PUT", "/v1/products/asset-tracker/devices/tracker-2", JSON_CT,
            "{\"groups\":[\"asia\",\"brand-new\"],\"development\":true,"
            "\"desired_firmware_version\":7}",
            200);
    expect_everything(t, "after product fields");
    /* a bad group after valid fields: the fields before it are applied, and shown */
    post_ok(t, "PUT", "/v1/products/asset-tracker/devices/tracker-2", JSON_CT,
            "{\"development\":false,\"groups\":[\"\\u0001\"]}", 400);
    expect_everything(t, "after a half-applied update");

    sim_model *m = sim_server_model(t->srv);
    char body[96], path[96];
    sim_model_lock(m);
    uint32_t boron = sim_test_device_named(m, "na\xc3\xafve \"one\"");
    snprintf(body, sizeof(body), "{\"id\":\"%s\"}", m->devices[boron].id);
    snprintf(path, sizeof(path), "/v1/devices/%s", m->devices[boron].id);
    sim_model_unlock(m);
    post_ok(t, "DELETE", path, NULL, NULL, 200);
    expect_everything(t, "after unclaim");
    post_ok(t, "POST", "/v1/devices", JSON_CT, body, 200);
    expect_everything(t, "after claim");

    sim_model_lock(m);
    snprintf(body, sizeof(body), "{\"id\":\"%s\"}",
             m->devices[sim_test_device_named(m, "tracker-1")].id);
    sim_model_unlock(m);
    post_ok(t, "DELETE", "/v1/products/asset-tracker/devices/tracker-1", NULL, NULL, 204);
    expect_everything(t, "after product removal");
    post_ok(t, "POST", "/v1/products/asset-tracker/devices", JSON_CT, body, 200);
    expect_everything(t, "after import");
    post_ok(t, "DELETE", "/v1/products/asset-tracker/devices/tracker-5", JSON_CT, "{\"deny\":true}",
            204);
    expect_everything(t, "after deny");

    post_ok(t, "POST", "/sim/reset", NULL, NULL, 200);
    post_ok(t, "POST", "/sim/clock/pause", NULL, NULL, 200);
    expect_everything(t, "after reset");
    sim_test_stop(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_default_fleet_every_view, model_setup, model_teardown),
        cmocka_unit_test_setup_teardown(test_changes_through_the_model, model_setup,
                                        model_teardown),
        cmocka_unit_test_setup_teardown(test_full_cache_renders_the_same, model_setup,
                                        model_teardown),
        cmocka_unit_test(test_string_escaping),
        cmocka_unit_test(test_routes_match_reference),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
