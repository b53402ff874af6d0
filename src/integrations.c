/* Integrations and legacy webhooks (integrations.h; cloud-api.md §10): the routes of the
 * three scopes and the calls. Bodies come from integration_body.c, typed answers from
 * integration_object.c. */
#include "particle/integrations.h"

#include <string.h>

#include "alloc.h"
#include "http.h"
#include "integration_internal.h"
#include "internal.h"
#include "pu_str.h"
#include "value_internal.h"

int particle_integration_options_init(particle_integration_options *opts, unsigned int version)
{
    static const particle_integration_options defaults = PARTICLE_INTEGRATION_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_INTEGRATION_OPTIONS_VERSION, "integration");
}

/* "/v1[/products/<p>|/orgs/<o>]/<collection>[/<id>][/<suffix>]" with the owner and @p id
 * percent-encoded; @p id_required refuses a NULL or empty id. NULL with the error set. */
static char *hook_path(const char *product, const char *org, const char *collection, const char *id,
                       bool id_required, const char *suffix)
{
    if (product != NULL && org != NULL) {
        particle__error_set(PARTICLE_EINVAL, "an integration has a product or an org, not both");
        return NULL;
    }
    if ((product != NULL && particle__require(product, "product id or slug") < 0) ||
        (org != NULL && particle__require(org, "organization") < 0) ||
        (id_required && particle__require(id, "integration id") < 0)) {
        return NULL;
    }
    pu_buf b;
    particle__buf_init(&b, PARTICLE__PATH_MAX_BYTES);
    pu_buf_append_str(&b, "/v1/");
    if (product != NULL || org != NULL) {
        pu_buf_append_str(&b, product != NULL ? "products/" : "orgs/");
        pu_buf_append_percent_encoded(&b, product != NULL ? product : org);
        pu_buf_append_char(&b, '/');
    }
    pu_buf_append_str(&b, collection);
    if (id != NULL) {
        pu_buf_append_char(&b, '/');
        pu_buf_append_percent_encoded(&b, id);
    }
    if (suffix != NULL) {
        pu_buf_append_str(&b, suffix);
    }
    if (pu_buf_error(&b) != 0) {
        particle__error_set(particle__buf_code(&b), "cannot build the path");
    }
    return pu_buf_take(&b, NULL); /* NULL after an error */
}

static char *integration_path(const particle_integration_scope *scope, const char *id,
                              bool id_required, const char *suffix)
{
    return hook_path(scope != NULL ? scope->product : NULL, scope != NULL ? scope->org : NULL,
                     "integrations", id, id_required, suffix);
}

/* Frees a body that may hold credentials (auth, header values): wiped first. */
static void body_wipe_free(json_t *body)
{
    particle_doc *doc = NULL;
    if (body != NULL && particle__doc_wrap_secret(&doc, body) == 0) { /* takes body */
        particle_doc_free(doc);
    }
}

/* Sends @p body (NULL = none; wiped and freed here) with @p method to @p path (freed here);
 * a 2xx JSON answer into *root_out (NULL = discard). */
static int hook_call(particle_client *c, const char *method, char *path, json_t *body,
                     json_t **root_out)
{
    char *text = NULL;
    int error = 0;
    if (c == NULL) {
        error = particle__error_set(PARTICLE_EINVAL, "client is NULL");
    } else if (path == NULL) {
        error = particle_error_last()->code;
    } else if (body != NULL && (text = particle__json_dumps(body, JSON_COMPACT)) == NULL) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    if (error == 0) {
        particle__request req = {.method = method,
                                 .path = path,
                                 .body = text,
                                 .body_len = text != NULL ? strlen(text) : 0,
                                 .content_type = text != NULL ? PARTICLE__CT_JSON : NULL};
        error = particle__http_perform(c, &req, root_out);
    }
    if (text != NULL) {
        pu_secure_zero(text, strlen(text));
        particle__free(text);
    }
    body_wipe_free(body);
    particle__free(path);
    return error;
}

/* A call whose answer is one integration (NULL @p out = not needed). */
static int one_integration(particle_integration **out, particle_client *c, const char *method,
                           char *path, json_t *body)
{
    json_t *root = NULL;
    int error = hook_call(c, method, path, body, &root);
    if (error == 0 && out != NULL) {
        return particle__integration_from_answer(out, root); /* takes root */
    }
    json_decref(root);
    return error;
}

/* The body for a create or an edit on @p route, after the caller's out was reset. */
static int write_body(json_t **body, particle_client *c, const particle_integration_options *o,
                      particle__hook_route route, bool creating)
{
    *body = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    return particle__integration_body(body, o, route, creating);
}

static void reset(particle_integration **out)
{
    if (out != NULL) {
        *out = NULL;
    }
}

int particle_integration_create(particle_integration **out, particle_client *c,
                                const particle_integration_scope *scope,
                                const particle_integration_options *opts)
{
    reset(out);
    json_t *body = NULL;
    int error = write_body(&body, c, opts, PARTICLE__ROUTE_INTEGRATIONS, true);
    if (error < 0) {
        return error;
    }
    return one_integration(out, c, "POST", integration_path(scope, NULL, false, NULL), body);
}

int particle_integration_edit(particle_integration **out, particle_client *c,
                              const particle_integration_scope *scope, const char *id,
                              const particle_integration_options *opts)
{
    reset(out);
    json_t *body = NULL;
    int error = write_body(&body, c, opts, PARTICLE__ROUTE_INTEGRATIONS, false);
    if (error < 0) {
        return error;
    }
    return one_integration(out, c, "PUT", integration_path(scope, id, true, NULL), body);
}

int particle_integration_get(particle_integration **out, particle_client *c,
                             const particle_integration_scope *scope, const char *id)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    return one_integration(out, c, "GET", integration_path(scope, id, true, NULL), NULL);
}

/* A call whose answer is a list of integrations. */
static int integration_list(particle_integrations **out, particle_client *c, char *path)
{
    if (out == NULL) {
        particle__free(path);
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    json_t *root = NULL;
    int error = hook_call(c, "GET", path, NULL, &root);
    if (error < 0) {
        return error;
    }
    return particle__integrations_from_answer(out, root); /* takes root */
}

int particle_integration_list(particle_integrations **out, particle_client *c,
                              const particle_integration_scope *scope)
{
    return integration_list(out, c, integration_path(scope, NULL, false, NULL));
}

int particle_integration_delete(particle_client *c, const particle_integration_scope *scope,
                                const char *id)
{
    return hook_call(c, "DELETE", integration_path(scope, id, true, NULL), NULL, NULL);
}

int particle_integration_test(particle_doc **out, particle_client *c,
                              const particle_integration_scope *scope, const char *id,
                              const char *data, const char *device_id)
{
    if (out != NULL) {
        *out = NULL;
    }
    json_t *body = json_object();
    int error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    if (error == 0 && data != NULL) {
        error = particle__json_add_text(body, "data", data, "test data");
    }
    if (error == 0 && device_id != NULL) {
        error = particle__json_add_text(body, "device_id", device_id, "test device id");
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    json_t *root = NULL;
    error = hook_call(c, "POST", integration_path(scope, id, true, "/test"), body, &root);
    if (error == 0 && out != NULL) {
        return particle__doc_wrap(out, root); /* takes root */
    }
    json_decref(root);
    return error;
}

static char *webhook_path(const char *product, const char *id, bool id_required)
{
    return hook_path(product, NULL, "webhooks", id, id_required, NULL);
}

int particle_webhook_create(particle_integration **out, particle_client *c, const char *product,
                            const particle_integration_options *opts)
{
    reset(out);
    json_t *body = NULL;
    int error = write_body(&body, c, opts, PARTICLE__ROUTE_WEBHOOKS, true);
    if (error < 0) {
        return error;
    }
    return one_integration(out, c, "POST", webhook_path(product, NULL, false), body);
}

int particle_webhook_list(particle_integrations **out, particle_client *c, const char *product)
{
    return integration_list(out, c, webhook_path(product, NULL, false));
}

int particle_webhook_get(particle_integration **out, particle_client *c, const char *product,
                         const char *id)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    return one_integration(out, c, "GET", webhook_path(product, id, true), NULL);
}

int particle_webhook_delete(particle_client *c, const char *product, const char *id)
{
    return hook_call(c, "DELETE", webhook_path(product, id, true), NULL, NULL);
}
