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

void particle_error_clear(void)
{
    memset(&tl_error, 0, sizeof(tl_error));
    tl_error.retry_after_ms = -1;
}

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
