/* particle_transfer(), the binary transport, against a canned loopback server: multipart
 * bodies checked byte for byte, raw bodies, downloads to memory, to a file (no partial file
 * after a cut-off or refused download) and to a callback, the size cap, progress calls, and
 * the argument checks that stop a bad call before anything is sent. */
#include <dirent.h>
#include <stdint.h>
#include <sys/stat.h>

#include "sdk_fixture.h"

static char scratch_dir[128];

static int scratch_setup(void **state)
{
    (void)state;
    snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/particle-transfer-XXXXXX");
    return mkdtemp(scratch_dir) != NULL ? 0 : -1;
}

/* Removes every file in the scratch directory, then the directory. */
static int scratch_teardown(void **state)
{
    (void)state;
    DIR *d = opendir(scratch_dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            char path[512];
            snprintf(path, sizeof(path), "%s/%s", scratch_dir, e->d_name);
            unlink(path);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    return rmdir(scratch_dir);
}

static size_t scratch_file_count(void)
{
    size_t n = 0;
    DIR *d = opendir(scratch_dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        n += e->d_name[0] != '.';
    }
    closedir(d);
    return n;
}

static void scratch_path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", scratch_dir, name);
}

static char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* A client without retries: a failed attempt is the answer. */
static particle_client *no_retry_client(canned_server *srv)
{
    char url[64];
    canned_server_url(srv, url, sizeof(url));
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

/* 255 bytes 0x01..0xff: binary, but free of NUL so the canned server's text copies hold it. */
static void binary_bytes(char *out)
{
    for (int i = 0; i < 255; i++) {
        out[i] = (char)(i + 1);
    }
}

static void test_multipart_body_byte_for_byte(void **state)
{
    (void)state;
    char bin[255];
    binary_bytes(bin);
    char file_path[256];
    scratch_path(file_path, sizeof(file_path), "app.ino");
    FILE *f = fopen(file_path, "wb");
    assert_non_null(f);
    fputs("void setup() {}\nvoid loop() {}\n", f);
    fclose(f);

    canned_step steps[] = {{.expect = "POST /v1/products/acme/firmware HTTP/1.1",
                            .status = 201,
                            .body = "{\"version\":3}"}};
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_form_part parts[] = {
        {.name = "file", .filename = "firmware.bin", .data = bin, .size = sizeof(bin)},
        {.name = "file2", .path = file_path},
        {.name = "version", .data = "3", .size = 1},
        {.name = "title", .data = "Third", .size = 5, .content_type = "text/plain"},
    };
    particle_transfer_options o = PARTICLE_TRANSFER_OPTIONS_INIT;
    o.parts = parts;
    o.part_count = 4;
    particle_response *resp = NULL;
    assert_int_equal(particle_transfer(&resp, c, "POST", "/v1/products/acme/firmware", NULL, &o),
                     0);
    assert_int_equal(particle_response_status(resp), 201);
    assert_string_equal(particle_response_data(resp), "{\"version\":3}");
    assert_int_equal(particle_response_size(resp), 13);
    assert_string_equal(particle_response_content_type(resp), "application/json");
    particle_response_free(resp);

    static char head[64 * 1024];
    assert_true(canned_server_request(srv, 0, head, sizeof(head)));
    const char *ct = strstr(head, "Content-Type: multipart/form-data; boundary=");
    assert_non_null(ct);
    char boundary[128];
    const char *b = ct + strlen("Content-Type: multipart/form-data; boundary=");
    size_t blen = strcspn(b, "\r\n");
    assert_true(blen < sizeof(boundary));
    memcpy(boundary, b, blen);
    boundary[blen] = '\0';
    assert_null(strstr(head, "Content-Type: application/json"));

    static char expected[8192];
    int n = snprintf(expected, sizeof(expected),
                     "--%s\r\nContent-Disposition: form-data; name=\"file\"; "
                     "filename=\"firmware.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                     "%.*s\r\n"
                     "--%s\r\nContent-Disposition: form-data; name=\"file2\"; "
                     "filename=\"app.ino\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                     "void setup() {}\nvoid loop() {}\n\r\n"
                     "--%s\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n3\r\n"
                     "--%s\r\nContent-Disposition: form-data; name=\"title\"\r\n"
                     "Content-Type: text/plain\r\n\r\nThird\r\n"
                     "--%s--\r\n",
                     boundary, (int)sizeof(bin), bin, boundary, boundary, boundary, boundary);
    assert_true(n > 0 && (size_t)n < sizeof(expected));
    fixture_assert_body(srv, 0, expected);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_raw_body_and_memory_download(void **state)
{
    (void)state;
    char bin[255];
    binary_bytes(bin);
    static char reply[1024];
    int n = snprintf(reply, sizeof(reply),
                     "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                     "Content-Length: 255\r\n\r\n%.*s",
                     255, bin);
    assert_int_equal(n, (int)strlen(reply));
    canned_step steps[] = {
        {.expect = "PUT /v1/raw HTTP/1.1", .status = 204},
        {.expect = "GET /v1/binaries/abc HTTP/1.1", .raw = reply},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);

    particle_transfer_options o = PARTICLE_TRANSFER_OPTIONS_INIT;
    o.body = "a,b\n1,2\n";
    o.body_size = 8;
    o.content_type = "text/csv";
    o.accept = "text/csv";
    particle_response *resp = NULL;
    assert_int_equal(particle_transfer(&resp, c, "PUT", "/v1/raw", NULL, &o), 0);
    assert_int_equal(particle_response_status(resp), 204);
    assert_int_equal(particle_response_size(resp), 0);
    assert_string_equal(particle_response_data(resp), "");
    particle_response_free(resp);
    fixture_assert_request_has(srv, 0, "Content-Type: text/csv\r\n");
    fixture_assert_request_has(srv, 0, "Accept: text/csv\r\n");
    fixture_assert_body(srv, 0, "a,b\n1,2\n");

    /* NULL options: a bodiless call whose answer lands in memory, whatever its type */
    assert_int_equal(particle_transfer(&resp, c, "GET", "/v1/binaries/abc", NULL, NULL), 0);
    assert_int_equal(particle_response_size(resp), 255);
    assert_memory_equal(particle_response_data(resp), bin, 255);
    assert_string_equal(particle_response_content_type(resp), "application/octet-stream");
    particle_response_free(resp);
    fixture_assert_request_has(srv, 1, "Accept: application/json\r\n");
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_download_to_file(void **state)
{
    (void)state;
    char bin[255];
    binary_bytes(bin);
    static char reply[1024];
    snprintf(reply, sizeof(reply),
             "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
             "Content-Length: 255\r\n\r\n%.*s",
             255, bin);
    canned_step steps[] = {
        {.expect = "GET /v1/products/acme/firmware/3/binary HTTP/1.1", .raw = reply}};
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    char target[256];
    scratch_path(target, sizeof(target), "fw.bin");
    /* an older file at the target is replaced as a whole */
    FILE *f = fopen(target, "wb");
    fputs("old", f);
    fclose(f);

    particle_transfer_options o = PARTICLE_TRANSFER_OPTIONS_INIT;
    o.download.save_to = target;
    particle_response *resp = NULL;
    assert_int_equal(
        particle_transfer(&resp, c, "GET", "/v1/products/acme/firmware/3/binary", NULL, &o), 0);
    assert_int_equal(particle_response_size(resp), 255);
    assert_string_equal(particle_response_data(resp), ""); /* the body is in the file */
    particle_response_free(resp);
    size_t len = 0;
    char *got = read_whole(target, &len);
    assert_int_equal(len, 255);
    assert_memory_equal(got, bin, 255);
    free(got);
    assert_int_equal(scratch_file_count(), 1); /* no temporary file left behind */
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

typedef struct collected {
    char data[1024];
    size_t len;
    size_t calls;
    size_t stop_after_calls; /* 0 = never stop */
} collected;

static int collect(const void *data, size_t size, void *payload)
{
    collected *col = payload;
    assert_true(col->len + size <= sizeof(col->data));
    memcpy(col->data + col->len, data, size);
    col->len += size;
    col->calls++;
    return col->stop_after_calls != 0 && col->calls >= col->stop_after_calls;
}

static void test_download_to_callback(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "PUT /v1/devices/d1/backup_files HTTP/1.1",
         .status = 200,
         .headers = "Content-Type: application/zip\r\n",
         .body = "PK-backup-bytes"},
        /* an error answer is mapped as always and never reaches the callback */
        {.expect = "PUT /v1/devices/d2/backup_files HTTP/1.1",
         .status = 404,
         .body = "{\"error\":\"Device not found\"}"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    collected col = {.len = 0};
    particle_transfer_options o = PARTICLE_TRANSFER_OPTIONS_INIT;
    o.download.on_data = collect;
    o.download.on_data_payload = &col;
    o.accept = "*/*";
    particle_response *resp = NULL;
    assert_int_equal(particle_transfer(&resp, c, "PUT", "/v1/devices/d1/backup_files", NULL, &o),
                     0);
    assert_int_equal(particle_response_size(resp), 15);
    assert_string_equal(particle_response_content_type(resp), "application/zip");
    particle_response_free(resp);
    assert_int_equal(col.len, 15);
    assert_memory_equal(col.data, "PK-backup-bytes", 15);

    col.len = 0;
    assert_int_equal(particle_transfer(NULL, c, "PUT", "/v1/devices/d2/backup_files", NULL, &o),
                     PARTICLE_ENOTFOUND);
    assert_int_equal(col.len, 0);
    assert_int_equal(particle_error_last()->http_status, 404);
    assert_string_equal(particle_error_last()->message, "Device not found");
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_callback_stops_transfer(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/binaries/abc HTTP/1.1", .status = 200, .body = "0123456789"}};
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    collected col = {.stop_after_calls = 1};
    particle_transfer_options o = PARTICLE_TRANSFER_OPTIONS_INIT;
    o.download.on_data = collect;
    o.download.on_data_payload = &col;
    assert_int_equal(particle_transfer(NULL, c, "GET", "/v1/binaries/abc", NULL, &o),
                     PARTICLE_ECANCELED);
    assert_int_equal(col.calls, 1);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_size_cap(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/binaries/big HTTP/1.1", .status = 200, .body = "0123456789ABCDEF"},
        {.expect = "GET /v1/binaries/big HTTP/1.1", .status = 200, .body = "0123456789ABCDEF"},
        {.expect = "GET /v1/binaries/big HTTP/1.1", .status = 200, .body = "0123456789ABCDEF"},
    };
    canned_server *srv = canned_server_start(steps, 3);
    particle_client *c = no_retry_client(srv);
    particle_transfer_options o = PARTICLE_TRANSFER_OPTIONS_INIT;
    o.download.max_bytes = 10;
    assert_int_equal(particle_transfer(NULL, c, "GET", "/v1/binaries/big", NULL, &o),
                     PARTICLE_EPROTO);
    assert_string_equal(particle_error_last()->message, "response larger than 10 bytes");

    char target[256];
    scratch_path(target, sizeof(target), "big.bin");
    o.download.save_to = target;
    assert_int_equal(particle_transfer(NULL, c, "GET", "/v1/binaries/big", NULL, &o),
                     PARTICLE_EPROTO);
    assert_int_equal(scratch_file_count(), 0);

    /* exactly at the cap is fine */
    o.download.max_bytes = 16;
    assert_int_equal(particle_transfer(NULL, c, "GET", "/v1/binaries/big", NULL, &o), 0);
    size_t len = 0;
    char *got = read_whole(target, &len);
    assert_string_equal(got, "0123456789ABCDEF");
    free(got);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_cut_off_download_leaves_no_file(void **state)
{
    (void)state;
    static char reply[2048];
    int n = snprintf(reply, sizeof(reply),
                     "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                     "Content-Length: 1000\r\n\r\n");
    memset(reply + n, 'x', 500);
    reply[n + 500] = '\0';
    canned_step steps[] = {
        {.expect = "GET /v1/products/acme/firmware/3/binary HTTP/1.1",
         .raw = reply,
         .close_after = true},
    };
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = no_retry_client(srv);
    char target[256];
    scratch_path(target, sizeof(target), "cut.bin");
    particle_transfer_options o = PARTICLE_TRANSFER_OPTIONS_INIT;
    o.download.save_to = target;
    assert_int_equal(
        particle_transfer(NULL, c, "GET", "/v1/products/acme/firmware/3/binary", NULL, &o),
        PARTICLE_EPROTO);
    const char *msg = particle_error_last()->message;
    if (strstr(msg, "download cut off after 500 of 1000 bytes") == NULL ||
        strstr(msg, "cut.bin was not written") == NULL) {
        fail_msg("unexpected message: %s", msg);
    }
    struct stat st;
    assert_int_not_equal(stat(target, &st), 0);
    assert_int_equal(scratch_file_count(), 0);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

typedef struct progress_seen {
    size_t calls;
    uint64_t last_upload_done, last_upload_total, last_download_done;
    int cancel;
} progress_seen;

static int on_progress(uint64_t up_done, uint64_t up_total, uint64_t down_done, uint64_t down_total,
                       void *payload)
{
    (void)down_total;
    progress_seen *p = payload;
    p->calls++;
    p->last_upload_done = up_done;
    p->last_upload_total = up_total;
    p->last_download_done = down_done;
    return p->cancel;
}

static void test_progress(void **state)
{
    (void)state;
    static char big[64 * 1024 + 1];
    memset(big, 'b', sizeof(big) - 1);
    canned_step steps[] = {
        {.expect = "POST /v1/binaries HTTP/1.1", .status = 200, .body = big},
        {.expect = "POST /v1/binaries HTTP/1.1", .status = 200, .body = "{}"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = no_retry_client(srv);
    static char upload[200 * 1024];
    memset(upload, 'u', sizeof(upload));
    particle_form_part part = {
        .name = "file", .filename = "a.bin", .data = upload, .size = sizeof(upload)};
    progress_seen seen = {0};
    particle_transfer_options o = PARTICLE_TRANSFER_OPTIONS_INIT;
    o.parts = &part;
    o.part_count = 1;
    o.download.progress = on_progress;
    o.download.progress_payload = &seen;
    particle_response *resp = NULL;
    assert_int_equal(particle_transfer(&resp, c, "POST", "/v1/binaries", NULL, &o), 0);
    assert_int_equal(particle_response_size(resp), sizeof(big) - 1);
    particle_response_free(resp);
    assert_true(seen.calls > 0);
    assert_true(seen.last_upload_done > sizeof(upload)); /* the part plus its framing */
    assert_int_equal(seen.last_upload_done, seen.last_upload_total);
    assert_int_equal(seen.last_download_done, sizeof(big) - 1);

    /* a progress callback that says stop cancels the transfer */
    seen = (progress_seen){.cancel = 1};
    assert_int_equal(particle_transfer(NULL, c, "POST", "/v1/binaries", NULL, &o),
                     PARTICLE_ECANCELED);
    assert_true(seen.calls > 0);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_argument_checks(void **state)
{
    (void)state;
    canned_step steps[] = {{.expect = "GET /never", .status = 200}};
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_form_part part = {.name = "file", .data = "x", .size = 1};
    particle_transfer_options o = PARTICLE_TRANSFER_OPTIONS_INIT;

    o.body = "x";
    o.body_size = 1;
    o.parts = &part;
    o.part_count = 1;
    assert_int_equal(particle_transfer(NULL, c, "POST", "/v1/x", NULL, &o), PARTICLE_EINVAL);
    o.parts = NULL;
    assert_int_equal(particle_transfer(NULL, c, "GET", "/v1/x", NULL, &o), PARTICLE_EINVAL);
    o.body = NULL;
    assert_int_equal(particle_transfer(NULL, c, "POST", "/v1/x", NULL, &o), PARTICLE_EINVAL);
    o.body_size = 0;

    particle_form_part bad[] = {
        {.name = NULL, .data = "x", .size = 1},
        {.name = "file", .data = "x", .size = 1, .path = "/etc/hostname"},
        {.name = "file", .path = "/nonexistent/firmware.bin"},
        {.name = "file", .size = 4},
    };
    o.part_count = 1;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        o.parts = &bad[i];
        assert_int_equal(particle_transfer(NULL, c, "POST", "/v1/x", NULL, &o), PARTICLE_EINVAL);
    }
    assert_non_null(strstr(particle_error_last()->message, "size but no data"));
    o.parts = &bad[2];
    assert_int_equal(particle_transfer(NULL, c, "POST", "/v1/x", NULL, &o), PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "/nonexistent/firmware.bin"));

    o = (particle_transfer_options)PARTICLE_TRANSFER_OPTIONS_INIT;
    collected col = {.len = 0};
    o.download.save_to = "/tmp/x.bin";
    o.download.on_data = collect;
    o.download.on_data_payload = &col;
    assert_int_equal(particle_transfer(NULL, c, "GET", "/v1/x", NULL, &o), PARTICLE_EINVAL);
    o = (particle_transfer_options)PARTICLE_TRANSFER_OPTIONS_INIT;
    o.version = 99;
    assert_int_equal(particle_transfer(NULL, c, "GET", "/v1/x", NULL, &o), PARTICLE_EINVAL);
    assert_int_equal(particle_transfer(NULL, c, "BREW", "/v1/x", NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_transfer(NULL, NULL, "GET", "/v1/x", NULL, NULL), PARTICLE_EINVAL);
    particle_transfer_options init;
    assert_int_equal(particle_transfer_options_init(&init, PARTICLE_TRANSFER_OPTIONS_VERSION), 0);
    assert_int_equal(init.download.version, PARTICLE_DOWNLOAD_OPTIONS_VERSION);
    particle_download_options dinit;
    assert_int_equal(particle_download_options_init(&dinit, 7), PARTICLE_EINVAL);

    /* a target directory that does not exist fails before anything is sent */
    o = (particle_transfer_options)PARTICLE_TRANSFER_OPTIONS_INIT;
    o.download.save_to = "/nonexistent/dir/fw.bin";
    assert_int_equal(particle_transfer(NULL, c, "GET", "/never", NULL, &o), PARTICLE_EIO);
    /* a zero-initialised struct (version 0) means the defaults, like every options struct */
    particle_transfer_options zero = {0};
    zero.download.save_to = "/nonexistent/dir/fw.bin";
    assert_int_equal(particle_transfer(NULL, c, "GET", "/never", NULL, &zero), PARTICLE_EIO);
    assert_int_equal(canned_server_request_count(srv), 0);
    particle_client_free(c);
    canned_server_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_multipart_body_byte_for_byte, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test_setup_teardown(test_raw_body_and_memory_download, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test_setup_teardown(test_download_to_file, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_download_to_callback, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_callback_stops_transfer, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test_setup_teardown(test_size_cap, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_cut_off_download_leaves_no_file, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test_setup_teardown(test_progress, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_argument_checks, scratch_setup, scratch_teardown),
    };
    particle_global_init();
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
