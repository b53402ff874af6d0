/* Helpers shared by the SDK unit tests: documented example bodies from tests/data/http and
 * clients pointed at a canned_server, isolated from the environment and profiles. */
#ifndef SDK_FIXTURE_H
#define SDK_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "canned_server.h"
#include "particle/particle.h"

#define TEST_TOKEN "0123456789abcdef0123456789abcdef01234567"

/* Reads tests/data/http/<name> into a malloc'd NUL-terminated string (fails the test on
 * error). */
static inline char *fixture_read(const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/http/%s", PARTICLE_TEST_DATA_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(256 * 1024);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 256 * 1024 - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Bodies read by fixture_data(), alive until fixture_data_teardown() (a cmocka teardown):
 * canned_step bodies must outlive the server that sends them. */
static char *fixture_bodies[16];
static size_t fixture_body_count;

/* tests/data/http/<name>, kept until fixture_data_teardown(). */
static inline const char *fixture_data(const char *name)
{
    assert_true(fixture_body_count < sizeof(fixture_bodies) / sizeof(fixture_bodies[0]));
    fixture_bodies[fixture_body_count] = fixture_read(name);
    return fixture_bodies[fixture_body_count++];
}

static inline int fixture_data_teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < fixture_body_count; i++) {
        free(fixture_bodies[i]);
    }
    fixture_body_count = 0;
    return 0;
}

/* A scratch particle-cli profile directory for the profile tests (test_client, test_profile):
 * fixture_profile_dir_setup() (a cmocka setup) makes it, the files are written and removed
 * by name, and fixture_profile_dir_teardown() removes the files those tests use and the
 * directory. */
static char fixture_profile_dir[256];

static inline int fixture_profile_dir_setup(void **state)
{
    (void)state;
    snprintf(fixture_profile_dir, sizeof(fixture_profile_dir), "/tmp/particle-profile-XXXXXX");
    return mkdtemp(fixture_profile_dir) != NULL ? 0 : -1;
}

static inline void fixture_profile_write(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", fixture_profile_dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static inline void fixture_profile_remove(const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", fixture_profile_dir, name);
    unlink(path);
}

static inline int fixture_profile_dir_teardown(void **state)
{
    (void)state;
    fixture_profile_remove("profile.json");
    fixture_profile_remove("particle.config.json");
    fixture_profile_remove("staging.config.json");
    return rmdir(fixture_profile_dir);
}

/* A client for @p srv with a test token (NULL = none), fast retries and short timeouts. */
static inline particle_client *fixture_client(canned_server *srv, const char *token,
                                              particle_log_fn *log_cb, void *payload)
{
    char url[64];
    canned_server_url(srv, url, sizeof(url));
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = token;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.retry_base_ms = 10;
    o.retry_max_ms = 40;
    o.request_timeout_ms = 5000;
    o.log_cb = log_cb;
    o.log_payload = payload;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    return c;
}

/* Asserts that the server saw no unexpected or mismatched request. */
static inline void fixture_assert_script_ok(canned_server *srv)
{
    char why[512];
    if (!canned_server_ok(srv, why, sizeof(why))) {
        fail_msg("canned server: %s", why);
    }
}

/* Asserts that request @p i contains @p needle (in its head or body). */
static inline void fixture_assert_request_has(canned_server *srv, size_t i, const char *needle)
{
    static char text[256 * 1024];
    assert_true(canned_server_request(srv, i, text, sizeof(text)));
    if (strstr(text, needle) == NULL) {
        fail_msg("request %zu lacks \"%s\":\n%s", i, needle, text);
    }
}

/* Asserts that the body of request @p i equals @p expected. */
static inline void fixture_assert_body(canned_server *srv, size_t i, const char *expected)
{
    static char body[256 * 1024];
    assert_true(canned_server_request_body(srv, i, body, sizeof(body)));
    assert_string_equal(body, expected);
}

#endif
