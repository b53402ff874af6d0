/* Shared fixture for the simulator's route tests: particle-sim in-process on port 0. */
#ifndef SIM_TEST_H
#define SIM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "http_client.h"
#include "server.h"

#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567"
#define OTHER_TOKEN "fedcba9876543210fedcba9876543210fedcba98"
#define FORM "Content-Type: application/x-www-form-urlencoded"
#define JSON_CT "Content-Type: application/json"

typedef struct sim_test {
    sim_server *srv;
    unsigned short port;
} sim_test;

static inline sim_test *sim_test_start(const sim_server_options *opts)
{
    sim_test *t = calloc(1, sizeof(*t));
    char err[512] = "";
    sim_server_options o;
    sim_server_options_init(&o);
    if (opts)
        o = *opts;
    else
        o.offline_delay_ms = 300;
    o.port = 0;
    if (sim_server_new(&t->srv, &o, err, sizeof(err)) != 0 ||
        sim_server_start(t->srv, err, sizeof(err)) != 0)
        fail_msg("cannot start particle-sim: %s", err);
    t->port = sim_server_port(t->srv);
    return t;
}

/* Options for a simulator that keeps its state (--state) in a new empty file: @p file is a
 * mkstemp template ("/tmp/sim-x-XXXXXX") that becomes the file's name; unlink it when done. */
static inline sim_server_options sim_test_state_options(char *file)
{
    int fd = mkstemp(file);
    assert_true(fd >= 0);
    close(fd);
    sim_server_options o;
    sim_server_options_init(&o);
    o.state_path = file;
    return o;
}

static inline void sim_test_stop(sim_test *t)
{
    sim_server_free(t->srv);
    free(t);
}

/* One request: @p token (NULL = none) as Bearer, @p content_type one of FORM/JSON_CT/NULL. */
static inline http_reply sim_req(const sim_test *t, const char *method, const char *path,
                                 const char *token, const char *content_type, const char *body)
{
    char url[2048], auth[128];
    const char *headers[4] = {NULL};
    int h = 0;
    if (token) {
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
        headers[h++] = auth;
    }
    if (content_type)
        headers[h++] = content_type;
    /* 60 s, not the client's 10: advancing the simulation clock by a day runs a day of the
     * fleet's publishes, which takes over 10 s on a loaded machine under ASan */
    http_call call = {.method = method,
                      .url = http_url(url, sizeof(url), t->port, path),
                      .headers = headers,
                      .body = body,
                      .body_len = body ? strlen(body) : 0,
                      .timeout_ms = 60000};
    http_reply reply;
    http_perform(&call, &reply);
    return reply;
}

/* Asserts status and returns the JSON body (caller decrefs). */
static inline json_t *sim_json(const http_reply *r, long status)
{
    if (r->status != status)
        fail_msg("expected HTTP %ld, got %ld: %s", status, r->status, r->body ? r->body : "");
    json_t *j = http_reply_json(r);
    if (!j)
        fail_msg("body is not JSON: %s", r->body ? r->body : "");
    return j;
}

/* Request + status check + exact body comparison. */
static inline void sim_expect_body(const sim_test *t, const char *method, const char *path,
                                   const char *token, long status, const char *body)
{
    http_reply r = sim_req(t, method, path, token, NULL, NULL);
    if (r.status != status || strcmp(r.body, body) != 0)
        fail_msg("%s %s: expected %ld %s, got %ld %s", method, path, status, body, r.status,
                 r.body);
    http_reply_dispose(&r);
}

static inline const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static inline int sim_test_global_setup(void **state)
{
    (void)state;
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static inline int sim_test_global_teardown(void **state)
{
    (void)state;
    curl_global_cleanup();
    return 0;
}

/* The first device named @p name in the model (fails the test when there is none). */
static inline uint32_t sim_test_device_named(const sim_model *m, const char *name)
{
    for (uint32_t i = 0; i < m->device_count; i++)
        if (m->devices[i].name && strcmp(m->devices[i].name, name) == 0)
            return i;
    fail_msg("no device named %s", name);
    return SIM_NONE;
}

#endif
