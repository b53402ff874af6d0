/*
 * particle-bridge's fleet sync against particle-sim end to end: both in-process on loopback
 * port 0, the bridge storing into SQLite in a scratch directory (or, with BRIDGE_TEST_PG,
 * a fresh PostgreSQL database), configured with the default fleet's two products (one by
 * slug, one by id) and organization acme. After one sync the reports products, customers,
 * groups and product-devices (?product= and ?group=) show what the simulator holds, read
 * back through libparticle as the ground truth, and a later sync follows changes made there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <particle/particle.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_harness.h"
#include "pg_scratch.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "fleet-e2e-api-key-0123456789"
#define ACME_ID "5f0c0ffee0c0ffee0c0ffee0"

typedef struct fixture {
    bridge_harness h;
    char pg_name[64];       /* the PostgreSQL database, "" on SQLite */
    particle_client *cloud; /* the demo user on the simulator, for ground truth */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    sim_server_options so;
    sim_server_options_init(&so);
    so.threads = 4;
    if (f == NULL || bridge_harness_open(&f->h, "bridge-fleet-e2e", &so) != 0) {
        free(f);
        return -1;
    }
    if (bt_pg_uri() != NULL &&
        bt_pg_db_create(f->h.db, sizeof f->h.db, f->pg_name, sizeof f->pg_name) != 0) {
        bridge_harness_close(&f->h);
        free(f);
        return -1;
    }
    bridge_harness_configure(&f->h, TOKEN, KEY);
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = f->h.cfg.cloud_url;
    o.access_token = TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    if (particle_client_new(&f->cloud, &o) != 0) {
        return -1;
    }
    bridge_config *cfg = &f->h.cfg;
    cfg->user_scope = true;
    snprintf(cfg->products[0], sizeof cfg->products[0], "asset-tracker");
    snprintf(cfg->products[1], sizeof cfg->products[1], "10002");
    cfg->product_count = 2;
    snprintf(cfg->orgs[0], sizeof cfg->orgs[0], "acme");
    cfg->org_count = 1;
    cfg->request_timeout_ms = 5000;
    char verr[256];
    assert_int_equal(bridge_config_validate(cfg, verr, sizeof verr), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    particle_client_free(f->cloud);
    bridge_harness_close(&f->h);
    if (f->pg_name[0] != '\0') {
        bt_pg_db_drop(f->pg_name);
    }
    free(f);
    return 0;
}

static void start_and_sync(fixture *f)
{
    char err[512];
    bridge_harness_start_app(&f->h);
    if (bridge_app_sync_now(f->h.app, err, sizeof err) != 0) {
        fail_msg("sync: %s", err);
    }
}

/* GET @p path from the bridge as JSON; fails the test unless 200 with a JSON array. */
static json_t *report(fixture *f, const char *path)
{
    http_reply r = bridge_harness_api(&f->h, "GET", path, "application/json", NULL);
    if (r.status != 200) {
        fail_msg("GET %s: HTTP %ld %s", path, r.status, r.body);
    }
    json_t *j = http_reply_items(&r);
    http_reply_dispose(&r);
    assert_true(json_is_array(j));
    return j;
}

static const char *str(const json_t *row, const char *key)
{
    return json_string_value(json_object_get(row, key));
}

static long long num(const json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

/* The row of @p rows whose @p key is the string @p want, or NULL. */
static json_t *row_by(const json_t *rows, const char *key, const char *want)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *s = str(row, key);
        if (s != NULL && strcmp(s, want) == 0) {
            return row;
        }
    }
    return NULL;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The strings of array @p strings, sorted and joined with ',' into @p out; returns how many. */
static size_t sorted_join(const json_t *strings, char *out, size_t size)
{
    size_t n = json_array_size(strings), used = 0;
    const char **v = calloc(n + 1, sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < n; i++) {
        v[i] = json_string_value(json_array_get(strings, i));
        assert_non_null(v[i]);
    }
    qsort(v, n, sizeof *v, compare_strings);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(out + used, size - used, "%s%s", i ? "," : "", v[i]);
        assert_true(w > 0 && (size_t)w < size - used);
        used += (size_t)w;
    }
    free(v);
    return n;
}

/* The ids of the simulator's devices of @p product (in group @p group, NULL = all), sorted
 * and joined with ','; returns how many. */
static size_t cloud_device_ids(fixture *f, const char *product, const char *group, char *out,
                               size_t size)
{
    particle_device_list_options o = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    o.product = product;
    o.groups = group;
    o.per_page = 100;
    particle_device_iter *it = NULL;
    assert_int_equal(particle_device_iter_new(&it, f->cloud, &o), 0);
    json_t *ids = json_array();
    for (;;) {
        const particle_value *d = NULL;
        assert_int_equal(particle_device_iter_next(&d, it), 0);
        if (d == NULL) {
            break;
        }
        json_array_append_new(ids, json_string(particle_device_id(d)));
    }
    particle_device_iter_free(it);
    size_t n = sorted_join(ids, out, size);
    json_decref(ids);
    return n;
}

/* The DeviceId of the rows of @p rows, sorted and joined with ','. */
static size_t report_device_ids(const json_t *rows, char *out, size_t size)
{
    json_t *ids = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_array_append(ids, json_object_get(row, "DeviceId"));
    }
    size_t n = sorted_join(ids, out, size);
    json_decref(ids);
    return n;
}

static void test_products_report_is_the_cloud(void **state)
{
    fixture *f = *state;
    start_and_sync(f);
    json_t *rows = report(f, "/api/v1/reports/products");
    assert_int_equal(json_array_size(rows), 2);
    json_t *tracker = row_by(rows, "Slug", "asset-tracker");
    assert_non_null(tracker);
    assert_int_equal(num(tracker, "ProductId"), 10001);
    assert_string_equal(str(tracker, "Name"), "Asset Tracker");
    assert_int_equal(num(tracker, "PlatformId"), 13);
    assert_string_equal(str(tracker, "Description"), "Trackers on shipping containers");
    assert_string_equal(str(tracker, "Organization"), ACME_ID);
    assert_int_equal(num(tracker, "Customers"), 3);
    json_t *env = row_by(rows, "Slug", "env-sensors");
    assert_non_null(env);
    assert_int_equal(num(env, "ProductId"), 10002);
    assert_int_equal(num(env, "Devices"), 60);
    assert_int_equal(num(env, "Customers"), 0);

    /* the counts the bridge holds agree with the simulator's product objects */
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_get(&doc, f->cloud, "env-sensors"), 0);
    const particle_value *p = particle_value_get(particle_doc_root(doc), "product");
    assert_int_equal(num(env, "Groups"),
                     particle_value_int(particle_value_get(p, "group_count"), -1));
    particle_doc_free(doc);
    json_decref(rows);

    /* CSV: the documented header and one line per product */
    http_reply r = bridge_harness_api(&f->h, "GET", "/api/v1/reports/products", "text/csv", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "ProductId,Slug,Name,PlatformId,Description,Organization,"
                                   "Devices,Groups,Customers\r\n"));
    assert_non_null(strstr(r.body, "10001,asset-tracker,Asset Tracker,13,"));
    http_reply_dispose(&r);
}

static void test_customers_report_is_the_cloud(void **state)
{
    fixture *f = *state;
    start_and_sync(f);
    particle_customer_list_options o = PARTICLE_CUSTOMER_LIST_OPTIONS_INIT;
    o.per_page = 100;
    particle_doc *doc = NULL;
    assert_int_equal(particle_customer_list(&doc, f->cloud, "asset-tracker", &o), 0);
    const particle_value *custs = particle_value_get(particle_doc_root(doc), "customers");

    json_t *rows = report(f, "/api/v1/reports/customers?product=asset-tracker");
    assert_int_equal(json_array_size(rows), particle_value_count(custs));
    assert_int_equal(json_array_size(rows), 3);
    for (size_t i = 0; i < particle_value_count(custs); i++) {
        const particle_value *c = particle_value_at(custs, i);
        json_t *row = row_by(rows, "Username", particle_customer_username(c));
        assert_non_null(row);
        assert_int_equal(num(row, "ProductId"), 10001);
        assert_string_equal(str(row, "CustomerId"),
                            particle_value_string(particle_value_get(c, "id")));
        const particle_value *devs = particle_value_get(c, "devices");
        assert_int_equal(num(row, "Devices"), (long long)particle_value_count(devs));
        if (particle_value_count(devs) == 1) {
            assert_string_equal(str(row, "DeviceIds"),
                                particle_value_string(particle_value_at(devs, 0)));
        }
    }
    assert_int_equal(num(row_by(rows, "Username", "customer@example.com"), "Devices"), 1);
    particle_doc_free(doc);
    json_decref(rows);
    /* by id the same rows; env-sensors has none */
    rows = report(f, "/api/v1/reports/customers?product=10001");
    assert_int_equal(json_array_size(rows), 3);
    json_decref(rows);
    rows = report(f, "/api/v1/reports/customers?product=env-sensors");
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);
}

static void test_groups_report_is_the_cloud(void **state)
{
    fixture *f = *state;
    start_and_sync(f);
    const char *products[] = {"asset-tracker", "env-sensors"};
    for (size_t k = 0; k < 2; k++) {
        particle_doc *doc = NULL;
        assert_int_equal(particle_group_list(&doc, f->cloud, products[k], NULL), 0);
        const particle_value *groups = particle_value_get(particle_doc_root(doc), "groups");
        assert_true(particle_value_count(groups) >= 2);
        char path[128];
        snprintf(path, sizeof path, "/api/v1/reports/groups?product=%s", products[k]);
        json_t *rows = report(f, path);
        assert_int_equal(json_array_size(rows), particle_value_count(groups));
        for (size_t i = 0; i < particle_value_count(groups); i++) {
            const particle_value *g = particle_value_at(groups, i);
            const char *name = particle_value_string(particle_value_get(g, "name"));
            json_t *row = row_by(rows, "Name", name);
            assert_non_null(row);
            const char *color = particle_value_string(particle_value_get(g, "color"));
            if (color != NULL) {
                assert_string_equal(str(row, "Color"), color);
            }
            char ids[4096], want[4096];
            size_t in_cloud = cloud_device_ids(f, products[k], name, want, sizeof want);
            assert_int_equal(num(row, "Devices"), (long long)in_cloud);
            /* and product-devices?group= lists exactly those devices */
            snprintf(path, sizeof path, "/api/v1/reports/product-devices?product=%s&group=%s",
                     products[k], name);
            json_t *devs = report(f, path);
            assert_int_equal(report_device_ids(devs, ids, sizeof ids), in_cloud);
            assert_string_equal(ids, want);
            json_decref(devs);
        }
        json_decref(rows);
        particle_doc_free(doc);
    }
}

static void test_product_devices_report_is_the_cloud(void **state)
{
    fixture *f = *state;
    start_and_sync(f);
    char ids[4096], want[4096];
    const char *products[] = {"asset-tracker", "10002"};
    for (size_t k = 0; k < 2; k++) {
        size_t in_cloud = cloud_device_ids(f, products[k], NULL, want, sizeof want);
        char path[128];
        snprintf(path, sizeof path, "/api/v1/reports/product-devices?product=%s", products[k]);
        json_t *rows = report(f, path);
        assert_int_equal(report_device_ids(rows, ids, sizeof ids), in_cloud);
        assert_string_equal(ids, want);
        json_decref(rows);
    }
    /* a device's row: its product, platform, groups as the cloud has them */
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_get(&doc, f->cloud, "tracker-4", NULL), 0);
    const particle_value *d = particle_doc_root(doc);
    json_t *rows = report(f, "/api/v1/reports/product-devices?product=10001");
    json_t *row = row_by(rows, "DeviceId", particle_device_id(d));
    assert_non_null(row);
    assert_string_equal(str(row, "Name"), "tracker-4");
    assert_int_equal(num(row, "ProductId"), 10001);
    assert_int_equal(num(row, "PlatformId"), 13);
    assert_false(json_is_true(json_object_get(row, "Connected"))); /* every 4th is offline */
    assert_false(json_is_true(json_object_get(row, "Gone")));
    json_decref(rows);
    particle_doc_free(doc);
    /* an unknown product has no rows; a bad one is a 400 */
    rows = report(f, "/api/v1/reports/product-devices?product=99999");
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);
    http_reply r = bridge_harness_api(&f->h, "GET", "/api/v1/reports/product-devices?group=a%20b",
                                      "application/json", NULL);
    assert_int_equal(r.status, 400);
    http_reply_dispose(&r);
}

/* A later sync follows the cloud: a deleted group and customer leave the reports, a new
 * group and a device's new group arrive. */
static void test_next_sync_follows_the_cloud(void **state)
{
    fixture *f = *state;
    start_and_sync(f);
    assert_int_equal(particle_group_delete(f->cloud, "asset-tracker", "pilot-fleet"), 0);
    assert_int_equal(particle_customer_delete(f->cloud, "asset-tracker", "customer2@example.com"),
                     0);
    particle_group_options g = PARTICLE_GROUP_OPTIONS_INIT;
    g.name = "arctic";
    g.color = "#abcdef";
    assert_int_equal(particle_group_create(NULL, f->cloud, "asset-tracker", &g), 0);
    particle_device_list_options o = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    o.product = "asset-tracker";
    o.device_name = "tracker-3";
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_list(&doc, f->cloud, &o), 0);
    char id[32];
    snprintf(id, sizeof id, "%s",
             particle_device_id(
                 particle_value_at(particle_value_get(particle_doc_root(doc), "devices"), 0)));
    particle_doc_free(doc);
    const char *one[] = {id};
    assert_int_equal(particle_group_add_devices(NULL, f->cloud, "asset-tracker", "arctic", one, 1),
                     0);

    char err[512];
    if (bridge_app_sync_now(f->h.app, err, sizeof err) != 0) {
        fail_msg("sync: %s", err);
    }
    json_t *rows = report(f, "/api/v1/reports/groups?product=asset-tracker");
    assert_null(row_by(rows, "Name", "pilot-fleet"));
    json_t *arctic = row_by(rows, "Name", "arctic");
    assert_non_null(arctic);
    assert_string_equal(str(arctic, "Color"), "#abcdef");
    assert_int_equal(num(arctic, "Devices"), 1);
    json_decref(rows);
    rows = report(f, "/api/v1/reports/customers?product=asset-tracker");
    assert_int_equal(json_array_size(rows), 2);
    assert_null(row_by(rows, "Username", "customer2@example.com"));
    json_decref(rows);
    rows = report(f, "/api/v1/reports/product-devices?product=asset-tracker&group=arctic");
    assert_int_equal(json_array_size(rows), 1);
    assert_string_equal(str(json_array_get(rows, 0), "DeviceId"), id);
    assert_non_null(strstr(str(json_array_get(rows, 0), "Groups"), "arctic"));
    json_decref(rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_products_report_is_the_cloud, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customers_report_is_the_cloud, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groups_report_is_the_cloud, setup, teardown),
        cmocka_unit_test_setup_teardown(test_product_devices_report_is_the_cloud, setup, teardown),
        cmocka_unit_test_setup_teardown(test_next_sync_follows_the_cloud, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
