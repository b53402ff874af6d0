/**
 * @file account.h
 * @brief The developer account: sign up, account information, username and password
 *        changes, password reset, deletion, multi-factor authentication (MFA) enrolment and
 *        the tracking identity (reference: cloud-api.md §4.9 and §11; particle-api-js
 *        createUser, getUserInfo/setUserInfo, changeUsername, changeUserPassword,
 *        resetPassword, deleteUser, enableMfa/confirmMfa/disableMfa, trackingIdentity).
 *
 * Reading the account is particle_user_get() (auth.h). Logging in with a one-time password
 * after an MFA challenge is particle_login_mfa() (auth.h).
 *
 * Passwords travel in JSON bodies whose text, and the library's copies of the passwords,
 * are wiped after the request; they are never logged. The MFA secret that
 * particle_mfa_enable() returns is in a document that is wiped when freed.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_ACCOUNT_H
#define PARTICLE_ACCOUNT_H

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/** What particle_account_info.business_account sends. */
typedef enum particle_business_account {
    PARTICLE_BUSINESS_LEAVE = 0, /**< not sent */
    PARTICLE_BUSINESS_YES,       /**< `business_account: true` */
    PARTICLE_BUSINESS_NO         /**< `business_account: false` */
} particle_business_account;

/** Account information (`account_info`); unset (NULL, 0) fields are not sent, so `= {0}`
 *  sends nothing (docs/api/CHANGES.md, the one rule of options structs). */
typedef struct particle_account_info {
    unsigned int version;     /**< PARTICLE_ACCOUNT_INFO_VERSION */
    const char *first_name;   /**< NULL = not sent */
    const char *last_name;    /**< NULL = not sent */
    const char *company_name; /**< NULL = not sent */
    particle_business_account business_account;
} particle_account_info;

#define PARTICLE_ACCOUNT_INFO_VERSION 1
#define PARTICLE_ACCOUNT_INFO_INIT                                                                 \
    {                                                                                              \
        PARTICLE_ACCOUNT_INFO_VERSION, NULL, NULL, NULL, PARTICLE_BUSINESS_LEAVE                   \
    }

/** Fills @p info with PARTICLE_ACCOUNT_INFO_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_account_info_init(particle_account_info *info, unsigned int version);

/**
 * Signs up a new developer: `POST /v1/users` JSON `{username, password, account_info?}`,
 * sent without an Authorization header (like particle-api-js createUser).
 * @param username the e-mail address of the account
 * @param password its password
 * @param info     NULL = no account_info
 * @return 0; PARTICLE_EINVAL (NULL or empty argument, wrong info version), PARTICLE_EHTTP
 *         (400 a malformed field, 409 the account exists), transport codes.
 */
PARTICLE_API int particle_user_create(particle_client *client, const char *username,
                                      const char *password, const particle_account_info *info);

/**
 * Sets account information: `PUT /v1/user` JSON `{account_info}`. The answer is the
 * account as particle_user_get() shows it.
 * @param[out] out the answer; free with particle_doc_free(); NULL = not needed
 * @return 0; PARTICLE_EINVAL (nothing set in @p info), PARTICLE_EAUTH, PARTICLE_EFORBIDDEN (a
 *         customer's token), transport codes.
 */
PARTICLE_API int particle_user_set_info(particle_doc **out, particle_client *client,
                                        const particle_account_info *info);

/** Flags of the username and password changes and of particle_mfa_confirm(). */
#define PARTICLE_INVALIDATE_TOKENS                                                                 \
    0x1u /**< sends `invalidate_tokens: true`: every other token                                   \
              of the account is revoked */

/**
 * Changes the account's e-mail: `PUT /v1/user` JSON `{username, current_password,
 * invalidate_tokens?}`.
 * @return 0; PARTICLE_EFORBIDDEN (403: wrong current password, or a customer's token),
 *         PARTICLE_EHTTP (409: the name is taken; 400: not an e-mail), transport codes.
 */
PARTICLE_API int particle_user_change_username(particle_client *client,
                                               const char *current_password, const char *username,
                                               unsigned int flags);

/**
 * Changes the password: `PUT /v1/user` JSON `{password, current_password,
 * invalidate_tokens?}`.
 * @return 0; PARTICLE_EFORBIDDEN (403: wrong current password), PARTICLE_EHTTP (400),
 *         transport codes.
 */
PARTICLE_API int particle_user_change_password(particle_client *client,
                                               const char *current_password, const char *password,
                                               unsigned int flags);

/**
 * Asks for a password-reset e-mail: `POST /v1/user/password-reset` JSON `{username}`,
 * without an Authorization header. The API answers the same whether or not the account
 * exists.
 * @return 0; PARTICLE_EINVAL, transport codes.
 */
PARTICLE_API int particle_user_reset_password(particle_client *client, const char *username);

/**
 * Deletes the account: `DELETE /v1/user` JSON `{password}`. Its tokens stop working.
 * @return 0; PARTICLE_EFORBIDDEN (403: wrong password), PARTICLE_EAUTH, transport codes.
 */
PARTICLE_API int particle_user_delete(particle_client *client, const char *password);

/**
 * The identity used for analytics: `GET /v1/user/identify` (with `?tracking=1` unless
 * @p full is non-zero, like particle-api-js trackingIdentity). Root `{id, email}`.
 * @param[out] out the answer; free with particle_doc_free()
 */
PARTICLE_API int particle_user_tracking_identity(particle_doc **out, particle_client *client,
                                                 int full);

/**
 * Retired: `POST /v1/user/verify` JSON `{token}` (particle-api-js verifyUser, removed in
 * 12). Kept so that every call seed 002 lists exists; the API answers 404
 * (PARTICLE_ENOTFOUND) since verification moved to the e-mail's link.
 */
PARTICLE_API int particle_user_verify(particle_client *client, const char *token);

/* ---- multi-factor authentication ---- */

/**
 * Starts MFA enrolment: `GET /v1/user/mfa-enable`. The root is `{mfa_token, qr_url,
 * secret}`: `secret` (base32) is the TOTP key an authenticator app takes (RFC 6238: SHA-1,
 * 6 digits, 30 s), `qr_url` the same as an otpauth:// URL. The document is wiped when freed.
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_EHTTP (409: MFA is on already), PARTICLE_EAUTH, transport codes.
 */
PARTICLE_API int particle_mfa_enable(particle_doc **out, particle_client *client);

/**
 * Confirms the enrolment with a current code: `POST /v1/user/mfa-enable` JSON `{mfa_token,
 * otp, invalidate_tokens?}` (flags PARTICLE_INVALIDATE_TOKENS). Root `{enrolled}`. From
 * now on a password login answers PARTICLE_EMFA and needs particle_login_mfa().
 * @param[out] out the answer; NULL = not needed
 * @return 0; PARTICLE_EHTTP (400: wrong code or mfa_token), transport codes.
 */
PARTICLE_API int particle_mfa_confirm(particle_doc **out, particle_client *client,
                                      const char *mfa_token, const char *otp, unsigned int flags);

/**
 * Turns MFA off: `PUT /v1/user/mfa-disable` JSON `{current_password}`.
 * @return 0; PARTICLE_EFORBIDDEN (403: wrong password), PARTICLE_EHTTP (400: MFA is off),
 *         transport codes.
 */
PARTICLE_API int particle_mfa_disable(particle_client *client, const char *current_password);

PARTICLE_END_DECL

#endif
