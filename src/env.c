/* Environment variables of a sandbox, organization, product or device (cloud-api.md §13,
 * particle-api-js.md §2.11): list, batch update, set, delete, render and rollouts. */
#include "particle/env.h"
#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "resource.h"
#include "strbuf.h"

/*
 * "{env}[/<tail>]" for @p scope: /v1/env, /v1/orgs/<org>/env, /v1/products/<p>/env or
 * /v1/env/<device>. @p tail is percent-encoded (a variable name, or "render"/"rollout").
 * Returns the path (particle__free) or NULL with the error set.
 */
static char *env_path(const particle_env_scope *scope, const char *tail)
{
    if (scope == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "environment scope is NULL"), NULL;
    }
    static const char *const prefixes[] = {"/v1/env", "/v1/orgs/", "/v1/products/", "/v1/env/"};
    static const char *const id_what[] = {NULL, "organization", "product id or slug", "device id"};
    if ((unsigned)scope->kind > PARTICLE_ENV_DEVICE) {
        return particle__error_set(PARTICLE_EINVAL, "unknown environment scope %d",
                                   (int)scope->kind),
               NULL;
    }
    bool has_owner = scope->kind != PARTICLE_ENV_SANDBOX;
    if (has_owner && particle__require(scope->id, id_what[scope->kind]) < 0) {
        return NULL;
    }
    pu_buf b;
    particle__buf_init(&b, PARTICLE__PATH_MAX_BYTES);
    pu_buf_append_str(&b, prefixes[scope->kind]);
    if (has_owner) {
        pu_buf_append_percent_encoded(&b, scope->id);
    }
    if (scope->kind == PARTICLE_ENV_ORG || scope->kind == PARTICLE_ENV_PRODUCT) {
        pu_buf_append_str(&b, "/env");
    }
    if (tail != NULL) {
        pu_buf_append_char(&b, '/');
        pu_buf_append_percent_encoded(&b, tail);
    }
    if (pu_buf_error(&b) != 0) {
        particle__error_set(particle__buf_code(&b), "cannot build the path");
    }
    return pu_buf_take(&b, NULL); /* NULL after an error */
}

/* Performs @p method on {env}[/tail] with @p body (borrowed; NULL = none). @p key, when
 * set, is the object member a 2xx answer must carry. */
static int env_call(particle_doc **out, particle_client *c, const particle_env_scope *scope,
                    const char *method, const char *tail, json_t *body, const char *key,
                    const char *what)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *path = env_path(scope, tail);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {.method = method, .path = path, .body = body, .key = key, .what = what};
    int error = particle__call_doc(out, c, &call);
    particle__free(path);
    return error;
}

int particle_env_list(particle_doc **out, particle_client *c, const particle_env_scope *scope)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    return env_call(out, c, scope, "GET", NULL, NULL, "latest", "environment variable list");
}

/* {"op": "Set"|"Unset", "key", "value"?} for @p op (number @p i in errors). */
static int op_json(json_t **out, const particle_env_op *op, size_t i)
{
    *out = NULL;
    if (op->key == NULL || op->key[0] == '\0') {
        return particle__error_set(PARTICLE_EINVAL, "operation %zu has no key", i + 1);
    }
    if (!op->unset && op->value == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "operation %zu sets no value", i + 1);
    }
    json_t *o = json_object();
    int error = o == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    if (error == 0) {
        error = particle__json_set(o, "op", json_string(op->unset ? "Unset" : "Set"));
    }
    if (error == 0) {
        error = particle__json_add_text(o, "key", op->key, "variable name");
    }
    if (error == 0 && !op->unset) {
        error = particle__json_add_text(o, "value", op->value, "variable value");
    }
    if (error < 0) {
        json_decref(o);
        return error;
    }
    *out = o;
    return 0;
}

int particle_env_update(particle_doc **out, particle_client *c, const particle_env_scope *scope,
                        const particle_env_op *ops, size_t count)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (ops == NULL || count == 0) {
        return particle__error_set(PARTICLE_EINVAL, "the update has no operation");
    }
    json_t *list = json_array();
    int error = list == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    for (size_t i = 0; error == 0 && i < count; i++) {
        json_t *op = NULL;
        error = op_json(&op, &ops[i], i);
        if (error == 0 && json_array_append_new(list, op) != 0) {
            error = particle__error_set(PARTICLE_ENOMEM, NULL);
        }
    }
    json_t *body = NULL;
    if (error == 0) {
        body = json_object();
        error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL)
                             : particle__json_set(body, "ops", json_incref(list));
    }
    if (error == 0) {
        error = env_call(out, c, scope, "PATCH", NULL, body, NULL, NULL);
    }
    json_decref(body);
    json_decref(list);
    return error;
}

int particle_env_set(particle_doc **out, particle_client *c, const particle_env_scope *scope,
                     const char *key, const char *value)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (key == NULL || key[0] == '\0') {
        return particle__error_set(PARTICLE_EINVAL, "variable name is empty");
    }
    json_t *body = json_object();
    int error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL)
                             : particle__json_add_text(body, "value", value, "variable value");
    if (error == 0) {
        error = env_call(out, c, scope, "PUT", key, body, NULL, NULL);
    }
    json_decref(body);
    return error;
}

int particle_env_delete(particle_doc **out, particle_client *c, const particle_env_scope *scope,
                        const char *key)
{
    if (key == NULL || key[0] == '\0') {
        if (out != NULL) {
            *out = NULL;
        }
        return particle__error_set(PARTICLE_EINVAL, "variable name is empty");
    }
    return env_call(out, c, scope, "DELETE", key, NULL, NULL, NULL);
}

int particle_env_render(particle_doc **out, particle_client *c, const particle_env_scope *scope)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    return env_call(out, c, scope, "GET", "render", NULL, "env", "rendered environment");
}

int particle_env_rollout_review(particle_doc **out, particle_client *c,
                                const particle_env_scope *scope)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    return env_call(out, c, scope, "GET", "rollout", NULL, "from_snapshot", "rollout review");
}

int particle_env_rollout_start(particle_doc **out, particle_client *c,
                               const particle_env_scope *scope, particle_env_rollout_when when)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (when != PARTICLE_ENV_ROLLOUT_IMMEDIATE && when != PARTICLE_ENV_ROLLOUT_CONNECT) {
        return particle__error_set(PARTICLE_EINVAL, "unknown rollout time %d", (int)when);
    }
    json_t *body = json_pack("{s:s}", "when",
                             when == PARTICLE_ENV_ROLLOUT_IMMEDIATE ? "Immediate" : "Connect");
    if (body == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    int error = env_call(out, c, scope, "POST", "rollout", body, NULL, NULL);
    json_decref(body);
    return error;
}
