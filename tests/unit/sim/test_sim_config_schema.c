/* particle-sim configuration schemas (routes/product_config.c, model/json_schema.c): GET and
 * PUT of the product's and a device's JSON Schema (Accept / Content-Type:
 * application/schema+json), configurations validated against the schema in effect (types,
 * required, enum, minimum/maximum, nested objects, arrays) with a 422 naming the bad path
 * and nothing stored, a bad schema refused, the schemas kept with --state across a restart
 * and dropped by a reset, and the validator's keywords one by one. */
#include "model/sim_json_schema.h"
#include "pu_str.h"
#include "sim_test.h"

#define SCHEMA_CT "Content-Type: application/schema+json"
#define SCHEMA                                                                                     \
    "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","                \
    "\"properties\":{\"location\":{\"type\":\"object\",\"properties\":{"                           \
    "\"radius\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1000},"                             \
    "\"mode\":{\"type\":\"string\",\"enum\":[\"off\",\"on\"]},"                                    \
    "\"interval\":{\"type\":\"integer\"}},"                                                        \
    "\"required\":[\"radius\"],\"additionalProperties\":false},"                                   \
    "\"tags\":{\"type\":\"object\",\"properties\":{\"list\":{\"type\":\"array\","                  \
    "\"items\":{\"type\":\"string\",\"maxLength\":4}}}}}}"

/* A device's own schema, stricter than its product's. */
#define DEVICE_SCHEMA                                                                              \
    "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"object\","                      \
    "\"properties\":{\"radius\":{\"maximum\":10}}}}}"

/* GET @p path with Accept: application/schema+json. */
static http_reply get_schema(const sim_test *t, const char *path)
{
    char url[512];
    const char *headers[] = {"Authorization: Bearer " DEMO_TOKEN, "Accept: application/schema+json",
                             NULL};
    http_call call = {.method = "GET",
                      .url = http_url(url, sizeof(url), t->port, path),
                      .headers = headers,
                      .timeout_ms = 30000};
    http_reply r;
    http_perform(&call, &r);
    return r;
}

/* The schema at @p path reads back as @p schema. */
static void assert_schema(const sim_test *t, const char *path, const char *schema)
{
    http_reply r = get_schema(t, path);
    json_t *got = sim_json(&r, 200), *want = json_loads(schema, 0, NULL);
    assert_non_null(want);
    assert_true(json_equal(got, want));
    json_decref(got);
    json_decref(want);
    http_reply_dispose(&r);
}

/* The path of the schema of a device of product 10001. */
static void device_schema_path(const sim_test *t, char *path, size_t size)
{
    sim_model *m = sim_server_model(t->srv);
    char dev[SIM_DEVICE_ID_LEN + 1] = "";
    sim_model_lock(m);
    for (uint32_t i = 0; i < m->device_count && !dev[0]; i++)
        if (m->devices[i].product != SIM_NONE && m->products[m->devices[i].product].id == 10001)
            pu_strlcpy(dev, m->devices[i].id, sizeof(dev));
    sim_model_unlock(m);
    assert_true(dev[0] != '\0');
    snprintf(path, size, "/v1/products/10001/config/%s", dev);
}

/* PUT configuration @p body to @p path; asserts @p status; for a 422 the violation's
 * dataPath must be @p data_path and its keyword @p keyword. */
static void put_config(const sim_test *t, const char *path, const char *body, long status,
                       const char *data_path, const char *keyword)
{
    http_reply r = sim_req(t, "PUT", path, DEMO_TOKEN, JSON_CT, body);
    json_t *j = sim_json(&r, status);
    if (status == 422) {
        json_t *v = json_array_get(json_object_get(j, "violations"), 0);
        assert_string_equal(jstr(j, "message"), "Invalid Schema");
        assert_string_equal(jstr(v, "dataPath"), data_path);
        assert_string_equal(jstr(v, "keyword"), keyword);
        assert_non_null(strstr(jstr(j, "description"), data_path));
    }
    json_decref(j);
    http_reply_dispose(&r);
}

static void test_product_schema(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    http_reply r = get_schema(t, "/v1/products/10001/config");
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
    r = sim_req(t, "PUT", "/v1/products/10001/config", DEMO_TOKEN, SCHEMA_CT, SCHEMA);
    json_decref(sim_json(&r, 200));
    http_reply_dispose(&r);
    assert_schema(t, "/v1/products/10001/config", SCHEMA);
    /* a device without its own schema has its product's */
    char path[128];
    device_schema_path(t, path, sizeof(path));
    assert_schema(t, path, SCHEMA);

    const char *p = "/v1/products/10001/config";
    put_config(t, p, "{\"location\":{\"radius\":5000}}", 422, ".location.radius", "maximum");
    put_config(t, p, "{\"location\":{\"radius\":-1}}", 422, ".location.radius", "minimum");
    put_config(t, p, "{\"location\":{\"radius\":\"far\"}}", 422, ".location.radius", "type");
    put_config(t, p, "{\"location\":{\"mode\":\"on\"}}", 422, ".location", "required");
    put_config(t, p, "{\"location\":{\"radius\":1,\"mode\":\"dim\"}}", 422, ".location.mode",
               "enum");
    put_config(t, p, "{\"location\":{\"radius\":1,\"nope\":1}}", 422, ".location",
               "additionalProperties");
    put_config(t, p, "{\"location\":{\"radius\":1,\"interval\":1.5}}", 422, ".location.interval",
               "type");
    put_config(t, p, "{\"tags\":{\"list\":[\"ab\",\"abcde\"]}}", 422, ".tags.list[1]", "maxLength");
    /* nothing was stored */
    r = sim_req(t, "GET", p, DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
    put_config(t, p,
               "{\"location\":{\"radius\":10,\"mode\":\"on\",\"interval\":60},"
               "\"tags\":{\"list\":[\"ab\"]},\"other\":{}}",
               200, NULL, NULL);
    /* a device's own schema wins for that device */
    r = sim_req(t, "PUT", path, DEMO_TOKEN, SCHEMA_CT, DEVICE_SCHEMA);
    json_decref(sim_json(&r, 200));
    http_reply_dispose(&r);
    put_config(t, path, "{\"location\":{\"radius\":20}}", 422, ".location.radius", "maximum");
    http_reply dr = sim_req(t, "PUT", path, DEMO_TOKEN, JSON_CT, "{\"location\":{\"radius\":5}}");
    assert_true(dr.status == 200 || dr.status == 202);
    http_reply_dispose(&dr);
    sim_test_stop(t);
}

static void test_state_keeps_schemas(void **state)
{
    (void)state;
    char file[] = "/tmp/sim-schemas-XXXXXX";
    sim_server_options o = sim_test_state_options(file);
    sim_test *t = sim_test_start(&o);
    http_reply r = sim_req(t, "PUT", "/v1/products/10001/config", DEMO_TOKEN, SCHEMA_CT, SCHEMA);
    json_decref(sim_json(&r, 200));
    http_reply_dispose(&r);
    char device_path[128];
    device_schema_path(t, device_path, sizeof(device_path));
    r = sim_req(t, "PUT", device_path, DEMO_TOKEN, SCHEMA_CT, DEVICE_SCHEMA);
    json_decref(sim_json(&r, 200));
    http_reply_dispose(&r);
    sim_test_stop(t);

    /* after a restart both schemas are read back and still validate */
    t = sim_test_start(&o);
    assert_schema(t, "/v1/products/10001/config", SCHEMA);
    assert_schema(t, device_path, DEVICE_SCHEMA);
    put_config(t, "/v1/products/10001/config", "{\"location\":{\"radius\":5000}}", 422,
               ".location.radius", "maximum");
    put_config(t, device_path, "{\"location\":{\"radius\":20}}", 422, ".location.radius",
               "maximum");
    /* a reset forgets them, in the file too */
    r = sim_req(t, "POST", "/sim/reset", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    r = get_schema(t, "/v1/products/10001/config");
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
    sim_test_stop(t);
    t = sim_test_start(&o);
    r = get_schema(t, "/v1/products/10001/config");
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
    r = get_schema(t, device_path);
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
    sim_test_stop(t);
    unlink(file);
}

static void test_bad_schemas(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    static const char *const bad[] = {
        "{\"type\":\"wibble\"}",
        "{\"type\":5}",
        "{\"properties\":[]}",
        "{\"properties\":{\"a\":{\"minimum\":\"x\"}}}",
        "{\"enum\":{}}",
        "{}",
        "{\"type\":",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        http_reply r =
            sim_req(t, "PUT", "/v1/products/10001/config", DEMO_TOKEN, SCHEMA_CT, bad[i]);
        json_decref(sim_json(&r, 400));
        http_reply_dispose(&r);
    }
    http_reply r = get_schema(t, "/v1/products/10001/config");
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
    /* a customer or a stranger may not set one */
    r = sim_req(t, "PUT", "/v1/products/10001/config", OTHER_TOKEN, SCHEMA_CT,
                "{\"type\":\"object\"}");
    assert_int_equal(r.status, 403);
    http_reply_dispose(&r);
    sim_test_stop(t);
}

/* @p schema_text and @p data_text validate (@p ok) or fail with @p keyword. */
static void check(const char *schema_text, const char *data_text, bool ok, const char *keyword)
{
    json_t *schema = json_loads(schema_text, 0, NULL),
           *data = json_loads(data_text, JSON_DECODE_ANY, NULL);
    assert_non_null(schema);
    assert_non_null(data);
    assert_null(sim_schema_check(schema));
    sim_schema_violation v;
    bool valid = sim_schema_validate(schema, data, &v);
    if (valid != ok)
        fail_msg("%s with %s: expected %s", schema_text, data_text, ok ? "valid" : "invalid");
    if (!ok)
        assert_string_equal(v.keyword, keyword);
    json_decref(schema);
    json_decref(data);
}

static void test_keywords(void **state)
{
    (void)state;
    check("{\"type\":[\"string\",\"null\"]}", "null", true, NULL);
    check("{\"type\":[\"string\",\"null\"]}", "1", false, "type");
    check("{\"type\":\"integer\"}", "2.0", true, NULL);
    check("{\"exclusiveMinimum\":1}", "1", false, "exclusiveMinimum");
    check("{\"exclusiveMaximum\":1}", "0.5", true, NULL);
    check("{\"minLength\":2}", "\"\\u00e9\"", false, "minLength");
    check("{\"const\":3}", "3", true, NULL);
    check("{\"const\":3}", "4", false, "const");
    check("{\"minItems\":1}", "[]", false, "minItems");
    check("{\"maxItems\":1}", "[1,2]", false, "maxItems");
    check("{\"additionalProperties\":{\"type\":\"boolean\"}}", "{\"a\":true,\"b\":1}", false,
          "type");
    check("{\"properties\":{\"a\":false}}", "{\"a\":1}", false, "false");
    check("{\"title\":\"t\",\"default\":1,\"pattern\":\"x\"}", "\"anything\"", true, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_product_schema),
        cmocka_unit_test(test_state_keeps_schemas),
        cmocka_unit_test(test_bad_schemas),
        cmocka_unit_test(test_keywords),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
