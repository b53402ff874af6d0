/**
 * @file auth.h
 * @brief Logging in (password, MFA, client credentials, refresh), access tokens and the
 *        current user (reference: cloud-api.md §4 and §11).
 *
 * Login calls send `POST /oauth/token` with a form body and the client's OAuth client id
 * and secret in the body, as particle-api-js does. They are not retried on 5xx or network
 * errors unless PARTICLE_LOGIN_RETRY is given (a 429 is always waited out).
 *
 * Thread safety: as for the client they are called on.
 */
#ifndef PARTICLE_AUTH_H
#define PARTICLE_AUTH_H

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/** A login result. Immutable; the access and refresh tokens are wiped when freed. */
typedef struct particle_token particle_token;

/** Store the new access token on the client after a successful login. */
#define PARTICLE_LOGIN_SET_TOKEN 0x1u
/** Retry the login after 5xx or network errors. */
#define PARTICLE_LOGIN_RETRY 0x2u

/** The token lifetime particle-api-js asks for: 90 days. */
#define PARTICLE_DEFAULT_TOKEN_SECONDS 7776000L
/** expires_in: ask for a token that never expires (sent as expires_in=0). */
#define PARTICLE_TOKEN_NEVER_EXPIRES (-1L)
/** expires_in: send no expires_in; the server picks the lifetime. */
#define PARTICLE_TOKEN_SERVER_LIFETIME (-2L)

/** Options for the login calls. NULL, `= {0}` and PARTICLE_LOGIN_OPTIONS_INIT are the same. */
typedef struct particle_login_options {
    unsigned int version; /**< PARTICLE_LOGIN_OPTIONS_VERSION */
    long expires_in;      /**< seconds; 0 = PARTICLE_DEFAULT_TOKEN_SECONDS;
                               PARTICLE_TOKEN_NEVER_EXPIRES; PARTICLE_TOKEN_SERVER_LIFETIME.
                               Sent by particle_login_password() only, like particle-api-js. */
    const char *scope;    /**< client credentials only, e.g. "customer=jane@example.com" */
    unsigned int flags;   /**< PARTICLE_LOGIN_SET_TOKEN | PARTICLE_LOGIN_RETRY */
} particle_login_options;

#define PARTICLE_LOGIN_OPTIONS_VERSION 1
#define PARTICLE_LOGIN_OPTIONS_INIT                                                                \
    {                                                                                              \
        PARTICLE_LOGIN_OPTIONS_VERSION, 0L, NULL, 0u                                               \
    }

/** Fills @p opts with PARTICLE_LOGIN_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_login_options_init(particle_login_options *opts, unsigned int version);

/**
 * Password login (grant_type=password).
 * @param[out] out the token; free with particle_token_free(). May be NULL when only
 *                 PARTICLE_LOGIN_SET_TOKEN is wanted.
 * @return 0; PARTICLE_EMFA when the account needs a one-time password: the error record's
 *         mfa_token then goes to particle_login_mfa(); PARTICLE_EAUTH (bad credentials,
 *         HTTP 400 invalid_grant or 401); PARTICLE_EPROTO (an answer without a usable
 *         access_token: missing, or holding spaces or control characters); the transport
 *         codes of error.h.
 */
PARTICLE_API int particle_login_password(particle_token **out, particle_client *client,
                                         const char *username, const char *password,
                                         const particle_login_options *opts);

/**
 * Completes an MFA login (grant_type=urn:custom:mfa-otp) with the mfa_token of the
 * PARTICLE_EMFA error and the user's one-time password.
 * @return as particle_login_password(), without PARTICLE_EMFA.
 */
PARTICLE_API int particle_login_mfa(particle_token **out, particle_client *client,
                                    const char *mfa_token, const char *otp,
                                    const particle_login_options *opts);

/**
 * Client-credentials login with the client's client_id/client_secret; opts->scope
 * "customer=<email>" asks for a customer-scoped token of a product client.
 */
PARTICLE_API int particle_login_client_credentials(particle_token **out, particle_client *client,
                                                   const particle_login_options *opts);

/**
 * Client-credentials login (grant_type=client_credentials) with the given OAuth client
 * instead of the client's own client_id/client_secret, e.g. a product client made with
 * particle_oauth_client_create() (particle-api-js loginAsClientOwner with that client).
 * Without opts->scope the token belongs to the client's owner (a product client's token
 * reaches its product); opts->scope "customer=<email>" asks for a customer's token (see
 * particle_customer_token()). The secret is sent in the form body, which is wiped.
 * @param[out] out the token; free with particle_token_free(); may be NULL with
 *                 PARTICLE_LOGIN_SET_TOKEN
 * @return 0; PARTICLE_EINVAL (NULL client, empty client_id or client_secret), PARTICLE_EAUTH
 *         (unknown client or wrong secret), PARTICLE_EPROTO, transport codes.
 */
PARTICLE_API int particle_login_client_credentials_with(particle_token **out,
                                                        particle_client *client,
                                                        const char *client_id,
                                                        const char *client_secret,
                                                        const particle_login_options *opts);

/** Exchanges a refresh token (grant_type=refresh_token; product tokens only). */
PARTICLE_API int particle_login_refresh(particle_token **out, particle_client *client,
                                        const char *refresh_token,
                                        const particle_login_options *opts);

/** @return the access token (borrowed from @p token), NULL for NULL. */
PARTICLE_API const char *particle_token_access_token(const particle_token *token);
/** @return the token type, usually "bearer" (borrowed), or NULL. */
PARTICLE_API const char *particle_token_type(const particle_token *token);
/** @return the lifetime in seconds (0 = never expires), or -1 when the answer had none. */
PARTICLE_API long long particle_token_expires_in(const particle_token *token);
/** @return the refresh token (borrowed), or NULL when the answer had none. */
PARTICLE_API const char *particle_token_refresh_token(const particle_token *token);
/** Frees @p token after wiping the secrets. NULL-safe. */
PARTICLE_API void particle_token_free(particle_token *token);

/**
 * Lists the account's access tokens: `GET /v1/access_tokens` with HTTP Basic
 * username:password (the bearer token is not used). @p otp: the MFA code or NULL.
 * @param[out] out array of {token, expires_at, client}; free with particle_doc_free()
 */
PARTICLE_API int particle_access_token_list(particle_doc **out, particle_client *client,
                                            const char *username, const char *password,
                                            const char *otp);

/** Revokes @p token: `DELETE /v1/access_tokens/:token`. The token is not logged. */
PARTICLE_API int particle_access_token_delete(particle_client *client, const char *token);

/** Revokes the client's own token (`DELETE /v1/access_tokens/current`) and forgets it. */
PARTICLE_API int particle_access_token_delete_current(particle_client *client);

/** Revokes every token of the account, the client's own included (`DELETE /v1/access_tokens`). */
PARTICLE_API int particle_access_token_delete_all(particle_client *client);

/**
 * Describes the client's token: `GET /v1/access_tokens/current`
 * ({expires_at, client, scopes, orgs}).
 */
PARTICLE_API int particle_access_token_current(particle_doc **out, particle_client *client);

/** The current user: `GET /v1/user` ({username, account_info, mfa, ...}). */
PARTICLE_API int particle_user_get(particle_doc **out, particle_client *client);

PARTICLE_END_DECL

#endif
