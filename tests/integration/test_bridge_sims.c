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
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <particle/particle.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge_harness.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "sims-api-key-0123456789"

typedef struct fixture {
    bridge_harness h;
    particle_client *cloud; /* the demo user on the simulator, for ground truth */
} fixture;

/* GET @p path from the bridge's API with @p accept; fails the test unless 200. */
static http_reply api_get(fixture *f, const char *path, const char *accept)
{
    http_reply r = bridge_harness_api(&f->h, "GET", path, accept, NULL);
    if (r.status != 200) {
        fail_msg("GET %s: HTTP %ld %s", path, r.status, r.body);
    }
    return r;
}

static json_t *api_json(fixture *f, const char *path)
{
    http_reply r = api_get(f, path, "application/json");
    json_t *j = http_reply_json(&r);
    http_reply_dispose(&r);
    assert_non_null(j);
    return j;
}

/* A report's rows: the items of its first page. */
static json_t *report_rows(fixture *f, const char *path)
{
    http_reply r = api_get(f, path, "application/json");
    json_t *j = http_reply_items(&r);
    http_reply_dispose(&r);
    assert_non_null(j);
    return j;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    sim_server_options so;
    sim_server_options_init(&so);
    so.threads = 4;
    if (f == NULL || bridge_harness_open(&f->h, "bridge-sims", &so) != 0) {
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
    /* today's usage grows with the clock: stand still so the bridge and the test agree */
    if (particle_request(NULL, f->cloud, "POST", "/sim/clock/pause", NULL, NULL, NULL) != 0) {
        return -1;
    }
    bridge_config *cfg = &f->h.cfg;
    cfg->user_scope = true;
    snprintf(cfg->products[0], sizeof cfg->products[0], "10001");
    cfg->product_count = 1;
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
    bridge_harness_start_app(&f->h);
    if (bridge_app_sync_now(f->h.app, err, sizeof err) != 0) {
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
    http_reply r = api_get(f, path, "application/xml");
    xmlDocPtr doc = xmlReadMemory(r.body, (int)r.body_len, "dto.xml", NULL, XML_PARSE_NONET);
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
    http_reply_dispose(&r);

    /* reports: the user's SIM and the product's 13 */
    json_t *rows = report_rows(f, "/api/v1/reports/sims");
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
    /* ?device=: the one device's SIM (the dashboard's device page) */
    char one[128];
    snprintf(one, sizeof one, "/api/v1/reports/sims?device=%s", boron);
    rows = report_rows(f, one);
    assert_int_equal(json_array_size(rows), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "Iccid")),
                        boron_iccid);
    json_decref(rows);
    snprintf(one, sizeof one, "/api/v1/reports/cellular-status?device=%s", boron);
    rows = report_rows(f, one);
    assert_int_equal(json_array_size(rows), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "DeviceId")),
                        boron);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "Iccid")),
                        boron_iccid);
    json_decref(rows);
    rows = report_rows(f, "/api/v1/reports/data-usage");
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

/* The cellular network status is a task in the cloud (§7.6): the first sync starts it and
 * the report shows unknown flags; once it completed (2 s of simulated time) the next sync
 * stores the result. */
static void test_cellular_status_report(void **state)
{
    fixture *f = *state;
    char boron[64], boron_iccid[32];
    cloud_device(f, "demo-boron-1", boron, boron_iccid);
    start_and_sync(f);
    json_t *rows = report_rows(f, "/api/v1/reports/cellular-status");
    assert_int_equal(json_array_size(rows), 14); /* one per SIM, like the sims report */
    json_t *row = json_array_get(rows, 0);
    assert_true(json_is_null(json_object_get(row, "Connected"))); /* pending */
    assert_true(json_is_null(json_object_get(row, "CheckedAt")));
    json_decref(rows);

    assert_int_equal(
        particle_request(NULL, f->cloud, "POST", "/sim/clock/advance", NULL, "{\"ms\":3000}", NULL),
        0);
    char err[512];
    if (bridge_app_sync_now(f->h.app, err, sizeof err) != 0) {
        fail_msg("sync: %s", err);
    }
    rows = report_rows(f, "/api/v1/reports/cellular-status");
    size_t i;
    bool found = false;
    json_array_foreach(rows, i, row)
    {
        if (strcmp(json_string_value(json_object_get(row, "DeviceId")), boron) == 0) {
            found = true;
            assert_string_equal(json_string_value(json_object_get(row, "Iccid")), boron_iccid);
            assert_string_equal(json_string_value(json_object_get(row, "SimStatus")), "active");
            /* an online device on an active SIM */
            assert_true(json_is_true(json_object_get(row, "Connected")));
            assert_true(json_is_true(json_object_get(row, "GsmConnection")));
            assert_true(json_is_true(json_object_get(row, "DataConnection")));
            assert_true(json_is_string(json_object_get(row, "CheckedAt")));
        }
    }
    assert_true(found);
    json_decref(rows);
    /* and as CSV: booleans as true/false */
    http_reply r = api_get(f, "/api/v1/reports/cellular-status", "text/csv");
    assert_non_null(strstr(r.body, "Iccid,DeviceId,DeviceName,SimStatus,Connected,GsmConnection,"
                                   "DataConnection,CheckedAt\r\n"));
    assert_non_null(strstr(r.body, ",active,true,true,true,"));
    http_reply_dispose(&r);
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
    json_t *rows = report_rows(f, "/api/v1/reports/sims");
    assert_int_equal(json_array_size(rows), 13); /* 14 less the released one */
    json_decref(rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dto_sim_and_reports_come_from_the_cloud, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cellular_status_report, setup, teardown),
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
