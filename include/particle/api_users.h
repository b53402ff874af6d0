/**
 * @file api_users.h
 * @brief API users (programmatic users) of a product or an organization: create with
 *        scopes, change the scopes, regenerate the token, delete (reference: cloud-api.md
 *        §4.8, scopes §1.7). particle-api-js 12 has no calls for them; list them with
 *        particle_team_list() / particle_org_team_list() (entries with `is_programmatic`).
 *
 * Every call takes the team: @p product (id or slug) for `/v1/products/:product/team…`, or,
 * when @p product is NULL, @p org (id or slug) for `/v1/orgs/:org/team…`. The answers carry
 * the API user's token (`tokens[0].token`): the only copy; keep it secret.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_API_USERS_H
#define PARTICLE_API_USERS_H

#include <stddef.h>

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/**
 * Creates an API user: `POST {team}` with JSON {"friendly_name", "scopes": [...]} →
 * {"ok": true, "created": {username, is_programmatic, tokens: [{token}]}}. Not retried.
 * @param scopes      @p scope_count scope names such as "devices:list" (at least one)
 * @return 0; PARTICLE_EINVAL (no team, name or scope), PARTICLE_EHTTP (400: an unknown
 *         scope), PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_api_user_create(particle_doc **out, particle_client *client,
                                          const char *product, const char *org,
                                          const char *friendly_name, const char *const *scopes,
                                          size_t scope_count);

/**
 * Changes an API user's scopes (and, when not NULL, its friendly name): `PUT
 * {team}/:username` with JSON {"friendly_name"?, "scopes"} → {"ok": true, "updated":
 * {username, tokens: [{token}]}}: the token rotates, the old one stops working.
 * @return 0; PARTICLE_EINVAL, PARTICLE_EHTTP (400), PARTICLE_ENOTFOUND (no such API user on
 *         the team), PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_api_user_update(particle_doc **out, particle_client *client,
                                          const char *product, const char *org,
                                          const char *username, const char *friendly_name,
                                          const char *const *scopes, size_t scope_count);

/**
 * Regenerates an API user's token: `PUT {team}/:username/token` → {"ok": true, "updated":
 * {username, tokens: [{token}]}}.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_api_user_regenerate_token(particle_doc **out, particle_client *client,
                                                    const char *product, const char *org,
                                                    const char *username);

/**
 * Deletes an API user: `DELETE {team}/:username` → {"ok": true}; its token stops working.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_api_user_delete(particle_client *client, const char *product,
                                          const char *org, const char *username);

PARTICLE_END_DECL

#endif
