/*
 * Access tokens, refresh tokens and pending MFA logins of the model. Expiry is measured on
 * the wall clock (pu_time_now_ms), not the simulation clock: pausing the simulation must not
 * make tokens immortal. Tokens are 40 lowercase hex characters from /dev/urandom.
 *
 * Memory stays flat over any number of logins and logouts: a revoked token is removed from
 * the array at once (the last token moves into its slot, so token indexes are valid only
 * under the lock that found them), and expired ones are dropped by sim_token_sweep(), which
 * token creation runs whenever the array has doubled since the last sweep.
 *
 * Threads: model lock held.
 */
#ifndef SIM_TOKENS_H
#define SIM_TOKENS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/sim_model.h"

/* Creates a fresh token (and refresh token); @p expires_in_s 0 = never. Tells the observers
 * (SIM_CHANGED_TOKEN_CREATED). */
uint32_t sim_token_create(sim_model *m, sim_token_kind kind, uint32_t user, uint32_t product,
                          const char *client, int64_t expires_in_s);
/* Adds a token with a known value (fixtures, persisted state); @p expires_ms 0 = never.
 * Replaces nothing: returns the existing index when the token is already known. */
uint32_t sim_token_add(sim_model *m, const char *token, const char *refresh, sim_token_kind kind,
                       uint32_t user, uint32_t product, const char *client, int64_t created_ms,
                       int64_t expires_ms);
/* A live token; SIM_NONE if unknown or revoked. *expired (may be NULL) tells an expired one. */
uint32_t sim_token_find(const sim_model *m, const char *token, bool *expired);
uint32_t sim_token_find_refresh(const sim_model *m, const char *refresh);
/* Revokes one token (SIM_CHANGED_TOKEN_REVOKED) and drops it. Moves the last token into
 * slot @p t. */
void sim_token_revoke(sim_model *m, uint32_t t);
/* Drops every token expired at wall-clock @p now_ms (SIM_CHANGED_TOKEN_EXPIRED for each).
 * Returns how many went. */
uint32_t sim_token_sweep(sim_model *m, int64_t now_ms);
/* Revokes every live token of the same user (or product, for product tokens) as @p t. */
void sim_token_revoke_all_like(sim_model *m, uint32_t t);
/* Fills @p out from a live, unexpired token. */
bool sim_token_principal(const sim_model *m, const char *token, sim_principal *out, bool *expired);

/* Starts an MFA login for @p user; returns the mfa_token (borrowed from the model). */
const char *sim_mfa_begin(sim_model *m, uint32_t user);
/* Completes it: the user index when mfa_token is pending and otp matches, else SIM_NONE
 * (success consumes the mfa_token; a wrong otp keeps it valid for its 5 minutes). */
uint32_t sim_mfa_complete(sim_model *m, const char *mfa_token, const char *otp);

/* The MFA step of a login (tokens.c): does @p otp complete a login of @p user now (TOTP, or the
 * fixture's fixed code)? A TOTP code that passes is spent. */
bool sim_user_otp_ok(sim_model *m, uint32_t user, const char *otp);

#endif
