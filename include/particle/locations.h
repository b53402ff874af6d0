/**
 * @file locations.h
 * @brief Locations of a product's asset trackers: every device's positions, or one
 *        device's (reference: cloud-api.md §13 "Location", particle-api-js.md §2.7).
 *
 * Positions come as GeoJSON geometries ([lon, lat]): a `Point` for a single position, a
 * `LineString` for several, with `timestamps` beside them. Without a date range each device
 * gives its last known position. Answers come back as particle_doc documents (value.h)
 * exactly as the API sends them.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_LOCATIONS_H
#define PARTICLE_LOCATIONS_H

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/** Filters of particle_location_list() and particle_location_get(). Unset (NULL or 0)
 *  fields are not sent. */
typedef struct particle_location_options {
    unsigned int version;    /**< PARTICLE_LOCATION_OPTIONS_VERSION */
    const char *date_range;  /**< `date_range`: "START,END", both ISO 8601 */
    const char *rect_bl;     /**< `rect_bl`: bottom-left corner "LAT,LON" */
    const char *rect_tr;     /**< `rect_tr`: top-right corner "LAT,LON" */
    const char *device_id;   /**< `device_id` (list only): part of a device id */
    const char *device_name; /**< `device_name` (list only): part of a device name */
    const char *groups;      /**< `groups` (list only): comma-separated group names */
    unsigned int page;       /**< `page` (list only), from 1; 0 = the API's default */
    unsigned int per_page;   /**< `per_page` (list only), 1 to 100; 0 = the API's default */
} particle_location_options;

#define PARTICLE_LOCATION_OPTIONS_VERSION 1
#define PARTICLE_LOCATION_OPTIONS_INIT                                                             \
    {                                                                                              \
        PARTICLE_LOCATION_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0                \
    }

/** Fills @p options with PARTICLE_LOCATION_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_location_options_init(particle_location_options *options,
                                                unsigned int version);

/**
 * One page of a product's device locations: `GET /v1/products/:product/locations` →
 * {"locations": [{device_id, product_id, device_name, groups, gps_lock, last_heard,
 * timestamps, online, geometry:{type, coordinates}}], "meta": {page, per_page, total_pages,
 * devices_found}}.
 * @param[out] out the answer; free with particle_doc_free()
 * @param options  filters; NULL = none
 * @return 0; PARTICLE_EINVAL (per_page above 100, a wrong version), PARTICLE_EHTTP (400: a
 *         malformed filter), PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no
 *         `locations` array), transport codes.
 */
PARTICLE_API int particle_location_list(particle_doc **out, particle_client *client,
                                        const char *product,
                                        const particle_location_options *options);

/**
 * One device's locations: `GET /v1/products/:product/locations/:device` →
 * {"location": {…the list's fields…, properties:[{hd, acc_h, speed, temp}]}, "meta": {}}.
 * Only date_range, rect_bl and rect_tr of @p options are sent.
 * @param[out] out the answer; free with particle_doc_free()
 * @return 0; PARTICLE_EINVAL, PARTICLE_EHTTP, PARTICLE_ENOTFOUND (no location),
 * PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no `location` object), transport codes.
 */
PARTICLE_API int particle_location_get(particle_doc **out, particle_client *client,
                                       const char *product, const char *device,
                                       const particle_location_options *options);

PARTICLE_END_DECL

#endif
