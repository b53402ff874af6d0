/*
 * fuzz_sdk_json: libFuzzer target for libparticle's reading of the cloud's JSON answers:
 * the answer check and error record (src/http.c), and the parsers of devices, variables,
 * function results, integrations, SIMs, ledgers, firmware, diagnostics, locations,
 * groups, the user, tokens and stream events.
 *
 * The input: byte 0 picks the call (low 4 bits) and the HTTP status (high bits: 200 most
 * often, else 201, 400, 401, 403, 404 or 502); the rest is the answer's body. A loopback
 * httpd server in this process answers every request with that status and body as
 * application/json, and the chosen SDK call is made against it (no retries), so the answer
 * goes the way a real one does: libcurl, the size cap, the status mapping, the parser.
 * The stream event parser (particle__event_decode) is called directly: a stream's events
 * arrive as SSE data, which fuzz_sse covers.
 * Checks: a call returns 0 or a negative code from error.h; on 0 the result is non-NULL and
 * every value in it can be read back (a document is rendered to JSON again, which must parse).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_http.h"
#include "httpd.h"
#include "particle/particle.h"
#include "stream_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DEVICE "0123456789abcdef01234567"

static const unsigned int statuses[] = {200, 200, 200, 200, 201, 400, 401, 403,
                                        404, 502, 200, 200, 200, 200, 200, 200};

/* The answer the server gives to the current input; set before each call. */
static struct {
    unsigned int status;
    const char *body;
    size_t len;
} answer;

static httpd_server *server;
static particle_client *client;

static void answer_with_input(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    if (answer.len == 0) {
        httpd_response_empty(res, answer.status);
        return;
    }
    httpd_response_text(res, answer.status, "application/json", answer.body, answer.len);
}

static void stop(void)
{
    particle_client_free(client);
    httpd_server_free(server);
    particle_global_cleanup();
}

static void start(void)
{
    FUZZ_CHECK(particle_global_init() == 0);
    httpd_options hopts = {.threads = 1};
    server = httpd_server_new(&hopts);
    static const char *const methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        FUZZ_CHECK(httpd_route_add(server, methods[i], "/*rest", HTTPD_ROUTE_PUBLIC,
                                   answer_with_input, NULL) == 0);
    }
    char err[256];
    FUZZ_CHECK(httpd_server_start(server, err, sizeof err) == 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u", httpd_server_port(server));
    particle_client_options opts = PARTICLE_CLIENT_OPTIONS_INIT;
    opts.base_url = url;
    opts.access_token = "0123456789abcdef0123456789abcdef01234567";
    opts.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    opts.max_retries = PARTICLE_NO_RETRIES;
    opts.request_timeout_ms = 10000;
    FUZZ_CHECK(particle_client_new(&client, &opts) == 0);
    atexit(stop);
}

/* Reads every value of @p v, as a caller walking the answer would. */
static void walk(const particle_value *v, unsigned int depth)
{
    if (v == NULL || depth > 64) {
        return;
    }
    switch (particle_value_type_of(v)) {
    case PARTICLE_VALUE_OBJECT:
        for (size_t i = 0; i < particle_value_count(v); i++) {
            FUZZ_CHECK(particle_value_key_at(v, i) != NULL);
            walk(particle_value_at(v, i), depth + 1);
        }
        break;
    case PARTICLE_VALUE_ARRAY:
        for (size_t i = 0; i < particle_value_count(v); i++) {
            walk(particle_value_at(v, i), depth + 1);
        }
        break;
    case PARTICLE_VALUE_STRING:
        FUZZ_CHECK(particle_value_string(v) != NULL);
        break;
    default:
        (void)particle_value_int(v, 0);
        (void)particle_value_double(v, 0);
        (void)particle_value_bool(v, 0);
        break;
    }
}

/* Checks a call's code and its document, then frees the document. */
static void check_doc(int rc, particle_doc *doc)
{
    FUZZ_CHECK(rc <= 0);
    if (rc != 0) {
        FUZZ_CHECK(doc == NULL);
        FUZZ_CHECK(particle_strerror(rc) != NULL);
        return;
    }
    FUZZ_CHECK(doc != NULL);
    const particle_value *root = particle_doc_root(doc);
    walk(root, 0);
    char *text = NULL;
    FUZZ_CHECK(particle_value_to_json(&text, root, 0) == 0);
    json_t *again = json_loads(text, JSON_DECODE_ANY, NULL);
    FUZZ_CHECK(again != NULL);
    json_decref(again);
    particle_free(text);
    particle_doc_free(doc);
}

static void check_integration(const particle_integration *it)
{
    FUZZ_CHECK(it->raw != NULL);
    const char *texts[] = {it->id,   it->integration_type, it->event,   it->url,
                           it->name, it->device_id,        it->hook_url};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        FUZZ_CHECK(texts[i] == NULL || strlen(texts[i]) < answer.len + 1);
    }
    walk(it->raw, 0);
}

static void call_variable(void)
{
    particle_variable *var = NULL;
    int rc = particle_variable_get(&var, client, DEVICE, "temp", NULL);
    FUZZ_CHECK(rc <= 0 && (rc == 0) == (var != NULL));
    if (var != NULL) {
        (void)particle_variable_type(var);
        (void)particle_variable_int(var);
        (void)particle_variable_double(var);
        (void)particle_variable_bool(var);
        const char *s = particle_variable_string(var);
        FUZZ_CHECK(s == NULL || strlen(s) <= answer.len);
        walk(particle_variable_result(var), 0);
        walk(particle_variable_root(var), 0);
        particle_variable_free(var);
    }
}

static void call_integrations(bool one)
{
    particle_integration_scope scope = {0};
    if (one) {
        particle_integration *it = NULL;
        int rc = particle_integration_get(&it, client, &scope, "abc123");
        FUZZ_CHECK(rc <= 0 && (rc == 0) == (it != NULL));
        if (it != NULL) {
            check_integration(it);
            particle_integration_free(it);
        }
        return;
    }
    particle_integrations *list = NULL;
    int rc = particle_integration_list(&list, client, &scope);
    FUZZ_CHECK(rc <= 0 && (rc == 0) == (list != NULL));
    if (list != NULL) {
        for (size_t i = 0; i < particle_integrations_count(list); i++) {
            check_integration(particle_integrations_at(list, i));
        }
        particle_integrations_free(list);
    }
}

static void call_login(void)
{
    particle_token *tok = NULL;
    int rc = particle_login_password(&tok, client, "a@example.com", "pw", NULL);
    FUZZ_CHECK(rc <= 0 && (rc == 0) == (tok != NULL));
    if (tok != NULL) {
        const char *access = particle_token_access_token(tok);
        FUZZ_CHECK(access != NULL && access[0] != '\0');
        for (const char *p = access; *p; p++) {
            FUZZ_CHECK((unsigned char)*p > 0x20 && (unsigned char)*p != 0x7f);
        }
        (void)particle_token_type(tok);
        (void)particle_token_expires_in(tok);
        (void)particle_token_refresh_token(tok);
        particle_token_free(tok);
    }
}

static void call_firmware_list(void)
{
    particle_doc *doc = NULL;
    int rc = particle_product_firmware_list(&doc, client, "42");
    if (rc == 0) {
        const particle_value *root = particle_doc_root(doc);
        for (size_t i = 0; i < particle_value_count(root); i++) {
            (void)particle_product_firmware_version(particle_value_at(root, i));
            (void)particle_product_firmware_is_default(particle_value_at(root, i));
        }
    }
    check_doc(rc, doc);
}

static void decode_event(void)
{
    particle__decoded_event d;
    int rc = particle__event_decode(&d, "temp", answer.body, answer.len, "7");
    FUZZ_CHECK(rc <= 0);
    if (rc == 0) {
        FUZZ_CHECK(d.ev.name != NULL && d.ev.published_at != NULL && d.ev.coreid != NULL);
        FUZZ_CHECK(d.ev.data == NULL ? d.ev.data_len == 0 : d.ev.data[d.ev.data_len] == '\0');
        /* A time before 1970 is negative, so only an absent one is known to give -1. */
        FUZZ_CHECK(d.ev.published_at[0] != '\0' || d.ev.published_at_ms == -1);
        particle__event_dispose(&d);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (client == NULL) {
        start();
    }
    if (size == 0) {
        return 0;
    }
    answer.status = statuses[data[0] >> 4];
    answer.body = (const char *)data + 1;
    answer.len = size - 1;
    particle_doc *doc = NULL;
    int function_result = 0;
    switch (data[0] & 0x0f) {
    case 0:
        check_doc(particle_device_get(&doc, client, DEVICE, NULL), doc);
        break;
    case 1:
        check_doc(particle_device_list(&doc, client, NULL), doc);
        break;
    case 2:
        call_variable();
        break;
    case 3:
        FUZZ_CHECK(particle_function_call(&function_result, client, DEVICE, "led", "1", NULL) <= 0);
        break;
    case 4:
        call_integrations(true);
        break;
    case 5:
        call_integrations(false);
        break;
    case 6:
        check_doc(particle_sim_get(&doc, client, "89014103211118510720", NULL), doc);
        break;
    case 7:
        check_doc(particle_sim_list(&doc, client, NULL), doc);
        break;
    case 8:
        check_doc(particle_ledger_get(&doc, client, NULL, "config"), doc);
        break;
    case 9:
        call_firmware_list();
        break;
    case 10:
        check_doc(particle_diagnostics_last(&doc, client, DEVICE, NULL), doc);
        break;
    case 11:
        check_doc(particle_location_list(&doc, client, "42", NULL), doc);
        break;
    case 12:
        check_doc(particle_group_get(&doc, client, "42", "north"), doc);
        break;
    case 13:
        check_doc(particle_user_get(&doc, client), doc);
        break;
    case 14:
        call_login();
        break;
    default:
        decode_event();
        break;
    }
    return 0;
}
