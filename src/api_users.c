/* API users of a product or an organization (api_users.h; cloud-api.md §4.8). */
#include "particle/api_users.h"

#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "resource.h"

/* "{team}[/<username>[/token]]" of @p product, else @p org (with @p member, the username
 * is required); NULL with the error set. */
static char *team_path(const char *product, const char *org, bool member, const char *username,
                       bool token)
{
    bool by_product = product != NULL;
    char *path = particle__scoped_path(by_product ? "products" : "orgs", by_product ? product : org,
                                       by_product ? "product id or slug" : "organization", "team",
                                       username, member ? "username" : NULL);
    if (path == NULL || !token) {
        return path;
    }
    pu_buf b;
    particle__buf_init(&b, PARTICLE__PATH_MAX_BYTES);
    pu_buf_append_str(&b, path);
    pu_buf_append_str(&b, "/token");
    particle__free(path);
    if (pu_buf_error(&b) != 0) {
        particle__error_set(particle__buf_code(&b), "cannot build the path");
        pu_buf_dispose(&b);
        return NULL;
    }
    return pu_buf_take(&b, NULL);
}

/* {"friendly_name"?, "scopes": [...]} into *out. */
static int scopes_body(json_t **out, const char *friendly_name, const char *const *scopes,
                       size_t scope_count)
{
    *out = NULL;
    if (scopes == NULL || scope_count == 0) {
        return particle__error_set(PARTICLE_EINVAL, "an API user needs at least one scope");
    }
    json_t *list = json_array();
    for (size_t i = 0; i < scope_count; i++) {
        int error = particle__require(scopes[i], "scope");
        if (error < 0) {
            json_decref(list);
            return error;
        }
        json_array_append_new(list, json_string(scopes[i]));
    }
    json_t *body = json_object();
    int error = particle__json_set(body, "scopes", list);
    if (error == 0 && friendly_name != NULL) {
        error = particle__json_set(body, "friendly_name", json_string(friendly_name));
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    *out = body;
    return 0;
}

/* Sends @p method with @p body (borrowed; NULL = none) to @p path (taken). */
static int send_team(particle_doc **out, particle_client *c, const char *method, char *path,
                     json_t *body, const char *what)
{
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {.method = method, .path = path, .body = body, .what = what};
    int error = particle__call_doc(out, c, &call);
    particle__free(path);
    return error;
}

/* The checks every call makes: a client and a team. */
static int check(particle_doc **out, const particle_client *c, const char *product, const char *org)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    if (product == NULL && org == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "give a product or an organization");
    }
    return 0;
}

int particle_api_user_create(particle_doc **out, particle_client *c, const char *product,
                             const char *org, const char *friendly_name, const char *const *scopes,
                             size_t scope_count)
{
    int error = check(out, c, product, org);
    json_t *body = NULL;
    if (error == 0) {
        error = particle__require(friendly_name, "friendly name");
    }
    if (error == 0) {
        error = scopes_body(&body, friendly_name, scopes, scope_count);
    }
    if (error == 0) {
        error = send_team(out, c, "POST", team_path(product, org, false, NULL, false), body,
                          "API user");
    }
    json_decref(body);
    return error;
}

int particle_api_user_update(particle_doc **out, particle_client *c, const char *product,
                             const char *org, const char *username, const char *friendly_name,
                             const char *const *scopes, size_t scope_count)
{
    int error = check(out, c, product, org);
    json_t *body = NULL;
    if (error == 0) {
        error = scopes_body(&body, friendly_name, scopes, scope_count);
    }
    if (error == 0) {
        error = send_team(out, c, "PUT", team_path(product, org, true, username, false), body,
                          "API user");
    }
    json_decref(body);
    return error;
}

int particle_api_user_regenerate_token(particle_doc **out, particle_client *c, const char *product,
                                       const char *org, const char *username)
{
    int error = check(out, c, product, org);
    if (error == 0) {
        error = send_team(out, c, "PUT", team_path(product, org, true, username, true), NULL,
                          "API user");
    }
    return error;
}

int particle_api_user_delete(particle_client *c, const char *product, const char *org,
                             const char *username)
{
    int error = check(NULL, c, product, org);
    if (error == 0) {
        error = send_team(NULL, c, "DELETE", team_path(product, org, true, username, false), NULL,
                          "API user");
    }
    return error;
}
