/*
 * Normalising: what an event or a variable reading becomes in the store.
 *  - spark/status "online"/"offline": the device's online/offline change, plus a status post
 *    when its OnlineNotificationOption / OfflineNotificationOption says so ("{name}" and
 *    "{id}" in the message are replaced by the device's name and id);
 *  - spark/device/diagnostics/update: the device vitals its data carries (a JSON object,
 *    cloud-api.md §7.2), keyed by device and published_at, beside the raw event;
 *  - spark/flash/status "started"/"success"/"failed": the device's last flash status
 *    (cloud-api.md §6.6), kept with the raw event whatever the device's settings;
 *  - other system events (spark/..., particle/...): stored as events only;
 *  - numeric data: one measurement named after the event, if PublishUnknownEventsAsMeasurements;
 *  - a JSON object: one measurement per numeric (or boolean, as 0/1) field, named after the
 *    field, if PublishUnknownEventsAsMeasurements;
 *  - anything else (text, no data): a status post, if PublishUnknownEventsAsStatusPosts;
 *  - a disabled device (Enabled false): the raw event and its online/offline change only.
 * Variable readings: numbers and booleans become measurements, strings status posts.
 * Pure functions, thread-safe.
 */
#ifndef BRIDGE_NORMALISE_H
#define BRIDGE_NORMALISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* What normalising needs to know about the device. */
typedef struct bridge_norm_settings {
    const char *name; /* for "{name}" in notifications; "" = the id */
    bool enabled;
    bool publish_unknown_as_measurements;
    bool publish_unknown_as_status_posts;
    const bridge_notify_option *online_notify;
    const bridge_notify_option *offline_notify;
} bridge_norm_settings;

typedef struct bridge_event_in {
    const char *device_id;
    const char *name;
    const char *data;        /* NULL = no data */
    int64_t published_at_ms; /* <= 0: use received_at_ms */
    int64_t received_at_ms;
    const char *source; /* "sse" or "webhook" */
} bridge_event_in;

typedef enum bridge_reading_kind {
    BRIDGE_READING_NUMBER,
    BRIDGE_READING_BOOL,
    BRIDGE_READING_STRING
} bridge_reading_kind;

typedef struct bridge_reading_in {
    const char *device_id;
    const char *variable;
    bridge_reading_kind kind;
    double number;    /* NUMBER, BOOL (0/1) */
    const char *text; /* STRING */
    int64_t ts_ms;
} bridge_reading_in;

/* The rows derived from one input; strings it made are owned here. */
typedef struct bridge_norm_out {
    bridge_record record; /* points into the arrays below and into the input */
    bridge_measurement *measurements;
    size_t measurement_count;
    bridge_status_post *posts;
    size_t post_count;
    char **owned; /* strings allocated while normalising */
    size_t owned_count;
    bridge_vitals vitals; /* record.vitals points here for a vitals event */
} bridge_norm_out;

/* Fills @p out for an event (record kind EVENT). 0, or -1 on out of memory. */
int bridge_normalise_event(bridge_norm_out *out, const bridge_norm_settings *s,
                           const bridge_event_in *ev);

/* Fills @p out for a reading (record kind READING). 0, or -1 on out of memory. */
int bridge_normalise_reading(bridge_norm_out *out, const bridge_norm_settings *s,
                             const bridge_reading_in *r);

/* Frees what @p out owns. NULL-safe. */
void bridge_norm_out_dispose(bridge_norm_out *out);

/* Expands "{name}" and "{id}" in @p tmpl into a malloc'd string; NULL on OOM. */
char *bridge_notify_text(const char *tmpl, const char *name, const char *id);

/* Parses the whole of @p text (surrounding blanks allowed) as a finite number. */
bool bridge_parse_number(const char *text, double *out);

#endif
