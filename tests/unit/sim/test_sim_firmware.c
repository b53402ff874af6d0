/*
 * particle-sim product firmware, flashing and builds over loopback HTTP (reference/
 * cloud-api.md §9.6, §5.9, §12): upload (multipart, 201), get, list, update, download (the
 * uploaded bytes), release to groups and product-wide (targets move), delete; bad input
 * (empty, oversized and foreign binaries, duplicate and bad versions, missing title, a body
 * that is not multipart or does not parse, a release of an unknown version): a 4xx JSON
 * error and nothing changed. Flashing a developer device with a binary, compiling without a
 * prepared binary (the documented error), build targets and Device OS versions. A fresh
 * simulator per test, its clock paused.
 */
#include "firmware_test.h"
#include "model/sim_firmware.h"
#include "sim_test.h"

#define FIRMWARE "/v1/products/10001/firmware"

static sim_test *T;

static int setup(void **state)
{
    (void)state;
    T = sim_test_start(NULL);
    http_reply r = sim_req(T, "POST", "/sim/clock/pause", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sim_test_stop(T);
    return 0;
}

/* @p method @p path with a multipart @p body (NULL = none) as @p token. */
static http_reply send_multipart(const char *method, const char *path, const char *token,
                                 const pu_buf *body)
{
    char url[512], auth[128];
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    const char *headers[] = {auth, FW_MULTIPART, NULL};
    http_call call = {.method = method,
                      .url = http_url(url, sizeof(url), T->port, path),
                      .headers = headers,
                      .body = body ? body->data : NULL,
                      .body_len = body ? body->len : 0};
    http_reply reply;
    http_perform(&call, &reply);
    return reply;
}

/* Uploads @p data as version @p version (text) titled @p title (NULL = no title part). */
static http_reply upload(const char *version, const char *title, const void *data, size_t len)
{
    pu_buf b;
    pu_buf_xinit(&b);
    fw_part_text(&b, "version", version);
    if (title)
        fw_part_text(&b, "title", title);
    fw_part_text(&b, "description", "first cut");
    fw_part_file(&b, "file", "firmware.bin", data, len);
    fw_part_end(&b);
    http_reply r = send_multipart("POST", FIRMWARE, DEMO_TOKEN, &b);
    pu_buf_dispose(&b);
    return r;
}

static json_t *call(const char *method, const char *path, const char *body, long status)
{
    http_reply r = sim_req(T, method, path, DEMO_TOKEN, body ? JSON_CT : NULL, body);
    json_t *j = status == 204 ? NULL : sim_json(&r, status);
    if (status == 204)
        assert_int_equal(r.status, 204);
    http_reply_dispose(&r);
    return j;
}

/* Asserts a 4xx JSON error with @p status whose "error" contains @p text. */
static void expect_error(http_reply *r, long status, const char *text)
{
    json_t *j = sim_json(r, status);
    const char *error = jstr(j, "error");
    if (!error || !strstr(error, text))
        fail_msg("expected an error with \"%s\", got %s", text, r->body);
    json_decref(j);
    http_reply_dispose(r);
}

static void upload_ok(const char *version, unsigned seed)
{
    unsigned char *bin = fw_module(13, 4096, 0, seed);
    http_reply r = upload(version, "Release", bin, 4096);
    json_decref(sim_json(&r, 201));
    http_reply_dispose(&r);
    free(bin);
}

static void test_upload_get_list_update_download(void **state)
{
    (void)state;
    unsigned char *bin = fw_module(13, 8192, 0, 3);
    http_reply r = upload("4", "Fourth", bin, 8192);
    json_t *fw = sim_json(&r, 201);
    http_reply_dispose(&r);
    assert_int_equal(json_integer_value(json_object_get(fw, "version")), 4);
    assert_string_equal(jstr(fw, "title"), "Fourth");
    assert_string_equal(jstr(fw, "description"), "first cut");
    assert_string_equal(jstr(fw, "name"), "firmware.bin");
    assert_int_equal(json_integer_value(json_object_get(fw, "size")), 8192);
    assert_int_equal(json_integer_value(json_object_get(fw, "product_id")), 10001);
    assert_true(json_is_false(json_object_get(fw, "product_default")));
    assert_int_equal(strlen(jstr(fw, "_id")), 24);
    assert_string_equal(jstr(json_object_get(fw, "uploaded_by"), "username"), "demo@example.com");
    json_decref(fw);

    fw = call("GET", FIRMWARE "/4", NULL, 200);
    assert_string_equal(jstr(fw, "title"), "Fourth");
    json_decref(fw);
    json_t *list = call("GET", FIRMWARE, NULL, 200);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);

    fw = call("PUT", FIRMWARE "/4", "{\"title\":\"Four\",\"description\":\"better\"}", 200);
    assert_string_equal(jstr(fw, "title"), "Four");
    assert_string_equal(jstr(fw, "description"), "better");
    json_decref(fw);
    fw = call("PUT", FIRMWARE "/4", "{\"description\":null}", 200);
    assert_true(json_is_null(json_object_get(fw, "description")));
    json_decref(fw);

    r = sim_req(T, "GET", FIRMWARE "/4/binary", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 8192);
    assert_memory_equal(r.body, bin, 8192);
    http_reply_dispose(&r);
    free(bin);
}

static void test_binary_module_at_vector_table_offset(void **state)
{
    (void)state;
    unsigned char *bin = fw_module(13, 4096, 0x200, 9); /* Gen 3: after the vector table */
    http_reply r = upload("7", "Gen 3 layout", bin, 4096);
    json_decref(sim_json(&r, 201));
    http_reply_dispose(&r);
    free(bin);
}

static void test_bad_uploads_change_nothing(void **state)
{
    (void)state;
    upload_ok("1", 1);
    unsigned char *bin = fw_module(13, 4096, 0, 2);
    unsigned char *argon = fw_module(12, 4096, 0, 2);
    http_reply r = upload("2", "Empty", bin, 0);
    expect_error(&r, 400, "empty");
    size_t big_len = SIM_FIRMWARE_MAX_BYTES + 4096;
    unsigned char *big = fw_module(13, big_len, 0, 2);
    r = upload("2", "Big", big, big_len);
    expect_error(&r, 400, "larger than");
    free(big);
    big_len = 1100 * 1024; /* beyond the request body cap: the server layer's 413 */
    big = fw_module(13, big_len, 0, 2);
    r = upload("2", "Huge", big, big_len);
    expect_error(&r, 413, "Payload Too Large");
    free(big);
    r = upload("2", "Argon", argon, 4096);
    expect_error(&r, 400, "another platform");
    r = upload("2", "Text", "just some text, not a module binary at all......", 48);
    expect_error(&r, 400, "not a Particle firmware binary");
    r = upload("1", "Again", bin, 4096);
    expect_error(&r, 409, "exists already");
    r = upload("2", NULL, bin, 4096);
    expect_error(&r, 400, "title");
    r = upload("two", "Words", bin, 4096);
    expect_error(&r, 400, "version");
    r = upload("0", "Zero", bin, 4096);
    expect_error(&r, 400, "version");
    r = sim_req(T, "POST", FIRMWARE, DEMO_TOKEN, JSON_CT, "{\"version\":2,\"title\":\"x\"}");
    expect_error(&r, 400, "multipart");
    pu_buf b;
    pu_buf_xinit(&b);
    pu_buf_append_str(&b, "--" FW_BOUNDARY "\r\nContent-Disposition: form-data\r\n\r\nx\r\n");
    r = send_multipart("POST", FIRMWARE, DEMO_TOKEN, &b);
    assert_int_equal(r.status, 400);
    http_reply_dispose(&r);
    pu_buf_dispose(&b);
    json_t *list = call("GET", FIRMWARE, NULL, 200);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    r = sim_req(T, "GET", FIRMWARE "/2", DEMO_TOKEN, NULL, NULL);
    expect_error(&r, 404, "not found");
    free(bin);
    free(argon);
}

/* The targeted version of device @p name through the product route. */
static json_int_t targeted(const char *name)
{
    sim_model *m = sim_server_model(T->srv);
    sim_model_lock(m);
    char path[128];
    snprintf(path, sizeof(path), "/v1/products/10001/devices/%s",
             m->devices[sim_test_device_named(m, name)].id);
    sim_model_unlock(m);
    json_t *d = call("GET", path, NULL, 200);
    json_int_t v = json_integer_value(json_object_get(d, "targeted_firmware_release_version"));
    json_decref(d);
    return v;
}

/* The group's fw_version (the version released to it) in GET and in the list, or -1 when
 * both leave it out; the two must agree. */
static json_int_t group_fw_version(const char *group)
{
    char path[128];
    snprintf(path, sizeof(path), "/v1/products/10001/groups/%s", group);
    json_t *got = call("GET", path, NULL, 200);
    json_t *v = json_object_get(json_object_get(got, "group"), "fw_version");
    json_int_t version = v ? json_integer_value(v) : -1;
    assert_true(!v || json_is_integer(v));
    json_decref(got);
    json_t *list = call("GET", "/v1/products/10001/groups", NULL, 200);
    size_t i;
    json_t *g;
    bool seen = false;
    json_array_foreach(json_object_get(list, "groups"), i, g)
    {
        if (strcmp(jstr(g, "name"), group) != 0)
            continue;
        json_t *lv = json_object_get(g, "fw_version");
        assert_int_equal(lv ? json_integer_value(lv) : -1, version);
        seen = true;
    }
    assert_true(seen);
    json_decref(list);
    return version;
}

static void test_release_moves_targets(void **state)
{
    (void)state;
    upload_ok("4", 4);
    upload_ok("5", 5);
    /* tracker-1 is in europe, tracker-2 in asia (the default fleet's groups_cycle) */
    assert_int_equal(targeted("tracker-1"), 3);
    json_t *fw = call("PUT", FIRMWARE "/release", "{\"version\":4,\"groups\":[\"europe\"]}", 200);
    assert_string_equal(json_string_value(json_array_get(json_object_get(fw, "groups"), 0)),
                        "europe");
    assert_true(json_is_string(json_object_get(fw, "updated_at")));
    json_decref(fw);
    assert_int_equal(targeted("tracker-1"), 4);
    assert_int_equal(targeted("tracker-2"), 3);
    assert_int_equal(group_fw_version("europe"), 4);
    assert_int_equal(group_fw_version("asia"), -1);
    json_decref(call("PUT", FIRMWARE "/release", "{\"version\":5,\"product_default\":true}", 200));
    assert_int_equal(group_fw_version("asia"), -1); /* a product-wide release is no group's */
    assert_int_equal(targeted("tracker-2"), 5);
    assert_int_equal(targeted("tracker-1"), 4); /* its group's release comes first */
    fw = call("GET", FIRMWARE "/5", NULL, 200);
    assert_true(json_is_true(json_object_get(fw, "product_default")));
    json_decref(fw);

    http_reply r = sim_req(T, "PUT", FIRMWARE "/release", DEMO_TOKEN, JSON_CT,
                           "{\"version\":9,\"product_default\":true}");
    expect_error(&r, 404, "not found");
    r = sim_req(T, "PUT", FIRMWARE "/release", DEMO_TOKEN, JSON_CT,
                "{\"version\":4,\"groups\":[\"nowhere\"]}");
    expect_error(&r, 400, "groups");
    r = sim_req(T, "PUT", FIRMWARE "/release", DEMO_TOKEN, JSON_CT, "{\"version\":4}");
    expect_error(&r, 400, "Release");
    r = sim_req(T, "PUT", FIRMWARE "/release", DEMO_TOKEN, JSON_CT, "{\"product_default\":true}");
    expect_error(&r, 400, "version");
    assert_int_equal(targeted("tracker-1"), 4);
    assert_int_equal(targeted("tracker-2"), 5);

    r = sim_req(T, "DELETE", FIRMWARE "/5", DEMO_TOKEN, NULL, NULL);
    expect_error(&r, 400, "Released");
    upload_ok("6", 6);
    call("DELETE", FIRMWARE "/6", NULL, 204);
    r = sim_req(T, "GET", FIRMWARE "/6", DEMO_TOKEN, NULL, NULL);
    expect_error(&r, 404, "not found");
}

static void test_flash_developer_device(void **state)
{
    (void)state;
    unsigned char *boron = fw_module(13, 2048, 0, 21);
    unsigned char *argon = fw_module(12, 2048, 0, 21);
    pu_buf b;
    pu_buf_xinit(&b);
    fw_part_file(&b, "file", "app.bin", argon, 2048);
    fw_part_end(&b);
    http_reply r = send_multipart("PUT", "/v1/devices/demo-boron-1", DEMO_TOKEN, &b);
    expect_error(&r, 400, "another platform");
    b.len = 0;
    fw_part_file(&b, "file", "app.bin", boron, 2048);
    fw_part_end(&b);
    r = send_multipart("PUT", "/v1/devices/demo-boron-1", DEMO_TOKEN, &b);
    json_t *j = sim_json(&r, 200);
    assert_string_equal(jstr(j, "status"), "Update started");
    json_decref(j);
    http_reply_dispose(&r);
    r = send_multipart("PUT", "/v1/devices/demo-boron-1", OTHER_TOKEN, &b);
    assert_int_equal(r.status, 403);
    http_reply_dispose(&r);
    r = send_multipart("PUT", "/v1/devices/demo-photon-1", DEMO_TOKEN, &b);
    assert_int_equal(r.status, 400); /* offline (and a Photon) */
    http_reply_dispose(&r);

    /* The flashed binary is downloadable by its id */
    sim_model *m = sim_server_model(T->srv);
    sim_model_lock(m);
    assert_int_equal(sim_binary_count(m), 1);
    char path[64];
    snprintf(path, sizeof(path), "/v1/binaries/%s", sim_binary_at(m, 0)->id);
    sim_model_unlock(m);
    r = sim_req(T, "GET", path, DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body, boron, 2048);
    http_reply_dispose(&r);
    r = sim_req(T, "GET", "/v1/binaries/0123456789abcdef01234567", DEMO_TOKEN, NULL, NULL);
    expect_error(&r, 404, "Binary not found");

    /* source: the simulator has no compiler */
    b.len = 0;
    fw_part_file(&b, "file", "app.ino", "void setup() {}\nvoid loop() {}\n", 31);
    fw_part_end(&b);
    r = send_multipart("PUT", "/v1/devices/demo-boron-1", DEMO_TOKEN, &b);
    expect_error(&r, 400, "no compiler");
    r = send_multipart("POST", "/v1/binaries", DEMO_TOKEN, &b);
    j = sim_json(&r, 400);
    assert_true(json_is_false(json_object_get(j, "ok")));
    assert_int_equal(json_array_size(json_object_get(j, "errors")), 1);
    json_decref(j);
    http_reply_dispose(&r);
    pu_buf_dispose(&b);
    free(boron);
    free(argon);
}

static void test_build_targets_and_device_os(void **state)
{
    (void)state;
    http_reply r = sim_req(T, "GET", "/v1/build_targets", NULL, NULL, NULL); /* no token */
    json_t *j = sim_json(&r, 200);
    http_reply_dispose(&r);
    assert_true(json_array_size(json_object_get(j, "targets")) > 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "platforms"), "Boron")),
                     13);
    assert_string_equal(jstr(json_object_get(j, "default_versions"), "13"), "6.3.2");
    json_decref(j);

    j = call("GET", "/v1/device-os/versions?platform_id=6&per_page=1&page=2", NULL, 200);
    assert_int_equal(json_array_size(j), 1);
    assert_string_equal(jstr(json_array_get(j, 0), "version"), "1.5.2");
    json_decref(j);
    j = call("GET", "/v1/device-os/versions/5.9.0?platform_id=12", NULL, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "module_version")), 5900);
    assert_int_equal(json_integer_value(json_object_get(j, "platform_id")), 12);
    json_decref(j);
    r = sim_req(T, "GET", "/v1/device-os/versions/9.9.9", DEMO_TOKEN, NULL, NULL);
    expect_error(&r, 404, "not found");
    r = sim_req(T, "GET", "/v1/device-os/versions/6.3.2?platform_id=6", DEMO_TOKEN, NULL, NULL);
    expect_error(&r, 404, "not found");
    r = sim_req(T, "GET", "/v1/device-os/versions?per_page=0", DEMO_TOKEN, NULL, NULL);
    expect_error(&r, 400, "per_page");
    r = sim_req(T, "PUT", "/v1/devices/demo-boron-1/backup_files", DEMO_TOKEN, NULL, NULL);
    expect_error(&r, 404, "manufacturing backups");
}

static void test_control_failures(void **state)
{
    (void)state;
    json_t *j = call("POST", "/sim/products/asset-tracker/firmware/failures", "{\"every\":5}", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "failing")), 3); /* 13 devices */
    json_decref(j);
    sim_model *m = sim_server_model(T->srv);
    sim_model_lock(m);
    char path[96];
    uint32_t dev = sim_test_device_named(m, "customer-tracker");
    snprintf(path, sizeof(path), "/sim/devices/%s/firmware", m->devices[dev].id);
    sim_model_unlock(m);
    j = call("POST", path, "{\"fail\":true,\"updates_enabled\":false}", 200);
    assert_true(json_is_true(json_object_get(j, "fail")));
    assert_true(json_is_false(json_object_get(j, "firmware_updates_enabled")));
    json_decref(j);
    http_reply r = sim_req(T, "POST", path, DEMO_TOKEN, JSON_CT, "{\"fail\":3}");
    expect_error(&r, 400, "true or false");
    r = sim_req(T, "POST", "/sim/products/asset-tracker/firmware/failures", DEMO_TOKEN, JSON_CT,
                "{\"every\":-1}");
    expect_error(&r, 400, "every");
    r = sim_req(T, "POST", "/sim/devices/nope/firmware", DEMO_TOKEN, JSON_CT, "{\"fail\":true}");
    expect_error(&r, 404, "not found");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_upload_get_list_update_download, setup, teardown),
        cmocka_unit_test_setup_teardown(test_binary_module_at_vector_table_offset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_uploads_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release_moves_targets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flash_developer_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_targets_and_device_os, setup, teardown),
        cmocka_unit_test_setup_teardown(test_control_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
