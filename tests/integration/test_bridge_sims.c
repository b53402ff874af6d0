/*
 * particle-bridge's SIM sync against particle-sim, both in-process on loopback port 0 (the
 * bridge storing into SQLite in a scratch directory), user scope and product 10001 of the
 * default fleet: the DTO's Sim (JSON and XML) and the sims and data-usage reports are filled
 * from the simulator's SIM cards; a Wi-Fi device has no Sim; a SIM the account no longer
 * owns (released in the simulator before the sync) leaves Sim null without failing the sync.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <particle/particle.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "server.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "sims-api-key-0123456789"

typedef struct fixture {
    char dir[512];
    sim_server *sim;
    particle_client *cloud; /* the demo user on the simulator, for ground truth */
    bridge_app *app;
    bridge_config cfg;
} fixture;

typedef struct reply {
    long status;
    char *body;
    size_t len;
} reply;

static size_t on_body(char *p, size_t size, size_t n, void *user)
{
    reply *r = user;
    size_t add = size * n;
    char *grown = realloc(r->body, r->len + add + 1);
    if (grown == NULL) {
        return 0;
    }
    memcpy(grown + r->len, p, add);
    r->body = grown;
    r->len += add;
    r->body[r->len] = '\0';
    return add;
}

/* GET @p path from the bridge's API with @p accept; fails the test unless 200. */
static reply api_get(fixture *f, const char *path, const char *accept)
{
    reply r = {0, calloc(1, 1), 0};
    char url[512], h1[160], h2[160];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", bridge_app_port(f->app), path);
    snprintf(h1, sizeof h1, "Authorization: Bearer %s", KEY);
    snprintf(h2, sizeof h2, "Accept: %s", accept);
    struct curl_slist *h = curl_slist_append(NULL, h1);
    h = curl_slist_append(h, h2);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 15000L);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (r.status != 200) {
        fail_msg("GET %s: HTTP %ld %s", path, r.status, r.body);
    }
    return r;
}

static json_t *api_json(fixture *f, const char *path)
{
    reply r = api_get(f, path, "application/json");
    json_t *j = json_loads(r.body, 0, NULL);
    free(r.body);
    assert_non_null(j);
    return j;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[512];
    const char *base = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/bridge-sims-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    sim_server_options so;
    sim_server_options_init(&so);
    so.port = 0;
    so.threads = 4;
    if (sim_server_new(&f->sim, &so, err, sizeof err) != 0 ||
        sim_server_start(f->sim, err, sizeof err) != 0) {
        fprintf(stderr, "sim: %s\n", err);
        return -1;
    }
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u", sim_server_port(f->sim));
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    if (particle_client_new(&f->cloud, &o) != 0) {
        return -1;
    }
    /* today's usage grows with the clock: stand still so the bridge and the test agree */
    if (particle_request(NULL, f->cloud, "POST", "/sim/clock/pause", NULL, NULL, NULL) != 0) {
        return -1;
    }
    bridge_config_defaults(&f->cfg);
    snprintf(f->cfg.cloud_url, sizeof f->cfg.cloud_url, "%s", url);
    snprintf(f->cfg.access_token, sizeof f->cfg.access_token, "%s", TOKEN);
    snprintf(f->cfg.api_key, sizeof f->cfg.api_key, "%s", KEY);
    snprintf(f->cfg.database_path, sizeof f->cfg.database_path, "%s/bridge.db", f->dir);
    f->cfg.user_scope = true;
    snprintf(f->cfg.products[0], sizeof f->cfg.products[0], "10001");
    f->cfg.product_count = 1;
    f->cfg.port = 0;
    f->cfg.request_timeout_ms = 5000;
    char verr[256];
    assert_int_equal(bridge_config_validate(&f->cfg, verr, sizeof verr), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bridge_app_free(f->app);
    particle_client_free(f->cloud);
    sim_server_free(f->sim);
    bridge_config_dispose(&f->cfg);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (strstr(f->dir, "bridge-sims-") != NULL && system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", f->dir);
    }
    free(f);
    return 0;
}

/* What the simulator says of device @p name: its id and ICCID ("" for Wi-Fi). */
static void cloud_device(fixture *f, const char *name, char id[64], char iccid[32])
{
    particle_doc *d = NULL;
    assert_int_equal(particle_device_get(&d, f->cloud, name, NULL), 0);
    const particle_value *root = particle_doc_root(d);
    const char *s = particle_value_string(particle_value_get(root, "iccid"));
    snprintf(id, 64, "%s", particle_device_id(root));
    snprintf(iccid, 32, "%s", s ? s : "");
    particle_doc_free(d);
}

static json_t *dto(fixture *f, const char *id)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/devices/%s/particle", id);
    return api_json(f, path);
}

/* The text of the first element named @p name (any namespace) under @p node, or NULL.
 * Caller frees with xmlFree. */
static xmlChar *xml_text(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr n = node; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (strcmp((const char *)n->name, name) == 0) {
            return xmlNodeGetContent(n);
        }
        xmlChar *inner = xml_text(n->children, name);
        if (inner != NULL) {
            return inner;
        }
    }
    return NULL;
}

static void start_and_sync(fixture *f)
{
    char err[512];
    f->app = bridge_app_new(&f->cfg, err, sizeof err);
    if (f->app == NULL) {
        fail_msg("bridge: %s", err);
    }
    if (bridge_app_sync_now(f->app, err, sizeof err) != 0) {
        fail_msg("sync: %s", err);
    }
}

static void test_dto_sim_and_reports_come_from_the_cloud(void **state)
{
    fixture *f = *state;
    char boron[64], boron_iccid[32], argon[64], argon_iccid[32];
    cloud_device(f, "demo-boron-1", boron, boron_iccid);
    cloud_device(f, "demo-argon-1", argon, argon_iccid);
    assert_true(boron_iccid[0] != '\0');
    particle_doc *usage = NULL, *sim = NULL;
    start_and_sync(f);
    assert_int_equal(particle_sim_get(&sim, f->cloud, boron_iccid, NULL), 0);
    assert_int_equal(particle_sim_data_usage(&usage, f->cloud, boron_iccid, NULL), 0);
    const particle_value *days = particle_sim_usage_days(particle_doc_root(usage));

    /* JSON: the SIM's fields and its usage day by day */
    json_t *d = dto(f, boron);
    json_t *s = json_object_get(d, "Sim");
    assert_true(json_is_object(s));
    assert_string_equal(json_string_value(json_object_get(s, "SimId")), boron_iccid);
    assert_string_equal(json_string_value(json_object_get(s, "Status")), "active");
    assert_string_equal(json_string_value(json_object_get(s, "Carrier")),
                        particle_sim_carrier(particle_doc_root(sim)));
    assert_string_equal(json_string_value(json_object_get(s, "Imsi")),
                        particle_value_string(particle_value_get(particle_doc_root(sim), "imsi")));
    assert_string_equal(json_string_value(json_object_get(s, "BaseCountryCode")), "US");
    json_t *used = json_object_get(s, "Usage");
    assert_int_equal(json_array_size(used), particle_value_count(days));
    const particle_value *last_day = particle_value_at(days, particle_value_count(days) - 1);
    assert_float_equal(
        json_real_value(json_object_get(json_object_get(s, "LastUsage"), "CumulativeUsageMb")),
        particle_value_double(particle_value_get(last_day, "mbs_used_cumulative"), -1), 1e-9);
    json_decref(d);
    /* a Wi-Fi device has none */
    d = dto(f, argon);
    assert_true(json_is_null(json_object_get(d, "Sim")));
    json_decref(d);

    /* XML: the same SIM in the DTO's d2p1 namespace */
    char path[160];
    snprintf(path, sizeof path, "/api/v1/devices/%s/particle", boron);
    reply r = api_get(f, path, "application/xml");
    xmlDocPtr doc = xmlReadMemory(r.body, (int)r.len, "dto.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr sim_node = NULL;
    for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "Sim") == 0) {
            sim_node = n;
        }
    }
    assert_non_null(sim_node);
    xmlChar *sim_id = xml_text(sim_node->children, "SimId");
    xmlChar *status = xml_text(sim_node->children, "Status");
    assert_non_null(sim_id);
    assert_string_equal((const char *)sim_id, boron_iccid);
    assert_string_equal((const char *)status, "active");
    xmlFree(sim_id);
    xmlFree(status);
    size_t usage_rows = 0;
    for (xmlNodePtr n = sim_node->children; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "Usage") == 0) {
            for (xmlNodePtr u = n->children; u != NULL; u = u->next) {
                usage_rows += u->type == XML_ELEMENT_NODE;
            }
        }
    }
    assert_int_equal(usage_rows, particle_value_count(days));
    xmlFreeDoc(doc);
    free(r.body);

    /* reports: the user's SIM and the product's 13 */
    json_t *rows = api_json(f, "/api/v1/reports/sims");
    size_t i;
    json_t *row;
    bool found = false;
    json_array_foreach(rows, i, row)
    {
        if (strcmp(json_string_value(json_object_get(row, "DeviceId")), boron) == 0) {
            found = true;
            assert_string_equal(json_string_value(json_object_get(row, "Iccid")), boron_iccid);
            assert_float_equal(json_real_value(json_object_get(row, "MonthToDateMB")),
                               particle_sim_usage_total_mb(particle_doc_root(usage)), 1e-9);
        }
    }
    assert_true(found);
    assert_int_equal(json_array_size(rows), 14);
    json_decref(rows);
    rows = api_json(f, "/api/v1/reports/data-usage");
    found = false;
    json_array_foreach(rows, i, row)
    {
        if (json_integer_value(json_object_get(row, "ProductId")) == 10001) {
            found = true;
            assert_int_equal(json_integer_value(json_object_get(row, "Sims")), 13);
            assert_true(json_real_value(json_object_get(row, "MonthToDateMB")) > 0);
        }
    }
    assert_true(found);
    json_decref(rows);
    particle_doc_free(sim);
    particle_doc_free(usage);
}

/* A SIM released before the sync answers 404: Sim stays null and the sync still succeeds. */
static void test_sim_not_owned_leaves_sim_null(void **state)
{
    fixture *f = *state;
    char tracker[64], tracker_iccid[32];
    cloud_device(f, "tracker-5", tracker, tracker_iccid);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "10001";
    assert_int_equal(particle_sim_deactivate(NULL, f->cloud, tracker_iccid, &ro), 0);
    assert_int_equal(particle_sim_remove(NULL, f->cloud, tracker_iccid, &ro), 0);
    start_and_sync(f);
    json_t *d = dto(f, tracker);
    assert_true(json_is_null(json_object_get(d, "Sim")));
    json_decref(d);
    json_t *rows = api_json(f, "/api/v1/reports/sims");
    assert_int_equal(json_array_size(rows), 13); /* 14 less the released one */
    json_decref(rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dto_sim_and_reports_come_from_the_cloud, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sim_not_owned_leaves_sim_null, setup, teardown),
    };
    if (particle_global_init() != 0) {
        return 1;
    }
    xmlInitParser();
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    particle_global_cleanup();
    return failed;
}
