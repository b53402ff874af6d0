/*
 * Developer accounts of the model (reference/cloud-api.md §4.9, §11): sign-up, account
 * information, username and password changes, deletion, and MFA with real TOTP codes
 * (model/sim_totp.h).
 *
 * MFA: a user has it when it has a TOTP secret (enrolled through the API) or a fixture's
 * fixed code (`mfa_otp` in the fleet file, kept for scripted logins). Enrolment is two
 * steps: begin hands out a secret and an mfa_token, confirm takes that token and a code
 * computed from the secret. Codes are checked on the wall clock with one step of drift and
 * are good once.
 *
 * Changes validate first and apply all or nothing, then tell the observers
 * (SIM_CHANGED_USER). Threads: model lock held.
 */
#ifndef SIM_USERS_H
#define SIM_USERS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/sim_accounts.h"
#include "model/sim_model.h"
#include "model/sim_totp.h"

#define SIM_ACCOUNT_FIELD_MAX 128 /* first_name, last_name, company_name */

/* Account information to set: NULL fields (and business_account < 0) stay as they are. */
typedef struct sim_account_info {
    const char *first_name;
    const char *last_name;
    const char *company_name;
    int business_account; /* 0, 1, or -1 = unchanged */
} sim_account_info;

/* Is @p password the user's (constant-time comparison)? */
bool sim_user_password_ok(const sim_user *u, const char *password);
/* Does the user log in with a one-time code? */
bool sim_user_has_mfa(const sim_user *u);

/* Signs up developer @p username (an email address) with @p password and @p info (may be
 * NULL). SIM_INVALID: a malformed field; SIM_CONFLICT: the name is taken. */
sim_result sim_user_create(sim_model *m, const char *username, const char *password,
                           const sim_account_info *info, uint32_t *out, const char **why);
/* Would these changes of @p user be accepted (NULL arguments: no change)? SIM_OK, or why
 * not: SIM_INVALID (malformed), SIM_CONFLICT (the new name is taken). */
sim_result sim_user_check_change(const sim_model *m, uint32_t user, const char *username,
                                 const char *password, const sim_account_info *info,
                                 const char **why);
/* Sets the fields of @p info that are given. */
sim_result sim_user_set_info(sim_model *m, uint32_t user, const sim_account_info *info,
                             const char **why);
/* Renames the account to @p username (SIM_CONFLICT when taken). */
sim_result sim_user_set_username(sim_model *m, uint32_t user, const char *username,
                                 const char **why);
/* Sets a new password. */
sim_result sim_user_set_password(sim_model *m, uint32_t user, const char *password,
                                 const char **why);
/* Revokes every token of @p user but @p keep (an index or SIM_NONE); returns @p keep's index
 * after the moves revocation makes (SIM_NONE when it was not kept). */
uint32_t sim_user_revoke_tokens(sim_model *m, uint32_t user, uint32_t keep);
/* Deletes the account: its tokens, claim codes, team places and OAuth clients go, its
 * devices are released. */
void sim_user_delete(sim_model *m, uint32_t user);

/* Starts (or restarts) an MFA enrolment: a new secret and mfa_token, borrowed from the
 * user. SIM_CONFLICT when MFA is on already. */
sim_result sim_user_mfa_begin(sim_model *m, uint32_t user, const char **secret,
                              const char **mfa_token, const char **why);
/* Confirms the enrolment @p mfa_token with a code of its secret: MFA is on. SIM_INVALID for
 * an unknown token or a wrong code (the enrolment stays open). */
sim_result sim_user_mfa_confirm(sim_model *m, uint32_t user, const char *mfa_token, const char *otp,
                                const char **why);
/* Turns MFA off (SIM_INVALID when it is not on). */
sim_result sim_user_mfa_disable(sim_model *m, uint32_t user, const char **why);

/* Restores an account from --state (a signed-up user, or a fleet user's changes): creates
 * or updates the user called @p origin; MFA off unless @p mfa_on (with @p mfa_secret, or the
 * fixture's fixed code when NULL); tells the observers. */
void sim_user_restore(sim_model *m, const char *origin, const char *username, const char *password,
                      bool mfa_on, const char *mfa_secret, const sim_account_info *info,
                      bool signed_up, bool deleted);

/* Frees the fields this file owns (model.c's clear). */
void sim_user_free_account_fields(sim_user *u);

#endif
