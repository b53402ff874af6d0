/* particlectl flash, compile, binary download and product firmware list|get|upload|release|
 * download, run as a process against a canned server: what each sends (request line,
 * multipart parts, JSON body), what it prints in each format, the files it saves, and the
 * usage errors that send nothing. The child has no terminal, so no progress bar appears. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "canned_server.h"
#include "cli_run.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define FIRMWARE                                                                                   \
    "{\"version\":3,\"title\":\"Third\",\"description\":\"d\",\"name\":\"app.bin\","               \
    "\"size\":8,\"product_default\":false,\"mandatory\":false,"                                    \
    "\"uploaded_on\":\"2026-12-01T10:00:00.000Z\",\"groups\":[\"beta\"],\"device_count\":2}"

static cli_run_result result;

typedef struct server {
    canned_server *srv;
    char url[64];
} server;

static server start(const canned_step *steps, size_t n)
{
    server s;
    s.srv = canned_server_start(steps, n);
    assert_non_null(s.srv);
    canned_server_url(s.srv, s.url, sizeof(s.url));
    return s;
}

static void stop(server *s)
{
    char why[512];
    if (!canned_server_ok(s->srv, why, sizeof(why))) {
        fail_msg("canned server: %s", why);
    }
    canned_server_stop(s->srv);
}

static void assert_request_has(server *s, size_t i, const char *needle)
{
    static char text[64 * 1024];
    assert_true(canned_server_request(s->srv, i, text, sizeof(text)));
    if (strstr(text, needle) == NULL) {
        fail_msg("request %zu lacks \"%s\":\n%s", i, needle, text);
    }
}

static void assert_run(int status, const char *out, const char *err)
{
    if (result.status != status || (out != NULL && strcmp(result.out, out) != 0) ||
        (err != NULL && strcmp(result.err, err) != 0)) {
        fail_msg("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", result.status, status, result.out,
                 result.err);
    }
}

static void assert_file(const char *path, const char *content)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char buf[256] = {0};
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_string_equal(buf, content);
}

static int setup(void **state)
{
    (void)state;
    cli_run_dir_make();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cli_run_dir_remove();
    return 0;
}

static void test_product_firmware_list_and_get(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/my-product/firmware HTTP/1.1",
         .status = 200,
         .body = "[" FIRMWARE "]"},
        {.expect = "GET /v1/products/my-product/firmware HTTP/1.1", .status = 200, .body = "[]"},
        {.expect = "GET /v1/products/my-product/firmware/3 HTTP/1.1",
         .status = 200,
         .body = FIRMWARE},
        {.expect = "GET /v1/products/my-product/firmware/9 HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Firmware not found\"}"},
    };
    server s = start(steps, 4);
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"product", "firmware", "list", "my-product", "--csv", NULL});
    assert_run(0,
               "version,title,description,name,size,product_default,mandatory,uploaded_on,"
               "uploaded_by,groups,device_count\n"
               "3,Third,d,app.bin,8,false,false,2026-12-01T10:00:00.000Z,,beta,2\n",
               "");
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"product", "firmware", "list", "my-product", NULL});
    assert_run(0, "No firmware found.\n", "");
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"product", "firmware", "get", "my-product", "3", "--ndjson", NULL});
    assert_run(0, NULL, "");
    assert_non_null(strstr(result.out, "\"version\":3,\"title\":\"Third\""));
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"product", "firmware", "get", "my-product", "9", NULL});
    assert_run(1, "", NULL);
    assert_non_null(strstr(result.err, "Firmware not found"));
    stop(&s);
}

static void test_product_firmware_upload_release_download(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/products/my-product/firmware HTTP/1.1",
         .status = 201,
         .body = FIRMWARE},
        {.expect = "PUT /v1/products/my-product/firmware/release HTTP/1.1",
         .status = 200,
         .body = FIRMWARE},
        {.expect = "GET /v1/products/my-product/firmware/3/binary HTTP/1.1",
         .status = 200,
         .headers = "Content-Type: application/octet-stream\r\n",
         .body = "FWBYTES!"},
    };
    server s = start(steps, 3);
    char bin[256];
    cli_run_write_file("app.bin", "FWBYTES!", 0600, bin, sizeof(bin));
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"product", "firmware", "upload", "my-product", bin, "--version", "3",
                             "--title", "Third", "--json", NULL});
    assert_run(0, NULL, "");
    assert_non_null(strstr(result.out, "\"title\": \"Third\""));
    assert_request_has(&s, 0,
                       "name=\"file\"; filename=\"app.bin\"\r\nContent-Type: "
                       "application/octet-stream\r\n\r\nFWBYTES!\r\n");
    assert_request_has(&s, 0, "name=\"version\"\r\n\r\n3\r\n");
    assert_request_has(&s, 0, "name=\"title\"\r\n\r\nThird\r\n");

    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"product", "firmware", "release", "my-product", "3", "--groups",
                             "beta,lab", "--product-default", NULL});
    assert_run(0, NULL, "");
    assert_request_has(&s, 1,
                       "\r\n\r\n{\"version\":3,\"product_default\":true,\"groups\":[\"beta\","
                       "\"lab\"]}");

    char target[256];
    snprintf(target, sizeof(target), "%s/v3.bin", cli_run_dir);
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"product", "firmware", "download", "my-product", "3", "--saveTo",
                             target, NULL});
    char expected[512];
    snprintf(expected, sizeof(expected), "Saved 8 bytes to %s.\n", target);
    assert_run(0, expected, "");
    assert_file(target, "FWBYTES!");
    stop(&s);
}

static void test_flash_and_compile(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "PUT /v1/devices/lamp HTTP/1.1",
         .status = 200,
         .body = "{\"id\":\"lamp\",\"status\":\"Update started\"}"},
        {.expect = "PUT /v1/products/my-product/devices/lamp HTTP/1.1",
         .status = 200,
         .body = "{\"id\":\"lamp\",\"desired_firmware_version\":3}"},
        {.expect = "POST /v1/binaries HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true,\"binary_id\":\"5a1b\",\"binary_url\":\"/v1/binaries/5a1b\"}"},
        {.expect = "GET /v1/binaries/5a1b HTTP/1.1", .status = 200, .body = "COMPILED"},
        {.expect = "GET /v1/binaries/5a1b HTTP/1.1", .status = 200, .body = "COMPILED"},
    };
    server s = start(steps, 5);
    char ino[256], out[256];
    cli_run_write_file("app.ino", "void setup(){}", 0600, ino, sizeof(ino));
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"flash", "lamp", ino, "--target", "5.8.0", NULL});
    assert_run(0, "Flashing lamp started.\n", "");
    assert_request_has(&s, 0, "name=\"file\"; filename=\"app.ino\"");
    assert_request_has(&s, 0, "name=\"build_target_version\"\r\n\r\n5.8.0\r\n");

    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"flash", "lamp", "3", "--product", "my-product", "--json", NULL});
    assert_run(0, "{\n  \"device\": \"lamp\",\n  \"flash_started\": true\n}\n", "");
    assert_request_has(&s, 1, "{\"desired_firmware_version\":3,\"flash\":true}");

    snprintf(out, sizeof(out), "%s/app.bin", cli_run_dir);
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"compile", "argon", ino, "--saveTo", out, NULL});
    char expected[512];
    snprintf(expected, sizeof(expected), "Saved 8 bytes to %s.\n", out);
    assert_run(0, expected, "");
    assert_request_has(&s, 2, "name=\"platform_id\"\r\n\r\n12\r\n");
    assert_request_has(&s, 2, "name=\"latest\"\r\n\r\ntrue\r\n");
    assert_file(out, "COMPILED");

    snprintf(out, sizeof(out), "%s/b.bin", cli_run_dir);
    cli_run(&result, s.url, TOKEN, NULL, NULL,
            (const char *[]){"binary", "download", "5a1b", "--saveTo", out, "--csv", NULL});
    snprintf(expected, sizeof(expected), "file,size\n%s,8\n", out);
    assert_run(0, expected, "");
    stop(&s);
}

/* Usage errors exit 2 and send nothing (the script is empty: any request fails it). */
static void test_usage_errors(void **state)
{
    (void)state;
    server s = start(NULL, 0);
    const char *const *cases[] = {
        (const char *[]){"flash", "lamp", "3", NULL},
        (const char *[]){"flash", "lamp", "/nonexistent/app.ino", NULL},
        (const char *[]){"compile", "toaster", "/etc/hostname", NULL},
        (const char *[]){"product", "firmware", "upload", "p", "/etc/hostname", "--title", "t",
                         NULL},
        (const char *[]){"product", "firmware", "release", "p", "3", NULL},
        (const char *[]){"product", "firmware", "release", "p", "3", "--groups", "a,,b", NULL},
        (const char *[]){"product", "firmware", "get", "p", "zero", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cli_run(&result, s.url, TOKEN, NULL, NULL, cases[i]);
        assert_run(2, "", NULL);
    }
    assert_int_equal(canned_server_request_count(s.srv), 0);
    stop(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_product_firmware_list_and_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_product_firmware_upload_release_download, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_flash_and_compile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_usage_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
