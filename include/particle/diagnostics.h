/**
 * @file diagnostics.h
 * @brief Remote diagnostics (device vitals): refresh, last known vitals, history and the
 *        metadata that describes them (reference: cloud-api.md §7.1-7.5).
 *
 * Every call takes a device ID (percent-encoded into the path). A product id or slug in the
 * options selects the /v1/products/:product/diagnostics/... variant. Answers come back as
 * particle_doc documents (value.h), so every field of the vitals payload is reachable; the
 * particle_diagnostics_* getters read the fields of one diagnostics record
 * ({updated_at, deviceID, payload}).
 *
 * The vitals payload (the `spark/device/diagnostics/update` event's data) varies by
 * platform and Device OS version: treat every member as optional.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_DIAGNOSTICS_H
#define PARTICLE_DIAGNOSTICS_H

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/**
 * Asks the device to send its vitals now: `POST /v1/diagnostics/:device/update` (or the
 * product variant). The cloud answers 202 {"ok": true} at once; the device then publishes
 * `spark/device/diagnostics/update` on the event streams and the vitals join the history.
 * Not retried on 5xx or network errors unless opts->flags has PARTICLE_REQUEST_RETRY.
 * @param[out] out the answer; free with particle_doc_free(); NULL = not needed
 * @param client   the client
 * @param device   device ID
 * @param opts     NULL = user scope, no retry of the POST
 * @return 0; PARTICLE_EINVAL (NULL client, empty device), PARTICLE_EOFFLINE (the device
 *         is offline: "Timed out."), PARTICLE_EFORBIDDEN (unknown device or not yours),
 *         PARTICLE_ENOTFOUND, and the transport codes.
 */
PARTICLE_API int particle_diagnostics_refresh(particle_doc **out, particle_client *client,
                                              const char *device,
                                              const particle_request_options *opts);

/**
 * Gets the last known vitals: `GET /v1/diagnostics/:device/last` (or the product variant).
 * The root is {"diagnostics": {"updated_at", "deviceID", "payload"}}; see
 * particle_diagnostics_record().
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_ENOTFOUND (no vitals known for the device yet),
 *         PARTICLE_EFORBIDDEN (unknown device or not yours), PARTICLE_EPROTO (an answer
 *         without a "diagnostics" object), PARTICLE_EINVAL, transport codes.
 */
PARTICLE_API int particle_diagnostics_last(particle_doc **out, particle_client *client,
                                           const char *device,
                                           const particle_request_options *opts);

/** Options for particle_diagnostics_history(). */
typedef struct particle_diagnostics_history_options {
    unsigned int version; /**< PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_VERSION */
    const char *product;  /**< product id or slug; NULL = the user route */
    long long start_ms;   /**< `start_date` (inclusive), ms since the epoch; 0 = not sent.
                               The cloud keeps about 30 days and refuses an older start. */
    long long end_ms;     /**< `end_date` (exclusive), ms since the epoch; 0 = not sent */
} particle_diagnostics_history_options;

#define PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_VERSION 1
#define PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_INIT                                                  \
    {                                                                                              \
        PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_VERSION, NULL, 0, 0                                   \
    }

/** Fills @p opts with PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int
particle_diagnostics_history_options_init(particle_diagnostics_history_options *opts,
                                          unsigned int version);

/**
 * Gets the stored vitals of a time range: `GET /v1/diagnostics/:device?start_date=..&
 * end_date=..` (ISO 8601, sent as "2024-01-02T03:04:05.678Z"; or the product variant).
 * The root is {"diagnostics": [record, ...]}; read records with particle_value_at() and
 * the getters below.
 * @param[out] out the answer; free with particle_doc_free()
 * @param opts     NULL = no dates (the cloud's default range)
 * @return 0; PARTICLE_EHTTP (400: a date the cloud refuses, e.g. "start_date must not be
 *         more than than 30 days ago"; the error record carries its text),
 *         PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no "diagnostics" array), PARTICLE_EINVAL
 *         (negative dates, end before start, wrong options version), transport codes.
 */
PARTICLE_API int particle_diagnostics_history(particle_doc **out, particle_client *client,
                                              const char *device,
                                              const particle_diagnostics_history_options *opts);

/**
 * Gets the description of every vital (titles, units, healthy/warning ranges):
 * `GET /v1/diagnostics/:device/metadata` (or the product variant). The root is
 * {"diagnostics_metadata": {"device": {...}, "service": {...}}}.
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_EFORBIDDEN, PARTICLE_EPROTO, PARTICLE_EINVAL, transport codes.
 */
PARTICLE_API int particle_diagnostics_metadata(particle_doc **out, particle_client *client,
                                               const char *device,
                                               const particle_request_options *opts);

/* ---- getters on a diagnostics record (borrowed; NULL / -1 when absent) ----
 * Thread safety: like every read of an immutable document, from any number of threads. */

/**
 * @return the record of a particle_diagnostics_last() answer (the "diagnostics" object),
 *         borrowed from @p doc; NULL when absent or @p doc is NULL.
 */
PARTICLE_API const particle_value *particle_diagnostics_record(const particle_doc *doc);
/** @return the record's `deviceID` (borrowed), or NULL. */
PARTICLE_API const char *particle_diagnostics_device_id(const particle_value *record);
/** @return the record's `updated_at` in ms since the epoch, or -1 (absent, unparsable). */
PARTICLE_API long long particle_diagnostics_updated_at_ms(const particle_value *record);
/** @return the record's vitals `payload` object (borrowed), or NULL. */
PARTICLE_API const particle_value *particle_diagnostics_payload(const particle_value *record);

PARTICLE_END_DECL

#endif
