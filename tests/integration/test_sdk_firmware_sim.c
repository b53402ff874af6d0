/*
 * libparticle's firmware calls (include/particle/firmware.h) against particle-sim
 * in-process on 127.0.0.1 port 0 with the default fleet: product firmware uploaded from a
 * file and from memory, then downloaded to memory and to a file (the same bytes); list, get,
 * update and release (to a group, whose fw_version follows, and product-wide); flashing a
 * developer device with a binary and a product device with a released version; compile's
 * documented error; build targets and Device OS versions. Bad input: empty and oversized
 * binaries, a binary for another platform, a version that exists, a release of an unknown
 * version, and a download cut off halfway (a loopback server that sends half the body: the
 * simulator never cuts), which leaves the file at the target path as it was. The binaries
 * are the fixtures in tests/data/firmware. Every test gets a fresh simulator.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "canned_server.h"
#include "particle/particle.h"
#include "server.h"

#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567"
#define PRODUCT "10001" /* asset-tracker: Borons */
#define FIXTURES PARTICLE_TEST_DATA_DIR "/firmware/"
#define WAIT_MS 5000

typedef struct fixture {
    sim_server *sim;
    char url[64];
    particle_client *c; /* the demo user */
    char dir[64];       /* scratch directory for downloads */
} fixture;

/* A client of @p url; @p retries false: a failed attempt is the answer. */
static particle_client *client_at(const char *url, bool retries)
{
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = DEMO_TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.request_timeout_ms = WAIT_MS;
    o.retry_base_ms = 10;
    o.retry_max_ms = 40;
    if (!retries)
        o.max_retries = PARTICLE_NO_RETRIES;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    return c;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    sim_server_options so;
    sim_server_options_init(&so);
    so.port = 0;
    so.threads = 2;
    char err[256] = "";
    if (sim_server_new(&f->sim, &so, err, sizeof(err)) < 0 ||
        sim_server_start(f->sim, err, sizeof(err)) < 0) {
        sim_server_free(f->sim);
        free(f);
        fail_msg("particle-sim: %s", err);
    }
    snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%u", (unsigned)sim_server_port(f->sim));
    f->c = client_at(f->url, true);
    snprintf(f->dir, sizeof(f->dir), "/tmp/sdk-firmware-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    *state = f;
    return 0;
}

/* The names in the scratch directory, removed; returns how many there were. */
static size_t empty_dir(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[400];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        unlink(path);
        n++;
    }
    closedir(d);
    return n;
}

static int teardown(void **state)
{
    fixture *f = *state;
    particle_client_free(f->c);
    sim_server_free(f->sim);
    empty_dir(f->dir);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* The whole of file @p path; *size gets its length. */
static unsigned char *read_all(const char *path, size_t *size)
{
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    unsigned char *data = malloc(1 << 20);
    assert_non_null(data);
    *size = fread(data, 1, 1 << 20, in);
    assert_int_equal(ferror(in), 0);
    fclose(in);
    return data;
}

/* Uploads @p version from @p path (NULL: from @p data/@p size). Returns the call's code. */
static int upload(fixture *f, int version, const char *path, const void *data, size_t size)
{
    particle_firmware_upload up = PARTICLE_FIRMWARE_UPLOAD_INIT;
    up.firmware_version = version;
    up.title = "Fixture";
    up.path = path;
    up.data = data;
    up.size = size;
    return particle_product_firmware_upload(NULL, f->c, PRODUCT, &up);
}

/* Asserts @p rc is PARTICLE_EHTTP (the code of a 400 and a 409) for an HTTP @p status whose message
 * contains @p text. */
static void expect_http(int rc, int status, const char *text)
{
    const particle_error *e = particle_error_last();
    if (rc != PARTICLE_EHTTP || e->http_status != status || strstr(e->message, text) == NULL)
        fail_msg("expected HTTP %d \"%s\", got %d (HTTP %d) %s", status, text, rc, e->http_status,
                 e->message);
}

static void test_upload_then_download_the_same_bytes(void **state)
{
    fixture *f = *state;
    size_t a_size, b_size;
    unsigned char *a = read_all(FIXTURES "boron-app-a.bin", &a_size);
    unsigned char *b = read_all(FIXTURES "boron-app-b.bin", &b_size);
    assert_int_equal(upload(f, 4, FIXTURES "boron-app-a.bin", NULL, 0), 0); /* from a file */
    assert_int_equal(upload(f, 5, NULL, b, b_size), 0);                     /* from memory */

    particle_response *resp = NULL; /* to memory */
    assert_int_equal(particle_product_firmware_download(&resp, f->c, PRODUCT, 4, NULL), 0);
    assert_int_equal(particle_response_status(resp), 200);
    assert_int_equal(particle_response_size(resp), a_size);
    assert_memory_equal(particle_response_data(resp), a, a_size);
    particle_response_free(resp);

    char target[128]; /* to a file */
    snprintf(target, sizeof(target), "%s/v5.bin", f->dir);
    particle_download_options dl = PARTICLE_DOWNLOAD_OPTIONS_INIT;
    dl.save_to = target;
    assert_int_equal(particle_product_firmware_download(NULL, f->c, PRODUCT, 5, &dl), 0);
    size_t got_size;
    unsigned char *got = read_all(target, &got_size);
    assert_int_equal(got_size, b_size);
    assert_memory_equal(got, b, b_size);
    free(got);
    free(a);
    free(b);
    assert_int_equal(particle_product_firmware_download(NULL, f->c, PRODUCT, 9, NULL),
                     PARTICLE_ENOTFOUND);
}

/* fw_version of group @p name of the product, or -1 when the group object leaves it out. */
static int64_t group_fw_version(fixture *f, const char *name)
{
    particle_doc *doc = NULL;
    assert_int_equal(particle_group_get(&doc, f->c, PRODUCT, name), 0);
    const particle_value *v =
        particle_value_get(particle_value_get(particle_doc_root(doc), "group"), "fw_version");
    int64_t version = v ? particle_value_int(v, -2) : -1;
    particle_doc_free(doc);
    return version;
}

static void test_list_get_update_release(void **state)
{
    fixture *f = *state;
    assert_int_equal(upload(f, 4, FIXTURES "boron-app-a.bin", NULL, 0), 0);
    assert_int_equal(upload(f, 5, FIXTURES "boron-app-b.bin", NULL, 0), 0);
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_firmware_list(&doc, f->c, PRODUCT), 0);
    const particle_value *list = particle_doc_root(doc);
    assert_int_equal(particle_value_count(list), 2);
    bool seen4 = false, seen5 = false;
    for (size_t i = 0; i < particle_value_count(list); i++) {
        const particle_value *fw = particle_value_at(list, i);
        seen4 = seen4 || particle_product_firmware_version(fw) == 4;
        seen5 = seen5 || (particle_product_firmware_version(fw) == 5 &&
                          particle_product_firmware_size(fw) == 1536);
    }
    assert_true(seen4 && seen5);
    particle_doc_free(doc);

    assert_int_equal(particle_product_firmware_update(NULL, f->c, PRODUCT, 4, "Renamed", "why"), 0);
    assert_int_equal(particle_product_firmware_get(&doc, f->c, PRODUCT, 4), 0);
    assert_string_equal(particle_product_firmware_title(particle_doc_root(doc)), "Renamed");
    assert_string_equal(
        particle_value_string(particle_value_get(particle_doc_root(doc), "description")), "why");
    assert_int_equal(particle_product_firmware_size(particle_doc_root(doc)), 1024);
    assert_int_equal(particle_product_firmware_is_default(particle_doc_root(doc)), 0);
    particle_doc_free(doc);
    assert_int_equal(particle_product_firmware_get(&doc, f->c, PRODUCT, 7), PARTICLE_ENOTFOUND);

    /* to a group: the group's fw_version follows; then product-wide */
    assert_int_equal(group_fw_version(f, "europe"), -1);
    const char *groups[] = {"europe"};
    particle_firmware_release rel = PARTICLE_FIRMWARE_RELEASE_INIT;
    rel.firmware_version = 4;
    rel.groups = groups;
    rel.group_count = 1;
    assert_int_equal(particle_product_firmware_release(&doc, f->c, PRODUCT, &rel), 0);
    assert_string_equal(particle_value_string(particle_value_at(
                            particle_value_get(particle_doc_root(doc), "groups"), 0)),
                        "europe");
    particle_doc_free(doc);
    assert_int_equal(group_fw_version(f, "europe"), 4);
    assert_int_equal(group_fw_version(f, "asia"), -1);
    particle_firmware_release wide = PARTICLE_FIRMWARE_RELEASE_INIT;
    wide.firmware_version = 5;
    wide.product_default = PARTICLE_YES;
    assert_int_equal(particle_product_firmware_release(&doc, f->c, PRODUCT, &wide), 0);
    assert_int_equal(particle_product_firmware_is_default(particle_doc_root(doc)), 1);
    particle_doc_free(doc);
}

/* tracker-1 of the product: its id into @p id and, with @p desired, its locked version. */
static void tracker(fixture *f, char *id, size_t size, long long *desired)
{
    particle_device_list_options o = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    o.product = PRODUCT;
    o.device_name = "tracker-1";
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_list(&doc, f->c, &o), 0);
    const particle_value *d =
        particle_value_at(particle_value_get(particle_doc_root(doc), "devices"), 0);
    assert_non_null(d);
    snprintf(id, size, "%s", particle_device_id(d));
    if (desired)
        *desired = particle_device_desired_firmware_version(d);
    particle_doc_free(doc);
}

static void test_flash_binary_and_released_version(void **state)
{
    fixture *f = *state;
    particle_flash_options o = PARTICLE_FLASH_OPTIONS_INIT;
    o.binary_path = FIXTURES "boron-app-a.bin";
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_flash(&doc, f->c, "demo-boron-1", &o), 0);
    assert_string_equal(particle_value_string(particle_value_get(particle_doc_root(doc), "status")),
                        "Update started");
    particle_doc_free(doc);
    o.binary_path = FIXTURES "argon-app.bin";
    expect_http(particle_device_flash(NULL, f->c, "demo-boron-1", &o), 400, "another platform");

    /* a released version on a product device: locks it and flashes it */
    assert_int_equal(upload(f, 4, FIXTURES "boron-app-b.bin", NULL, 0), 0);
    particle_firmware_release rel = PARTICLE_FIRMWARE_RELEASE_INIT;
    rel.firmware_version = 4;
    rel.product_default = PARTICLE_YES;
    assert_int_equal(particle_product_firmware_release(NULL, f->c, PRODUCT, &rel), 0);
    particle_flash_options v = PARTICLE_FLASH_OPTIONS_INIT;
    v.product = PRODUCT;
    v.firmware_version = 4;
    char id[32];
    tracker(f, id, sizeof(id), NULL);
    assert_int_equal(particle_device_flash(NULL, f->c, id, &v), 0);
    long long desired = 0;
    tracker(f, id, sizeof(id), &desired);
    assert_int_equal(desired, 4);
}

static void test_compile_answers_the_documented_error(void **state)
{
    fixture *f = *state;
    char source[128];
    snprintf(source, sizeof(source), "%s/app.ino", f->dir);
    FILE *out = fopen(source, "w");
    assert_non_null(out);
    fputs("void setup() {}\nvoid loop() {}\n", out);
    fclose(out);
    const char *paths[] = {source};
    particle_doc *doc = NULL;
    expect_http(particle_compile_code(&doc, f->c, 13, paths, 1, NULL), 400,
                "particle-sim has no compiler");
    particle_flash_options o = PARTICLE_FLASH_OPTIONS_INIT;
    o.source_paths = paths;
    o.source_count = 1;
    expect_http(particle_device_flash(NULL, f->c, "demo-boron-1", &o), 400, "no compiler");
}

static void test_build_targets_and_device_os_versions(void **state)
{
    fixture *f = *state;
    particle_doc *doc = NULL;
    assert_int_equal(particle_build_target_list(&doc, f->c, 0), 0);
    const particle_value *root = particle_doc_root(doc);
    assert_true(particle_value_count(particle_value_get(root, "targets")) > 0);
    assert_int_equal(
        particle_value_int(particle_value_get(particle_value_get(root, "platforms"), "Boron"), -1),
        13);
    assert_string_equal(particle_value_string(
                            particle_value_get(particle_value_get(root, "default_versions"), "13")),
                        "6.3.2");
    particle_doc_free(doc);

    particle_device_os_list_options lo = PARTICLE_DEVICE_OS_LIST_OPTIONS_INIT;
    lo.platform_id = 6;
    lo.page = 2;
    lo.per_page = 1;
    assert_int_equal(particle_device_os_version_list(&doc, f->c, &lo), 0);
    assert_int_equal(particle_value_count(particle_doc_root(doc)), 1);
    assert_string_equal(particle_value_string(particle_value_get(
                            particle_value_at(particle_doc_root(doc), 0), "version")),
                        "1.5.2");
    particle_doc_free(doc);
    assert_int_equal(particle_device_os_version_get(&doc, f->c, "5.9.0", 12), 0);
    assert_int_equal(
        particle_value_int(particle_value_get(particle_doc_root(doc), "module_version"), -1), 5900);
    particle_doc_free(doc);
    assert_int_equal(particle_device_os_version_get(&doc, f->c, "9.9.9", 0), PARTICLE_ENOTFOUND);
}

static void test_bad_uploads_and_releases(void **state)
{
    fixture *f = *state;
    expect_http(upload(f, 4, FIXTURES "empty.bin", NULL, 0), 400, "empty");
    size_t big_size = 512u * 1024 + 1; /* one byte over the simulator's limit */
    size_t a_size;
    unsigned char *a = read_all(FIXTURES "boron-app-a.bin", &a_size);
    unsigned char *big = calloc(1, big_size);
    assert_non_null(big);
    memcpy(big, a, a_size);
    expect_http(upload(f, 4, NULL, big, big_size), 400, "larger than 512 KiB");
    free(big);
    free(a);
    expect_http(upload(f, 4, FIXTURES "argon-app.bin", NULL, 0), 400, "platform");
    assert_int_equal(upload(f, 4, FIXTURES "boron-app-a.bin", NULL, 0), 0);
    expect_http(upload(f, 4, FIXTURES "boron-app-b.bin", NULL, 0), 409, "exists already");
    particle_firmware_release rel = PARTICLE_FIRMWARE_RELEASE_INIT;
    rel.firmware_version = 8;
    rel.product_default = PARTICLE_YES;
    assert_int_equal(particle_product_firmware_release(NULL, f->c, PRODUCT, &rel),
                     PARTICLE_ENOTFOUND);
    /* nothing changed: only version 4, the first upload, unreleased */
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_firmware_list(&doc, f->c, PRODUCT), 0);
    assert_int_equal(particle_value_count(particle_doc_root(doc)), 1);
    const particle_value *fw = particle_value_at(particle_doc_root(doc), 0);
    assert_int_equal(particle_product_firmware_size(fw), 1024);
    assert_int_equal(particle_product_firmware_is_default(fw), 0);
    particle_doc_free(doc);
}

/* A download from the simulator to a path, then one cut off halfway to the same path: the
 * call reports it and the path still holds the first download, with nothing beside it. */
static void test_cut_off_download_leaves_no_partial_file(void **state)
{
    fixture *f = *state;
    assert_int_equal(upload(f, 4, FIXTURES "boron-app-a.bin", NULL, 0), 0);
    char target[128];
    snprintf(target, sizeof(target), "%s/firmware.bin", f->dir);
    particle_download_options dl = PARTICLE_DOWNLOAD_OPTIONS_INIT;
    dl.save_to = target;
    assert_int_equal(particle_product_firmware_download(NULL, f->c, PRODUCT, 4, &dl), 0);

    static char reply[2048]; /* 1024 bytes announced, 512 sent, then the connection closes */
    int n = snprintf(reply, sizeof(reply),
                     "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                     "Content-Length: 1024\r\n\r\n");
    memset(reply + n, 'x', 512);
    reply[n + 512] = '\0';
    canned_step steps[] = {{.expect = "GET /v1/products/" PRODUCT "/firmware/4/binary HTTP/1.1",
                            .raw = reply,
                            .close_after = true}};
    canned_server *srv = canned_server_start(steps, 1);
    assert_non_null(srv);
    char url[64];
    canned_server_url(srv, url, sizeof(url));
    particle_client *cutter = client_at(url, false);
    assert_int_equal(particle_product_firmware_download(NULL, cutter, PRODUCT, 4, &dl),
                     PARTICLE_EPROTO);
    assert_non_null(strstr(particle_error_last()->message, "cut off"));
    particle_client_free(cutter);
    canned_server_stop(srv);

    size_t a_size, got_size;
    unsigned char *a = read_all(FIXTURES "boron-app-a.bin", &a_size);
    unsigned char *got = read_all(target, &got_size);
    assert_int_equal(got_size, a_size);
    assert_memory_equal(got, a, a_size);
    free(a);
    free(got);
    assert_int_equal(empty_dir(f->dir), 1); /* the target only: no temporary file left */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_upload_then_download_the_same_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_get_update_release, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flash_binary_and_released_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compile_answers_the_documented_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_targets_and_device_os_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_uploads_and_releases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cut_off_download_leaves_no_partial_file, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
