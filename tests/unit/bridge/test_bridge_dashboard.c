/*
 * The dashboard's access and files over HTTP (api/routes/session.c, dashboard.c and the auth
 * hook in api/routes.c): libcurl against the API on port 0, a real SQLite file, a dashboard
 * folder and a Chart.js file written into a temporary folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/session.h"
#include "bridge_api_test.h"
#include "bridge_test.h"
#include "http_client.h"
#include "ingest/writer.h"
#include "pu_time.h"

#define DEV "0123456789abcdef01234567"
#define KEY "test-api-key-0123456789"
#define RO_KEY "read-only-key-0123456789"
#define DEVICE_PATH "/api/v1/devices/" DEV "/particle"
#define CSP                                                                                        \
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "              \
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

typedef struct fixture {
    bt_api_db db;
    char dashboard[600];
    char chartjs[600];
    bridge_sessions *sessions;
    bridge_api api;
    httpd_server *srv;
    unsigned short port;
} fixture;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A PNG's signature and first chunk header: binary, NUL bytes included. */
static const unsigned char png_bytes[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                          0,    0,   0,   13,  'I',  'H',  'D',  'R'};

static void seed(bridge_store *st)
{
    static const bridge_device_defaults df = {
        60000, true, true, true, {true, "{name} online"}, {true, "{name} offline"}};
    bridge_cloud_device cd = {.particle_id = DEV, .name = "kitchen", .connected = true};
    assert_int_equal(bridge_store_device_sync(st, &cd, &df, 1762259449892, NULL), 0);
}

/* A bridge with the dashboard in a folder of one file per content type, Chart.js, the
 * read-only key, and sessions that expire after @p idle_ms. */
static fixture *start(int64_t idle_ms)
{
    fixture *f = calloc(1, sizeof *f);
    char path[700];
    assert_non_null(f);
    bt_api_db_open(&f->db, "api.db");
    seed(f->db.st);
    bt_path(f->dashboard, sizeof f->dashboard, f->db.dir, "dashboard");
    bt_path(f->chartjs, sizeof f->chartjs, f->db.dir, "chart.min.js");
    assert_int_equal(mkdir(f->dashboard, 0700), 0);
    static const char *const files[][2] = {
        {"index.html", "<!doctype html><title>fleet</title>"},
        {"app.css", "body{margin:0}"},
        {"app.js", "'use strict';"},
        {"logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"},
        {"favicon.ico", "ico"},
        {"units.json", "{}"},
        {"notes.txt", "not served"},
        {"config.ini", "api_key = nope"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", f->dashboard, files[i][0]);
        write_file(path, files[i][1]);
    }
    snprintf(path, sizeof path, "%s/modules", f->dashboard);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/modules/fleet.js", f->dashboard);
    write_file(path, "export const fleet = 1;");
    write_file(f->chartjs, "/* Chart.js */");
    snprintf(path, sizeof path, "%s/icon.png", f->dashboard);
    FILE *png = fopen(path, "wb");
    assert_non_null(png);
    assert_int_equal(fwrite(png_bytes, 1, sizeof png_bytes, png), sizeof png_bytes);
    fclose(png);
    f->sessions = bridge_sessions_new(idle_ms, 0);
    f->api = (bridge_api){.store = f->db.st,
                          .writer = f->db.writer,
                          .metrics = &f->db.metrics,
                          .api_key = KEY,
                          .read_only_key = RO_KEY,
                          .sessions = f->sessions,
                          .dashboard_dir = f->dashboard,
                          .chartjs_path = f->chartjs};
    f->srv = bt_api_serve(&f->api, &f->port);
    return f;
}

static int setup(void **state)
{
    *state = start(3600 * 1000);
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    httpd_server_free(f->srv);
    bridge_sessions_free(f->sessions);
    bt_api_db_close(&f->db);
    free(f);
    return 0;
}

/* bt_api_http() against this fixture's server. */
static http_reply http(fixture *f, const char *method, const char *path, const char *const *headers,
                       const char *body)
{
    return bt_api_http(f->port, method, path, headers, body);
}

static void assert_header(const http_reply *r, const char *name, const char *value)
{
    char *got = http_reply_header(r, name);
    if (got == NULL || strcmp(got, value) != 0) {
        fail_msg("%s: expected \"%s\", got \"%s\"", name, value, got ? got : "(none)");
    }
    free(got);
}

/* The reply is @p status {"ok":false,"error":@p error,...}. */
static void assert_error(http_reply *r, long status, const char *error)
{
    json_t *j = http_reply_json(r);
    const char *got = json_string_value(json_object_get(j, "error"));
    if (r->status != status || got == NULL || strcmp(got, error) != 0) {
        fail_msg("expected %ld %s, got %ld %s", status, error, r->status, r->body);
    }
    json_decref(j);
    http_reply_dispose(r);
}

/* ---- sessions ---- */

/* The 400 answer to a sign-in body that is not {"key":"..."} in JSON. */
#define NOT_A_SIGN_IN "send {\"key\":\"<API key>\"} as application/json"

typedef struct session {
    char cookie[128]; /* "Cookie: pb_session=..." */
    char csrf[128];   /* "X-CSRF-Token: ..." */
    char set_cookie[256];
    bool read_only;
} session;

/* Signs in with @p key; fails the test unless it answers 200. */
static void sign_in(fixture *f, const char *key, session *s)
{
    const char *const h[] = {"Content-Type: application/json", NULL};
    char body[256];
    snprintf(body, sizeof body, "{\"key\":\"%s\"}", key);
    http_reply r = http(f, "POST", "/api/v1/session", h, body);
    if (r.status != 200) {
        fail_msg("sign-in: %ld %s", r.status, r.body);
    }
    char *set = http_reply_header(&r, "Set-Cookie");
    assert_non_null(set);
    snprintf(s->set_cookie, sizeof s->set_cookie, "%s", set);
    free(set);
    assert_int_equal(strncmp(s->set_cookie, "pb_session=", 11), 0);
    snprintf(s->cookie, sizeof s->cookie, "Cookie: %.*s", (int)strcspn(s->set_cookie, ";"),
             s->set_cookie);
    json_t *j = http_reply_json(&r);
    const char *csrf = json_string_value(json_object_get(j, "csrf_token"));
    assert_non_null(csrf);
    assert_int_equal(strlen(csrf), 64);
    assert_int_equal(strspn(csrf, "0123456789abcdef"), 64);
    snprintf(s->csrf, sizeof s->csrf, "X-CSRF-Token: %s", csrf);
    s->read_only = json_is_true(json_object_get(j, "read_only"));
    int64_t expires;
    assert_int_equal(
        pu_time_parse_iso8601(json_string_value(json_object_get(j, "expires_at")), &expires), 0);
    assert_true(expires > pu_time_now_ms());
    json_decref(j);
    http_reply_dispose(&r);
}

static void test_cookie_flags(void **state)
{
    fixture *f = *state;
    session s;
    sign_in(f, KEY, &s);
    const char *id = s.set_cookie + 11;
    assert_int_equal(strspn(id, "0123456789abcdef"), 64);
    assert_string_equal(id + 64, "; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600");
    assert_false(s.read_only);
    /* a token never reaches the log or a second session: each sign-in gets its own */
    session t;
    sign_in(f, KEY, &t);
    assert_string_not_equal(s.cookie, t.cookie);
    assert_string_not_equal(s.csrf, t.csrf);
}

static void test_session_round_trip(void **state)
{
    fixture *f = *state;
    session s;
    sign_in(f, KEY, &s);
    const char *const h[] = {s.cookie, NULL};
    http_reply r = http(f, "GET", "/api/v1/session", h, NULL);
    assert_int_equal(r.status, 200);
    json_t *j = http_reply_json(&r);
    assert_string_equal(json_string_value(json_object_get(j, "csrf_token")), s.csrf + 14);
    assert_true(json_is_false(json_object_get(j, "read_only")));
    json_decref(j);
    http_reply_dispose(&r);
    /* the cookie alone reads the API */
    r = http(f, "GET", DEVICE_PATH, h, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"" DEV "\""));
    http_reply_dispose(&r);
    /* no cookie, or one no session has */
    r = http(f, "GET", "/api/v1/session", NULL, NULL);
    assert_error(&r, 401, "unauthorized");
    const char *const forged[] = {
        "Cookie: pb_session=0000000000000000000000000000000000000000000000000000000000000000",
        NULL};
    r = http(f, "GET", "/api/v1/session", forged, NULL);
    assert_error(&r, 401, "unauthorized");
    r = http(f, "GET", DEVICE_PATH, forged, NULL);
    assert_int_equal(r.status, 401);
    http_reply_dispose(&r);
}

static void test_sign_in_errors(void **state)
{
    fixture *f = *state;
    const char *const json[] = {"Content-Type: application/json", NULL};
    http_reply r =
        http(f, "POST", "/api/v1/session", json, "{\"key\":\"test-api-key-012345678X\"}");
    assert_error(&r, 401, "unauthorized");
    r = http(f, "POST", "/api/v1/session", json, "{\"key\":\"short\"}");
    assert_error(&r, 401, "unauthorized");
    assert_int_equal(bridge_sessions_count(f->sessions), 0);
    r = http(f, "POST", "/api/v1/session", json, "{\"token\":\"" KEY "\"}");
    assert_error(&r, 400, NOT_A_SIGN_IN);
    r = http(f, "POST", "/api/v1/session", json, "{\"key\":42}");
    assert_error(&r, 400, NOT_A_SIGN_IN);
    r = http(f, "POST", "/api/v1/session", json, "[\"" KEY "\"]");
    assert_error(&r, 400, "JSON body must be an object");
    /* a form (what another site's page can post without asking) does not sign in */
    const char *const form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    r = http(f, "POST", "/api/v1/session", form, "key=" KEY);
    assert_error(&r, 400, NOT_A_SIGN_IN);
    static char big[6000];
    memset(big, 'a', sizeof big - 1);
    memcpy(big, "{\"key\":\"", 8);
    memcpy(big + sizeof big - 3, "\"}", 2);
    r = http(f, "POST", "/api/v1/session", json, big);
    assert_error(&r, 413, "the sign-in body is at most 4 KiB");
    assert_int_equal(bridge_sessions_count(f->sessions), 0);
}

static void test_csrf_on_changes(void **state)
{
    fixture *f = *state;
    session s;
    sign_in(f, KEY, &s);
    const char *const none[] = {s.cookie, "Content-Type: application/json", NULL};
    http_reply r = http(f, "PUT", DEVICE_PATH, none, "{\"Enabled\":false}");
    assert_error(&r, 403, "csrf");
    const char *const wrong[] = {
        s.cookie, "Content-Type: application/json",
        "X-CSRF-Token: 0000000000000000000000000000000000000000000000000000000000000000", NULL};
    r = http(f, "PUT", DEVICE_PATH, wrong, "{\"Enabled\":false}");
    assert_error(&r, 403, "csrf");
    const char *const right[] = {s.cookie, "Content-Type: application/json", s.csrf, NULL};
    r = http(f, "PUT", DEVICE_PATH, right, "{\"Enabled\":false}");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"Enabled\":false"));
    http_reply_dispose(&r);
    /* another session's token is no good either */
    session t;
    sign_in(f, KEY, &t);
    const char *const crossed[] = {s.cookie, "Content-Type: application/json", t.csrf, NULL};
    r = http(f, "PUT", DEVICE_PATH, crossed, "{\"Enabled\":true}");
    assert_error(&r, 403, "csrf");
    /* a Bearer key carries no ambient credential: no token needed */
    const char *const bearer[] = {"Authorization: Bearer " KEY, "Content-Type: application/json",
                                  NULL};
    r = http(f, "PUT", DEVICE_PATH, bearer, "{\"Enabled\":true}");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"Enabled\":true"));
    http_reply_dispose(&r);
}

static void test_read_only_key(void **state)
{
    fixture *f = *state;
    /* as Bearer: reads, but changes nothing */
    const char *const bearer[] = {"Authorization: Bearer " RO_KEY, "Content-Type: application/json",
                                  NULL};
    http_reply r = http(f, "GET", DEVICE_PATH, bearer, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    r = http(f, "GET", "/api/v1/devices", bearer, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    r = http(f, "PUT", DEVICE_PATH, bearer, "{\"Enabled\":false}");
    json_t *j = http_reply_json(&r);
    assert_string_equal(json_string_value(json_object_get(j, "message")),
                        "this key may read but not change anything");
    json_decref(j);
    assert_error(&r, 403, "read_only");
    /* the health and metrics routes keep the API key */
    r = http(f, "GET", "/metrics", bearer, NULL);
    assert_int_equal(r.status, 401);
    http_reply_dispose(&r);
    /* through a session, with its CSRF token: still read-only */
    session s;
    sign_in(f, RO_KEY, &s);
    assert_true(s.read_only);
    const char *const h[] = {s.cookie, "Content-Type: application/json", s.csrf, NULL};
    r = http(f, "GET", DEVICE_PATH, h, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    r = http(f, "PUT", DEVICE_PATH, h, "{\"Enabled\":false}");
    assert_error(&r, 403, "read_only");
    r = http(f, "GET", DEVICE_PATH, bearer, NULL);
    assert_non_null(strstr(r.body, "\"Enabled\":true"));
    http_reply_dispose(&r);
}

static void test_sign_out(void **state)
{
    fixture *f = *state;
    session s;
    sign_in(f, KEY, &s);
    const char *const no_token[] = {s.cookie, NULL};
    http_reply r = http(f, "DELETE", "/api/v1/session", no_token, NULL);
    assert_error(&r, 403, "csrf");
    const char *const h[] = {s.cookie, s.csrf, NULL};
    r = http(f, "DELETE", "/api/v1/session", h, NULL);
    assert_int_equal(r.status, 204);
    assert_header(&r, "Set-Cookie", "pb_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    http_reply_dispose(&r);
    assert_int_equal(bridge_sessions_count(f->sessions), 0);
    r = http(f, "GET", "/api/v1/session", h, NULL);
    assert_error(&r, 401, "unauthorized");
    r = http(f, "GET", DEVICE_PATH, h, NULL);
    assert_int_equal(r.status, 401);
    http_reply_dispose(&r);
    /* signing out without a session is no error */
    r = http(f, "DELETE", "/api/v1/session", NULL, NULL);
    assert_int_equal(r.status, 204);
    http_reply_dispose(&r);
}

static void test_idle_expiry(void **state)
{
    (void)state;
    /* 900 ms idle, used every 300 ms: a loaded machine (ASan, -j2) has 600 ms for each call */
    fixture *f = start(900);
    session s;
    sign_in(f, KEY, &s);
    assert_non_null(strstr(s.set_cookie, "Max-Age=0")); /* 900 ms: under a second */
    const char *const h[] = {s.cookie, NULL};
    /* used within its idle time it lives on, past the idle time since sign-in */
    for (int i = 0; i < 4; i++) {
        pu_time_sleep_ms(300);
        http_reply r = http(f, "GET", DEVICE_PATH, h, NULL);
        assert_int_equal(r.status, 200);
        http_reply_dispose(&r);
    }
    pu_time_sleep_ms(1200);
    http_reply r = http(f, "GET", DEVICE_PATH, h, NULL);
    assert_int_equal(r.status, 401);
    http_reply_dispose(&r);
    r = http(f, "GET", "/api/v1/session", h, NULL);
    assert_error(&r, 401, "unauthorized");
    assert_int_equal(bridge_sessions_count(f->sessions), 0);
    void *fs = f;
    teardown(&fs);
}

/* ---- static files ---- */

static void expect_file(fixture *f, const char *path, const char *content_type, const char *body)
{
    http_reply r = http(f, "GET", path, NULL, NULL);
    if (r.status != 200 || strcmp(r.body, body) != 0) {
        fail_msg("GET %s: %ld %s", path, r.status, r.body);
    }
    assert_header(&r, "Content-Type", content_type);
    assert_header(&r, "Content-Security-Policy", CSP);
    assert_header(&r, "X-Content-Type-Options", "nosniff");
    assert_header(&r, "Referrer-Policy", "no-referrer");
    assert_header(&r, "Cache-Control", "no-cache");
    http_reply_dispose(&r);
}

static void expect_404(fixture *f, const char *path)
{
    http_reply r = http(f, "GET", path, NULL, NULL);
    if (r.status != 404) {
        fail_msg("GET %s: expected 404, got %ld %s", path, r.status, r.body);
    }
    http_reply_dispose(&r);
}

static void test_static_files(void **state)
{
    fixture *f = *state;
    expect_file(f, "/", "text/html; charset=utf-8", "<!doctype html><title>fleet</title>");
    expect_file(f, "/ui/index.html", "text/html; charset=utf-8",
                "<!doctype html><title>fleet</title>");
    expect_file(f, "/ui/app.css", "text/css; charset=utf-8", "body{margin:0}");
    expect_file(f, "/ui/app.js", "text/javascript; charset=utf-8", "'use strict';");
    expect_file(f, "/ui/logo.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    http_reply r = http(f, "GET", "/ui/icon.png", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_header(&r, "Content-Type", "image/png");
    assert_int_equal(r.body_len, sizeof png_bytes);
    assert_memory_equal(r.body, png_bytes, sizeof png_bytes);
    http_reply_dispose(&r);
    expect_file(f, "/ui/favicon.ico", "image/vnd.microsoft.icon", "ico");
    expect_file(f, "/ui/units.json", "application/json; charset=utf-8", "{}");
    expect_file(f, "/ui/modules/fleet.js", "text/javascript; charset=utf-8",
                "export const fleet = 1;");
    expect_file(f, "/ui/vendor/chart.min.js", "text/javascript; charset=utf-8", "/* Chart.js */");
    /* HEAD answers the headers */
    r = http(f, "HEAD", "/ui/app.js", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_header(&r, "Content-Type", "text/javascript; charset=utf-8");
    assert_header(&r, "Content-Security-Policy", CSP);
    assert_int_equal(r.body_len, 0);
    http_reply_dispose(&r);
    /* unknown extensions, missing files, folders, a query */
    expect_404(f, "/ui/notes.txt");
    expect_404(f, "/ui/config.ini");
    expect_404(f, "/ui/missing.js");
    expect_404(f, "/ui/modules");
    expect_404(f, "/ui/modules.js");
    expect_404(f, "/ui/app");
    expect_404(f, "/ui/.js");
    r = http(f, "GET", "/ui/app.js?v=1", NULL, NULL);
    assert_int_equal(r.status, 400);
    assert_header(&r, "Content-Security-Policy", CSP);
    http_reply_dispose(&r);
    /* the pages are public, the API behind them is not */
    r = http(f, "GET", DEVICE_PATH, NULL, NULL);
    assert_int_equal(r.status, 401);
    http_reply_dispose(&r);
}

/* Sends @p target as it is (no client-side normalising of "..") and returns the status. */
static long raw_status(fixture *f, const char *target)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(f->port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    char req[1024];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                     target);
    assert_int_equal(write(fd, req, (size_t)n), n);
    char reply[4096];
    size_t got = 0;
    ssize_t k;
    while (got < sizeof reply - 1 && (k = read(fd, reply + got, sizeof reply - 1 - got)) > 0) {
        got += (size_t)k;
    }
    close(fd);
    reply[got] = '\0';
    long status = 0;
    if (strncmp(reply, "HTTP/1.1 ", 9) == 0) {
        status = strtol(reply + 9, NULL, 10);
    }
    assert_null(strstr(reply, "api_key = nope"));
    assert_null(strstr(reply, "SQLite format"));
    return status;
}

static void test_traversal(void **state)
{
    fixture *f = *state;
    /* a file beside the dashboard folder that must stay out of reach */
    static const char *const targets[] = {
        "/ui/../api.db",
        "/ui/../../etc/passwd",
        "/ui/modules/../../api.db",
        "/ui/%2e%2e/api.db",
        "/ui/%2E%2E/api.db",
        "/ui/..%2fapi.db",
        "/ui/%2e%2e%2fapi.db",
        "/ui/modules%2f..%2f..%2fapi.db",
        "/ui//etc/passwd",
        "/ui/%2fetc%2fpasswd",
        "/ui/.%2e/api.db",
        "/ui/...js",
        "/ui/modules/..",
        "/ui/%00.js",
        "/ui/app.js%00.txt",
        "/ui/a\\..\\api.db",
    };
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        long status = raw_status(f, targets[i]);
        if (status != 404 && status != 400) {
            fail_msg("GET %s: expected 404 (or 400), got %ld", targets[i], status);
        }
    }
    assert_int_equal(raw_status(f, "/ui/app.js"), 200);
}

static void test_dashboard_off(void **state)
{
    fixture *f = *state;
    httpd_server_free(f->srv);
    f->api.dashboard_dir = NULL;
    f->srv = bt_api_serve(&f->api, &f->port);
    expect_404(f, "/");
    expect_404(f, "/ui/index.html");
    expect_404(f, "/ui/app.js");
    expect_404(f, "/ui/vendor/chart.min.js");
    expect_404(f, "/ui/modules/fleet.js");
    /* sign-in and the API do not depend on it */
    session s;
    sign_in(f, KEY, &s);
}

static void test_chartjs_missing(void **state)
{
    fixture *f = *state;
    assert_int_equal(unlink(f->chartjs), 0);
    expect_404(f, "/ui/vendor/chart.min.js");
    expect_file(f, "/ui/app.js", "text/javascript; charset=utf-8", "'use strict';");
    /* a folder where the file should be */
    assert_int_equal(mkdir(f->chartjs, 0700), 0);
    expect_404(f, "/ui/vendor/chart.min.js");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cookie_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_in_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csrf_on_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_out, setup, teardown),
        cmocka_unit_test(test_idle_expiry),
        cmocka_unit_test_setup_teardown(test_static_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_traversal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dashboard_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chartjs_missing, setup, teardown),
    };
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
