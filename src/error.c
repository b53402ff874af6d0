/* The thread-local error record and the code tables generated from PARTICLE_ERROR_MAP. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local particle_error tl_error = {.code = 0, .retry_after_ms = -1};

const particle_error *particle_error_last(void)
{
    return &tl_error;
}

/* The record may hold an MFA token (a short-lived credential): clearing or overwriting it
 * wipes it with explicit_bzero, which the compiler may not drop. */
void particle_error_clear(void)
{
    explicit_bzero(&tl_error, sizeof(tl_error));
    tl_error.retry_after_ms = -1;
}

void particle__error_wipe_mfa_token(void)
{
    explicit_bzero(tl_error.mfa_token, sizeof(tl_error.mfa_token));
}

/* PARTICLE_CODE_LAST_ is derived from the map: minus the number of codes, one below the
 * lowest as long as the codes are 0, -1, -2, ... These checks hold the map to that: every
 * code lies in (PARTICLE_CODE_LAST_, 0], and the switches below refuse duplicates. */
#define PARTICLE_CODE_IN_RANGE_(name, value, text)                                                 \
    _Static_assert(value <= 0 && value > PARTICLE_CODE_LAST_, "PARTICLE_" #name " out of range");
PARTICLE_ERROR_MAP(PARTICLE_CODE_IN_RANGE_)
#undef PARTICLE_CODE_IN_RANGE_

const char *particle_strerror(int code)
{
    switch (code) {
#define PARTICLE_STRERROR_CASE_(name, value, text)                                                 \
    case value:                                                                                    \
        return text;
        PARTICLE_ERROR_MAP(PARTICLE_STRERROR_CASE_)
#undef PARTICLE_STRERROR_CASE_
    default:
        return "unknown error code";
    }
}

const char *particle_code_name(int code)
{
    switch (code) {
#define PARTICLE_NAME_CASE_(name, value, text)                                                     \
    case value:                                                                                    \
        return "PARTICLE_" #name;
        PARTICLE_ERROR_MAP(PARTICLE_NAME_CASE_)
#undef PARTICLE_NAME_CASE_
    default:
        return "PARTICLE_UNKNOWN";
    }
}

particle_error *particle__error_record(void)
{
    return &tl_error;
}

int particle__error_set(int code, const char *fmt, ...)
{
    particle_error_clear();
    tl_error.code = code;
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(tl_error.message, sizeof(tl_error.message), fmt, ap);
        va_end(ap);
    } else {
        snprintf(tl_error.message, sizeof(tl_error.message), "%s", particle_strerror(code));
    }
    return code;
}

const char *particle_version(void)
{
    return PARTICLE_VERSION_STRING;
}

void particle_free(void *ptr)
{
    particle__free(ptr);
}
