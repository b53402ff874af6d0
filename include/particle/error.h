/**
 * @file error.h
 * @brief Error codes and the thread-local record of the last error.
 *
 * Every function that can fail returns 0 or one of the negative codes below. Before it
 * returns a negative code it fills the calling thread's error record, which
 * particle_error_last() reads until the next libparticle call on the same thread.
 */
#ifndef PARTICLE_ERROR_H
#define PARTICLE_ERROR_H

#include "particle/common.h"

PARTICLE_BEGIN_DECL

/* Append only: never renumber or remove a code. */
#define PARTICLE_ERROR_MAP(X)                                                                      \
    X(OK, 0, "success")                                                                            \
    X(ERROR, -1, "unspecified error")                                                              \
    X(EINVAL, -2, "invalid argument")                                                              \
    X(ENOMEM, -3, "out of memory")                                                                 \
    X(ENET, -4, "network error")                                                                   \
    X(ETIMEDOUT, -5, "operation timed out")                                                        \
    X(EHTTP, -6, "unexpected HTTP status")                                                         \
    X(EAUTH, -7, "authentication failed (bad or expired credentials)")                             \
    X(ENOTFOUND, -8, "resource not found")                                                         \
    X(ERATELIMIT, -9, "rate limited")                                                              \
    X(EPROTO, -10, "malformed response")                                                           \
    X(ECANCELED, -11, "canceled")                                                                  \
    X(EFORBIDDEN, -12, "permission denied")                                                        \
    X(EOFFLINE, -13, "device offline or timed out")                                                \
    X(ESERVER, -14, "server error")                                                                \
    X(EMFA, -15, "multi-factor authentication required")                                           \
    X(EIO, -16, "local I/O error")

/* Counts the codes of the map, for PARTICLE_CODE_LAST_. */
#define PARTICLE_ERROR_COUNT_(name, value, text) +1

/** Result codes. 0 is success, every failure is negative. */
typedef enum particle_code {
#define PARTICLE_ERROR_ENUM_(name, value, text) PARTICLE_##name = value,
    PARTICLE_ERROR_MAP(PARTICLE_ERROR_ENUM_)
#undef PARTICLE_ERROR_ENUM_
    /** One below the lowest code (the codes are 0, -1, -2, ...); never returned. */
    PARTICLE_CODE_LAST_ = -(0 PARTICLE_ERROR_MAP(PARTICLE_ERROR_COUNT_))
} particle_code;

/** What went wrong in the last failing call of this thread. Fixed size: nothing to free. */
typedef struct particle_error {
    int code;            /**< the value the failing call returned */
    int http_status;     /**< 0 when no HTTP response was received */
    char api_code[64];   /**< the API's `error` field, e.g. "invalid_token"; "" if none */
    char message[256];   /**< human-readable: the API's description (docs/errors.md) or ours */
    char info[256];      /**< the API's `info` field, "" if none */
    char request_id[64]; /**< the server's request-id header, "" if none */
    char mfa_token[512]; /**< from a 403 mfa_required answer, "" otherwise; wiped when the
                              record is cleared or overwritten, and after a successful
                              login. Copy it before the next libparticle call. */
    long retry_after_ms; /**< from Retry-After, -1 if absent */
} particle_error;

/**
 * @return the calling thread's last error record; never NULL. A thread that saw no error
 *         gets a record with code PARTICLE_OK. Valid until the next libparticle call on
 *         this thread.
 */
PARTICLE_API const particle_error *particle_error_last(void);

/**
 * Resets the calling thread's error record to PARTICLE_OK, wiping it first (explicit_bzero):
 * the way to erase an MFA token the record holds.
 */
PARTICLE_API void particle_error_clear(void);

/** @return a static description of @p code ("unknown error code" for unknown values). */
PARTICLE_API const char *particle_strerror(int code);

/** @return the symbolic name of @p code, e.g. "PARTICLE_ENOTFOUND" (static string). */
PARTICLE_API const char *particle_code_name(int code);

PARTICLE_END_DECL

#endif
