/*
 * Hostile text through particle-sim into every output format of the bridge: a device named
 * like a spreadsheet formula, event data with a formula and control characters, an event
 * whose JSON field name is a formula, a string variable holding a formula and control
 * characters, and a notification message with markup and control characters (set through
 * the bridge's own API). Every answer must parse (jansson for JSON and SenML, libxml2 for
 * XML, an RFC 4180 reader for CSV) and show the text as text: in CSV no cell a spreadsheet
 * would evaluate (unless csv_raw=true is asked for) and no control character but tab, CR
 * and LF; links percent-encoded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/formats.h"
#include "api/links.h"
#include "bridge_harness.h"
#include "pu_csv.h"
#include "pu_time.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "hostile-api-key-0123456789"
#define DEVICE "demo-argon-1"

/* What the sim is fed (JSON-escaped where it travels in a JSON body) and what the bridge
 * stores. U+FFFD is what a control character becomes in CSV and XML. */
#define HOSTILE_NAME "=cmd|' /C calc'!A0<&\">"
#define EVENT_DATA_JSON "=HYPERLINK(\\\"http://evil.example\\\",\\\"click\\\")\\u0001\\u001b[2J"
#define EVENT_DATA "=HYPERLINK(\"http://evil.example\",\"click\")\x01\x1b[2J"
#define EVENT_DATA_SHOWN "=HYPERLINK(\"http://evil.example\",\"click\")\xef\xbf\xbd\xef\xbf\xbd[2J"
#define FIELD_NAME "@SUM(A1)"
#define FIELD_NAME_SENML "_40SUM_28A1_29"
#define VARIABLE_JSON "+1+2\\u0007"
#define VARIABLE "+1+2\x07"
#define VARIABLE_SHOWN "+1+2\xef\xbf\xbd"
#define MESSAGE_JSON "<b>&amp; \\u0001 {name}</b>"
#define MESSAGE_SHOWN "<b>&amp; \xef\xbf\xbd {name}</b>"

static bridge_harness H;
static char device_id[64];

static http_reply sim_call(const char *method, const char *path, const char *body)
{
    return bridge_harness_http(sim_server_port(H.sim), method, path, TOKEN, NULL, body);
}

static http_reply api(const char *path, const char *accept)
{
    return bridge_harness_api(&H, "GET", path, accept, NULL);
}

static void expect_ok(http_reply r, const char *what)
{
    if (r.status != 200)
        fail_msg("%s: %ld %s", what, r.status, r.body);
    http_reply_dispose(&r);
}

/* The simulator's id of DEVICE. */
static void find_device(void)
{
    http_reply r = sim_call("GET", "/v1/devices", NULL);
    assert_int_equal(r.status, 200);
    json_t *list = http_reply_json(&r);
    size_t i;
    json_t *d;
    json_array_foreach(list, i, d)
    {
        if (strcmp(json_string_value(json_object_get(d, "name")), DEVICE) == 0)
            snprintf(device_id, sizeof device_id, "%s",
                     json_string_value(json_object_get(d, "id")));
    }
    json_decref(list);
    http_reply_dispose(&r);
    assert_true(device_id[0] != '\0');
}

static int setup(void **state)
{
    (void)state;
    sim_server_options so;
    sim_server_options_init(&so);
    so.threads = 4;
    if (bridge_harness_open(&H, "bridge-hostile", &so) != 0)
        return -1;
    bridge_harness_configure(&H, TOKEN, KEY);
    H.cfg.defaults.check_interval_ms = 300;
    H.cfg.flush_interval_ms = 20;
    char err[256];
    assert_int_equal(bridge_config_validate(&H.cfg, err, sizeof err), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    bridge_harness_close(&H);
    return 0;
}

/* ---- an RFC 4180 reader: rows of cells as a JSON array of arrays, NULL if malformed ---- */

static json_t *csv_read(const char *text)
{
    json_t *rows = json_array();
    json_t *row = json_array();
    char cell[8192];
    size_t n = 0;
    const char *p = text;
    while (*p != '\0') {
        n = 0;
        if (*p == '"') {
            for (p++;; p++) {
                if (*p == '\0')
                    goto malformed; /* unterminated quote */
                if (*p == '"' && p[1] == '"')
                    p++;
                else if (*p == '"')
                    break;
                if (n + 1 < sizeof cell)
                    cell[n++] = *p;
            }
            p++;
            if (*p != ',' && *p != '\r' && *p != '\n' && *p != '\0')
                goto malformed; /* text after the closing quote */
        } else {
            for (; *p != ',' && *p != '\r' && *p != '\n' && *p != '\0'; p++) {
                if (*p == '"')
                    goto malformed; /* a quote inside an unquoted field */
                if (n + 1 < sizeof cell)
                    cell[n++] = *p;
            }
        }
        cell[n] = '\0';
        json_array_append_new(row, json_string(cell));
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == '\r' && p[1] == '\n')
            p++;
        if (*p == '\n')
            p++;
        json_array_append_new(rows, row);
        row = json_array();
    }
    json_decref(row);
    return rows;
malformed:
    json_decref(row);
    json_decref(rows);
    return NULL;
}

/* The CSV parses into rows as wide as its header; no cell is a formula (unless @p raw) or
 * holds a control character but tab, CR and LF. True when a cell equals @p wanted. */
static bool csv_check(const char *what, const char *text, bool raw, const char *wanted)
{
    json_t *rows = csv_read(text);
    if (rows == NULL)
        fail_msg("%s: CSV does not parse:\n%s", what, text);
    size_t width = json_array_size(json_array_get(rows, 0));
    assert_true(width > 0);
    bool found = false;
    size_t r;
    json_t *row;
    json_array_foreach(rows, r, row)
    {
        if (json_array_size(row) != width)
            fail_msg("%s: row %zu has %zu cells, the header %zu", what, r, json_array_size(row),
                     width);
        size_t c;
        json_t *cell;
        json_array_foreach(row, c, cell)
        {
            const char *s = json_string_value(cell);
            if (!raw && pu_csv_is_formula(s))
                fail_msg("%s: row %zu cell %zu is a formula: %s", what, r, c, s);
            for (const char *q = s; *q != '\0'; q++) {
                unsigned char ch = (unsigned char)*q;
                if ((ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') || ch == 0x7f)
                    fail_msg("%s: row %zu cell %zu holds control character %02x", what, r, c, ch);
            }
            found = found || strcmp(s, wanted) == 0;
        }
    }
    json_decref(rows);
    return found;
}

static void expect_csv(const char *path, bool raw, const char *wanted)
{
    http_reply r = api(path, "text/csv");
    if (r.status != 200)
        fail_msg("%s: %ld %s", path, r.status, r.body);
    if (!csv_check(path, r.body, raw, wanted))
        fail_msg("%s: no cell \"%s\" in:\n%s", path, wanted, r.body);
    http_reply_dispose(&r);
}

/* The JSON (or SenML) answer parses; true when its text holds @p needle once decoded. */
static bool json_holds(const json_t *j, const char *needle)
{
    if (json_is_string(j))
        return strstr(json_string_value(j), needle) != NULL;
    size_t i;
    const char *key;
    json_t *v;
    if (json_is_array(j)) {
        json_array_foreach(j, i, v)
        {
            if (json_holds(v, needle))
                return true;
        }
    } else if (json_is_object(j)) {
        json_object_foreach((json_t *)j, key, v)
        {
            if (strstr(key, needle) != NULL || json_holds(v, needle))
                return true;
        }
    }
    return false;
}

static void expect_json(const char *path, const char *accept, const char *needle)
{
    http_reply r = api(path, accept);
    if (r.status != 200)
        fail_msg("%s (%s): %ld %s", path, accept, r.status, r.body);
    json_error_t e;
    json_t *j = json_loads(r.body, 0, &e);
    if (j == NULL)
        fail_msg("%s (%s): JSON does not parse: %s", path, accept, e.text);
    if (needle != NULL && !json_holds(j, needle))
        fail_msg("%s (%s): \"%s\" not in %s", path, accept, needle, r.body);
    json_decref(j);
    http_reply_dispose(&r);
}

/* The text of the first element named @p name under @p node with @p parent_name as parent
 * (NULL = any); NULL when none. */
static xmlChar *xml_text(xmlNode *node, const char *name, const char *parent_name)
{
    for (; node != NULL; node = node->next) {
        if (node->type == XML_ELEMENT_NODE && xmlStrcmp(node->name, BAD_CAST name) == 0 &&
            (parent_name == NULL ||
             (node->parent && xmlStrcmp(node->parent->name, BAD_CAST parent_name) == 0)))
            return xmlNodeGetContent(node);
        xmlChar *found = xml_text(node->children, name, parent_name);
        if (found != NULL)
            return found;
    }
    return NULL;
}

/* Parses @p text strictly (no recovery, no network); fails the test when it does not. */
static xmlDoc *xml_parse(const char *what, const char *text, size_t len)
{
    xmlDoc *doc = xmlReadMemory(text, (int)len, "answer.xml", NULL, XML_PARSE_NONET);
    if (doc == NULL)
        fail_msg("%s: XML does not parse:\n%s", what, text);
    return doc;
}

static void test_hostile_text_reaches_every_format_as_text(void **state)
{
    (void)state;
    find_device();
    char path[512], body[1024];
    snprintf(path, sizeof path, "/v1/devices/%s", device_id);
    expect_ok(sim_call("PUT", path,
                       "{\"name\":\""
                       "=cmd|' /C calc'!A0<&\\\">"
                       "\"}"),
              "rename");
    snprintf(path, sizeof path, "/sim/devices/%s/variables/status", device_id);
    expect_ok(sim_call("PUT", path, "{\"value\":\"" VARIABLE_JSON "\"}"), "set variable");

    bridge_harness_start_app(&H);
    pu_time_sleep_ms(1500); /* sync, the stream connected, a few polls */
    snprintf(path, sizeof path, "/sim/devices/%s/events", device_id);
    expect_ok(sim_call("POST", path, "{\"name\":\"note\",\"data\":\"" EVENT_DATA_JSON "\"}"),
              "publish text");
    expect_ok(
        sim_call("POST", path, "{\"name\":\"reading\",\"data\":\"{\\\"" FIELD_NAME "\\\":7}\"}"),
        "publish object");
    snprintf(path, sizeof path, "/api/v1/devices/%s/particle", device_id);
    snprintf(body, sizeof body,
             "{\"OnlineNotificationOption\":{\"PostStatusMessage\":true,\"Message\":\"%s\"}}",
             MESSAGE_JSON);
    http_reply put = bridge_harness_api(&H, "PUT", path, NULL, body);
    if (put.status != 200 && put.status != 204)
        fail_msg("PUT settings: %ld %s", put.status, put.body);
    http_reply_dispose(&put);
    pu_time_sleep_ms(1000);
    assert_int_equal(bridge_app_flush(H.app, 10000), 0);

    /* CSV: formulas neutralised, control characters replaced; raw on request */
    char q[256];
    expect_csv("/api/v1/devices", false, "'" HOSTILE_NAME);
    expect_csv("/api/v1/reports/devices", false, "'" HOSTILE_NAME);
    snprintf(q, sizeof q, "/api/v1/status-posts?device=%s", device_id);
    expect_csv(q, false, "'" EVENT_DATA_SHOWN);
    expect_csv(q, false, "'" VARIABLE_SHOWN);
    snprintf(q, sizeof q, "/api/v1/status-posts?device=%s&csv_raw=true", device_id);
    expect_csv(q, true, EVENT_DATA_SHOWN);
    snprintf(q, sizeof q, "/api/v1/measurements?device=%s", device_id);
    expect_csv(q, false, "'" FIELD_NAME);

    /* JSON and SenML: parse, and hold the text exactly */
    expect_json("/api/v1/devices", "application/json", HOSTILE_NAME);
    expect_json("/api/v1/reports/devices", "application/json", HOSTILE_NAME);
    snprintf(q, sizeof q, "/api/v1/status-posts?device=%s", device_id);
    expect_json(q, "application/json", EVENT_DATA);
    expect_json(q, "application/json", VARIABLE);
    snprintf(q, sizeof q, "/api/v1/measurements?device=%s", device_id);
    expect_json(q, "application/json", FIELD_NAME);
    /* SenML names keep to RFC 8428 section 4.5.1's characters: "@SUM(A1)" is mapped */
    expect_json(q, "application/senml+json", FIELD_NAME_SENML);
    snprintf(q, sizeof q, "/api/v1/status-posts?device=%s&format=senml", device_id);
    expect_json(q, "*/*", VARIABLE); /* texts as "vs" */
    expect_json(path, "application/json", "<b>&amp; \x01 {name}</b>");
    expect_json(path, "application/senml+json", VARIABLE); /* its latest value as "vs" */

    /* XML: parses strictly; the markup is text, the control character U+FFFD */
    http_reply r = api(path, "application/xml");
    assert_int_equal(r.status, 200);
    xmlDoc *doc = xml_parse(path, r.body, r.body_len);
    xmlChar *message = xml_text(xmlDocGetRootElement(doc), "Message", "OnlineNotificationOption");
    assert_non_null(message);
    assert_string_equal((const char *)message, MESSAGE_SHOWN);
    xmlFree(message);
    xmlFreeDoc(doc);
    http_reply_dispose(&r);
}

/* A device whose stored function names and texts are hostile: the DTO's XML parses and its
 * function link stays one URL with the names percent-encoded; JSON carries the same link. */
static void test_dto_links_and_xml_with_hostile_names(void **state)
{
    (void)state;
    char functions[2][BRIDGE_NAME_SIZE] = {"a/b?c#d e", "x\x01<y>&%"};
    bridge_device d = {.particle_id = "dev/../1?x", .name = "n", .function_count = 2};
    d.functions = functions;
    snprintf(d.last_app, sizeof d.last_app, "app\x02<&>");
    bridge_dto dto = {.device = &d, .cloud_url = "https://api.example"};
    char *xml = bridge_dto_to_xml(&dto);
    assert_non_null(xml);
    xmlDoc *doc = xml_parse("DTO", xml, strlen(xml));
    xmlChar *last_app = xml_text(xmlDocGetRootElement(doc), "LastApp", NULL);
    assert_string_equal((const char *)last_app, "app\xef\xbf\xbd<&>");
    xmlFree(last_app);
    xmlChar *href = xml_text(xmlDocGetRootElement(doc), "Href", "LinkViewModel");
    assert_non_null(href);
    assert_string_equal((const char *)href,
                        "https://api.example/v1/devices/dev%2F..%2F1%3Fx/a%2Fb%3Fc%23d%20e");
    xmlFree(href);
    xmlFreeDoc(doc);
    free(xml);
    json_t *j = bridge_dto_to_json(&dto);
    char *text = json_dumps(j, 0);
    assert_non_null(strstr(text, "dev%2F..%2F1%3Fx/x%01%3Cy%3E%26%25"));
    assert_non_null(strstr(text, "/api/v1/devices/dev%2F..%2F1%3Fx/particle"));
    assert_non_null(strstr(text, "/api/v1/measurements?device=dev%2F..%2F1%3Fx"));
    free(text);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hostile_text_reaches_every_format_as_text, setup,
                                        teardown),
        cmocka_unit_test(test_dto_links_and_xml_with_hostile_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
