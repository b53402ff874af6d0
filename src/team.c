/* Team members of a product or an organization (cloud-api.md §9.3): list, invite with a
 * role, change a member's role, remove. Both scopes share one shape; only the path prefix differs.
 */
#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "particle/products.h"
#include "resource.h"

/* Which team: "/v1/products/<owner>/team" or "/v1/orgs/<owner>/team". */
typedef struct team_scope {
    const char *scope;
    const char *owner;
    const char *owner_what;
} team_scope;

static int team_list(particle_doc **out, particle_client *c, team_scope t)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    char *path = particle__scoped_path(t.scope, t.owner, t.owner_what, "team", NULL, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {
        .method = "GET", .path = path, .key = "team", .key_is_array = true, .what = "team"};
    error = particle__call_doc(out, c, &call);
    particle__free(path);
    return error;
}

static int team_invite(particle_doc **out, particle_client *c, team_scope t, const char *username,
                       const char *role)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    int error = particle__require(username, "username");
    if (error < 0) {
        return error;
    }
    char *path = particle__scoped_path(t.scope, t.owner, t.owner_what, "team", NULL, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    json_t *body = json_object();
    error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL)
                         : particle__json_add_text(body, "username", username, "username");
    if (error == 0 && role != NULL && role[0] != '\0') {
        error = particle__json_add_text(body, "role", role, "role");
    }
    if (error == 0) {
        particle__call call = {.method = "POST", .path = path, .body = body};
        error = particle__call_doc(out, c, &call);
    }
    json_decref(body);
    particle__free(path);
    return error;
}

static int team_remove(particle_doc **out, particle_client *c, team_scope t, const char *username)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *path =
        particle__scoped_path(t.scope, t.owner, t.owner_what, "team", username, "username");
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {.method = "DELETE", .path = path};
    int error = particle__call_doc(out, c, &call);
    particle__free(path);
    return error;
}

static int team_update(particle_doc **out, particle_client *c, team_scope t, const char *username,
                       const char *role)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    int error = particle__require(role, "role");
    if (error < 0) {
        return error;
    }
    char *path =
        particle__scoped_path(t.scope, t.owner, t.owner_what, "team", username, "username");
    if (path == NULL) {
        return particle_error_last()->code;
    }
    json_t *body = json_object();
    error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL)
                         : particle__json_add_text(body, "role", role, "role");
    if (error == 0) {
        particle__call call = {.method = "POST", .path = path, .body = body};
        error = particle__call_doc(out, c, &call);
    }
    json_decref(body);
    particle__free(path);
    return error;
}

static team_scope product_team(const char *product)
{
    return (team_scope){"products", product, "product id or slug"};
}

static team_scope org_team(const char *org)
{
    return (team_scope){"orgs", org, "organization id or slug"};
}

int particle_team_list(particle_doc **out, particle_client *c, const char *product)
{
    return team_list(out, c, product_team(product));
}

int particle_team_invite(particle_doc **out, particle_client *c, const char *product,
                         const char *username, const char *role)
{
    return team_invite(out, c, product_team(product), username, role);
}

int particle_team_remove(particle_doc **out, particle_client *c, const char *product,
                         const char *username)
{
    return team_remove(out, c, product_team(product), username);
}

int particle_org_team_list(particle_doc **out, particle_client *c, const char *org)
{
    return team_list(out, c, org_team(org));
}

int particle_org_team_invite(particle_doc **out, particle_client *c, const char *org,
                             const char *username, const char *role)
{
    return team_invite(out, c, org_team(org), username, role);
}

int particle_org_team_remove(particle_doc **out, particle_client *c, const char *org,
                             const char *username)
{
    return team_remove(out, c, org_team(org), username);
}

int particle_team_update(particle_doc **out, particle_client *c, const char *product,
                         const char *username, const char *role)
{
    return team_update(out, c, product_team(product), username, role);
}

int particle_org_team_update(particle_doc **out, particle_client *c, const char *org,
                             const char *username, const char *role)
{
    return team_update(out, c, org_team(org), username, role);
}
