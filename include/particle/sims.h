/**
 * @file sims.h
 * @brief SIM cards: list (with a page iterator), get, existence check, data usage of one SIM
 *        and of a product's fleet, activate / deactivate / reactivate / data limit, release,
 *        import into a product, and the cellular network status task
 *        (reference: cloud-api.md §8 and §7.6).
 *
 * A SIM is named by its ICCID (19-20 digits), percent-encoded into the path. A
 * particle_request_options with `product` set selects the /v1/products/:product/sims route.
 * Answers come back as particle_doc documents (value.h) so every field is reachable; the
 * particle_sim_* getters read the common fields of a SIM object and of a usage answer.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_SIMS_H
#define PARTICLE_SIMS_H

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/* ---- listing ---- */

/**
 * Options for particle_sim_list() and particle_sim_iter_new(). The filters and pages apply
 * to product listings only: the user listing `GET /v1/sims` takes none, like the API.
 */
typedef struct particle_sim_list_options {
    unsigned int version;    /**< PARTICLE_SIM_LIST_OPTIONS_VERSION */
    const char *product;     /**< product id or slug; NULL = the user's SIMs */
    const char *iccid;       /**< partial ICCID match (`iccid`) */
    const char *device_id;   /**< partial device id match (`deviceId`) */
    const char *device_name; /**< partial device name match (`deviceName`) */
    unsigned int page;       /**< 1-based; 0 = not sent (server default 1) */
    unsigned int per_page;   /**< 0 = not sent (server default 25); sent as `per_page` */
} particle_sim_list_options;

#define PARTICLE_SIM_LIST_OPTIONS_VERSION 1
#define PARTICLE_SIM_LIST_OPTIONS_INIT                                                             \
    {                                                                                              \
        PARTICLE_SIM_LIST_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0u, 0u                          \
    }

/** Fills @p opts with PARTICLE_SIM_LIST_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_sim_list_options_init(particle_sim_list_options *opts,
                                                unsigned int version);

/**
 * Lists SIM cards: `GET /v1/sims` (user) or `GET /v1/products/:p/sims?...` (one page).
 * The root is {sims: [...]} and, for a product, meta: {total_pages}.
 * @param[out] out the answer; free with particle_doc_free()
 * @param client   the client
 * @param opts     NULL = the user's SIMs
 * @return 0; PARTICLE_EINVAL (NULL argument, wrong options version, empty product),
 *         PARTICLE_ENOTFOUND (unknown product), PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_sim_list(particle_doc **out, particle_client *client,
                                   const particle_sim_list_options *opts);

/** Walks every page of a SIM listing. Not thread-safe; one owner. */
typedef struct particle_sim_iter particle_sim_iter;

/**
 * Starts an iteration over SIM cards (opts->page is the first page, default 1). A user
 * listing (no product) is one page. No request is made until the first _next(). The
 * option strings are copied.
 * @param[out] out the iterator; free with particle_sim_iter_free()
 * @param client   borrowed; must outlive the iterator
 * @param opts     NULL = the user's SIMs
 * @return 0, PARTICLE_EINVAL, PARTICLE_ENOMEM.
 */
PARTICLE_API int particle_sim_iter_new(particle_sim_iter **out, particle_client *client,
                                       const particle_sim_list_options *opts);

/**
 * Advances to the next SIM object, fetching the next page when needed.
 * @param[out] out the SIM object, borrowed from the iterator: valid until the next call of
 *                 particle_sim_iter_next() or _free(); NULL at the end
 * @return 0 (check *out for the end), or a negative code (calling again retries the page);
 *         PARTICLE_EPROTO when a page has no `sims` array.
 */
PARTICLE_API int particle_sim_iter_next(const particle_value **out, particle_sim_iter *it);

/** @return the total_pages the server reported (1 for a user listing), 0 before the first
 *  page. */
PARTICLE_API unsigned int particle_sim_iter_total_pages(const particle_sim_iter *it);

/** Frees @p it. NULL-safe. */
PARTICLE_API void particle_sim_iter_free(particle_sim_iter *it);

/* ---- one SIM ---- */

/**
 * Gets one SIM card: `GET /v1/sims/:iccid` (or the product variant). The API's answer is
 * {"sim": {...}} (some documentation shows the bare object); either way the root of
 * @p out is the SIM object itself.
 * @param[out] out the SIM object; free with particle_doc_free()
 * @return 0; PARTICLE_ENOTFOUND (unknown ICCID), PARTICLE_EFORBIDDEN (not your SIM),
 *         PARTICLE_EINVAL (empty ICCID), PARTICLE_EPROTO (not an object), transport codes.
 */
PARTICLE_API int particle_sim_get(particle_doc **out, particle_client *client, const char *iccid,
                                  const particle_request_options *opts);

/**
 * Checks that the SIM exists and is yours: `HEAD /v1/sims/:iccid` (particle-api-js
 * checkSIM; the product variant with opts->product). Any 2xx status is success.
 * @return 0; PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EINVAL, transport codes.
 */
PARTICLE_API int particle_sim_check(particle_client *client, const char *iccid,
                                    const particle_request_options *opts);

/**
 * Data usage of one SIM in the current billing period, by day:
 * `GET /v1/sims/:iccid/data_usage` (or the product variant) →
 * {iccid, usage_by_day: [{date, mbs_used, mbs_used_cumulative}]}.
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EINVAL, transport codes.
 */
PARTICLE_API int particle_sim_data_usage(particle_doc **out, particle_client *client,
                                         const char *iccid, const particle_request_options *opts);

/**
 * Data usage of a product's whole fleet: `GET /v1/products/:product/sims/data_usage` →
 * {total_mbs_used, total_active_sim_cards, usage_by_day: [...]}.
 * @param[out] out the answer; free with particle_doc_free()
 * @param product  product id or slug (required)
 * @return 0; PARTICLE_ENOTFOUND (unknown product), PARTICLE_EFORBIDDEN, PARTICLE_EINVAL,
 *         transport codes.
 */
PARTICLE_API int particle_product_sims_data_usage(particle_doc **out, particle_client *client,
                                                  const char *product);

/* ---- state changes ---- */

/** The `action` of a SIM update (cloud-api.md §8.5). */
typedef enum particle_sim_action {
    PARTICLE_SIM_ACTION_NONE = 0, /**< no action: only the data limit changes */
    PARTICLE_SIM_ACTION_ACTIVATE, /**< first activation (user SIMs) */
    PARTICLE_SIM_ACTION_DEACTIVATE,
    PARTICLE_SIM_ACTION_REACTIVATE /**< reactivate / unpause */
} particle_sim_action;

/** What particle_sim_update() sends. Unset (zero) fields are not sent. */
typedef struct particle_sim_update_options {
    unsigned int version;       /**< PARTICLE_SIM_UPDATE_OPTIONS_VERSION */
    particle_sim_action action; /**< sent as `action`; NONE = not sent */
    int set_mb_limit;           /**< non-zero: send mb_limit; 0 = leave the limit as it is */
    long mb_limit;              /**< monthly data limit in MB (`mb_limit`), >= 0 (0 allowed) */
} particle_sim_update_options;

#define PARTICLE_SIM_UPDATE_OPTIONS_VERSION 1
#define PARTICLE_SIM_UPDATE_OPTIONS_INIT                                                           \
    {                                                                                              \
        PARTICLE_SIM_UPDATE_OPTIONS_VERSION, PARTICLE_SIM_ACTION_NONE, 0, 0L                       \
    }

/** Fills @p u with PARTICLE_SIM_UPDATE_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_sim_update_options_init(particle_sim_update_options *u,
                                                  unsigned int version);

/**
 * Changes a SIM's state: `PUT /v1/sims/:iccid` (or the product variant) with JSON
 * {"action": "activate"|"deactivate"|"reactivate", "mb_limit": N}. At least one of the two
 * must be set (else PARTICLE_EINVAL).
 * @param[out] out the answer (its shape is not documented: often empty); NULL = not needed
 * @return 0; PARTICLE_EHTTP (400: an action the SIM refuses), PARTICLE_ENOTFOUND,
 *         PARTICLE_EFORBIDDEN, PARTICLE_EINVAL, transport codes.
 */
PARTICLE_API int particle_sim_update(particle_doc **out, particle_client *client, const char *iccid,
                                     const particle_sim_update_options *update,
                                     const particle_request_options *opts);

/** particle_sim_update() with action activate. @p out may be NULL. */
PARTICLE_API int particle_sim_activate(particle_doc **out, particle_client *client,
                                       const char *iccid, const particle_request_options *opts);

/** particle_sim_update() with action deactivate. @p out may be NULL. */
PARTICLE_API int particle_sim_deactivate(particle_doc **out, particle_client *client,
                                         const char *iccid, const particle_request_options *opts);

/** particle_sim_update() with action reactivate and, when @p mb_limit >= 0, a new data
 *  limit. @p out may be NULL. */
PARTICLE_API int particle_sim_reactivate(particle_doc **out, particle_client *client,
                                         const char *iccid, long mb_limit,
                                         const particle_request_options *opts);

/** particle_sim_update() with only `mb_limit` (>= 0, else PARTICLE_EINVAL). @p out may be
 *  NULL. */
PARTICLE_API int particle_sim_set_data_limit(particle_doc **out, particle_client *client,
                                             const char *iccid, long mb_limit,
                                             const particle_request_options *opts);

/**
 * Releases the SIM from the account (which also deactivates it): `DELETE /v1/sims/:iccid`
 * (or the product variant). The API answers 204 when done, or 202 when the release is
 * still pending.
 * @param[out] pending_out 1 when the answer was 202 (pending), 0 for any other 2xx; may be
 *                         NULL
 * @return 0; PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EINVAL, transport codes.
 */
PARTICLE_API int particle_sim_remove(int *pending_out, particle_client *client, const char *iccid,
                                     const particle_request_options *opts);

/**
 * Imports and activates SIM cards into a product: `POST /v1/products/:product/sims` with
 * JSON {"sims": [iccid, ...]}. The cloud queues the import and answers {"ok": true}; SIMs it
 * cannot import are reported by e-mail, not in the answer. Not retried on 5xx or network
 * errors unless opts->flags has PARTICLE_REQUEST_RETRY.
 * @param[out] out    the answer; NULL = not needed
 * @param product     product id or slug
 * @param iccids      @p count ICCIDs, none NULL or empty; copied into the request
 * @param count       at least 1
 * @param opts        NULL = defaults; only `flags` is used (opts->product must be NULL)
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND (unknown product), PARTICLE_EFORBIDDEN,
 *         transport codes.
 */
PARTICLE_API int particle_product_sims_import(particle_doc **out, particle_client *client,
                                              const char *product, const char *const *iccids,
                                              size_t count, const particle_request_options *opts);

/* ---- cellular network status (§7.6) ---- */

/**
 * Asks for the SIM's cellular network status: `GET /v1/sims/:iccid/status` (or the product
 * variant). The cloud runs this as a task: the first answers are 202 with
 * meta.state "pending" and `sim_status` values null; once meta.state is "complete" (status
 * 200) sim_status holds {connected, gsm_connection, data_connection}. Call again to poll,
 * no sooner than meta.check_again_after (see particle_sim_status_wait()).
 * @param[out] out          the answer; free with particle_doc_free()
 * @param[out] complete_out 1 when meta.state is "complete", else 0; may be NULL
 * @return 0; PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EINVAL, transport codes.
 */
PARTICLE_API int particle_sim_status(particle_doc **out, int *complete_out, particle_client *client,
                                     const char *iccid, const particle_request_options *opts);

/**
 * Polls particle_sim_status() until the task is complete, sleeping until
 * meta.check_again_after between polls (at least 100 ms, at most 5 s per wait).
 * @param[out] out   the complete answer; free with particle_doc_free()
 * @param timeout_ms give up after this long (> 0)
 * @return 0; PARTICLE_ETIMEDOUT (still pending when the next poll would fall past the
 *         deadline), and the codes of
 *         particle_sim_status().
 */
PARTICLE_API int particle_sim_status_wait(particle_doc **out, particle_client *client,
                                          const char *iccid, long timeout_ms,
                                          const particle_request_options *opts);

/* ---- typed getters (borrowed strings; NULL / fallback when absent) ----
 * Each takes a SIM object (a particle_sim_get() root, an element of a listing) or a usage
 * answer, or NULL. Strings are borrowed from the document the value lives in. */

/** @return the ICCID: `iccid`, else the API's `_id`; NULL when neither is a string. */
PARTICLE_API const char *particle_sim_iccid(const particle_value *sim);
/** @return `status` ("active", "inactive", "deactivated", ...), or NULL. */
PARTICLE_API const char *particle_sim_status_text(const particle_value *sim);
/** @return `carrier` (e.g. "telefonica"), or NULL. */
PARTICLE_API const char *particle_sim_carrier(const particle_value *sim);
/** @return `last_device_id`, or NULL. */
PARTICLE_API const char *particle_sim_last_device_id(const particle_value *sim);
/** @return `mb_limit` (monthly data limit in MB), or -1 when absent or null. */
PARTICLE_API long long particle_sim_mb_limit(const particle_value *sim);
/** @return the `usage_by_day` array of a usage answer, or NULL. */
PARTICLE_API const particle_value *particle_sim_usage_days(const particle_value *usage);
/** @return the month-to-date MB of a usage answer: the last day's `mbs_used_cumulative`
 *  (a fleet answer's `total_mbs_used` when present); 0 when there are no days. */
PARTICLE_API double particle_sim_usage_total_mb(const particle_value *usage);

PARTICLE_END_DECL

#endif
