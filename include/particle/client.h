/**
 * @file client.h
 * @brief Library initialisation and the client handle: endpoint, credentials, timeouts,
 *        retry policy, TLS and logging.
 *
 * Thread safety: particle_global_init() once, before other threads use the library. A
 * client may be used by one thread at a time; different clients may be used concurrently.
 */
#ifndef PARTICLE_CLIENT_H
#define PARTICLE_CLIENT_H

#include "particle/common.h"

PARTICLE_BEGIN_DECL

/** Opaque client handle: connection cache, credentials and policies. */
typedef struct particle_client particle_client;

/** Do not read PARTICLE_API_BASE_URL / PARTICLE_ACCESS_TOKEN from the environment. */
#define PARTICLE_CLIENT_NO_ENV 0x1u
/** Do not read particle-cli's profile files (~/.particle/profile.json, <name>.config.json). */
#define PARTICLE_CLIENT_NO_PROFILE 0x2u

/** The default endpoint when no option, environment variable or profile names one. */
#define PARTICLE_DEFAULT_BASE_URL "https://api.particle.io"

/**
 * Options for particle_client_new(). Initialise with PARTICLE_CLIENT_OPTIONS_INIT,
 * particle_client_options_init() or `= {0}`: as for every options struct of the library, a
 * zero field means its default and a zero-initialised struct means the same as NULL
 * (version 0 reads as version 1). Every string is copied, none is kept.
 *
 * Resolution of the endpoint and the token, first match wins: the option here, then the
 * environment (PARTICLE_API_BASE_URL, PARTICLE_ACCESS_TOKEN), then particle-cli's profile
 * (`<profile_dir>/profile.json` names the profile, default "particle"; its
 * `<name>.config.json` gives `apiUrl` and `access_token`), then PARTICLE_DEFAULT_BASE_URL
 * and no token.
 */
typedef struct particle_client_options {
    unsigned int version;      /**< PARTICLE_CLIENT_OPTIONS_VERSION */
    const char *base_url;      /**< NULL = resolved as described above */
    const char *access_token;  /**< NULL = resolved as described above; wiped on free.
                                    Visible ASCII without spaces (it goes into a header) */
    unsigned int flags;        /**< PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE */
    const char *profile_dir;   /**< NULL = $HOME/.particle */
    long connect_timeout_ms;   /**< 0 = 10000 */
    long request_timeout_ms;   /**< whole REST request; 0 = 60000, negative = no limit.
                                    A peer that sends nothing for this long (or 60 s when
                                    unlimited) fails with PARTICLE_ETIMEDOUT. */
    int max_retries;           /**< retries after 429/5xx/network errors; 0 = 3,
                                    PARTICLE_NO_RETRIES (-1) = none */
    long retry_base_ms;        /**< first backoff; 0 = 250; doubles per retry, with jitter */
    long retry_max_ms;         /**< backoff cap; 0 = 8000 */
    long retry_after_max_ms;   /**< longest Retry-After we wait for; 0 = 60000; a longer
                                    one fails at once with PARTICLE_ERATELIMIT */
    size_t max_response_bytes; /**< cap on a response body; 0 = 16 MiB (PARTICLE_EPROTO) */
    int insecure_skip_verify;  /**< non-zero turns TLS peer and host verification off */
    const char *user_agent;    /**< NULL = "libparticle/<version>"; no control chars */
    const char *client_id;     /**< OAuth client for /oauth/token; NULL = "particle-api" */
    const char *client_secret; /**< NULL = "particle-api"; wiped on free */
    particle_log_fn *log_cb;   /**< NULL = no logging; gets method, path and status only */
    void *log_payload;         /**< handed to log_cb */
} particle_client_options;

/** max_retries: no retries at all (0 asks for the default, 3). */
#define PARTICLE_NO_RETRIES (-1)

#define PARTICLE_CLIENT_OPTIONS_VERSION 1
/** Defaults for every field (all zero but the version). */
#define PARTICLE_CLIENT_OPTIONS_INIT                                                               \
    {                                                                                              \
        PARTICLE_CLIENT_OPTIONS_VERSION, NULL, NULL, 0u, NULL, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, \
            NULL, NULL, NULL                                                                       \
    }

/**
 * Initialises libcurl's global state. Call once, before any other thread uses the library.
 * @return 0, or PARTICLE_ERROR when libcurl cannot initialise.
 */
PARTICLE_API int particle_global_init(void);

/** Releases what particle_global_init() set up. Call after every client is freed. */
PARTICLE_API void particle_global_cleanup(void);

/**
 * Fills @p opts with the defaults of PARTICLE_CLIENT_OPTIONS_INIT.
 * @return 0, or PARTICLE_EINVAL for a NULL @p opts or an unknown @p version.
 */
PARTICLE_API int particle_client_options_init(particle_client_options *opts, unsigned int version);

/**
 * Creates a client.
 * @param[out] out  the new client; the caller frees it with particle_client_free()
 * @param opts      NULL = all defaults
 * @return 0; PARTICLE_EINVAL (bad option, unsupported version or base URL scheme, a token
 *         from any source or a user agent holding spaces or control characters),
 *         PARTICLE_ENOMEM, PARTICLE_EIO (an unreadable or malformed profile file).
 */
PARTICLE_API int particle_client_new(particle_client **out, const particle_client_options *opts);

/** Frees @p client, wiping the token and the client secret from memory. NULL-safe. */
PARTICLE_API void particle_client_free(particle_client *client);

/**
 * Replaces the client's access token (the old one is wiped). NULL or "" removes it.
 * @return 0, PARTICLE_EINVAL (NULL client, or a token holding spaces or control characters:
 *         the old token is then kept) or PARTICLE_ENOMEM.
 */
PARTICLE_API int particle_client_set_access_token(particle_client *client, const char *token);

/** @return 1 when the client has an access token, 0 otherwise (also for NULL). */
PARTICLE_API int particle_client_has_token(const particle_client *client);

/** @return the resolved base URL without a trailing slash; borrowed from @p client. */
PARTICLE_API const char *particle_client_base_url(const particle_client *client);

/** @return the `username` of the particle-cli profile the client read, or NULL. Borrowed. */
PARTICLE_API const char *particle_client_profile_username(const particle_client *client);

/** A yes/no option that can also be left out of the request (the zero value). */
typedef enum particle_tristate {
    PARTICLE_UNSET = 0, /**< not sent: the server keeps or picks the value */
    PARTICLE_NO = 1,
    PARTICLE_YES = 2
} particle_tristate;

/** Allow retrying a non-idempotent request (POST) after 5xx or network errors. */
#define PARTICLE_REQUEST_RETRY 0x1u

/**
 * Per-call options shared by the device, variable and function calls. Initialise with
 * PARTICLE_REQUEST_OPTIONS_INIT, particle_request_options_init() or `= {0}`.
 * NULL = defaults (user scope, no retry of non-idempotent requests).
 */
typedef struct particle_request_options {
    unsigned int version; /**< PARTICLE_REQUEST_OPTIONS_VERSION */
    const char *product;  /**< product id or slug: use the /v1/products/:product/ route */
    unsigned int flags;   /**< PARTICLE_REQUEST_RETRY */
} particle_request_options;

#define PARTICLE_REQUEST_OPTIONS_VERSION 1
#define PARTICLE_REQUEST_OPTIONS_INIT                                                              \
    {                                                                                              \
        PARTICLE_REQUEST_OPTIONS_VERSION, NULL, 0u                                                 \
    }

/**
 * Fills @p opts with the defaults of PARTICLE_REQUEST_OPTIONS_INIT.
 * @return 0, or PARTICLE_EINVAL for a NULL @p opts or an unknown @p version.
 */
PARTICLE_API int particle_request_options_init(particle_request_options *opts,
                                               unsigned int version);

PARTICLE_END_DECL

#endif
