/* Internal declarations shared by the SDK's source files. Not installed. */
#ifndef PARTICLE_INTERNAL_H
#define PARTICLE_INTERNAL_H

#include <stdbool.h>
#include <stdlib.h>

#include "alloc.h"
#include "particle/particle.h"

/**
 * Resets the thread's error record, stores @p code and a printf-style message (NULL = the
 * code's strerror text) and returns @p code, so a failure path reads
 * `return particle__error_set(PARTICLE_EINVAL, "device id is empty");`.
 */
int particle__error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * The rule of every options struct: version 0 (a zero-initialised struct) reads as version
 * 1, versions up to @p current are known, anything else fails with PARTICLE_EINVAL naming
 * @p what ("client"). Returns 0 or the code.
 */
int particle__options_check(unsigned int version, unsigned int current, const char *what);

/** Wipes the MFA token of the thread's record (explicit_bzero), keeping the rest. */
void particle__error_wipe_mfa_token(void);

/**
 * The body of every particle_*_options_init(): checks @p opts and @p version as
 * particle__options_check() does, then copies @p size bytes of @p defaults (the struct's
 * INIT macro) into @p opts. Returns 0 or PARTICLE_EINVAL.
 */
int particle__options_init(void *opts, const void *defaults, size_t size, unsigned int version,
                           unsigned int current, const char *what);

/** The product of per-call options (NULL: no options, or the user's own devices). */
const char *particle__request_product(const particle_request_options *opts);

/** Whether per-call options ask for retries of a non-idempotent call. */
bool particle__request_retry(const particle_request_options *opts);

/** The thread's record, for filling HTTP details after particle__error_set(). */
particle_error *particle__error_record(void);

#endif
