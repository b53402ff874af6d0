/**
 * @file devices.h
 * @brief Devices: list (with a page iterator for products), get, rename, notes, signal,
 *        ping, claim, remove, the multiplexed update, variables and functions
 *        (reference: cloud-api.md §5).
 *
 * Every call takes a device ID or name; it is percent-encoded into the path. A
 * particle_request_options with `product` set selects the /v1/products/:product/ route.
 * Answers come back as particle_doc documents (value.h) so every field is reachable; the
 * particle_device_* getters read the common fields of a device object.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_DEVICES_H
#define PARTICLE_DEVICES_H

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/* ---- listing ---- */

/**
 * Options for particle_device_list() and particle_device_iter_new(). The filters apply to
 * product listings only (the user listing `GET /v1/devices` takes none, like the API).
 * Strings are sent as given: `groups` is comma-separated group names.
 */
typedef struct particle_device_list_options {
    unsigned int version;          /**< PARTICLE_DEVICE_LIST_OPTIONS_VERSION */
    const char *product;           /**< product id or slug; NULL = the user's devices */
    const char *device_id;         /**< partial id match (`deviceId`) */
    const char *device_name;       /**< partial name match (`deviceName`) */
    const char *groups;            /**< "europe,asia" (`groups`) */
    const char *serial_number;     /**< partial match (`serialNumber`) */
    const char *sort_attr;         /**< deviceName | deviceId | firmwareVersion | lastConnection */
    const char *sort_dir;          /**< asc | desc */
    particle_tristate quarantined; /**< include / exclude quarantined devices */
    unsigned int page;             /**< 1-based; 0 = not sent (server default 1) */
    unsigned int per_page;         /**< 0 = not sent (server default 25) */
} particle_device_list_options;

#define PARTICLE_DEVICE_LIST_OPTIONS_VERSION 1
#define PARTICLE_DEVICE_LIST_OPTIONS_INIT                                                          \
    {                                                                                              \
        PARTICLE_DEVICE_LIST_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL,            \
            PARTICLE_UNSET, 0u, 0u                                                                 \
    }

/** Fills @p opts with PARTICLE_DEVICE_LIST_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_device_list_options_init(particle_device_list_options *opts,
                                                   unsigned int version);

/**
 * Lists devices. User scope (`GET /v1/devices`): the root is an array of device objects.
 * Product scope (`GET /v1/products/:p/devices?...`): the root is
 * {devices: [...], customers: [...], meta: {total_pages}}; one page only (see
 * particle_device_iter_new() for all of them).
 * @param[out] out the answer; free with particle_doc_free()
 * @param opts     NULL = the user's devices
 */
PARTICLE_API int particle_device_list(particle_doc **out, particle_client *client,
                                      const particle_device_list_options *opts);

/** Walks every page of a product device listing. Not thread-safe; one owner. */
typedef struct particle_device_iter particle_device_iter;

/**
 * Starts an iteration over a product's devices (opts->product is required; opts->page is
 * the first page, default 1). No request is made until the first _next().
 * @param[out] out the iterator; free with particle_device_iter_free()
 * @param client   borrowed; must outlive the iterator
 */
PARTICLE_API int particle_device_iter_new(particle_device_iter **out, particle_client *client,
                                          const particle_device_list_options *opts);

/**
 * Advances to the next device, fetching the next page when needed.
 * @param[out] out the device object, borrowed from the iterator: valid until the next
 *                 call of particle_device_iter_next() or _free(); NULL at the end
 * @return 0 (check *out for the end), or a negative code (the iteration may be resumed by
 *         calling again, which retries the failed page).
 */
PARTICLE_API int particle_device_iter_next(const particle_value **out, particle_device_iter *it);

/** @return the total_pages the server reported, or 0 before the first page. */
PARTICLE_API unsigned int particle_device_iter_total_pages(const particle_device_iter *it);

/** Frees @p it. NULL-safe. */
PARTICLE_API void particle_device_iter_free(particle_device_iter *it);

/* ---- one device ---- */

/**
 * Gets the full device object: `GET /v1/devices/:device` (or the product variant).
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_EFORBIDDEN (unknown device or not yours: the API answers 403),
 *         PARTICLE_ENOTFOUND, and the transport codes.
 */
PARTICLE_API int particle_device_get(particle_doc **out, particle_client *client,
                                     const char *device, const particle_request_options *opts);

/** What particle_device_update() does with desired_firmware_version. */
typedef enum particle_firmware_lock {
    PARTICLE_FIRMWARE_LEAVE = 0, /**< not sent */
    PARTICLE_FIRMWARE_LOCK,      /**< lock to desired_firmware_version */
    PARTICLE_FIRMWARE_UNLOCK     /**< send null: unlock */
} particle_firmware_lock;

/**
 * The fields of the multiplexed `PUT /v1/devices/:device`. Unset fields (NULL,
 * PARTICLE_UNSET, PARTICLE_FIRMWARE_LEAVE, groups NULL) are not sent. Product-only fields
 * (development, firmware lock, flash, groups) need opts->product.
 */
typedef struct particle_device_update_options {
    unsigned int version;                      /**< PARTICLE_DEVICE_UPDATE_OPTIONS_VERSION */
    const char *name;                          /**< rename */
    const char *notes;                         /**< set notes ("" clears) */
    particle_tristate signal;                  /**< rainbow LED on/off (sent as "1"/"0") */
    particle_tristate development;             /**< product: development device */
    particle_firmware_lock firmware_lock;      /**< product: lock/unlock firmware */
    long desired_firmware_version;             /**< with PARTICLE_FIRMWARE_LOCK */
    particle_tristate flash;                   /**< product: flash now when locking */
    particle_tristate firmware_updates_forced; /**< force-enable OTA updates */
    const char *const *groups;                 /**< product: absolute group list; NULL = leave */
    size_t groups_count;                       /**< entries in groups (0 = remove from all) */
} particle_device_update_options;

#define PARTICLE_DEVICE_UPDATE_OPTIONS_VERSION 1
#define PARTICLE_DEVICE_UPDATE_OPTIONS_INIT                                                        \
    {                                                                                              \
        PARTICLE_DEVICE_UPDATE_OPTIONS_VERSION, NULL, NULL, PARTICLE_UNSET, PARTICLE_UNSET,        \
            PARTICLE_FIRMWARE_LEAVE, 0, PARTICLE_UNSET, PARTICLE_UNSET, NULL, 0                    \
    }

/** Fills @p u with PARTICLE_DEVICE_UPDATE_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_device_update_options_init(particle_device_update_options *u,
                                                     unsigned int version);

/**
 * Sends the multiplexed update. At least one field must be set (else PARTICLE_EINVAL).
 * @param[out] out the answer (e.g. {id, name, updated_at}); NULL = not needed
 */
PARTICLE_API int particle_device_update(particle_doc **out, particle_client *client,
                                        const char *device,
                                        const particle_device_update_options *update,
                                        const particle_request_options *opts);

/** Renames the device (update with `name`). @p out may be NULL. */
PARTICLE_API int particle_device_rename(particle_doc **out, particle_client *client,
                                        const char *device, const char *name,
                                        const particle_request_options *opts);

/** Sets the device notes (update with `notes`). @p out may be NULL. */
PARTICLE_API int particle_device_set_notes(particle_doc **out, particle_client *client,
                                           const char *device, const char *notes,
                                           const particle_request_options *opts);

/** Starts (@p on non-zero) or stops signaling (update with `signal`). @p out may be NULL. */
PARTICLE_API int particle_device_signal(particle_doc **out, particle_client *client,
                                        const char *device, int on,
                                        const particle_request_options *opts);

/**
 * Pings the device: `PUT /v1/devices/:device/ping` → {online, ok}. @p out may be NULL.
 */
PARTICLE_API int particle_device_ping(particle_doc **out, particle_client *client,
                                      const char *device, const particle_request_options *opts);

/**
 * Claims a device for the user: `POST /v1/devices` {id, request_transfer}. Not retried on
 * 5xx/network errors unless opts->flags has PARTICLE_REQUEST_RETRY. @p out may be NULL.
 */
PARTICLE_API int particle_device_claim(particle_doc **out, particle_client *client,
                                       const char *device_id, int request_transfer,
                                       const particle_request_options *opts);

/**
 * Unclaims (user scope: `DELETE /v1/devices/:device`) or removes the device from a product
 * (`DELETE /v1/products/:p/devices/:device`, with {"deny":true} when @p deny is non-zero:
 * denies a quarantined device). @p deny without a product is PARTICLE_EINVAL.
 */
PARTICLE_API int particle_device_remove(particle_doc **out, particle_client *client,
                                        const char *device, int deny,
                                        const particle_request_options *opts);

/** Unclaims a product device but keeps it in the product (`DELETE .../owner`). Needs
 *  opts->product. */
PARTICLE_API int particle_device_remove_owner(particle_doc **out, particle_client *client,
                                              const char *device,
                                              const particle_request_options *opts);

/* ---- typed getters on a device object (borrowed strings; NULL/fallback when absent) ----
 * Each takes a device object (a particle_device_get() root, an element of a listing) or
 * NULL; strings are borrowed from the document the object lives in. Thread safety: like
 * every read of an immutable document, from any number of threads. */

/** @return the device's `id` (borrowed), or NULL when absent or @p device is NULL. */
PARTICLE_API const char *particle_device_id(const particle_value *device);
/** @return the device's `name` (borrowed), or NULL (absent, null, or NULL @p device). */
PARTICLE_API const char *particle_device_name(const particle_value *device);
/** @return 1/0 from `online`, else from the deprecated `connected`; 0 when neither. */
PARTICLE_API int particle_device_online(const particle_value *device);
/** @return platform_id, or -1. */
PARTICLE_API long long particle_device_platform_id(const particle_value *device);
/** @return product_id, or -1. */
PARTICLE_API long long particle_device_product_id(const particle_value *device);
/** @return `last_heard` in milliseconds since the epoch, or -1 (null, absent, unparsable). */
PARTICLE_API long long particle_device_last_heard_ms(const particle_value *device);
/** @return the device's `notes` (borrowed), or NULL when absent or null. */
PARTICLE_API const char *particle_device_notes(const particle_value *device);
/** @return the device's `serial_number` (borrowed), or NULL when absent or null. */
PARTICLE_API const char *particle_device_serial_number(const particle_value *device);
/** @return the device's `system_firmware_version` (borrowed), or NULL when absent. */
PARTICLE_API const char *particle_device_system_firmware_version(const particle_value *device);
/** @return 1 for a cellular device, 0 otherwise. */
PARTICLE_API int particle_device_cellular(const particle_value *device);
/** @return the `functions` array of names, or NULL. */
PARTICLE_API const particle_value *particle_device_functions(const particle_value *device);
/** @return the `variables` object {name: type}, or NULL. */
PARTICLE_API const particle_value *particle_device_variables(const particle_value *device);
/** @return the `groups` array (product devices), or NULL. */
PARTICLE_API const particle_value *particle_device_groups(const particle_value *device);
/** @return `firmware_version` (the product firmware a product device reports), or -1. */
PARTICLE_API long long particle_device_firmware_version(const particle_value *device);
/** @return `targeted_firmware_release_version` (product endpoints), or -1 (absent, null). */
PARTICLE_API long long
particle_device_targeted_firmware_release_version(const particle_value *device);
/** @return `desired_firmware_version` (the locked version), or -1 (absent, null: unlocked). */
PARTICLE_API long long particle_device_desired_firmware_version(const particle_value *device);
/** @return 1/0 from `firmware_updates_enabled`, or -1 when absent. */
PARTICLE_API int particle_device_firmware_updates_enabled(const particle_value *device);
/** @return 1/0 from `firmware_updates_forced`, or -1 when absent. */
PARTICLE_API int particle_device_firmware_updates_forced(const particle_value *device);

/* ---- variables ---- */

/** A variable reading. Immutable. */
typedef struct particle_variable particle_variable;

/**
 * Reads a variable: `GET /v1/devices/:device/:name` (or the product variant).
 * @param[out] out the reading; free with particle_variable_free()
 * @return 0; PARTICLE_ENOTFOUND (no such variable), PARTICLE_EOFFLINE (the device did not
 *         answer: "Timed out."), PARTICLE_EFORBIDDEN (unknown device), transport codes.
 */
PARTICLE_API int particle_variable_get(particle_variable **out, particle_client *client,
                                       const char *device, const char *name,
                                       const particle_request_options *opts);

/**
 * @return the JSON type of the reading's `result` (value.h's particle_value_type: read a
 *         null, array or object through particle_variable_result()); PARTICLE_VALUE_ABSENT
 *         for NULL.
 */
PARTICLE_API particle_value_type particle_variable_type(const particle_variable *var);
/** @return the value as an integer (doubles truncate, bools 0/1); 0 for strings. */
PARTICLE_API long long particle_variable_int(const particle_variable *var);
/** @return the value as a double (ints convert); 0 for strings. */
PARTICLE_API double particle_variable_double(const particle_variable *var);
/** @return the string value (borrowed from @p var), or NULL for other types. */
PARTICLE_API const char *particle_variable_string(const particle_variable *var);
/** @return 1/0 for a bool variable; non-zero numbers are 1; 0 otherwise. */
PARTICLE_API int particle_variable_bool(const particle_variable *var);
/** @return the variable name from the answer (borrowed), or NULL. */
PARTICLE_API const char *particle_variable_name(const particle_variable *var);
/** @return `result` (borrowed from @p var). */
PARTICLE_API const particle_value *particle_variable_result(const particle_variable *var);
/** @return the whole answer {name, result, coreInfo} (borrowed from @p var). */
PARTICLE_API const particle_value *particle_variable_root(const particle_variable *var);
/** Frees @p var. NULL-safe. */
PARTICLE_API void particle_variable_free(particle_variable *var);

/* ---- functions ---- */

/**
 * Calls a cloud function: `POST /v1/devices/:device/:name` with JSON {"args": argument}
 * (as particle-api-js sends it). Not retried on 5xx or network errors unless
 * opts->flags has PARTICLE_REQUEST_RETRY, since the device may already have run it.
 * @param[out] return_value_out the function's `return_value`; may be NULL
 * @param argument              NULL = ""
 * @return 0; PARTICLE_EINVAL (an argument that is not UTF-8), PARTICLE_ENOTFOUND (no such
 *         function), PARTICLE_EOFFLINE (timed out), PARTICLE_EPROTO (no integer
 *         return_value), transport codes.
 */
PARTICLE_API int particle_function_call(int *return_value_out, particle_client *client,
                                        const char *device, const char *name, const char *argument,
                                        const particle_request_options *opts);

/* ---- product membership (src/products.c) ---- */

/**
 * Options for particle_product_devices_add(). Unset fields are not sent.
 */
typedef struct particle_product_import_options {
    unsigned int version;          /**< PARTICLE_PRODUCT_IMPORT_OPTIONS_VERSION */
    particle_tristate import_sims; /**< also import the devices' SIM cards (`import_sims`) */
    const char *claim_user; /**< email of a product team member who claims the imported devices
                                 (`claim_user`, sent in the query string as the API's example
                                 does); NULL = nobody */
    unsigned int flags;     /**< PARTICLE_REQUEST_RETRY: retry on 5xx and network errors */
} particle_product_import_options;

#define PARTICLE_PRODUCT_IMPORT_OPTIONS_VERSION 1
#define PARTICLE_PRODUCT_IMPORT_OPTIONS_INIT                                                       \
    {                                                                                              \
        PARTICLE_PRODUCT_IMPORT_OPTIONS_VERSION, PARTICLE_UNSET, NULL, 0u                          \
    }

/** Fills @p opts with PARTICLE_PRODUCT_IMPORT_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_product_import_options_init(particle_product_import_options *opts,
                                                      unsigned int version);

/**
 * Imports devices into a product: `POST /v1/products/:product/devices` with JSON
 * {"id": ...} for one device (as particle-api-js addDeviceToProduct sends it) or
 * {"ids": [...]} for several (cloud-api.md §5.4). The same call with one id approves a
 * quarantined device of the product. Identifiers are sent as given (device IDs; the API
 * also takes serial numbers, IMEIs and ICCIDs). Not retried on 5xx or network errors unless
 * opts->flags has PARTICLE_REQUEST_RETRY.
 *
 * The answer is an object:
 * {"updated": N, "updatedDeviceIds": [...], "existingDeviceIds": [...],
 *  "nonmemberDeviceIds": [...], "invalidDeviceIds": [...], "protectedDeviceIds": [...]}:
 * devices now in the product, devices that already were, devices the API refused (owned by
 * someone outside the team, unknown, under device protection). An id the API refuses does
 * not make the call fail: look at the lists.
 *
 * @param[out] out  the answer; free with particle_doc_free(); NULL = not needed
 * @param client    the client
 * @param product   product id or slug (percent-encoded into the path)
 * @param ids       @p count identifiers, none NULL or empty; copied into the request
 * @param count     at least 1
 * @param opts      NULL = defaults
 * @return 0; PARTICLE_EINVAL (no product, no ids, an empty id, wrong options version),
 *         PARTICLE_ENOTFOUND (unknown product), PARTICLE_EFORBIDDEN (not on the product's
 *         team), PARTICLE_EPROTO (an answer that is not a JSON object), transport codes.
 */
PARTICLE_API int particle_product_devices_add(particle_doc **out, particle_client *client,
                                              const char *product, const char *const *ids,
                                              size_t count,
                                              const particle_product_import_options *opts);

/**
 * Imports devices into a product from the contents of a list file (one identifier per line:
 * device IDs, serial numbers, IMEIs or ICCIDs): `POST /v1/products/:product/devices` as
 * multipart/form-data with one part `file` (particle-api-js addDeviceToProduct with a file),
 * plus `import_sims` as a form field when set; claim_user goes in the query string. The
 * answer is that of particle_product_devices_add(). Not retried on 5xx or network errors
 * unless opts->flags has PARTICLE_REQUEST_RETRY.
 * @param[out] out  the answer; free with particle_doc_free(); NULL = not needed
 * @param product   product id or slug
 * @param data      the file's bytes (copied into the request)
 * @param len       at least 1 byte
 * @param filename  the part's file name; NULL = "devices.txt"
 * @param opts      NULL = defaults
 * @return the codes of particle_product_devices_add(); PARTICLE_EINVAL also for an empty
 *         file or a file name with a quote or a line break.
 */
PARTICLE_API int particle_product_devices_import_file(particle_doc **out, particle_client *client,
                                                      const char *product, const char *data,
                                                      size_t len, const char *filename,
                                                      const particle_product_import_options *opts);

/**
 * Approves a quarantined device of a product: `POST /v1/products/:product/devices` with
 * {"id": DEVICE} (cloud-api.md §9.7). The answer is that of particle_product_devices_add().
 * @param[out] out the answer; NULL = not needed
 * @return the codes of particle_product_devices_add().
 */
PARTICLE_API int particle_product_device_approve(particle_doc **out, particle_client *client,
                                                 const char *product, const char *device);

/**
 * Denies a quarantined device of a product: `DELETE /v1/products/:product/devices/:device`
 * with {"deny": true} → 204 (particle_device_remove() with deny).
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_product_device_deny(particle_client *client, const char *product,
                                              const char *device);

/**
 * Marks a product device as a development device (@p on non-zero) or not:
 * `PUT /v1/products/:product/devices/:device` {"development": true|false} →
 * {id, development, updated_at}. @p out may be NULL.
 */
PARTICLE_API int particle_product_device_set_development(particle_doc **out,
                                                         particle_client *client,
                                                         const char *product, const char *device,
                                                         int on);

/**
 * Locks a product device to product firmware @p version (>= 1):
 * `PUT /v1/products/:product/devices/:device` {"desired_firmware_version": N} plus
 * {"flash": true} when @p flash_now is non-zero → {id, desired_firmware_version,
 * updated_at}. @p out may be NULL.
 */
PARTICLE_API int particle_product_device_lock_firmware(particle_doc **out, particle_client *client,
                                                       const char *product, const char *device,
                                                       long version, int flash_now);

/**
 * Unlocks a product device's firmware: the same PUT with
 * {"desired_firmware_version": null}. @p out may be NULL.
 */
PARTICLE_API int particle_product_device_unlock_firmware(particle_doc **out,
                                                         particle_client *client,
                                                         const char *product, const char *device);

/* ---- serial numbers (src/serial_numbers.c) ---- */

/**
 * Looks a device up by its serial number: `GET /v1/serial_numbers/:serial` →
 * {"ok": true, "deviceID": ..., "iccid": ...} (the documented shape; the API limits it to
 * 50 calls an hour per user).
 * @param[out] out the answer; free with particle_doc_free()
 * @param serial   the serial number printed on the device (percent-encoded)
 * @return 0; PARTICLE_EINVAL (empty serial), PARTICLE_ENOTFOUND (unknown serial),
 *         PARTICLE_ERATELIMIT, transport codes.
 */
PARTICLE_API int particle_serial_number_lookup(particle_doc **out, particle_client *client,
                                               const char *serial);

PARTICLE_END_DECL

#endif
