/**
 * @file stream.h
 * @brief Event streams: the Particle Cloud's Server-Sent Events routes, kept alive.
 *
 * A particle_stream is opened from a client and options, then run on a thread of your
 * choice: particle_stream_run() connects, delivers every event through the on_event
 * callback on that same thread, and reconnects (capped exponential backoff with jitter,
 * `Last-Event-ID` when the server sent ids, the server's `retry:` as a minimum delay)
 * when the connection drops, stays silent longer than the idle timeout, or fails with a
 * 5xx, 429 or network error. A stored id given as the last_event_id option makes even the
 * first connection resume after it. It returns only when on_event asks to stop, when
 * particle_stream_cancel() is called, on an answer that retrying cannot fix (401, 403,
 * 404, other 4xx, a 200 that is not `text/event-stream`), or after max_reconnects failed
 * attempts in a row.
 *
 * Because connecting and delivering happen inside the same call, no event is lost between
 * the two: events that arrive in the same read as the response headers are delivered.
 *
 * Thread safety: a stream is used by one thread at a time. particle_stream_cancel() is the
 * only function that may be called from another thread, at any time between
 * particle_stream_open() and particle_stream_free(); free the stream only after
 * particle_stream_run() has returned and no other thread can still cancel it.
 */
#ifndef PARTICLE_STREAM_H
#define PARTICLE_STREAM_H

#include "particle/client.h"
#include "particle/common.h"
#include "particle/error.h"

PARTICLE_BEGIN_DECL

/** Opaque stream handle. */
typedef struct particle_stream particle_stream;

/**
 * One event, as passed to a particle_event_fn. Borrowed: every pointer is valid during the
 * callback only; copy what you keep.
 */
typedef struct particle_event {
    const char *name;          /**< from the SSE `event:` line; "" when the line was missing */
    const char *data;          /**< the payload's `data`; NULL when it was null or absent */
    size_t data_len;           /**< length of data in bytes (0 when data is NULL) */
    const char *published_at;  /**< ISO 8601 text as sent; "" when absent */
    long long published_at_ms; /**< published_at in ms since the epoch; -1 if absent/invalid */
    const char *coreid;        /**< device ID, or "particle-internal"; "" when absent */
    int ttl;                   /**< seconds; a number or a string like "60"; -1 if absent */
    const char *id;            /**< the SSE `id:` of this event; NULL when it carried none */
    const char *json;          /**< the whole `data:` JSON text (for extra fields) */
    size_t json_len;           /**< length of json in bytes */
} particle_event;

/** Which event route a stream follows (reference: Cloud API §6.1). */
typedef enum particle_stream_scope {
    /** /v1/devices/events[/prefix]: events of your devices. The default (zero). */
    PARTICLE_STREAM_MINE = 0,
    /** /v1/events/prefix: public events and your private ones; prefix required. */
    PARTICLE_STREAM_ALL_PUBLIC = 1,
    /** /v1/devices/:device/events[/prefix]: one device; device required. */
    PARTICLE_STREAM_DEVICE = 2,
    /** /v1/products/:product/events[/prefix]: a product fleet; product required. */
    PARTICLE_STREAM_PRODUCT = 3,
    /** /v1/products/:product/devices/:device/events[/prefix]: both required. */
    PARTICLE_STREAM_PRODUCT_DEVICE = 4,
    /**
     * /v1/orgs/:org[/products/:product][/devices/:device]/events[/prefix]: org required,
     * product and device optional (the particle-api-js path rules).
     */
    PARTICLE_STREAM_ORG = 5
} particle_stream_scope;

/**
 * Receives each event, on the thread running particle_stream_run().
 * @param ev      the event, valid during the call only
 * @param payload the options' payload
 * @return 0 to go on; non-zero to stop: particle_stream_run() then returns 0.
 */
typedef int particle_event_fn(const particle_event *ev, void *payload);

/**
 * An established stream was lost; a reconnect follows.
 * @param reason PARTICLE_ENET (closed by the server or a network error), PARTICLE_ETIMEDOUT
 *               (no bytes for idle_timeout_ms) or PARTICLE_EPROTO (a line or event over the
 *               parser's limits: 64 KiB per line, 1 MiB per event)
 */
typedef void particle_stream_disconnect_fn(int reason, void *payload);

/**
 * A reconnect attempt is about to wait @p delay_ms and then connect.
 * @param attempt 1 for the first attempt after a loss or failure, counting up while the
 *                attempts keep failing; back to 1 after a successful connection
 */
typedef void particle_stream_reconnect_fn(unsigned int attempt, long delay_ms, void *payload);

/** Reconnect attempt @p attempt got a 200 `text/event-stream` answer. */
typedef void particle_stream_reconnect_success_fn(unsigned int attempt, void *payload);

/**
 * The stream is established: a connection got a 200 `text/event-stream` answer. Called for
 * the first connection (@p attempt 0) and after every reconnect (@p attempt as in
 * on_reconnect, right after on_reconnect_success), so on_connect and on_disconnect together
 * tell whether the stream is connected now.
 */
typedef void particle_stream_connect_fn(unsigned int attempt, void *payload);

/**
 * Something went wrong that the stream reports but does not necessarily stop on: a
 * connection attempt failed (any code; the stream retries unless the code is final), or
 * an event whose `data:` is not a JSON object was skipped (PARTICLE_EPROTO).
 * @param code the error code
 * @param err  details (HTTP status, API error text); valid during the call only
 */
typedef void particle_stream_error_fn(int code, const particle_error *err, void *payload);

/**
 * Events may have been missed: the stream resumed with `Last-Event-ID` but the server could
 * not replay from there. Detected in two ways: the server says so in a `:gap N` or `:gap`
 * comment before its replay (particle-sim does when its replay window no longer reaches the
 * id, or the id is from before it restarted), or event ids go backwards (a server that
 * numbered from 1 again after a restart). Only numeric ids are compared; the real Particle
 * Cloud sends no ids and keeps no replay, so on it this is never called (docs/api/streams.md).
 * A gap from a comment is reported just before the first event after it, or when
 * particle_stream_run() returns: the `:gap` that ends a stream which fell behind and the
 * reconnect's `:gap N` about the same id are one call, with N.
 * @param missed   how many ids were skipped, or -1 when unknown; ids count every stream's
 *                 events on the server, so for a filtered stream this is an upper bound
 * @param after_id the last id the stream had before the gap (the one it resumed from, or the
 *                 event before ids went backwards); valid during the call only
 */
typedef void particle_stream_gap_fn(long long missed, const char *after_id, void *payload);

/** Options for particle_stream_open(). Strings are copied; NULL or "" means "not given". */
typedef struct particle_stream_options {
    unsigned int version;        /**< = PARTICLE_STREAM_OPTIONS_VERSION */
    particle_stream_scope scope; /**< which route; default PARTICLE_STREAM_MINE */
    const char *prefix;          /**< event name prefix (prefix match); required for ALL_PUBLIC */
    const char *device;          /**< device ID or name, for DEVICE, PRODUCT_DEVICE and ORG */
    const char *product;         /**< product ID or slug, for PRODUCT, PRODUCT_DEVICE and ORG */
    const char *org;             /**< organization ID or slug, for ORG */
    long idle_timeout_ms;        /**< reconnect after this long without a byte; 0 = 15000 */
    long reconnect_base_ms;      /**< first reconnect delay; 0 = 1000 */
    long reconnect_max_ms;       /**< delay cap; 0 = 30000 */
    unsigned int max_reconnects; /**< failed attempts in a row before giving up; 0 = never */
    particle_event_fn *on_event; /**< required */
    particle_stream_disconnect_fn *on_disconnect;               /**< optional */
    particle_stream_reconnect_fn *on_reconnect;                 /**< optional */
    particle_stream_reconnect_success_fn *on_reconnect_success; /**< optional */
    particle_stream_error_fn *on_error;                         /**< optional */
    void *payload; /**< passed, last, to every callback */
    /**
     * Resume point: sent as `Last-Event-ID` on the first connection (and on reconnects)
     * until the server sends an `id:` of its own, which then replaces it, as if the stream
     * had received that id earlier. Use it to resume after a restart from an id you stored.
     * Copied at open; NULL or "" = none. Must not contain CR or LF (PARTICLE_EINVAL).
     */
    const char *last_event_id;
    /** optional; since version 2 of these options (version 1 callers do not have it) */
    particle_stream_connect_fn *on_connect;
    /** optional; since version 3 of these options */
    particle_stream_gap_fn *on_gap;
} particle_stream_options;

/**
 * 2 added on_connect, 3 added on_gap; particle_stream_options_init() and
 * particle_stream_open() accept 1 and 2 too.
 */
#define PARTICLE_STREAM_OPTIONS_VERSION 3
/** Defaults for every field (spelled out so -Wmissing-field-initializers stays quiet). */
#define PARTICLE_STREAM_OPTIONS_INIT                                                               \
    {                                                                                              \
        PARTICLE_STREAM_OPTIONS_VERSION, PARTICLE_STREAM_MINE, NULL, NULL, NULL, NULL, 0, 0, 0,    \
            0u, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL                               \
    }

/**
 * Fills @p opts with defaults (everything zero, version set).
 * @return 0, or PARTICLE_EINVAL when @p opts is NULL or @p version is unknown.
 */
PARTICLE_API int particle_stream_options_init(particle_stream_options *opts, unsigned int version);

/**
 * Validates @p opts and prepares a stream. Does not connect: particle_stream_run() does.
 * Copies everything it needs from @p client (base URL, token, User-Agent, TLS and connect
 * settings) and from @p opts, so neither is used afterwards and the client may be freed
 * before the stream. The client's log callback and its payload are used by the stream too
 * (they belong to you, not to the client), so keep them valid while the stream lives.
 * @param[out] out the new stream; caller frees with particle_stream_free()
 * @param client   the client whose endpoint and credentials to use
 * @param opts     the options; on_event is required
 * @return 0; PARTICLE_EINVAL (missing or contradictory options: a field the scope does
 *         not use, a required one missing, negative times, reconnect_max_ms below
 *         reconnect_base_ms); PARTICLE_ENOMEM.
 */
PARTICLE_API int particle_stream_open(particle_stream **out, particle_client *client,
                                      const particle_stream_options *opts);

/**
 * Connects, delivers events and reconnects until something stops it. Blocks the calling
 * thread; every callback runs on it. A callback must not call particle_stream_run() or
 * particle_stream_free() on this stream (particle_stream_cancel() is fine).
 * May be called again after it returned, except after a cancel (cancel is permanent).
 * @return 0 when on_event returned non-zero; PARTICLE_ECANCELED after
 *         particle_stream_cancel(); on 401/403/404 or another 4xx besides 429 the mapped
 *         code (PARTICLE_EAUTH, PARTICLE_EFORBIDDEN, PARTICLE_ENOTFOUND, ...), with the
 *         error record holding the HTTP status and the API's error text;
 *         PARTICLE_EPROTO when a 200 answer is not `text/event-stream`; after
 *         max_reconnects failed attempts in a row, the last attempt's code
 *         (PARTICLE_ESERVER, PARTICLE_ENET, PARTICLE_ETIMEDOUT, PARTICLE_ERATELIMIT...);
 *         PARTICLE_ENOMEM; PARTICLE_EINVAL when @p s is NULL.
 */
PARTICLE_API int particle_stream_run(particle_stream *s);

/**
 * Makes particle_stream_run() return PARTICLE_ECANCELED within about a hundred
 * milliseconds, whether it is streaming, connecting or waiting to reconnect; if it is not
 * running yet, the next run returns at once. Safe to call from any thread and from a
 * callback. NULL-safe.
 */
PARTICLE_API void particle_stream_cancel(particle_stream *s);

/** Frees the stream and wipes its copy of the access token. NULL-safe. */
PARTICLE_API void particle_stream_free(particle_stream *s);

PARTICLE_END_DECL

#endif
