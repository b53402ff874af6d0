/* The firmware calls (firmware.h) against a canned loopback server: for each call the
 * request on the wire (method, path, query, JSON or multipart body), the parsed answer and
 * its getters, the API's errors, and argument checks that send nothing. */
#include <sys/stat.h>

#include "sdk_fixture.h"

static const char firmware_json[] =
    "{\"_id\":\"58c09bc7df2b9a4d223d9c22\",\"version\":3,\"title\":\"Third\","
    "\"description\":\"d\",\"name\":\"firmware.bin\",\"size\":7952,\"product_default\":true,"
    "\"uploaded_on\":\"2017-03-09T00:03:19.181Z\",\"product_id\":295,\"mandatory\":false}";

/* The boundary of multipart request @p i, into @p out. */
static void request_boundary(canned_server *srv, size_t i, char *out, size_t size)
{
    static char head[64 * 1024];
    assert_true(canned_server_request(srv, i, head, sizeof(head)));
    static const char marker[] = "Content-Type: multipart/form-data; boundary=";
    const char *b = strstr(head, marker);
    assert_non_null(b);
    b += sizeof(marker) - 1;
    size_t len = strcspn(b, "\r\n");
    assert_true(len < size);
    memcpy(out, b, len);
    out[len] = '\0';
}

/* Asserts that request @p i has the text field @p name = @p value. */
static void assert_text_part(canned_server *srv, size_t i, const char *name, const char *value)
{
    char needle[512];
    snprintf(needle, sizeof(needle), "Content-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n",
             name, value);
    fixture_assert_request_has(srv, i, needle);
}

/* Asserts that request @p i has the file part @p name / @p filename with @p content. */
static void assert_file_part(canned_server *srv, size_t i, const char *name, const char *filename,
                             const char *content)
{
    char needle[1024];
    snprintf(needle, sizeof(needle),
             "Content-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n%s\r\n",
             name, filename, content);
    fixture_assert_request_has(srv, i, needle);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_upload(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/products/acme/firmware HTTP/1.1",
         .status = 201,
         .body = firmware_json},
        {.expect = "POST /v1/products/acme/firmware HTTP/1.1",
         .status = 400,
         .body = "{\"ok\":false,\"error\":\"version already exists\"}"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_firmware_upload fw = PARTICLE_FIRMWARE_UPLOAD_INIT;
    fw.firmware_version = 3;
    fw.title = "Third";
    fw.description = "d";
    fw.mandatory = PARTICLE_NO;
    fw.data = "BINARY\x01\x02";
    fw.size = 8;
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_firmware_upload(&doc, c, "acme", &fw), 0);
    const particle_value *root = particle_doc_root(doc);
    assert_int_equal(particle_product_firmware_version(root), 3);
    assert_string_equal(particle_product_firmware_title(root), "Third");
    assert_int_equal(particle_product_firmware_size(root), 7952);
    assert_int_equal(particle_product_firmware_is_default(root), 1);
    particle_doc_free(doc);
    char boundary[128];
    request_boundary(srv, 0, boundary, sizeof(boundary));
    assert_file_part(srv, 0, "file", "firmware.bin", "BINARY\x01\x02");
    assert_text_part(srv, 0, "version", "3");
    assert_text_part(srv, 0, "title", "Third");
    assert_text_part(srv, 0, "description", "d");
    assert_text_part(srv, 0, "mandatory", "false");

    /* a 400 is not retried (the upload may have been stored) and carries the API's text */
    assert_int_equal(particle_product_firmware_upload(NULL, c, "acme", &fw), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_string_equal(particle_error_last()->message, "version already exists");
    fixture_assert_script_ok(srv);
    assert_int_equal(canned_server_request_count(srv), 2);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_upload_from_file_and_checks(void **state)
{
    (void)state;
    char path[] = "/tmp/particle-fw-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, "FILEBYTES");
    canned_step steps[] = {
        {.expect = "POST /v1/products/42/firmware HTTP/1.1", .status = 201, .body = firmware_json},
    };
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_firmware_upload fw;
    assert_int_equal(particle_firmware_upload_init(&fw, PARTICLE_FIRMWARE_UPLOAD_VERSION), 0);
    fw.firmware_version = 4;
    fw.title = "From a file";
    fw.path = path;
    assert_int_equal(particle_product_firmware_upload(NULL, c, "42", &fw), 0);
    assert_file_part(srv, 0, "file", strrchr(path, '/') + 1, "FILEBYTES");
    assert_text_part(srv, 0, "title", "From a file");
    fixture_assert_request_has(srv, 0, "name=\"version\"\r\n\r\n4\r\n");
    char text[8192];
    assert_true(canned_server_request(srv, 0, text, sizeof(text)));
    assert_null(strstr(text, "name=\"description\""));
    assert_null(strstr(text, "name=\"mandatory\""));

    /* bad uploads stop before anything is sent */
    particle_firmware_upload bad = fw;
    bad.firmware_version = 0;
    assert_int_equal(particle_product_firmware_upload(NULL, c, "42", &bad), PARTICLE_EINVAL);
    bad = fw;
    bad.title = NULL;
    assert_int_equal(particle_product_firmware_upload(NULL, c, "42", &bad), PARTICLE_EINVAL);
    bad = fw;
    bad.data = "x";
    bad.size = 1;
    assert_int_equal(particle_product_firmware_upload(NULL, c, "42", &bad), PARTICLE_EINVAL);
    bad = fw;
    bad.path = "/nonexistent/fw.bin";
    assert_int_equal(particle_product_firmware_upload(NULL, c, "42", &bad), PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "/nonexistent/fw.bin"));
    assert_int_equal(particle_product_firmware_upload(NULL, c, NULL, &fw), PARTICLE_EINVAL);
    assert_int_equal(particle_product_firmware_upload(NULL, c, "42", NULL), PARTICLE_EINVAL);
    assert_int_equal(canned_server_request_count(srv), 1);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
    unlink(path);
}

static void test_list_get_update(void **state)
{
    (void)state;
    static char list_json[1024];
    snprintf(list_json, sizeof(list_json), "[%s]", firmware_json);
    canned_step steps[] = {
        {.expect = "GET /v1/products/acme/firmware HTTP/1.1", .status = 200, .body = list_json},
        {.expect = "GET /v1/products/acme/firmware HTTP/1.1",
         .status = 200,
         .body = "{\"firmware\":[]}"},
        {.expect = "GET /v1/products/acme/firmware/3 HTTP/1.1",
         .status = 200,
         .body = firmware_json},
        {.expect = "GET /v1/products/acme/firmware/9 HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Firmware not found\"}"},
        {.expect = "PUT /v1/products/acme/firmware/3 HTTP/1.1",
         .status = 200,
         .body = firmware_json},
    };
    canned_server *srv = canned_server_start(steps, 5);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_firmware_list(&doc, c, "acme"), 0);
    assert_int_equal(particle_value_count(particle_doc_root(doc)), 1);
    assert_int_equal(
        particle_product_firmware_version(particle_value_at(particle_doc_root(doc), 0)), 3);
    particle_doc_free(doc);
    /* the list is a bare array; anything else is a malformed answer */
    assert_int_equal(particle_product_firmware_list(&doc, c, "acme"), PARTICLE_EPROTO);
    assert_null(doc);

    assert_int_equal(particle_product_firmware_get(&doc, c, "acme", 3), 0);
    assert_string_equal(particle_product_firmware_title(particle_doc_root(doc)), "Third");
    particle_doc_free(doc);
    assert_int_equal(particle_product_firmware_get(&doc, c, "acme", 9), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_product_firmware_get(&doc, c, "acme", -1), PARTICLE_EINVAL);

    assert_int_equal(particle_product_firmware_update(NULL, c, "acme", 3, "New title", NULL), 0);
    fixture_assert_body(srv, 4, "{\"title\":\"New title\"}");
    assert_int_equal(particle_product_firmware_update(NULL, c, "acme", 3, NULL, NULL),
                     PARTICLE_EINVAL);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_release(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "PUT /v1/products/acme/firmware/release HTTP/1.1",
         .status = 200,
         .body = "{\"version\":3,\"product_default\":false,\"groups\":[\"asia\",\"europe\"],"
                 "\"intelligent\":true}"},
        {.expect = "PUT /v1/products/acme/firmware/release HTTP/1.1",
         .status = 200,
         .body = firmware_json},
        {.expect = "PUT /v1/products/acme/firmware/release HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Firmware version 8 not found\"}"},
    };
    canned_server *srv = canned_server_start(steps, 3);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    const char *groups[] = {"asia", "europe"};
    particle_firmware_release rel;
    assert_int_equal(particle_firmware_release_init(&rel, PARTICLE_FIRMWARE_RELEASE_VERSION), 0);
    rel.firmware_version = 3;
    rel.groups = groups;
    rel.group_count = 2;
    rel.intelligent = PARTICLE_YES;
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_firmware_release(&doc, c, "acme", &rel), 0);
    assert_int_equal(particle_value_count(particle_value_get(particle_doc_root(doc), "groups")), 2);
    particle_doc_free(doc);
    fixture_assert_body(srv, 0,
                        "{\"version\":3,\"groups\":[\"asia\",\"europe\"],\"intelligent\":true}");

    particle_firmware_release wide = PARTICLE_FIRMWARE_RELEASE_INIT;
    wide.firmware_version = 3;
    wide.product_default = PARTICLE_YES;
    assert_int_equal(particle_product_firmware_release(NULL, c, "acme", &wide), 0);
    fixture_assert_body(srv, 1, "{\"version\":3,\"product_default\":true}");

    wide.firmware_version = 8;
    assert_int_equal(particle_product_firmware_release(NULL, c, "acme", &wide), PARTICLE_ENOTFOUND);

    const char *bad_groups[] = {"asia", ""};
    rel.groups = bad_groups;
    assert_int_equal(particle_product_firmware_release(NULL, c, "acme", &rel), PARTICLE_EINVAL);
    rel.groups = groups;
    rel.firmware_version = 0;
    assert_int_equal(particle_product_firmware_release(NULL, c, "acme", &rel), PARTICLE_EINVAL);
    assert_int_equal(canned_server_request_count(srv), 3);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_downloads(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/acme/firmware/3/binary HTTP/1.1",
         .status = 200,
         .headers = "Content-Type: application/octet-stream\r\n",
         .body = "FWBYTES"},
        {.expect = "GET /v1/binaries/5a1b HTTP/1.1",
         .status = 200,
         .headers = "Content-Type: application/octet-stream\r\n",
         .body = "COMPILED"},
        {.expect = "PUT /v1/devices/dev1/backup_files HTTP/1.1",
         .status = 200,
         .headers = "Content-Type: application/zip\r\n",
         .body = "ZIPBYTES"},
        {.expect = "GET /v1/binaries/gone HTTP/1.1",
         .status = 404,
         .body = "{\"error\":\"Binary not found\"}"},
    };
    canned_server *srv = canned_server_start(steps, 4);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_response *resp = NULL;
    assert_int_equal(particle_product_firmware_download(&resp, c, "acme", 3, NULL), 0);
    assert_int_equal(particle_response_size(resp), 7);
    assert_memory_equal(particle_response_data(resp), "FWBYTES", 7);
    particle_response_free(resp);
    fixture_assert_request_has(srv, 0, "Accept: application/octet-stream");

    char target[] = "/tmp/particle-bin-XXXXXX";
    int fd = mkstemp(target);
    assert_true(fd >= 0);
    close(fd);
    particle_download_options dl;
    assert_int_equal(particle_download_options_init(&dl, PARTICLE_DOWNLOAD_OPTIONS_VERSION), 0);
    dl.save_to = target;
    assert_int_equal(particle_binary_download(NULL, c, "5a1b", &dl), 0);
    FILE *f = fopen(target, "rb");
    char got[32] = {0};
    assert_int_equal(fread(got, 1, sizeof(got) - 1, f), 8);
    fclose(f);
    assert_string_equal(got, "COMPILED");
    unlink(target);

    assert_int_equal(particle_device_backup_download(&resp, c, "dev1", NULL), 0);
    assert_string_equal(particle_response_content_type(resp), "application/zip");
    assert_memory_equal(particle_response_data(resp), "ZIPBYTES", 8);
    particle_response_free(resp);

    assert_int_equal(particle_binary_download(&resp, c, "gone", NULL), PARTICLE_ENOTFOUND);
    assert_null(resp);
    assert_string_equal(particle_error_last()->message, "Binary not found");
    assert_int_equal(particle_binary_download(&resp, c, "", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_product_firmware_download(&resp, c, "acme", 0, NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_device_backup_download(&resp, c, NULL, NULL), PARTICLE_EINVAL);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_flash(void **state)
{
    (void)state;
    char dir[] = "/tmp/particle-src-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char ino[256], hdr[256];
    snprintf(ino, sizeof(ino), "%s/app.ino", dir);
    snprintf(hdr, sizeof(hdr), "%s/lib.h", dir);
    write_file(ino, "void setup(){}");
    write_file(hdr, "#pragma once");
    static const char started[] = "{\"id\":\"dev1\",\"status\":\"Update started\"}";
    canned_step steps[] = {
        {.expect = "PUT /v1/devices/dev1 HTTP/1.1", .status = 200, .body = started},
        {.expect = "PUT /v1/products/acme/devices/dev1 HTTP/1.1", .status = 200, .body = started},
        {.expect = "PUT /v1/products/acme/devices/dev1 HTTP/1.1",
         .status = 200,
         .body = "{\"id\":\"dev1\",\"desired_firmware_version\":3}"},
        {.expect = "PUT /v1/devices/dev1 HTTP/1.1",
         .status = 400,
         .body = "{\"ok\":false,\"error\":\"Compilation failed\"}"},
    };
    canned_server *srv = canned_server_start(steps, 4);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);

    particle_flash_options o;
    assert_int_equal(particle_flash_options_init(&o, PARTICLE_FLASH_OPTIONS_VERSION), 0);
    o.binary = "BIN";
    o.binary_size = 3;
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_flash(&doc, c, "dev1", &o), 0);
    assert_string_equal(particle_value_string(particle_value_get(particle_doc_root(doc), "status")),
                        "Update started");
    particle_doc_free(doc);
    assert_file_part(srv, 0, "file", "firmware.bin", "BIN");
    assert_text_part(srv, 0, "latest", "true");

    const char *sources[] = {ino, hdr};
    particle_flash_options src = PARTICLE_FLASH_OPTIONS_INIT;
    src.product = "acme";
    src.source_paths = sources;
    src.source_count = 2;
    src.target_version = "5.8.0";
    assert_int_equal(particle_device_flash(NULL, c, "dev1", &src), 0);
    assert_file_part(srv, 1, "file", "app.ino", "void setup(){}");
    assert_file_part(srv, 1, "file2", "lib.h", "#pragma once");
    assert_text_part(srv, 1, "build_target_version", "5.8.0");

    particle_flash_options ver = PARTICLE_FLASH_OPTIONS_INIT;
    ver.product = "acme";
    ver.firmware_version = 3;
    assert_int_equal(particle_device_flash(NULL, c, "dev1", &ver), 0);
    fixture_assert_body(srv, 2, "{\"desired_firmware_version\":3,\"flash\":true}");

    const char *one[] = {ino};
    src.product = NULL;
    src.source_paths = one;
    src.source_count = 1;
    assert_int_equal(particle_device_flash(NULL, c, "dev1", &src), PARTICLE_EHTTP);
    assert_string_equal(particle_error_last()->message, "Compilation failed");

    /* nothing, two things, a version without its product: refused before sending */
    particle_flash_options bad = PARTICLE_FLASH_OPTIONS_INIT;
    assert_int_equal(particle_device_flash(NULL, c, "dev1", &bad), PARTICLE_EINVAL);
    bad.binary_path = ino;
    bad.firmware_version = 2;
    assert_int_equal(particle_device_flash(NULL, c, "dev1", &bad), PARTICLE_EINVAL);
    bad.binary_path = NULL;
    assert_int_equal(particle_device_flash(NULL, c, "dev1", &bad), PARTICLE_EINVAL);
    assert_int_equal(particle_device_flash(NULL, c, "dev1", NULL), PARTICLE_EINVAL);
    assert_int_equal(canned_server_request_count(srv), 4);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
    unlink(ino);
    unlink(hdr);
    rmdir(dir);
}

static void test_compile(void **state)
{
    (void)state;
    char path[] = "/tmp/particle-ino-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, "void loop(){}");
    canned_step steps[] = {
        {.expect = "POST /v1/binaries HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true,\"binary_id\":\"5a1b\",\"binary_url\":\"/v1/binaries/5a1b\","
                 "\"expires_at\":\"2026-12-04T00:00:00.000Z\",\"sizeInfo\":\"text data\"}"},
        {.expect = "POST /v1/binaries HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    const char *files[] = {path};
    particle_doc *doc = NULL;
    assert_int_equal(particle_compile_code(&doc, c, 12, files, 1, NULL), 0);
    assert_string_equal(particle_compile_binary_id(particle_doc_root(doc)), "5a1b");
    particle_doc_free(doc);
    assert_file_part(srv, 0, "file", strrchr(path, '/') + 1, "void loop(){}");
    assert_text_part(srv, 0, "latest", "true");
    assert_text_part(srv, 0, "platform_id", "12");

    assert_int_equal(particle_compile_code(&doc, c, 12, files, 1, "6.1.0"), PARTICLE_EPROTO);
    assert_null(doc);
    assert_text_part(srv, 1, "build_target_version", "6.1.0");
    assert_int_equal(particle_compile_code(&doc, c, 12, files, 0, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_compile_code(&doc, c, -1, files, 1, NULL), PARTICLE_EINVAL);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
    unlink(path);
}

static void test_build_targets_and_device_os(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/build_targets HTTP/1.1",
         .status = 200,
         .body =
             "{\"targets\":[{\"platforms\":[6,12],\"prereleases\":[],"
             "\"firmware_vendor\":\"Particle\",\"version\":\"5.8.0\"}],"
             "\"platforms\":{\"Photon\":6,\"Argon\":12},\"default_versions\":{\"6\":\"5.8.0\"}}"},
        {.expect = "GET /v1/build_targets?featured=true HTTP/1.1",
         .status = 200,
         .body = "{\"platforms\":{}}"},
        {.expect = "GET /v1/device-os/versions?platform_id=12&page=2&per_page=5 HTTP/1.1",
         .status = 200,
         .body = "[{\"version\":\"5.8.0\",\"platform_id\":12}]"},
        {.expect = "GET /v1/device-os/versions HTTP/1.1", .status = 200, .body = "[]"},
        {.expect = "GET /v1/device-os/versions/5.8.0?platform_id=12 HTTP/1.1",
         .status = 200,
         .body = "{\"version\":\"5.8.0\",\"platform_id\":12,\"module_version\":5800}"},
        {.expect = "GET /v1/device-os/versions/0.0.1 HTTP/1.1",
         .status = 404,
         .body = "{\"error\":\"Not found\"}"},
    };
    canned_server *srv = canned_server_start(steps, 6);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_build_target_list(&doc, c, 0), 0);
    assert_int_equal(particle_value_count(particle_value_get(particle_doc_root(doc), "targets")),
                     1);
    particle_doc_free(doc);
    assert_int_equal(particle_build_target_list(&doc, c, 1), PARTICLE_EPROTO);

    particle_device_os_list_options o;
    assert_int_equal(
        particle_device_os_list_options_init(&o, PARTICLE_DEVICE_OS_LIST_OPTIONS_VERSION), 0);
    o.platform_id = 12;
    o.page = 2;
    o.per_page = 5;
    assert_int_equal(particle_device_os_version_list(&doc, c, &o), 0);
    assert_int_equal(particle_value_count(particle_doc_root(doc)), 1);
    particle_doc_free(doc);
    assert_int_equal(particle_device_os_version_list(&doc, c, NULL), 0);
    particle_doc_free(doc);
    o.platform_id = -3;
    assert_int_equal(particle_device_os_version_list(&doc, c, &o), PARTICLE_EINVAL);

    assert_int_equal(particle_device_os_version_get(&doc, c, "5.8.0", 12), 0);
    assert_int_equal(
        particle_value_int(particle_value_get(particle_doc_root(doc), "module_version"), 0), 5800);
    particle_doc_free(doc);
    assert_int_equal(particle_device_os_version_get(&doc, c, "0.0.1", 0), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_device_os_version_get(&doc, c, NULL, 0), PARTICLE_EINVAL);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upload),          cmocka_unit_test(test_upload_from_file_and_checks),
        cmocka_unit_test(test_list_get_update), cmocka_unit_test(test_release),
        cmocka_unit_test(test_downloads),       cmocka_unit_test(test_flash),
        cmocka_unit_test(test_compile),         cmocka_unit_test(test_build_targets_and_device_os),
    };
    particle_global_init();
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
