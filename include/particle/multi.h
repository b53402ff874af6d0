/**
 * @file multi.h
 * @brief Many REST calls in flight at once from one thread (libcurl's multi interface).
 *
 * A particle_multi runs variable reads and generic requests concurrently for a poller that
 * reads hundreds of variables without a thread per request. Submit calls, then drive them
 * with particle_multi_perform(), which waits for network activity and runs each call's
 * callback when it completes:
 *
 * @code
 * particle_multi *m = NULL;
 * particle_multi_new(&m, client, NULL);
 * particle_multi_variable_get(m, "dev1", "temp", NULL, on_temp, ctx);
 * particle_multi_variable_get(m, "dev2", "temp", NULL, on_temp, ctx);
 * while (particle_multi_pending(m) > 0) {
 *     particle_multi_perform(m, 1000);
 * }
 * particle_multi_free(m);
 * @endcode
 *
 * Calls use the client's base URL (read when a call is queued), timeouts and body cap, and
 * the token the client has when the call starts; they share connections with each other
 * (keep-alive, at most max_in_flight at once; more calls wait in submission order). Unlike the
 * blocking calls, a call here is tried once: a 429, 5xx or network failure goes to its callback
 * (with retry_after_ms in the error record for a 429), and the caller, who sees every call, decides
 * when to try again.
 *
 * Thread safety: use a multi, and the client it was made from, from one thread at a time;
 * particle_multi_wakeup() is the exception and may be called from any thread.
 */
#ifndef PARTICLE_MULTI_H
#define PARTICLE_MULTI_H

#include "particle/client.h"
#include "particle/devices.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/** Opaque set of concurrent calls. */
typedef struct particle_multi particle_multi;

/** Options for particle_multi_new(). */
typedef struct particle_multi_options {
    unsigned int version;       /**< PARTICLE_MULTI_OPTIONS_VERSION */
    unsigned int max_in_flight; /**< calls on the network at once; 0 = 16, at most 1024 */
} particle_multi_options;

#define PARTICLE_MULTI_OPTIONS_VERSION 1
#define PARTICLE_MULTI_OPTIONS_INIT                                                                \
    {                                                                                              \
        PARTICLE_MULTI_OPTIONS_VERSION, 0u                                                         \
    }

/**
 * Fills @p opts with the defaults of PARTICLE_MULTI_OPTIONS_INIT (`= {0}` means the same).
 * @return 0, or PARTICLE_EINVAL for a NULL @p opts or an unknown @p version.
 */
PARTICLE_API int particle_multi_options_init(particle_multi_options *opts, unsigned int version);

/**
 * Completion of a variable read. Runs inside particle_multi_perform().
 * @param code     0, or the code the blocking particle_variable_get() would have returned;
 *                 on failure particle_error_last() describes it for the duration of the call
 * @param var      the variable on success (borrowed: freed when the callback returns), or NULL
 * @param payload  what was given with the call
 */
typedef void particle_multi_variable_fn(int code, const particle_variable *var, void *payload);

/**
 * Completion of a generic request. Runs inside particle_multi_perform().
 * @param code     0, or the code particle_request() would have returned (error record set)
 * @param doc      the answer on success (borrowed: freed when the callback returns), or NULL
 * @param payload  what was given with the call
 */
typedef void particle_multi_doc_fn(int code, const particle_doc *doc, void *payload);

/**
 * Creates a multi that sends its calls with @p client's settings.
 * @param[out] out  the new multi; free it with particle_multi_free() before the client
 * @param client    borrowed; must outlive the multi
 * @param opts      NULL = defaults
 * @return 0; PARTICLE_EINVAL (NULL argument, unknown version, max_in_flight above 1024);
 *         PARTICLE_ENOMEM.
 */
PARTICLE_API int particle_multi_new(particle_multi **out, particle_client *client,
                                    const particle_multi_options *opts);

/**
 * Queues a read of variable @p name of @p device (user scope, or opts->product's).
 * Arguments are checked and copied now; nothing is sent before particle_multi_perform().
 * @return 0 (the callback will run exactly once, unless the multi is freed first);
 *         PARTICLE_EINVAL (NULL multi or callback, empty device or name) or PARTICLE_ENOMEM,
 *         and then the callback never runs.
 */
PARTICLE_API int particle_multi_variable_get(particle_multi *m, const char *device,
                                             const char *name, const particle_request_options *opts,
                                             particle_multi_variable_fn *done, void *payload);

/**
 * Queues a generic request with the arguments and checks of particle_request() (request.h).
 * @return 0 (the callback will run exactly once, unless the multi is freed first), or
 *         PARTICLE_EINVAL / PARTICLE_ENOMEM, and then the callback never runs.
 */
PARTICLE_API int particle_multi_request(particle_multi *m, const char *method, const char *path,
                                        const char *query, const char *json_body,
                                        const particle_request_options *opts,
                                        particle_multi_doc_fn *done, void *payload);

/**
 * Starts queued calls, waits up to @p wait_ms for network activity (0 = do not wait;
 * negative = 0), moves every transfer along and runs the callbacks of the calls that
 * completed. Returns early when particle_multi_wakeup() is called, and does not wait when
 * a call already completed before the wait (its callback ran).
 * @return the number of calls not yet completed (queued or in flight), or PARTICLE_EINVAL
 *         (NULL multi, or called from inside one of its callbacks), PARTICLE_ENOMEM.
 */
PARTICLE_API int particle_multi_perform(particle_multi *m, long wait_ms);

/** @return the number of calls not yet completed (0 for NULL). */
PARTICLE_API size_t particle_multi_pending(const particle_multi *m);

/**
 * Makes a particle_multi_perform() that waits, now or next, return at once. Any thread, as
 * long as the multi is not being freed at the same time.
 * @return 0, or PARTICLE_EINVAL for NULL.
 */
PARTICLE_API int particle_multi_wakeup(particle_multi *m);

/** Drops the calls not yet completed without running their callbacks, and frees. NULL-safe. */
PARTICLE_API void particle_multi_free(particle_multi *m);

PARTICLE_END_DECL

#endif
