/*
 * particle-sim firmware libraries (routes/libraries.c, model/libraries.c, library_list.c,
 * library_archive.c, library_fixture.c) over loopback HTTP: the fixture's listing with each
 * filter, sort, page and scope; get with a version; versions; archive links that unpack to
 * the version's library.properties; contributing real .tar.gz archives (built here) as
 * private versions, publishing, deleting; bad input (not gzip, no library.properties, bad
 * name or version, a duplicate version, another user's name, unknown scope or sort, bad
 * bodies): a 4xx JSON error and nothing changed; reset and --state across a restart.
 */
#include <unistd.h>

#include "firmware_test.h"
#include "model/sim_libraries.h"
#include "sim_test.h"

/* @p method @p path with a JSON @p body as @p token; asserts @p status, returns the JSON
 * answer. Error answers must carry an error string. */
static json_t *call(const sim_test *t, const char *token, const char *method, const char *path,
                    const char *body, long status)
{
    http_reply r = sim_req(t, method, path, token, body ? JSON_CT : NULL, body);
    if (r.status != status)
        fail_msg("%s %s: expected %ld, got %ld: %s", method, path, status, r.status,
                 r.body ? r.body : "");
    json_t *j = http_reply_json(&r);
    if (!j)
        fail_msg("%s %s: not JSON: %s", method, path, r.body ? r.body : "");
    if (status >= 400 && !json_is_string(json_object_get(j, "error")))
        fail_msg("%s %s: the error body has no error string: %s", method, path, r.body);
    http_reply_dispose(&r);
    return j;
}

static void call_ok(const sim_test *t, const char *token, const char *method, const char *path,
                    const char *body, long status)
{
    json_decref(call(t, token, method, path, body, status));
}

/* The names of the listing at @p path, comma-joined, into @p out. */
static const char *names(const sim_test *t, const char *token, const char *path, char *out,
                         size_t size)
{
    json_t *j = call(t, token, "GET", path, NULL, 200);
    json_t *data = json_object_get(j, "data");
    out[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < json_array_size(data); i++) {
        json_t *item = json_array_get(data, i);
        assert_string_equal(json_string_value(json_object_get(item, "type")), "libraries");
        len += (size_t)snprintf(out + len, size - len, "%s%s", i ? "," : "",
                                json_string_value(json_object_get(item, "id")));
    }
    json_decref(j);
    return out;
}

static void expect_names(const sim_test *t, const char *token, const char *path,
                         const char *expected)
{
    char got[512];
    names(t, token, path, got, sizeof(got));
    if (strcmp(got, expected) != 0)
        fail_msg("GET %s: expected [%s], got [%s]", path, expected, got);
}

static const char *attr(const json_t *answer, const char *key)
{
    return json_string_value(
        json_object_get(json_object_get(json_object_get(answer, "data"), "attributes"), key));
}

static void test_fixture_listing(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    expect_names(t, DEMO_TOKEN, "/v1/libraries",
                 "Adafruit_DHT,InternetButton,JsonParserGeneratorRK,neopixel,OneWire");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?filter=JSON", "JsonParserGeneratorRK");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?filter=temperature", "");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?filter=DHT22", "Adafruit_DHT"); /* sentence */
    expect_names(t, DEMO_TOKEN, "/v1/libraries?category=sensors", "Adafruit_DHT");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?architectures=particle-electron",
                 "Adafruit_DHT,JsonParserGeneratorRK,neopixel,OneWire");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?architectures=particle-boron%2Cparticle-argon",
                 "Adafruit_DHT,InternetButton,JsonParserGeneratorRK,neopixel,OneWire");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?scope=official", "InternetButton");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?scope=featured", "InternetButton,neopixel");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?excludeScopes=verified", "OneWire");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?excludeScopes=official%2Cfeatured",
                 "Adafruit_DHT,JsonParserGeneratorRK,OneWire");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?scope=mine", "");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?sort=-installs",
                 "neopixel,Adafruit_DHT,OneWire,InternetButton,JsonParserGeneratorRK");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?sort=popularity&page=2&limit=2",
                 "OneWire,InternetButton");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?sort=-name&limit=3&page=1",
                 "OneWire,neopixel,JsonParserGeneratorRK");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?page=9", "");
    /* particle-cli's community list: several keys */
    expect_names(t, DEMO_TOKEN, "/v1/libraries?sort=official%2Cverified%2Cpopularity%2Cname",
                 "InternetButton,neopixel,Adafruit_DHT,JsonParserGeneratorRK,OneWire");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?sort=-verified%2C-date%2Cname",
                 "OneWire,InternetButton,neopixel,Adafruit_DHT,JsonParserGeneratorRK");
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries?sort=name%2C", NULL, 400);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries?scope=everything", NULL, 400);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries?excludeScopes=public%2Cnope", NULL, 400);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries?sort=size", NULL, 400);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries?sort=name%2Csize", NULL, 400);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries?page=0", NULL, 400);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries?limit=x", NULL, 400);
    http_reply r = sim_req(t, "GET", "/v1/libraries", NULL, NULL, NULL);
    assert_int_equal(r.status, 400); /* a token is needed to list */
    http_reply_dispose(&r);

    json_t *j = call(t, DEMO_TOKEN, "GET", "/v1/libraries?filter=InternetButton", NULL, 200);
    json_t *item = json_array_get(json_object_get(j, "data"), 0);
    json_t *a = json_object_get(item, "attributes");
    assert_string_equal(json_string_value(json_object_get(a, "version")), "0.1.12");
    assert_string_equal(json_string_value(json_object_get(a, "visibility")), "public");
    assert_true(json_is_true(json_object_get(a, "official")));
    assert_true(json_is_false(json_object_get(a, "mine")));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(a, "dependencies"), "neopixel")),
        "1.0.3");
    assert_int_equal(json_array_size(json_object_get(a, "architectures")), 2);
    assert_non_null(
        strstr(json_string_value(json_object_get(json_object_get(item, "links"), "download")),
               "/v1/libraries/InternetButton/archive/0.1.12.tar.gz"));
    json_decref(j);
    sim_test_stop(t);
}

/* GET @p path without a token: the bytes. */
static http_reply fetch_archive(const sim_test *t, const char *path)
{
    return sim_req(t, "GET", path, NULL, NULL, NULL);
}

static void test_get_versions_archive(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    json_t *j = call(t, DEMO_TOKEN, "GET", "/v1/libraries/neopixel", NULL, 200);
    assert_string_equal(attr(j, "version"), "1.0.4");
    json_decref(j);
    j = call(t, DEMO_TOKEN, "GET", "/v1/libraries/NEOPIXEL?version=1.0.0", NULL, 200);
    assert_string_equal(attr(j, "version"), "1.0.0");
    assert_string_equal(attr(j, "name"), "neopixel");
    json_decref(j);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries/neopixel?version=9.9.9", NULL, 404);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries/nothing-here", NULL, 404);

    j = call(t, DEMO_TOKEN, "GET", "/v1/libraries/neopixel/versions", NULL, 200);
    json_t *data = json_object_get(j, "data");
    assert_int_equal(json_array_size(data), 3);
    const char *expected[] = {"1.0.4", "1.0.3", "1.0.0"};
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(json_string_value(json_object_get(
                                json_object_get(json_array_get(data, i), "attributes"), "version")),
                            expected[i]);
    json_decref(j);
    expect_names(t, DEMO_TOKEN, "/v1/libraries/neopixel/versions?page=2&limit=1", "neopixel");
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries/nothing-here/versions", NULL, 404);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries/neopixel/versions?limit=-1", NULL, 400);

    http_reply r = fetch_archive(t, "/v1/libraries/neopixel/archive/1.0.3.tar.gz");
    assert_int_equal(r.status, 200);
    char *props = NULL;
    const char *why = NULL;
    assert_int_equal(sim_library_archive_properties(r.body, r.body_len, &props, &why), 0);
    assert_non_null(strstr(props, "name=neopixel\nversion=1.0.3\n"));
    free(props);
    http_reply_dispose(&r);
    r = fetch_archive(t, "/v1/libraries/neopixel/archive/7.0.0.tar.gz");
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
    r = fetch_archive(t, "/v1/libraries/neopixel/archive/1.0.3.zip");
    assert_int_equal(r.status, 404);
    http_reply_dispose(&r);
    sim_test_stop(t);
}

/* A .tar.gz holding @p properties (NULL = no library.properties) under "lib/". */
static unsigned char *archive_of(const char *properties, size_t *size)
{
    sim_library_file files[] = {{"lib/src/Thing.h", "#pragma once\n"},
                                {"lib/library.properties", properties}};
    unsigned char *data = NULL;
    assert_int_equal(sim_library_archive_build(files, properties ? 2 : 1, &data, size), 0);
    return data;
}

/* POSTs @p data (@p size bytes) as the part "file" named archive.tar.gz. */
static http_reply contribute_raw(const sim_test *t, const char *token, const void *data,
                                 size_t size, const char *part)
{
    pu_buf b;
    pu_buf_xinit(&b);
    fw_part_file(&b, part, "archive.tar.gz", data, size);
    fw_part_end(&b);
    char url[512], auth[128];
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    const char *headers[] = {auth, FW_MULTIPART, NULL};
    http_call c = {.method = "POST",
                   .url = http_url(url, sizeof(url), t->port, "/v1/libraries"),
                   .headers = headers,
                   .body = b.data,
                   .body_len = b.len};
    http_reply reply;
    http_perform(&c, &reply);
    pu_buf_dispose(&b);
    return reply;
}

/* Contributes a library.properties text; asserts @p status; returns the answer. */
static json_t *contribute(const sim_test *t, const char *token, const char *properties, long status)
{
    size_t size = 0;
    unsigned char *data = archive_of(properties, &size);
    http_reply r = contribute_raw(t, token, data, size, "file");
    free(data);
    json_t *j = sim_json(&r, status);
    if (status >= 400)
        assert_true(json_is_string(json_object_get(j, "error")));
    http_reply_dispose(&r);
    return j;
}

#define MYLIB "name=DemoLib\nversion=0.1.0\nauthor=Demo\nsentence=A demo library\n"

static void test_contribute_publish_delete(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    json_t *j = contribute(t, DEMO_TOKEN, MYLIB "architectures=particle-argon\n", 200);
    assert_string_equal(attr(j, "visibility"), "private");
    assert_string_equal(attr(j, "sentence"), "A demo library");
    json_decref(j);
    expect_names(t, DEMO_TOKEN, "/v1/libraries?scope=private", "DemoLib");
    expect_names(t, DEMO_TOKEN, "/v1/libraries?scope=mine", "DemoLib");
    expect_names(t, OTHER_TOKEN, "/v1/libraries?filter=demo", "");
    call_ok(t, OTHER_TOKEN, "GET", "/v1/libraries/DemoLib", NULL, 404);

    /* refusals: nothing changes */
    json_decref(contribute(t, DEMO_TOKEN, MYLIB, 400));                            /* exists */
    json_decref(contribute(t, OTHER_TOKEN, "name=DemoLib\nversion=0.2.0\n", 403)); /* not theirs */
    json_decref(contribute(t, OTHER_TOKEN, "name=neopixel\nversion=9.0.0\n", 403));
    json_decref(contribute(t, DEMO_TOKEN, "name=bad name\nversion=1.0.0\n", 400));
    json_decref(contribute(t, DEMO_TOKEN, "name=Good\nversion=1.0\n", 400));
    json_decref(contribute(t, DEMO_TOKEN, "version=1.0.0\n", 400));
    json_decref(contribute(t, DEMO_TOKEN, NULL, 400)); /* no library.properties */
    http_reply r = contribute_raw(t, DEMO_TOKEN, "plain text", 10, "file");
    json_decref(sim_json(&r, 400));
    http_reply_dispose(&r);
    size_t size = 0;
    unsigned char *data = archive_of(MYLIB, &size);
    r = contribute_raw(t, DEMO_TOKEN, data, size / 2, "file"); /* cut off */
    json_decref(sim_json(&r, 400));
    http_reply_dispose(&r);
    r = contribute_raw(t, DEMO_TOKEN, data, size, "archive"); /* another part name */
    json_decref(sim_json(&r, 400));
    http_reply_dispose(&r);
    free(data);
    call_ok(t, DEMO_TOKEN, "POST", "/v1/libraries", "{\"name\":\"DemoLib\"}", 400);
    /* over the simulator's 1 MiB body cap */
    unsigned char *big = calloc(1, SIM_LIBRARY_ARCHIVE_MAX + 4096);
    r = contribute_raw(t, DEMO_TOKEN, big, SIM_LIBRARY_ARCHIVE_MAX + 4096, "file");
    json_decref(sim_json(&r, 413));
    http_reply_dispose(&r);
    free(big);
    j = call(t, DEMO_TOKEN, "GET", "/v1/libraries/DemoLib/versions", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "data")), 1);
    json_decref(j);

    /* publish */
    call_ok(t, OTHER_TOKEN, "PATCH", "/v1/libraries/DemoLib", "{\"visibility\":\"public\"}", 404);
    call_ok(t, DEMO_TOKEN, "PATCH", "/v1/libraries/DemoLib", "{\"visibility\":\"private\"}", 400);
    call_ok(t, DEMO_TOKEN, "PATCH", "/v1/libraries/DemoLib", "{not json", 400);
    call_ok(t, DEMO_TOKEN, "PATCH", "/v1/libraries/nothing-here", "{\"visibility\":\"public\"}",
            404);
    j = call(t, DEMO_TOKEN, "PATCH", "/v1/libraries/DemoLib", "{\"visibility\":\"public\"}", 200);
    assert_string_equal(attr(j, "visibility"), "public");
    json_decref(j);
    expect_names(t, OTHER_TOKEN, "/v1/libraries?filter=demo", "DemoLib");
    call_ok(t, OTHER_TOKEN, "PATCH", "/v1/libraries/DemoLib", "{\"visibility\":\"public\"}", 403);

    /* a newer private version: the owner sees it, others the public one */
    json_decref(contribute(t, DEMO_TOKEN, "name=DemoLib\nversion=0.10.0\n", 200));
    j = call(t, OTHER_TOKEN, "GET", "/v1/libraries/DemoLib", NULL, 200);
    assert_string_equal(attr(j, "version"), "0.1.0");
    json_decref(j);
    j = call(t, DEMO_TOKEN, "GET", "/v1/libraries/DemoLib", NULL, 200);
    assert_string_equal(attr(j, "version"), "0.10.0");
    json_decref(j);

    /* delete: the owner's private libraries only */
    call_ok(t, OTHER_TOKEN, "DELETE", "/v1/libraries/DemoLib", NULL, 403);
    call_ok(t, DEMO_TOKEN, "DELETE", "/v1/libraries/DemoLib", NULL, 403); /* published */
    call_ok(t, DEMO_TOKEN, "DELETE", "/v1/libraries/neopixel", NULL, 403);
    call_ok(t, DEMO_TOKEN, "DELETE", "/v1/libraries/nothing-here", NULL, 404);
    json_decref(contribute(t, DEMO_TOKEN, "name=Scratch\nversion=1.0.0\n", 200));
    call_ok(t, OTHER_TOKEN, "DELETE", "/v1/libraries/Scratch", NULL, 404); /* private */
    call_ok(t, DEMO_TOKEN, "DELETE", "/v1/libraries/Scratch", "{\"force\":\"x\"}", 200);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries/Scratch", NULL, 404);
    sim_test_stop(t);
}

/* The archive reader: where library.properties may be, and what its keys become. */
static void test_archive_reader(void **state)
{
    (void)state;
    struct {
        const char *path;
        int rc;
    } cases[] = {{"library.properties", 0},
                 {"./library.properties", 0},
                 {"MyLib-1.0.0/library.properties", 0},
                 {"a/b/library.properties", -1},
                 {"src/library.properties.bak", -1}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sim_library_file f = {cases[i].path, "name=X\nversion=1.0.0\n"};
        unsigned char *data = NULL;
        size_t size = 0;
        assert_int_equal(sim_library_archive_build(&f, 1, &data, &size), 0);
        char *text = NULL;
        const char *why = NULL;
        if (sim_library_archive_properties(data, size, &text, &why) != cases[i].rc)
            fail_msg("%s: expected %d (%s)", cases[i].path, cases[i].rc, why ? why : "");
        free(text);
        free(data);
    }
    json_t *a = sim_library_properties_parse("# comment\r\nname = Spaced \r\n"
                                             "architectures= particle-argon , ,particle-boron\n"
                                             "dependencies.neopixel=1.0.3\nunknown=dropped\n"
                                             "sentence=\xff\xfe\n");
    assert_string_equal(json_string_value(json_object_get(a, "name")), "Spaced");
    json_t *archs = json_object_get(a, "architectures");
    assert_int_equal(json_array_size(archs), 2);
    assert_string_equal(json_string_value(json_array_get(archs, 1)), "particle-boron");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(a, "dependencies"), "neopixel")),
        "1.0.3");
    assert_null(json_object_get(a, "unknown"));
    assert_null(json_object_get(a, "sentence")); /* not UTF-8: left out */
    json_decref(a);
}

static void test_reset_and_state(void **state)
{
    (void)state;
    char file[] = "/tmp/sim-libraries-XXXXXX";
    sim_server_options o = sim_test_state_options(file);
    sim_test *t = sim_test_start(&o);
    json_decref(contribute(t, DEMO_TOKEN, MYLIB, 200));
    sim_test_stop(t);
    t = sim_test_start(&o);
    json_t *j = call(t, DEMO_TOKEN, "GET", "/v1/libraries/DemoLib", NULL, 200);
    assert_string_equal(attr(j, "visibility"), "private");
    json_decref(j);
    http_reply r = fetch_archive(t, "/v1/libraries/DemoLib/archive/0.1.0.tar.gz");
    char *props = NULL;
    const char *why = NULL;
    assert_int_equal(r.status, 200);
    assert_int_equal(sim_library_archive_properties(r.body, r.body_len, &props, &why), 0);
    assert_non_null(strstr(props, "name=DemoLib"));
    free(props);
    http_reply_dispose(&r);
    http_reply before = fetch_archive(t, "/v1/libraries/neopixel/archive/1.0.3.tar.gz");
    assert_int_equal(before.status, 200);
    call_ok(t, DEMO_TOKEN, "POST", "/sim/reset", NULL, 200);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries/DemoLib", NULL, 404);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries/neopixel", NULL, 200);
    /* The reset copies the built-in libraries kept from start-up: the same archive bytes. */
    http_reply after = fetch_archive(t, "/v1/libraries/neopixel/archive/1.0.3.tar.gz");
    assert_int_equal(after.status, 200);
    assert_int_equal(after.body_len, before.body_len);
    assert_memory_equal(after.body, before.body, before.body_len);
    http_reply_dispose(&before);
    http_reply_dispose(&after);
    /* A reset after a reset has nothing to copy; one after a contribution in this process
     * (not restored from the state file) drops it again. */
    call_ok(t, DEMO_TOKEN, "POST", "/sim/reset", NULL, 200);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries/neopixel", NULL, 200);
    json_decref(contribute(t, DEMO_TOKEN, MYLIB, 200));
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries/DemoLib", NULL, 200);
    call_ok(t, DEMO_TOKEN, "POST", "/sim/reset", NULL, 200);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries/DemoLib", NULL, 404);
    sim_test_stop(t);
    t = sim_test_start(&o);
    call_ok(t, DEMO_TOKEN, "GET", "/v1/libraries/DemoLib", NULL, 404);
    sim_test_stop(t);
    unlink(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_listing),
        cmocka_unit_test(test_get_versions_archive),
        cmocka_unit_test(test_contribute_publish_delete),
        cmocka_unit_test(test_archive_reader),
        cmocka_unit_test(test_reset_and_state),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
