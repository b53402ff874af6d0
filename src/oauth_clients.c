/* OAuth clients of the user or of a product (cloud-api.md §4.7): list, create (the answer
 * holds the secret, shown once: its document is wiped when freed), update, delete. */
#include <stdbool.h>
#include <string.h>

#include "alloc.h"
#include "http.h"
#include "particle/oauth_clients.h"
#include "value_internal.h"

int particle_oauth_client_options_init(particle_oauth_client_options *opts, unsigned int version)
{
    static const particle_oauth_client_options defaults = PARTICLE_OAUTH_CLIENT_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_OAUTH_CLIENT_OPTIONS_VERSION, "OAuth client");
}

/* "/v1/[products/<product>/]clients[/<id>]" (@p one: the id is required); NULL with the
 * error set. */
static char *clients_path(const char *product, const char *client_id, bool one)
{
    if ((product != NULL && particle__require(product, "product id or slug") < 0) ||
        (one && particle__require(client_id, "OAuth client id") < 0)) {
        return NULL;
    }
    return particle__api_path(product, "clients", one ? client_id : NULL, NULL);
}

int particle_oauth_client_list(particle_doc **out, particle_client *c, const char *product)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *path = clients_path(product, NULL, false);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    json_t *root = NULL;
    particle__request req = {.method = "GET", .path = path};
    int error = particle__http_perform(c, &req, &root);
    particle__free(path);
    if (error < 0) {
        return error;
    }
    if (!json_is_array(json_object_get(root, "clients"))) {
        json_decref(root);
        return particle__error_set(PARTICLE_EPROTO, "the OAuth client list has no clients array");
    }
    return particle__doc_wrap(out, root);
}

/* Sets @p key of @p body to @p value unless it is NULL. */
static int add_field(json_t *body, const char *key, const char *value)
{
    return value == NULL ? 0 : particle__json_add_text(body, key, value, key);
}

static int check_options(const particle_oauth_client_options *o)
{
    if (o == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "OAuth client options are NULL");
    }
    return particle__options_check(o->version, PARTICLE_OAUTH_CLIENT_OPTIONS_VERSION,
                                   "OAuth client");
}

/* The create body {name, type, redirect_uri?, scope?}, checked the way §4.7 describes. */
static int create_body(json_t **out, const particle_oauth_client_options *o)
{
    *out = NULL;
    int error;
    if ((error = particle__require(o->name, "OAuth client name")) < 0 ||
        (error = particle__require(o->type, "OAuth client type")) < 0) {
        return error;
    }
    bool web = strcmp(o->type, "web") == 0;
    if (!web && strcmp(o->type, "installed") != 0) {
        return particle__error_set(PARTICLE_EINVAL,
                                   "OAuth client type must be \"installed\" or \"web\"");
    }
    if (!web && o->redirect_uri != NULL) {
        return particle__error_set(PARTICLE_EINVAL, "only a web client has a redirect_uri");
    }
    json_t *body = json_object();
    error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    if (error == 0 && (error = add_field(body, "name", o->name)) == 0 &&
        (error = add_field(body, "type", o->type)) == 0 &&
        (error = add_field(body, "redirect_uri", o->redirect_uri)) == 0) {
        error = add_field(body, "scope", o->scope);
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    *out = body;
    return 0;
}

/* The update body {name?, scope?}; at least one. */
static int update_body(json_t **out, const particle_oauth_client_options *o)
{
    *out = NULL;
    if (o->name == NULL && o->scope == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "the OAuth client update changes nothing");
    }
    if (o->name != NULL && *o->name == '\0') {
        return particle__error_set(PARTICLE_EINVAL, "OAuth client name is empty");
    }
    json_t *body = json_object();
    int error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    if (error == 0 && (error = add_field(body, "name", o->name)) == 0) {
        error = add_field(body, "scope", o->scope);
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    *out = body;
    return 0;
}

/* Sends @p body and makes the answer's `client` object the root of *out (NULL = discard),
 * wiped when freed if @p secret. */
static int client_call(particle_doc **out, particle_client *c, const char *method, const char *path,
                       json_t *body, bool secret)
{
    json_t *root = NULL;
    int error = particle__http_json(c, method, path, body, false, &root);
    if (error < 0) {
        return error;
    }
    json_t *client = json_object_get(root, "client");
    if (!json_is_object(client)) {
        json_decref(root);
        return particle__error_set(PARTICLE_EPROTO, "the OAuth client answer has no client object");
    }
    json_incref(client);
    json_decref(root);
    if (out == NULL) {
        json_decref(client);
        return 0;
    }
    return secret ? particle__doc_wrap_secret(out, client) : particle__doc_wrap(out, client);
}

int particle_oauth_client_create(particle_doc **out, particle_client *c, const char *product,
                                 const particle_oauth_client_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    json_t *body = NULL;
    int error;
    if ((error = check_options(opts)) < 0 || (error = create_body(&body, opts)) < 0) {
        return error;
    }
    char *path = clients_path(product, NULL, false);
    error =
        path == NULL ? particle_error_last()->code : client_call(out, c, "POST", path, body, true);
    json_decref(body);
    particle__free(path);
    return error;
}

int particle_oauth_client_update(particle_doc **out, particle_client *c, const char *product,
                                 const char *client_id, const particle_oauth_client_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    json_t *body = NULL;
    int error;
    if ((error = check_options(opts)) < 0 || (error = update_body(&body, opts)) < 0) {
        return error;
    }
    char *path = clients_path(product, client_id, true);
    error =
        path == NULL ? particle_error_last()->code : client_call(out, c, "PUT", path, body, false);
    json_decref(body);
    particle__free(path);
    return error;
}

int particle_oauth_client_delete(particle_client *c, const char *product, const char *client_id)
{
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *path = clients_path(product, client_id, true);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__request req = {.method = "DELETE", .path = path};
    int error = particle__http_perform(c, &req, NULL);
    particle__free(path);
    return error;
}

const char *particle_oauth_client_id(const particle_value *oauth_client)
{
    return particle_value_string(particle_value_get(oauth_client, "id"));
}

const char *particle_oauth_client_secret(const particle_value *oauth_client)
{
    return particle_value_string(particle_value_get(oauth_client, "secret"));
}
