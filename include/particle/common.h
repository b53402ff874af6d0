/**
 * @file common.h
 * @brief Export macros, C++ guards and the log callback shared by every public header.
 */
#ifndef PARTICLE_COMMON_H
#define PARTICLE_COMMON_H

#include <stddef.h>

#if defined(PARTICLE_BUILDING_LIBRARY) && defined(__GNUC__)
#define PARTICLE_API __attribute__((visibility("default")))
#else
#define PARTICLE_API
#endif

#ifdef __cplusplus
#define PARTICLE_BEGIN_DECL extern "C" {
#define PARTICLE_END_DECL }
#else
#define PARTICLE_BEGIN_DECL
#define PARTICLE_END_DECL
#endif

PARTICLE_BEGIN_DECL

/** Severity of a log line handed to a particle_log_fn. */
typedef enum particle_log_level {
    PARTICLE_LOG_ERROR = 0,
    PARTICLE_LOG_WARN = 1,
    PARTICLE_LOG_INFO = 2,
    PARTICLE_LOG_DEBUG = 3
} particle_log_level;

/**
 * Receives the library's log lines. Tokens are never part of a message. It runs on the
 * thread making the call, in the middle of it: it must not call libparticle functions
 * (they would overwrite the thread's error record the failing call is about to return).
 * @param level   severity
 * @param message NUL-terminated text, valid only during the call
 * @param payload the pointer given with the callback
 */
typedef void particle_log_fn(particle_log_level level, const char *message, void *payload);

/** Frees a string or buffer that the library allocated for the caller. NULL-safe. */
PARTICLE_API void particle_free(void *ptr);

PARTICLE_END_DECL

#endif
