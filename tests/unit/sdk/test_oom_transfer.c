/* The binary transport and the firmware calls under allocation failure (oom_loop.h): a
 * multipart upload from memory and from a file, downloads to memory and to a file (which
 * never leaves a partial or temporary file behind), and a JSON firmware call. Each failing
 * run returns ENOMEM (or the library codes curl and jansson report their own allocation
 * failures as), gives nothing out and leaks nothing. */
#include <dirent.h>

#include "oom_loop.h"

#define STEPS 3000

static const int library_oom[] = {PARTICLE_EPROTO, PARTICLE_ENET, 0};
/* curl_mime_filedata() and a part file that curl cannot open for lack of memory read as an
 * unreadable file */
static const int file_part_oom[] = {PARTICLE_EPROTO, PARTICLE_ENET, PARTICLE_EINVAL, 0};

static char scratch_dir[64];
static char source_path[128];
static char target_path[128];

static particle_client *client_for(const char *url)
{
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = TEST_TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.max_retries = PARTICLE_NO_RETRIES;
    o.request_timeout_ms = 5000;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    return c;
}

static void run_case(const char *name, const char *expect, int status, const char *body,
                     oom_call_fn *call, const int *allowed)
{
    canned_step *steps = calloc(STEPS, sizeof(*steps));
    assert_non_null(steps);
    for (size_t i = 0; i < STEPS; i++) {
        steps[i] = (canned_step){.expect = expect, .status = status, .body = body};
    }
    canned_server *srv = canned_server_start(steps, STEPS);
    free(steps);
    assert_non_null(srv);
    char url[64];
    canned_server_url(srv, url, sizeof(url));
    particle_client *c = client_for(url);
    oom_result r = oom_loop(name, call, c, allowed);
    assert_true(r.runs >= 3);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static int upload_from_memory(bool *gave_out, void *ctx)
{
    particle_firmware_upload fw = PARTICLE_FIRMWARE_UPLOAD_INIT;
    fw.firmware_version = 3;
    fw.title = "Third";
    fw.description = "d";
    fw.data = "BINARY";
    fw.size = 6;
    particle_doc *doc = NULL;
    int rc = particle_product_firmware_upload(&doc, ctx, "acme", &fw);
    *gave_out = doc != NULL;
    if (rc == 0) {
        assert_int_equal(particle_product_firmware_version(particle_doc_root(doc)), 3);
    }
    particle_doc_free(doc);
    return rc;
}

static int flash_sources(bool *gave_out, void *ctx)
{
    const char *files[] = {source_path};
    particle_flash_options o = PARTICLE_FLASH_OPTIONS_INIT;
    o.source_paths = files;
    o.source_count = 1;
    particle_doc *doc = NULL;
    int rc = particle_device_flash(&doc, ctx, "lamp", &o);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

static int download_to_memory(bool *gave_out, void *ctx)
{
    particle_response *resp = NULL;
    int rc = particle_product_firmware_download(&resp, ctx, "acme", 3, NULL);
    *gave_out = resp != NULL;
    if (rc == 0) {
        assert_int_equal(particle_response_size(resp), 8);
    }
    particle_response_free(resp);
    return rc;
}

static size_t scratch_files(void)
{
    size_t n = 0;
    DIR *d = opendir(scratch_dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        n += e->d_name[0] != '.';
    }
    closedir(d);
    return n;
}

static int download_to_file(bool *gave_out, void *ctx)
{
    particle_download_options dl = PARTICLE_DOWNLOAD_OPTIONS_INIT;
    dl.save_to = target_path;
    particle_response *resp = NULL;
    int rc = particle_binary_download(&resp, ctx, "5a1b", &dl);
    *gave_out = resp != NULL;
    particle_response_free(resp);
    /* only the source file, plus the target once the download succeeded */
    assert_int_equal(scratch_files(), rc == 0 ? 2 : 1);
    return rc;
}

static int firmware_release(bool *gave_out, void *ctx)
{
    const char *groups[] = {"beta"};
    particle_firmware_release rel = PARTICLE_FIRMWARE_RELEASE_INIT;
    rel.firmware_version = 3;
    rel.groups = groups;
    rel.group_count = 1;
    particle_doc *doc = NULL;
    int rc = particle_product_firmware_release(&doc, ctx, "acme", &rel);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

static void test_transfers_out_of_memory(void **state)
{
    (void)state;
    static const char firmware[] = "{\"version\":3,\"title\":\"Third\",\"size\":6}";
    run_case("particle_product_firmware_upload", "POST /v1/products/acme/firmware HTTP/1.1", 201,
             firmware, upload_from_memory, library_oom);
    run_case("particle_device_flash (sources)", "PUT /v1/devices/lamp HTTP/1.1", 200,
             "{\"id\":\"lamp\",\"status\":\"Update started\"}", flash_sources, file_part_oom);
    run_case("particle_product_firmware_download",
             "GET /v1/products/acme/firmware/3/binary HTTP/1.1", 200, "FWBYTES!",
             download_to_memory, library_oom);
    run_case("particle_binary_download (file)", "GET /v1/binaries/5a1b HTTP/1.1", 200, "COMPILED",
             download_to_file, library_oom);
    run_case("particle_product_firmware_release", "PUT /v1/products/acme/firmware/release", 200,
             firmware, firmware_release, library_oom);
}

static int setup(void **state)
{
    (void)state;
    snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/particle-oom-XXXXXX");
    if (mkdtemp(scratch_dir) == NULL) {
        return -1;
    }
    snprintf(source_path, sizeof(source_path), "%s/app.ino", scratch_dir);
    snprintf(target_path, sizeof(target_path), "%s/out.bin", scratch_dir);
    FILE *f = fopen(source_path, "wb");
    if (f == NULL) {
        return -1;
    }
    fputs("void setup(){}", f);
    return fclose(f);
}

static int teardown(void **state)
{
    (void)state;
    unlink(source_path);
    unlink(target_path);
    return rmdir(scratch_dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transfers_out_of_memory),
    };
    particle_global_init();
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    particle_global_cleanup();
    return failed;
}
