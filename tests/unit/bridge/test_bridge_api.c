/* The REST API over HTTP: libcurl against the server on port 0, a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "bridge_api_test.h"
#include "bridge_test.h"
#include "http_client.h"
#include "ingest/writer.h"

#define DEV "0123456789abcdef01234567"
#define KEY "test-api-key-0123456789"
#define SECRET "webhook-secret-0123456789"

typedef struct fixture {
    bt_api_db db;
    bridge_api api;
    httpd_server *srv;
    unsigned short port;
    int settings_changed;
} fixture;

/* bt_api_http() against this fixture's server. */
static http_reply http(fixture *f, const char *method, const char *path, const char *const *headers,
                       const char *body)
{
    return bt_api_http(f->port, method, path, headers, body);
}

/* The reply's Content-Type header ("" when it has none) contains @p text. */
static void assert_content_type_has(const http_reply *r, const char *text)
{
    char *ct = http_reply_header(r, "Content-Type");
    assert_non_null(strstr(ct ? ct : "", text));
    free(ct);
}

/* The reply's Content-Type header ("" when it has none) is @p text. */
static void assert_content_type_is(const http_reply *r, const char *text)
{
    char *ct = http_reply_header(r, "Content-Type");
    assert_string_equal(ct ? ct : "", text);
    free(ct);
}

static const char *const auth_json[] = {"Authorization: Bearer " KEY, "Accept: application/json",
                                        NULL};

static http_reply get(fixture *f, const char *path, const char *accept)
{
    http_headers h;
    return http(f, "GET", path, http_headers_bearer(&h, KEY, accept, NULL), NULL);
}

static http_reply put(fixture *f, const char *body)
{
    const char *const h[] = {"Authorization: Bearer " KEY, "Content-Type: application/json", NULL};
    return http(f, "PUT", "/api/v1/devices/" DEV "/particle", h, body);
}

static void on_changed(const char *id, void *payload)
{
    fixture *f = payload;
    assert_string_equal(id, DEV);
    f->settings_changed++;
}

static void seed(bridge_store *st)
{
    static const bridge_device_defaults df = {
        60000, true, true, true, {true, "{name} online"}, {true, "{name} offline"}};
    bridge_variable vars[2] = {{.name = "temp", .type = "double"},
                               {.name = "mode", .type = "string"}};
    const char *fns[] = {"led"};
    bridge_cloud_device cd = {.particle_id = DEV,
                              .name = "kitchen",
                              .connected = true,
                              .last_app = "thermostat",
                              .iccid = "8934076500002589174",
                              .variables = vars,
                              .variable_count = 2,
                              .has_variables = true,
                              .functions = fns,
                              .function_count = 1,
                              .has_functions = true};
    assert_int_equal(bridge_store_device_sync(st, &cd, &df, 1762259449892, NULL), 0);
    /* 2025-11-02 and 2025-11-03 (UTC midnights): 3 MB by the 3rd, 30 days in November. */
    bridge_sim_usage usage[2] = {{1762041600000, 1.0, 1.0}, {1762128000000, 2.0, 3.0}};
    bridge_sim sim = {.iccid = "8934076500002589174",
                      .device_id = DEV,
                      .base_country_code = "US",
                      .base_monthly_rate = 3.1,
                      .status = "active",
                      .carrier = "telefonica",
                      .usage = usage,
                      .usage_count = 2};
    assert_int_equal(bridge_store_sim_upsert(st, &sim), 0);
    bridge_measurement ms[4] = {{DEV, "temp", 20.5, 1000, "poll"},
                                {DEV, "temp", 21.5, 2000, "poll"},
                                {DEV, "hum", 40, 1500, "sse"},
                                {"aaaaaaaaaaaaaaaaaaaaaaaa", "temp", 5, 1200, "poll"}};
    bridge_status_post ps[1] = {{DEV, "event", "note", "door \"front\", opened", 1800}};
    bridge_record r = {.kind = BRIDGE_RECORD_READING,
                       .measurements = ms,
                       .measurement_count = 4,
                       .posts = ps,
                       .post_count = 1};
    assert_int_equal(bridge_store_write_batch(st, &r, 1, NULL), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    bt_api_db_open(&f->db, "api.db");
    seed(f->db.st);
    f->api = (bridge_api){.store = f->db.st,
                          .writer = f->db.writer,
                          .metrics = &f->db.metrics,
                          .api_key = KEY,
                          .webhook_secret = SECRET,
                          .cloud_url = "http://cloud.test",
                          .on_settings_changed = on_changed,
                          .on_settings_changed_payload = f};
    f->srv = bt_api_serve(&f->api, &f->port);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    httpd_server_free(f->srv);
    bt_api_db_close(&f->db);
    free(f);
    return 0;
}

static json_t *parse(const http_reply *r)
{
    json_error_t e;
    json_t *j = json_loads(r->body, 0, &e);
    if (j == NULL) {
        fail_msg("not JSON: %s", r->body);
    }
    return j;
}

/* A list route's JSON page: its items (the "next" field must be there, a URL or null). */
static json_t *parse_items(const http_reply *r)
{
    json_t *page = parse(r);
    json_t *next = json_object_get(page, "next");
    assert_true(json_is_null(next) || json_is_string(next));
    json_t *items = json_incref(json_object_get(page, "items"));
    json_decref(page);
    assert_true(json_is_array(items));
    return items;
}

/* 400 {"ok":false,"error":"bad_parameter","parameter":<name>,"message":<text...>} */
static void assert_bad_parameter(http_reply *r, const char *name, const char *message)
{
    json_t *j = parse(r);
    const char *msg = json_string_value(json_object_get(j, "message"));
    if (r->status != 400 || msg == NULL || strstr(msg, message) == NULL) {
        fail_msg("expected 400 on %s with \"%s\", got %ld: %s", name, message, r->status, r->body);
    }
    assert_string_equal(json_string_value(json_object_get(j, "error")), "bad_parameter");
    assert_string_equal(json_string_value(json_object_get(j, "parameter")), name);
    json_decref(j);
    http_reply_dispose(r);
}

static void assert_error(http_reply *r, long status, const char *text)
{
    if (r->status != status || strstr(r->body, text) == NULL) {
        fail_msg("expected %ld with \"%s\", got %ld: %s", status, text, r->status, r->body);
    }
    json_t *j = parse(r);
    assert_true(json_is_false(json_object_get(j, "ok")));
    json_decref(j);
    http_reply_dispose(r);
}

static void test_api_key_required(void **state)
{
    fixture *f = *state;
    http_reply r = http(f, "GET", "/api/v1/devices", NULL, NULL);
    assert_error(&r, 401, "missing API key");
    const char *const wrong[] = {"Authorization: Bearer nope", NULL};
    r = http(f, "GET", "/api/v1/devices", wrong, NULL);
    assert_error(&r, 401, "invalid API key");
    r = http(f, "GET", "/healthz", NULL, NULL); /* health needs the key too by default */
    assert_error(&r, 401, "missing API key");
    r = http(f, "GET", "/healthz", auth_json, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"ok\":true"));
    http_reply_dispose(&r);
}

static void test_device_list(void **state)
{
    fixture *f = *state;
    http_reply r = http(f, "GET", "/api/v1/devices", auth_json, NULL);
    assert_int_equal(r.status, 200);
    json_t *j = parse_items(&r);
    assert_int_equal(json_array_size(j), 1);
    json_t *d = json_array_get(j, 0);
    assert_string_equal(json_string_value(json_object_get(d, "ParticleDeviceId")), DEV);
    assert_string_equal(json_string_value(json_object_get(d, "Name")), "kitchen");
    json_decref(j);
    http_reply_dispose(&r);
    r = get(f, "/api/v1/devices", "text/csv");
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "particle_id,name,product_id,connected,enabled,faulted,"
                                "fault_count,gone,variables,check_interval\r\n" DEV
                                ",kitchen,0,true,true,false,0,false,2,00:01:00\r\n");
    http_reply_dispose(&r);
}

static void test_device_dto_json(void **state)
{
    fixture *f = *state;
    http_reply r = get(f, "/api/v1/devices/" DEV "/particle", "application/json");
    assert_int_equal(r.status, 200);
    assert_content_type_has(&r, "application/json");
    json_t *j = parse(&r);
    static const char *const fields[] = {"CheckInterval",
                                         "DateAdded",
                                         "Connected",
                                         "Enabled",
                                         "LastApp",
                                         "ParticleDeviceId",
                                         "Variables",
                                         "Functions",
                                         "PublishUnknownEventsAsMeasurements",
                                         "PublishUnknownEventsAsStatusPosts",
                                         "Links",
                                         "OnlineNotificationOption",
                                         "OfflineNotificationOption",
                                         "FaultCount",
                                         "Faulted",
                                         "CircuitBreakerResetAt",
                                         "IgnoreRename",
                                         "Sim"};
    assert_int_equal(json_object_size(j), sizeof fields / sizeof fields[0]);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (json_object_get(j, fields[i]) == NULL) {
            fail_msg("missing %s", fields[i]);
        }
    }
    /* Jansson keeps insertion order: the seed's order. */
    const char *first = json_object_iter_key(json_object_iter(j));
    assert_string_equal(first, "CheckInterval");
    assert_string_equal(json_string_value(json_object_get(j, "CheckInterval")), "00:01:00");
    assert_string_equal(json_string_value(json_object_get(j, "DateAdded")),
                        "2025-11-04T12:30:49.8920000+00:00");
    assert_true(json_is_null(json_object_get(j, "CircuitBreakerResetAt")));
    json_t *var = json_array_get(json_object_get(j, "Variables"), 0);
    assert_string_equal(json_string_value(json_object_get(var, "Name")), "mode");
    assert_string_equal(json_string_value(json_object_get(var, "Type")), "string");
    json_t *fn = json_array_get(json_object_get(j, "Functions"), 0);
    json_t *fl = json_array_get(json_object_get(fn, "Links"), 0);
    assert_string_equal(json_string_value(json_object_get(fl, "Href")),
                        "http://cloud.test/v1/devices/" DEV "/led");
    json_t *on = json_object_get(j, "OnlineNotificationOption");
    assert_string_equal(json_string_value(json_object_get(on, "Message")), "{name} online");
    json_t *sim = json_object_get(j, "Sim");
    assert_string_equal(json_string_value(json_object_get(sim, "SimId")), "8934076500002589174");
    assert_int_equal(json_array_size(json_object_get(sim, "Usage")), 2);
    assert_true(json_real_value(json_object_get(sim, "EstimatedMonthUsage")) == 30.0);
    json_t *last = json_object_get(sim, "LastUsage");
    assert_true(json_real_value(json_object_get(last, "CumulativeUsageMb")) == 3.0);
    json_decref(j);
    http_reply_dispose(&r);

    r = get(f, "/api/v1/devices/" DEV "/particle", "text/json");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) {
            return c;
        }
    }
    return NULL;
}

static void assert_child_text(xmlNodePtr n, const char *name, const char *text)
{
    xmlNodePtr c = child(n, name);
    if (c == NULL) {
        fail_msg("no <%s>", name);
    }
    xmlChar *t = xmlNodeGetContent(c);
    assert_string_equal((const char *)t, text);
    xmlFree(t);
}

static void test_device_dto_xml(void **state)
{
    fixture *f = *state;
    http_reply r = get(f, "/api/v1/devices/" DEV "/particle", "application/xml");
    assert_int_equal(r.status, 200);
    assert_content_type_has(&r, "application/xml");
    xmlDocPtr doc = xmlReadMemory(r.body, (int)r.body_len, "dto.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "ParticleDeviceDetailsDto");
    assert_string_equal(
        (const char *)root->ns->href,
        "http://schemas.datacontract.org/2004/07/AnalysisUK.Tinamous.www.ApiControllers.Particle."
        "Models");
    /* DataContract order: alphabetical. */
    const char *prev = "";
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            assert_true(strcmp(prev, (const char *)c->name) < 0);
            prev = (const char *)c->name;
        }
    }
    assert_child_text(root, "CheckInterval", "PT1M");
    assert_child_text(root, "ParticleDeviceId", DEV);
    assert_child_text(root, "Connected", "true");
    xmlNodePtr cb = child(root, "CircuitBreakerResetAt");
    xmlChar *nil =
        xmlGetNsProp(cb, BAD_CAST "nil", BAD_CAST "http://www.w3.org/2001/XMLSchema-instance");
    assert_string_equal((const char *)nil, "true");
    xmlFree(nil);
    xmlNodePtr links = child(root, "Links");
    xmlNodePtr lvm = child(links, "LinkViewModel");
    assert_non_null(lvm);
    assert_string_equal((const char *)lvm->ns->prefix, "d2p1");
    assert_non_null(strstr((const char *)lvm->ns->href, "ApiControllers.Models.Shared"));
    xmlNodePtr sim = child(root, "Sim");
    assert_child_text(sim, "Carrier", "telefonica");
    assert_child_text(sim, "EstimatedMonthUsage", "30");
    xmlNodePtr usage = child(child(sim, "Usage"), "SimUsageDto");
    assert_child_text(usage, "CumulativeUsageMb", "1");
    xmlNodePtr var = child(child(root, "Variables"), "ParticleVariableSettingDto");
    assert_child_text(var, "Name", "mode");
    assert_child_text(var, "CheckInterval", "PT0S");
    xmlNodePtr fn = child(child(root, "Functions"), "ParticleFunctionDto");
    assert_child_text(fn, "Name", "led");
    assert_non_null(child(child(fn, "Links"), "LinkViewModel"));
    xmlFreeDoc(doc);
    http_reply_dispose(&r);

    r = get(f, "/api/v1/devices/" DEV "/particle", "text/xml");
    assert_int_equal(r.status, 200);
    assert_content_type_has(&r, "text/xml");
    http_reply_dispose(&r);
}

static void test_device_senml_and_406(void **state)
{
    fixture *f = *state;
    http_reply r = get(f, "/api/v1/devices/" DEV "/particle", "application/senml+json");
    assert_int_equal(r.status, 200);
    assert_content_type_is(&r, "application/senml+json");
    json_t *j = parse(&r);
    assert_int_equal(json_array_size(j), 2); /* latest hum and temp */
    json_t *first = json_array_get(j, 0);
    assert_string_equal(json_string_value(json_object_get(first, "bn")),
                        "urn:dev:particle:" DEV ":");
    assert_string_equal(json_string_value(json_object_get(first, "n")), "hum");
    assert_true(json_number_value(json_object_get(first, "bt")) == 1.5); /* base time */
    json_t *second = json_array_get(j, 1);
    assert_null(json_object_get(second, "bn"));
    assert_true(json_number_value(json_object_get(second, "v")) == 21.5);
    assert_true(json_number_value(json_object_get(second, "t")) == 0.5); /* relative to bt */
    json_decref(j);
    http_reply_dispose(&r);

    r = get(f, "/api/v1/devices/" DEV "/particle", "image/png");
    assert_error(&r, 406, "application/senml+json");
    r = get(f, "/api/v1/devices/ffffffffffffffffffffffff/particle", "application/json");
    assert_error(&r, 404, "not known to this bridge");
    r = get(f, "/api/v1/devices/bad%20id/particle", "application/json");
    assert_error(&r, 400, "deviceId");
}

static void test_put_settings(void **state)
{
    fixture *f = *state;
    http_reply r = put(f, "{\"CheckInterval\":\"00:00:30\",\"Enabled\":false,\"IgnoreRename\":true,"
                          "\"OfflineNotificationOption\":{\"Message\":\"{name} lost\"},"
                          "\"Variables\":[{\"Name\":\"temp\",\"Enabled\":false,"
                          "\"CheckInterval\":\"PT5S\",\"Type\":\"double\"}],"
                          "\"ParticleDeviceId\":\"" DEV "\",\"Connected\":false}");
    assert_int_equal(r.status, 200);
    json_t *j = parse(&r);
    assert_string_equal(json_string_value(json_object_get(j, "CheckInterval")), "00:00:30");
    assert_true(json_is_false(json_object_get(j, "Enabled")));
    assert_true(json_is_true(json_object_get(j, "Connected"))); /* read-only: unchanged */
    json_t *off = json_object_get(j, "OfflineNotificationOption");
    assert_string_equal(json_string_value(json_object_get(off, "Message")), "{name} lost");
    assert_true(json_is_true(json_object_get(off, "PostStatusMessage"))); /* kept */
    json_decref(j);
    http_reply_dispose(&r);
    assert_int_equal(f->settings_changed, 1);

    bridge_device d;
    assert_int_equal(bridge_store_device_get(f->db.st, DEV, &d), 0);
    assert_true(d.ignore_rename);
    assert_string_equal(d.variables[1].name, "temp");
    assert_false(d.variables[1].enabled);
    assert_int_equal(d.variables[1].check_interval_ms, 5000);
    bridge_device_dispose(&d);
}

static void test_put_errors(void **state)
{
    fixture *f = *state;
    http_reply r = put(f, "{\"Colour\":\"red\"}");
    assert_error(&r, 400, "unknown field \\\"Colour\\\"");
    r = put(f, "{\"Enabled\":\"yes\"}");
    assert_error(&r, 400, "Enabled: expected true or false");
    r = put(f, "{\"CheckInterval\":\"soon\"}");
    assert_error(&r, 400, "CheckInterval: expected a TimeSpan");
    r = put(f, "{\"CheckInterval\":\"00:00:00\"}");
    assert_error(&r, 400, "CheckInterval: expected");
    r = put(f, "{\"Variables\":[{\"Name\":\"pressure\",\"Enabled\":true}]}");
    assert_error(&r, 400, "Variables[0].Name: device " DEV " has no variable");
    r = put(f, "{\"Variables\":[{\"Enabled\":true}]}");
    assert_error(&r, 400, "Variables[0].Name: required");
    r = put(f, "{\"ParticleDeviceId\":\"aaaaaaaaaaaaaaaaaaaaaaaa\"}");
    assert_error(&r, 400, "ParticleDeviceId: must be " DEV);
    r = put(f, "{\"OnlineNotificationOption\":{\"Post\":true}}");
    assert_error(&r, 400, "OnlineNotificationOption.Post: unknown field");
    r = put(f, "{}");
    assert_error(&r, 400, "empty body");
    r = put(f, "{not json");
    assert_int_equal(r.status, 400);
    http_reply_dispose(&r);
    const char *const xml[] = {"Authorization: Bearer " KEY, "Content-Type: application/xml", NULL};
    r = http(f, "PUT", "/api/v1/devices/" DEV "/particle", xml, "<x/>");
    assert_error(&r, 415, "application/json");
    assert_int_equal(f->settings_changed, 0);
    bridge_device d;
    assert_int_equal(bridge_store_device_get(f->db.st, DEV, &d), 0);
    assert_true(d.enabled); /* nothing changed */
    assert_int_equal(d.check_interval_ms, 60000);
    bridge_device_dispose(&d);
}

static void test_measurements_formats(void **state)
{
    fixture *f = *state;
    http_reply r = get(f, "/api/v1/measurements?device=" DEV "&name=temp", "application/json");
    assert_int_equal(r.status, 200);
    json_t *j = parse_items(&r);
    assert_int_equal(json_array_size(j), 2);
    json_t *m = json_array_get(j, 0);
    assert_string_equal(json_string_value(json_object_get(m, "Date")), "1970-01-01T00:00:01.000Z");
    assert_true(json_number_value(json_object_get(m, "Value")) == 20.5);
    json_decref(j);
    http_reply_dispose(&r);

    r = get(f, "/api/v1/measurements?from=1970-01-01T00:00:01.100Z&to=1600&limit=10", "text/csv");
    assert_int_equal(r.status, 200);
    assert_content_type_has(&r, "text/csv");
    assert_string_equal(r.body,
                        "device_id,name,value,time,source\r\n"
                        "aaaaaaaaaaaaaaaaaaaaaaaa,temp,5,1970-01-01T00:00:01.200Z,poll\r\n" DEV
                        ",hum,40,1970-01-01T00:00:01.500Z,sse\r\n");
    http_reply_dispose(&r);

    r = get(f, "/api/v1/measurements?format=senml&limit=1", "*/*");
    assert_int_equal(r.status, 200);
    assert_content_type_is(&r, "application/senml+json");
    j = parse(&r);
    assert_int_equal(json_array_size(j), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "n")), "temp");
    json_decref(j);
    http_reply_dispose(&r);

    r = get(f, "/api/v1/measurements?limit=0", "application/json");
    assert_bad_parameter(&r, "limit", "expected a whole number from 1 to 10000");
    /* The edges of limit, and epoch ms that are negative or not whole. */
    const char *bad_limits[] = {"10001", "-1", "1x", "", "18446744073709551617"};
    for (size_t i = 0; i < sizeof bad_limits / sizeof bad_limits[0]; i++) {
        char url[128];
        snprintf(url, sizeof url, "/api/v1/measurements?limit=%s", bad_limits[i]);
        r = get(f, url, "application/json");
        assert_bad_parameter(&r, "limit",
                             bad_limits[i][0] == '\0' ? "expected a value"
                                                      : "expected a whole number from 1 to 10000");
    }
    r = get(f, "/api/v1/measurements?limit=10000", "application/json");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    r = get(f, "/api/v1/measurements?from=-1", "application/json");
    assert_bad_parameter(&r, "from", "expected an RFC 3339 time");
    r = get(f, "/api/v1/measurements?to=1.5", "application/json");
    assert_bad_parameter(&r, "to", "expected an RFC 3339 time");
    r = get(f, "/api/v1/measurements?from=yesterday", "application/json");
    assert_bad_parameter(&r, "from", "expected an RFC 3339 time");
    r = get(f, "/api/v1/measurements?from=2000&to=1000", "application/json");
    assert_bad_parameter(&r, "to", "is before from");
    r = get(f, "/api/v1/measurements", "application/xml");
    assert_error(&r, 406, "text/csv");
}

static void test_status_posts(void **state)
{
    fixture *f = *state;
    http_reply r = get(f, "/api/v1/status-posts?device=" DEV, "text/csv");
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "device_id,kind,name,message,time\r\n" DEV
                                ",event,note,\"door \"\"front\"\", opened\","
                                "1970-01-01T00:00:01.800Z\r\n");
    http_reply_dispose(&r);
    r = get(f, "/api/v1/status-posts", "application/json");
    json_t *j = parse_items(&r);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "Message")),
                        "door \"front\", opened");
    json_decref(j);
    http_reply_dispose(&r);
}

static void test_webhook(void **state)
{
    fixture *f = *state;
    const char *body = "{\"event\":\"temperature\",\"data\":\"22.25\","
                       "\"published_at\":\"2025-01-01T00:00:00.000Z\",\"coreid\":\"" DEV "\"}";
    const char *const json_h[] = {"Content-Type: application/json", NULL};
    http_reply r = http(f, "POST", "/api/v1/webhook", json_h, body);
    assert_error(&r, 401, "webhook secret");
    const char *const ok_h[] = {"Content-Type: application/json", "X-Webhook-Secret: " SECRET,
                                NULL};
    for (int i = 0; i < 3; i++) { /* Particle retries: stored once */
        r = http(f, "POST", "/api/v1/webhook", ok_h, body);
        assert_int_equal(r.status, 200);
        http_reply_dispose(&r);
    }
    const char *const form_h[] = {"Content-Type: application/x-www-form-urlencoded",
                                  "Authorization: Bearer " SECRET, NULL};
    r = http(f, "POST", "/api/v1/webhook", form_h,
             "event=door&data=open&coreid=" DEV "&published_at=2025-01-01T00%3A00%3A01.000Z");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    r = http(f, "POST", "/api/v1/webhook", ok_h, "{\"event\":\"x\",\"data\":\"1\"}");
    assert_error(&r, 400, "coreid: required");
    r = http(f, "POST", "/api/v1/webhook", ok_h, "{\"coreid\":\"" DEV "\"}");
    assert_error(&r, 400, "event: required");
    r = http(f, "POST", "/api/v1/webhook", ok_h,
             "{\"event\":\"x\",\"coreid\":\"" DEV "\",\"published_at\":\"noon\"}");
    assert_error(&r, 400, "published_at: expected an ISO 8601 time");
    r = http(f, "POST", "/api/v1/webhook", ok_h,
             "{\"event\":\"x\",\"coreid\":\"" DEV "\",\"data\":{\"a\":1}}");
    assert_error(&r, 400, "data: must be a string");
    r = http(f, "POST", "/api/v1/webhook", ok_h, "[1,2]");
    assert_int_equal(r.status, 400);
    http_reply_dispose(&r);

    assert_int_equal(bridge_writer_flush(f->db.writer, 10000), 0);
    assert_int_equal(atomic_load(&f->db.metrics.events_stored), 2);
    assert_int_equal(atomic_load(&f->db.metrics.duplicates_dropped), 2);
    r = get(f, "/api/v1/measurements?name=temperature", "application/json");
    json_t *j = parse_items(&r);
    assert_int_equal(json_array_size(j), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "Source")),
                        "webhook");
    json_decref(j);
    http_reply_dispose(&r);

    r = http(f, "GET", "/metrics", auth_json, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "particle_bridge_events_stored_total 2\n"));
    assert_non_null(strstr(r.body, "particle_bridge_duplicates_dropped_total 2\n"));
    assert_non_null(strstr(r.body, "particle_bridge_webhook_rejected_total 5\n"));
    assert_non_null(strstr(r.body, "particle_bridge_devices 1\n"));
    http_reply_dispose(&r);
}

/* Fleet reports from the seeded store: JSON rows with the report's columns, the same rows as
 * CSV, SIM data summed per product, clear errors for unknown reports and formats. */
static void test_reports(void **state)
{
    fixture *f = *state;
    http_reply r = get(f, "/api/v1/reports/devices", "application/json");
    assert_int_equal(r.status, 200);
    json_t *j = parse_items(&r);
    assert_int_equal(json_array_size(j), 1);
    json_t *d = json_array_get(j, 0);
    assert_string_equal(json_string_value(json_object_get(d, "DeviceId")), DEV);
    assert_string_equal(json_string_value(json_object_get(d, "LastApp")), "thermostat");
    assert_string_equal(json_string_value(json_object_get(d, "Iccid")), "8934076500002589174");
    assert_int_equal(json_integer_value(json_object_get(d, "Variables")), 2);
    assert_int_equal(json_integer_value(json_object_get(d, "Functions")), 1);
    assert_true(json_is_null(json_object_get(d, "LastHeard")));
    assert_string_equal(json_string_value(json_object_get(d, "DateAdded")),
                        "2025-11-04T12:30:49.8920000+00:00");
    json_decref(j);
    http_reply_dispose(&r);

    r = get(f, "/api/v1/reports/fleet-status", "text/csv");
    assert_int_equal(r.status, 200);
    assert_content_type_is(&r, "text/csv; charset=utf-8");
    assert_string_equal(r.body, "ProductId,Devices,Online,Offline,Enabled,Faulted,Gone\r\n"
                                "0,1,1,0,1,0,0\r\n");
    http_reply_dispose(&r);

    r = get(f, "/api/v1/reports/sims?format=csv", "*/*");
    assert_int_equal(r.status, 200);
    assert_string_equal(
        r.body, "Iccid,DeviceId,DeviceName,Status,Carrier,BaseCountryCode,Imsi,DataLimitMB,"
                "BaseMonthlyRate,FirstActivatedOn,LastActivatedOn,MonthToDateMB,"
                "EstimatedMonthMB\r\n"
                "8934076500002589174," DEV ",kitchen,active,telefonica,US,,0,3.1,,,3,30\r\n");
    http_reply_dispose(&r);

    r = get(f, "/api/v1/reports/data-usage", "application/json");
    assert_int_equal(r.status, 200);
    j = parse_items(&r);
    d = json_array_get(j, 0);
    assert_int_equal(json_integer_value(json_object_get(d, "Sims")), 1);
    assert_true(json_real_value(json_object_get(d, "MonthToDateMB")) == 3.0);
    assert_true(json_real_value(json_object_get(d, "EstimatedMonthMB")) == 30.0);
    assert_true(json_real_value(json_object_get(d, "BaseMonthlyCost")) == 3.1);
    json_decref(j);
    http_reply_dispose(&r);

    r = get(f, "/api/v1/reports/vitals", "application/json");
    assert_error(&r, 404, "devices, fleet-status, sims, data-usage");
    r = get(f, "/api/v1/reports/devices", "application/xml");
    assert_int_equal(r.status, 406);
    http_reply_dispose(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_api_key_required, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_dto_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_dto_xml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_senml_and_406, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_measurements_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_posts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_webhook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reports, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    curl_global_cleanup();
    return rc;
}
