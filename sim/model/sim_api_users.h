/*
 * API users (programmatic users, reference/cloud-api.md §4.8, §1.7): created on a product's
 * or an organization's team with {friendly_name, scopes}, each is a developer account named
 * "<friendly name>+<random>@api.particle.io" on that team with one non-expiring token, and
 * its scopes here. The server's before hook limits every request of such a token to the
 * routes its scopes name (sim_api_route_scope); human users are not scope-limited.
 *
 * The scopes live in this registry; with --state a saver keeps it beside the accounts and
 * tokens (persist_settings.c).
 *
 * Threads: model lock held.
 */
#ifndef SIM_API_USERS_H
#define SIM_API_USERS_H

#include <stdbool.h>

#include <jansson.h>

#define SIM_API_USER_DOMAIN "@api.particle.io"
#define SIM_API_USER_SCOPES_MAX 64

typedef struct sim_api_users sim_api_users;

sim_api_users *sim_api_users_new(void);    /* aborts on OOM */
void sim_api_users_free(sim_api_users *a); /* NULL-safe */
/* Forgets every API user (the control API's reset); saves the empty registry. */
void sim_api_users_clear(sim_api_users *a);

/* Called after every change with the whole registry {username: {friendly_name, scopes}}. */
typedef void sim_api_users_saver(const json_t *registry, void *payload);
/* Adds the registry @p stored (as the saver got it; borrowed; NULL = none yet) without saving
 * it back, and from now on calls @p saver after each change. -1 when @p stored is not such
 * a registry (nothing added). */
int sim_api_users_restore(sim_api_users *a, const json_t *stored, sim_api_users_saver *saver,
                          void *payload);

/* Is @p username an API user's account (by its domain)? */
bool sim_api_user_name(const char *username);
/* Records (or replaces) the friendly name and scopes (a JSON array, copied) of @p username. */
void sim_api_user_set(sim_api_users *a, const char *username, const char *friendly_name,
                      const json_t *scopes);
void sim_api_user_forget(sim_api_users *a, const char *username);
/* {friendly_name, scopes} of @p username (borrowed), or NULL. */
const json_t *sim_api_user_get(const sim_api_users *a, const char *username);
/* Does API user @p username have @p scope? (Unknown users have none.) */
bool sim_api_user_allows(const sim_api_users *a, const char *username, const char *scope);

/* Is @p scope one of the documented API-user scopes (cloud-api.md §16)? */
bool sim_api_scope_known(const char *scope);
/* Checks @p scopes: a non-empty array of known scope strings. NULL, or why not. */
const char *sim_api_scopes_check(const json_t *scopes);
/* The scope a request of @p method on @p path (raw, no query) needs, or NULL for a route no
 * API user may call (the sandbox, the account, ...). */
const char *sim_api_route_scope(const char *method, const char *path);

#endif
