/*
 * bridge_store: the bridge's storage interface. Nothing outside bridge/store/ writes SQL.
 *
 * The store has two layers: the domain (store.c and store_*.c: the write rules, the natural
 * keys, the rows an event brings, the readers, how migrations apply) written once, over a
 * small SQL driver per dialect (store/driver.h: store/sqlite.c, store/postgres.c). Open a
 * handle with bridge_store_open(); the backend is chosen there and nowhere else.
 *
 * Times are milliseconds since the Unix epoch (UTC). Strings in the records are bounded
 * (the sizes below); longer input is truncated by the caller's normaliser, never here.
 *
 * Exactly-once: every row that comes from the network has a natural key (stored as a 64-bit
 * hash of it, store/key.h, with a UNIQUE index). Writing it again
 * (an SSE replay after a reconnect, a webhook retry, a restart) is counted as a duplicate
 * and stores nothing. Rows derived from an event (measurements, status posts, the
 * online/offline history) are written only when the event itself was new.
 *
 * Errors: functions return 0, BRIDGE_STORE_NOTFOUND, or BRIDGE_STORE_ERROR with a message
 * that bridge_store_errmsg() returns (the backend's text, copied at the call site).
 *
 * Threads: a store handle serialises its calls with its own lock, so one handle may be
 * shared; for parallelism give each thread its own handle on the same database (SQLite in
 * WAL mode lets readers run while one writer writes; PostgreSQL runs them all, and several
 * bridge processes may share one PostgreSQL database).
 */
#ifndef BRIDGE_STORE_H
#define BRIDGE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BRIDGE_STORE_OK 0
#define BRIDGE_STORE_ERROR (-1)
#define BRIDGE_STORE_NOTFOUND (-2)

#define BRIDGE_ID_SIZE 64    /* device ids (24 hex in the real cloud), ICCIDs, stream keys */
#define BRIDGE_NAME_SIZE 128 /* device, variable, function, event names */
#define BRIDGE_TEXT_SIZE 256 /* notification texts, last app, SIM texts */
#define BRIDGE_OWNER_SIZE 32 /* a bridge's scope tag (partition.h) */

/* If and how to post a status message when a device comes online / goes offline
 * (ParticlsStatusNotifyOptionDto). */
typedef struct bridge_notify_option {
    bool post_status_message;
    char message[BRIDGE_TEXT_SIZE];
} bridge_notify_option;

#define BRIDGE_UNIT_SIZE 16 /* the longest SenML unit name, "beat/min", and its NUL */

/* ParticleVariableSettingDto plus the variable's type from the cloud. */
typedef struct bridge_variable {
    char name[BRIDGE_NAME_SIZE];
    char type[32];
    bool enabled;
    int64_t check_interval_ms;   /* 0 = use the device's CheckInterval */
    char unit[BRIDGE_UNIT_SIZE]; /* a SenML unit name (RFC 8428 section 12.1); "" = none */
} bridge_variable;

/* A device's settings and state (ParticleDeviceDetailsDto without the computed parts). */
typedef struct bridge_device {
    char particle_id[BRIDGE_ID_SIZE];
    char name[BRIDGE_NAME_SIZE];
    int product_id; /* 0 = user scope */
    int platform_id;
    int64_t check_interval_ms;
    int64_t date_added_ms;
    bool connected;
    bool enabled;
    char last_app[BRIDGE_TEXT_SIZE];
    int64_t last_heard_ms;
    bool publish_unknown_as_measurements;
    bool publish_unknown_as_status_posts;
    bridge_notify_option online_notify;
    bridge_notify_option offline_notify;
    int fault_count;
    bool faulted;
    int64_t breaker_reset_at_ms; /* 0 = none */
    int breaker_trips;           /* faults without a success in between */
    bool ignore_rename;
    char iccid[BRIDGE_ID_SIZE];
    char owner[BRIDGE_OWNER_SIZE]; /* the scope tag of the bridge that syncs it; "" = none yet */
    bool gone;                     /* no longer listed by the cloud; kept */
    bridge_variable *variables;    /* owned; bridge_device_dispose frees */
    size_t variable_count;
    char (*functions)[BRIDGE_NAME_SIZE]; /* owned */
    size_t function_count;
} bridge_device;

/* Frees what a device record owns (variables, functions) and zeroes them. NULL-safe. */
void bridge_device_dispose(bridge_device *dev);
/* Frees an array returned by bridge_store_device_list. NULL-safe. */
void bridge_device_list_free(bridge_device *devs, size_t count);

/* Defaults given to a device the first time it is seen. */
typedef struct bridge_device_defaults {
    int64_t check_interval_ms;
    bool enabled;
    bool publish_unknown_as_measurements;
    bool publish_unknown_as_status_posts;
    bridge_notify_option online_notify;
    bridge_notify_option offline_notify;
} bridge_device_defaults;

/* What the cloud says about a device (from a device list or a device get). */
typedef struct bridge_cloud_device {
    const char *particle_id;
    const char *name; /* NULL or "" keeps the stored name */
    int product_id;
    int platform_id;
    bool connected;
    const char *last_app; /* NULL keeps the stored value */
    int64_t last_heard_ms;
    const char *iccid;                /* NULL keeps */
    const char *owner;                /* the syncing bridge's scope tag; NULL = "" */
    const bridge_variable *variables; /* name + type; NULL with count 0 keeps the stored ones */
    size_t variable_count;
    bool has_variables; /* true: the list above is complete (variables gone are removed) */
    const char *const *functions;
    size_t function_count;
    bool has_functions;
    const char *const *groups; /* a product device's groups (cloud-api.md 5.3) */
    size_t group_count;
    bool has_groups; /* true: the list above replaces the stored one; false keeps it */
    /* A product device's firmware (cloud-api.md 5.1, product endpoints): versions -1 and
     * flags -1 when the cloud did not say. Stored (replacing the stored fields) only when
     * has_firmware is true. */
    int64_t firmware_version;          /* the product firmware it reports running */
    int64_t targeted_firmware_version; /* targeted_firmware_release_version */
    int64_t desired_firmware_version;  /* the version it is locked to */
    int firmware_updates_enabled;      /* 1, 0, -1 */
    int firmware_updates_forced;       /* 1, 0, -1 */
    bool has_firmware;
} bridge_cloud_device;

/* A change of settings from the API (PUT). Only the fields whose has_* is true change. */
typedef struct bridge_variable_patch {
    const char *name;
    bool has_enabled;
    bool enabled;
    bool has_check_interval;
    int64_t check_interval_ms;
    bool has_unit;
    const char *unit; /* "" clears */
} bridge_variable_patch;

typedef struct bridge_settings_patch {
    bool has_check_interval;
    int64_t check_interval_ms;
    bool has_enabled;
    bool enabled;
    bool has_publish_measurements;
    bool publish_unknown_as_measurements;
    bool has_publish_status_posts;
    bool publish_unknown_as_status_posts;
    bool has_online_notify;
    bridge_notify_option online_notify;
    bool has_offline_notify;
    bridge_notify_option offline_notify;
    bool has_ignore_rename;
    bool ignore_rename;
    const bridge_variable_patch *variables;
    size_t variable_count;
} bridge_settings_patch;

/* Circuit breaker state of one device. */
typedef struct bridge_breaker_state {
    int fault_count;
    bool faulted;
    int64_t reset_at_ms;
    int trips;
} bridge_breaker_state;

/* SimDto: SIM details and daily usage, filled when the cloud offers them. */
typedef struct bridge_sim_usage {
    int64_t date_ms;
    double used_mb;
    double cumulative_mb;
} bridge_sim_usage;

/* The cellular network status of a SIM (cloud-api.md §7.6): each flag 1, 0, or -1 when the
 * cloud has not said (BRIDGE_SIM_NETWORK_UNKNOWN initialises it). */
typedef struct bridge_sim_network {
    int connected;
    int gsm;            /* gsm_connection */
    int data;           /* data_connection */
    int64_t checked_ms; /* when the cloud's status task completed; 0 = never */
} bridge_sim_network;

#define BRIDGE_SIM_NETWORK_UNKNOWN ((bridge_sim_network){-1, -1, -1, 0})

typedef struct bridge_sim {
    char iccid[BRIDGE_ID_SIZE]; /* SimId */
    char device_id[BRIDGE_ID_SIZE];
    char base_country_code[16];
    double base_monthly_rate;
    double overage_monthly_rate;
    int64_t first_activated_on_ms;
    int64_t last_activated_on_ms;
    char imsi[32];
    double limit_mb;
    char status[32];
    char carrier[64];
    char last_status_change_action[64];
    char last_status_change_action_error[BRIDGE_TEXT_SIZE];
    int64_t last_updated_ms;
    int64_t date_added_ms;
    bridge_sim_network network;
    bridge_sim_usage *usage; /* owned, by date ascending */
    size_t usage_count;
} bridge_sim;

void bridge_sim_dispose(bridge_sim *sim); /* NULL-safe */

/* One stored (or to be stored) measurement. */
typedef struct bridge_measurement {
    const char *device_id;
    const char *name;
    double value;
    int64_t ts_ms;
    const char *source; /* "poll", "sse", "webhook" */
} bridge_measurement;

/* One status post: a text about a device (string variable, text event, online/offline). */
typedef struct bridge_status_post {
    const char *device_id;
    const char *kind; /* "variable", "event", "online", "offline" */
    const char *name; /* variable or event name, "" for online/offline */
    const char *message;
    int64_t ts_ms;
} bridge_status_post;

typedef enum bridge_record_kind {
    BRIDGE_RECORD_EVENT,   /* an event plus what was derived from it */
    BRIDGE_RECORD_READING, /* a polled variable: measurements and/or status posts */
    BRIDGE_RECORD_CURSOR   /* an event stream's Last-Event-ID */
} bridge_record_kind;

/*
 * Device vitals (remote diagnostics, cloud-api.md §7.2): one record per device and
 * updated_at, the exactly-once key (the same vitals seen through the event stream, a
 * webhook and GET .../diagnostics/:id/last are stored once). The payload is kept whole as
 * JSON text; the flattened values are what the vitals reports show. An absent number is NAN
 * (doubles) or -1 (integers): every part of a payload is optional.
 */
typedef struct bridge_vitals {
    const char *device_id;
    int64_t updated_at_ms;
    const char *source;         /* "sync" (GET .../last), "sse" or "webhook" (the event) */
    const char *payload;        /* the §7.2 object as JSON text; never NULL */
    double signal_strength_pct; /* device.network.signal.strength */
    double signal_quality_pct;  /* device.network.signal.quality */
    double battery_charge_pct;  /* device.power.battery.charge */
    int64_t memory_used_bytes;  /* device.system.memory.used */
    int64_t memory_total_bytes; /* device.system.memory.total */
    int64_t uptime_s;           /* device.system.uptime */
    int64_t cloud_disconnects;  /* device.cloud.connection.disconnects, else .cloud.disconnects */
} bridge_vitals;

/* Vitals row callback: return non-zero to stop. The row is borrowed for the call only; the
 * handle's lock is held (see the row callbacks below). */
typedef int bridge_vitals_fn(const bridge_vitals *v, void *payload);

/* One unit of ingest. Everything is borrowed for the duration of the write call. */
typedef struct bridge_record {
    bridge_record_kind kind;
    /* EVENT */
    const char *device_id;
    const char *event_name;
    const char *event_data; /* may be NULL */
    int64_t published_at_ms;
    const char *source; /* "sse" or "webhook" (EVENT), "poll" (READING) */
    int64_t received_at_ms;
    int online; /* EVENT: 1 came online, 0 went offline, -1 no change */
    /* EVENT and READING: derived rows */
    const bridge_measurement *measurements;
    size_t measurement_count;
    const bridge_status_post *posts;
    size_t post_count;
    /* CURSOR */
    const char *stream;
    const char *last_event_id;
    /* EVENT: the device vitals a spark/device/diagnostics/update event carried, or NULL.
     * Written (like vitals_put, exactly once per device and updated_at) only when the event
     * itself was new. */
    const bridge_vitals *vitals;
    /* EVENT: the status a spark/flash/status event carried ("started", "success", "failed"),
     * or NULL; the device's last flash status, written when the event itself was new. */
    const char *flash_status;
    /* EVENT, may be NULL: set by the write to whether the event was new (false: a duplicate,
     * nothing of it was written), for those told of the batch after it (writer.h). */
    bool *stored_out;
} bridge_record;

/* What a batch write did. */
typedef struct bridge_write_result {
    uint64_t events_stored;
    uint64_t events_duplicate;
    uint64_t measurements_stored;
    uint64_t status_posts_stored;
    uint64_t duplicates; /* rows of any kind dropped because they were already stored */
    uint64_t vitals_stored;
} bridge_write_result;

/* Query filter for measurements and status posts. NULL / 0 = no restriction. */
typedef struct bridge_query {
    const char *device_id;
    const char *name;
    int64_t from_ms;     /* inclusive; 0 = beginning */
    int64_t to_ms;       /* inclusive; 0 = no end */
    unsigned int limit;  /* 0 = the backend's default (1000) */
    const char *product; /* fleet readers: a product id or slug */
    const char *group;   /* product devices: a group name */
} bridge_query;

/* Row callbacks: return non-zero to stop. Rows are borrowed for the call only. They run with
 * the handle's lock held, so they must not call the same handle. */
typedef int bridge_measurement_fn(const bridge_measurement *m, void *payload);

typedef struct bridge_store_counts {
    uint64_t devices;
    uint64_t devices_faulted;
    uint64_t devices_gone;
    uint64_t events;
    uint64_t measurements;
    uint64_t status_posts;
} bridge_store_counts;

typedef struct bridge_store bridge_store; /* opaque; store/domain.h */

/*
 * Opens (creating if needed) the SQLite database at @p path, switches it to WAL and applies
 * the pending migrations. On failure returns NULL and writes the reason into @p err.
 * Close with bridge_store_close().
 */
bridge_store *bridge_store_open_sqlite(const char *path, char *err, size_t err_size);

/*
 * Opens the database the configuration names: a libpq connection URI (postgresql://... or
 * postgres://...) opens PostgreSQL, anything else is an SQLite file path
 * (bridge_store_open_sqlite). PostgreSQL: connect timeout 10 s unless the URI sets
 * connect_timeout; migrations run under an advisory lock in one transaction, so several
 * bridges starting together migrate once; a handle whose connection is lost reports the
 * failing call as an error and reconnects at its next call. On failure returns NULL and
 * writes the reason (without a password) into @p err. The bridge's parts open their handles
 * through this, so the backend is chosen here and nowhere else.
 */
bridge_store *bridge_store_open(const char *database, char *err, size_t err_size);

/* "sqlite" or "postgresql". */
const char *bridge_store_backend(const bridge_store *st);

/* True when @p database starts with postgresql:// or postgres:// (case-insensitive): a libpq
 * URI. It may carry a password (libpq also reads PGPASSWORD and ~/.pgpass); never print one
 * as given. */
bool bridge_store_is_postgres_uri(const char *database);

/*
 * Copies @p database into @p out without secrets: for a PostgreSQL URI the password of the
 * user-info part ("user:secret@") and any password=... query parameter are left out; other
 * strings are copied as they are. Truncates to fit @p out_size. Returns @p out.
 */
const char *bridge_store_uri_redact(const char *database, char *out, size_t out_size);

/* Closes and frees. NULL-safe. */
void bridge_store_close(bridge_store *st);

/* The last error message of this handle ("" if none). Valid until the next call. */
const char *bridge_store_errmsg(const bridge_store *st);

/* Inserts a device seen for the first time (with @p defaults, DateAdded = now) or updates a
 * known one: name (unless IgnoreRename), connected, last app, variables (new ones get
 * default settings, gone ones are removed), functions; clears "gone". */
int bridge_store_device_sync(bridge_store *st, const bridge_cloud_device *cd,
                             const bridge_device_defaults *defaults, int64_t now_ms,
                             bool *created_out);

/* Marks as gone the devices of @p product_id (negative = every product) owned by @p owner
 * (and those no bridge owns yet; NULL = whoever owns them) not synced since
 * @p synced_before_ms. Devices another bridge syncs are left alone. */
int bridge_store_devices_mark_gone(bridge_store *st, int product_id, const char *owner,
                                   int64_t synced_before_ms, size_t *marked_out);

/* Fills @p out (dispose it with bridge_device_dispose). BRIDGE_STORE_NOTFOUND if unknown. */
int bridge_store_device_get(bridge_store *st, const char *particle_id, bridge_device *out);

/* All devices ordered by id, with variables and functions; free with
 * bridge_device_list_free. */
int bridge_store_device_list(bridge_store *st, bridge_device **out, size_t *count_out);

/* Applies a settings change atomically. BRIDGE_STORE_NOTFOUND if the device or one of the
 * named variables is unknown (then nothing changes). */
int bridge_store_device_update_settings(bridge_store *st, const char *particle_id,
                                        const bridge_settings_patch *patch);

int bridge_store_device_set_breaker(bridge_store *st, const char *particle_id,
                                    const bridge_breaker_state *state);

/* Sets the connected flag; when it changes, records it in the online/offline history. */
int bridge_store_device_set_connected(bridge_store *st, const char *particle_id, bool connected,
                                      int64_t ts_ms, bool *changed_out);

int bridge_store_sim_upsert(bridge_store *st, const bridge_sim *sim);
/* Fills @p out (dispose with bridge_sim_dispose). BRIDGE_STORE_NOTFOUND if unknown. */
int bridge_store_sim_get(bridge_store *st, const char *iccid, bridge_sim *out);

/* Writes @p count records in one transaction (all or nothing); @p result (may be NULL)
 * counts what was stored and what was a duplicate. */
int bridge_store_write_batch(bridge_store *st, const bridge_record *recs, size_t count,
                             bridge_write_result *result);

/* The newest measurement of each name of one device, by name. */
int bridge_store_latest_measurements(bridge_store *st, const char *device_id,
                                     bridge_measurement_fn *cb, void *payload);

/* Copies the stream's last event id into @p out; "" and BRIDGE_STORE_NOTFOUND if none. */
int bridge_store_cursor_get(bridge_store *st, const char *stream, char *out, size_t out_size);

int bridge_store_stats(bridge_store *st, bridge_store_counts *out);

/* Stores one vitals record unless (device_id, updated_at_ms) is stored already;
 * @p stored_out (may be NULL) says which. */
int bridge_store_vitals_put(bridge_store *st, const bridge_vitals *v, bool *stored_out);

/* The newest vitals of @p device_id, or (NULL) of every device that has any, one row per
 * device ordered by device id. No row (and 0) when there are none. */
int bridge_store_vitals_last(bridge_store *st, const char *device_id, bridge_vitals_fn *cb,
                             void *payload);

/* Vitals with from_ms <= updated_at <= to_ms of q->device_id (NULL = every device), ordered
 * by updated_at ascending, at most q->limit (the newest ones when a limit cuts). q->name is
 * not used. */
int bridge_store_vitals_history(bridge_store *st, const bridge_query *q, bridge_vitals_fn *cb,
                                void *payload);

/*
 * How the fleet is organised (cloud-api.md section 9, store_fleet.c): products, each
 * product's customers and device groups, and a product device's groups (which the device
 * sync stores: bridge_cloud_device.groups). Each replace writes a whole set in one
 * transaction: what the set no longer holds is deleted. The records are borrowed for the
 * call; the readers' rows are borrowed for the callback only (which runs with the handle's
 * lock held, like the row callbacks above).
 */
typedef struct bridge_product {
    int product_id;
    const char *slug;
    const char *name;
    int platform_id;
    const char *description;
    const char *organization; /* the organization's id; NULL or "" for a user's product */
    /* readers only: what the store holds of the product */
    int64_t devices;   /* its devices not gone */
    int64_t groups;    /* its groups */
    int64_t customers; /* its customers */
} bridge_product;

typedef struct bridge_customer {
    int product_id;          /* readers only: the replace takes the product apart */
    const char *username;    /* the key: the customer's email or unique identifier */
    const char *customer_id; /* NULL = "" */
    const char *full_name;   /* NULL = "" */
    const char *device_ids;  /* the customer's devices, comma-separated; NULL = "" */
    int64_t device_count;
} bridge_customer;

typedef struct bridge_group {
    int product_id; /* readers only */
    const char *name;
    const char *description; /* NULL = "" */
    const char *color;       /* NULL = "" */
    int64_t fw_version;      /* -1 = none released to the group */
    int64_t devices;         /* readers only: its devices the store holds, not gone */
} bridge_group;

/* A device of a product the store knows (one in the products table). */
typedef struct bridge_product_device {
    int product_id;
    const char *particle_id;
    const char *name;
    int platform_id;
    bool connected;
    bool enabled;
    int64_t last_heard_ms;
    const char *iccid;
    bool gone;
    const char *groups; /* its groups by name, comma-separated */
} bridge_product_device;

typedef int bridge_product_fn(const bridge_product *p, void *payload);
typedef int bridge_customer_fn(const bridge_customer *c, void *payload);
typedef int bridge_group_fn(const bridge_group *g, void *payload);
typedef int bridge_product_device_fn(const bridge_product_device *d, void *payload);

/* Makes @p products the set of products listed by the bridge whose scope tag is @p owner:
 * those upserted (taking them over from another bridge), its others deleted. */
int bridge_store_products_replace(bridge_store *st, const char *owner,
                                  const bridge_product *products, size_t count);
/* Makes @p customers (their product_id is not used) the customers of @p product_id. */
int bridge_store_customers_replace(bridge_store *st, int product_id,
                                   const bridge_customer *customers, size_t count);
/* Makes @p groups (their product_id and devices are not used) the groups of @p product_id. */
int bridge_store_groups_replace(bridge_store *st, int product_id, const bridge_group *groups,
                                size_t count);

/* The readers behind the fleet reports, filtered by q->product (an id or a slug; NULL = every
 * product) and, for product devices, q->group (NULL = any); the other fields of @p q are not
 * used. Products by id; customers, groups and devices by product id, then username, name or
 * device id. */
int bridge_store_products_list(bridge_store *st, const bridge_query *q, bridge_product_fn *cb,
                               void *payload);
int bridge_store_customers_list(bridge_store *st, const bridge_query *q, bridge_customer_fn *cb,
                                void *payload);
int bridge_store_groups_list(bridge_store *st, const bridge_query *q, bridge_group_fn *cb,
                             void *payload);
int bridge_store_product_devices_list(bridge_store *st, const bridge_query *q,
                                      bridge_product_device_fn *cb, void *payload);

/*
 * Firmware (store_firmware.c, migration 0007): each product's firmware versions (cloud-api.md
 * 9.6), each device's firmware as the device sync stores it (bridge_cloud_device.has_firmware)
 * and its last flash status (a spark/flash/status event, bridge_record.flash_status).
 */
typedef struct bridge_product_firmware {
    int product_id; /* readers only: the replace takes the product apart */
    int64_t version;
    const char *firmware_id; /* the cloud's _id; NULL = "" */
    const char *title;       /* NULL = "" */
    const char *description; /* NULL = "" */
    const char *file_name;   /* the uploaded file's name; NULL = "" */
    int64_t size_bytes;
    int64_t uploaded_at_ms;  /* 0 = not said */
    const char *uploaded_by; /* the uploader's username; NULL = "" */
    bool product_default;    /* released product-wide */
    bool mandatory;
    const char *groups;   /* the groups it is released to, comma-separated; NULL = "" */
    int64_t device_count; /* -1 = not said */
} bridge_product_firmware;

/* A product device's firmware (readers). Versions -1 and flags -1 when not known. */
typedef struct bridge_device_firmware {
    int product_id;
    const char *particle_id;
    const char *name;
    int64_t firmware_version;
    int64_t targeted_version;
    int64_t desired_version;
    int updates_enabled;      /* 1, 0, -1 */
    int updates_forced;       /* 1, 0, -1 */
    const char *flash_status; /* "" = none seen */
    int64_t flash_ms;         /* 0 = none */
    int64_t flash_version;    /* the targeted version when the flash status came; -1 = none */
    bool gone;
} bridge_device_firmware;

/* One product firmware version's rollout (docs/BRIDGE.md defines each count): the devices
 * of the product (not gone) targeted at it, and of those the ones updated (running it, or
 * whose last flash while targeted at it succeeded), failed (that flash failed) and pending
 * (the others); running counts the product's devices reporting the version, targeted or
 * not. */
typedef struct bridge_firmware_rollout {
    int product_id;
    int64_t version;
    const char *title; /* "" for a version devices are targeted at but not listed */
    bool product_default;
    const char *groups;
    int64_t targeted, updated, failed, pending, running;
} bridge_firmware_rollout;

typedef int bridge_product_firmware_fn(const bridge_product_firmware *fw, void *payload);
typedef int bridge_device_firmware_fn(const bridge_device_firmware *d, void *payload);
typedef int bridge_firmware_rollout_fn(const bridge_firmware_rollout *r, void *payload);

/* Makes @p firmware (their product_id is not used) the firmware versions of @p product_id,
 * in one transaction. */
int bridge_store_product_firmware_replace(bridge_store *st, int product_id,
                                          const bridge_product_firmware *firmware, size_t count);

/* Readers filtered by q->product (an id or a slug; NULL = every product). Product firmware by
 * product and version; device firmware of the stored products' devices by product and device
 * id; rollouts by product and version, one per version listed or targeted. */
int bridge_store_product_firmware_list(bridge_store *st, const bridge_query *q,
                                       bridge_product_firmware_fn *cb, void *payload);
int bridge_store_device_firmware_list(bridge_store *st, const bridge_query *q,
                                      bridge_device_firmware_fn *cb, void *payload);
int bridge_store_firmware_rollouts(bridge_store *st, const bridge_query *q,
                                   bridge_firmware_rollout_fn *cb, void *payload);
/* ---- the bridge's own settings (store_settings.c): named text values that outlive a
 * restart, such as the id of the integration the bridge keeps in the cloud ---- */

/* Copies setting @p name into @p out; "" and BRIDGE_STORE_NOTFOUND when it is not set. */
int bridge_store_setting_get(bridge_store *st, const char *name, char *out, size_t out_size);

/* Sets @p name to @p value (stamped with @p now_ms). */
int bridge_store_setting_put(bridge_store *st, const char *name, const char *value, int64_t now_ms);

/* Removes @p name; 0 also when it was not set. */
int bridge_store_setting_delete(bridge_store *st, const char *name);

/* ---- keyset pages for the API's list routes (store_read.c, store_devices.c): each page
 * starts after the sort key of the previous page's last row, so no page scans the rows
 * before it and rows written meanwhile neither shift nor repeat a walk ---- */

/* A list's filters, order and where the page starts. NULL / 0 = no restriction. */
typedef struct bridge_page_query {
    const char *device_id;
    const char *name;        /* measurements, status posts: the exact name */
    const char *name_prefix; /* events */
    const char *source;      /* measurements: the source; status posts: the kind */
    int64_t from_ms;         /* inclusive */
    int64_t to_ms;           /* inclusive; 0 = no end */
    bool descending;         /* newest first */
    bool after;              /* start after the key below (from a cursor) */
    int64_t key_n1;          /* the time (connectivity: the time) */
    int64_t key_n2;          /* the row id (connectivity: online 0/1) */
    const char *key_s1;      /* connectivity: the device id */
    unsigned int limit;      /* rows, at most; 0 = BRIDGE_DEFAULT_QUERY_LIMIT */
} bridge_page_query;

/* One stored event (the events table). */
typedef struct bridge_stored_event {
    int64_t id;
    const char *device_id;
    const char *name;
    const char *data; /* NULL when the event had none */
    int64_t published_at_ms;
    const char *source; /* "sse", "webhook" */
    int64_t received_at_ms;
} bridge_stored_event;

/* One change of a device's connection (the connectivity table). */
typedef struct bridge_connectivity {
    const char *device_id;
    int64_t ts_ms;
    bool online;
    const char *source; /* "event" (spark/status) or "sync" (the device list's flag) */
} bridge_connectivity;

/* A page row: exactly one of the record pointers is set, by the list; key_* is its sort key
 * in the bridge_page_query sense. */
typedef struct bridge_page_row {
    const bridge_measurement *measurement;
    const bridge_status_post *post;
    const bridge_stored_event *event;
    const bridge_connectivity *connectivity;
    int64_t key_n1, key_n2;
    const char *key_s1;
} bridge_page_row;
typedef int bridge_page_row_fn(const bridge_page_row *row, void *payload);

/* Ordered by (time, id), or (time, device, online) for connectivity; newest first when
 * q->descending. */
int bridge_store_measurements_page(bridge_store *st, const bridge_page_query *q,
                                   bridge_page_row_fn *cb, void *payload);
int bridge_store_status_posts_page(bridge_store *st, const bridge_page_query *q,
                                   bridge_page_row_fn *cb, void *payload);
int bridge_store_events_page(bridge_store *st, const bridge_page_query *q, bridge_page_row_fn *cb,
                             void *payload);
int bridge_store_connectivity_page(bridge_store *st, const bridge_page_query *q,
                                   bridge_page_row_fn *cb, void *payload);

/* The device list's filters and order. NULL / -1 = no restriction. */
typedef struct bridge_device_page_query {
    const char *product;          /* a product id or slug */
    const char *group;            /* a device group's name */
    int connected, faulted, gone; /* -1 any, 0 no, 1 yes */
    int64_t platform_id;          /* -1 any */
    const char *name_prefix;
    bool by_last_heard;     /* last heard, newest first; else by name */
    bool after;             /* start after the key below */
    const char *key_name;   /* by name: the last row's name */
    int64_t key_last_heard; /* by last heard: the last row's time */
    const char *key_id;     /* the last row's particle id */
    unsigned int limit;     /* 0 = BRIDGE_DEFAULT_QUERY_LIMIT */
} bridge_device_page_query;

/* A page of devices (with their variables and functions); free with
 * bridge_device_list_free(). */
int bridge_store_devices_page(bridge_store *st, const bridge_device_page_query *q,
                              bridge_device **out, size_t *count_out);
/* ---- the cloud's objects kept whole (store_objects.c, migration 0009): a device object of
 * a listing, a SIM of the listSIMs sweep, a day of a product fleet's data usage; the reports
 * that show every field read them, and views report_* show them to SQL users ---- */

#define BRIDGE_OBJECT_DEVICE "device"           /* key: the device id */
#define BRIDGE_OBJECT_SIM "sim"                 /* key: the ICCID */
#define BRIDGE_OBJECT_FLEET_USAGE "fleet_usage" /* key: "<product>:<YYYY-MM-DD>" */

typedef struct bridge_cloud_object {
    const char *kind;
    const char *key;
    int product_id;   /* the listing's product; 0 = the user's */
    const char *json; /* the object as JSON text */
    int64_t synced_ms;
} bridge_cloud_object;

/* Object row callback: return non-zero to stop; the row is borrowed for the call only and
 * runs with the handle's lock held. */
typedef int bridge_cloud_object_fn(const bridge_cloud_object *o, void *payload);

/* Upserts @p count objects and, when @p replace_kind is non-NULL, deletes the objects of that
 * kind and of @p replace_product synced before @p synced_before_ms (those the listing no
 * longer holds), in one transaction. */
int bridge_store_objects_put(bridge_store *st, const bridge_cloud_object *objects, size_t count,
                             const char *replace_kind, int replace_product,
                             int64_t synced_before_ms);

/* The objects of @p kind (and of @p product_id; negative = any) by product, then key. */
int bridge_store_objects_list(bridge_store *st, const char *kind, int product_id,
                              bridge_cloud_object_fn *cb, void *payload);
/* ---- upkeep of the time-ordered tables (store_retention.c) ---- */

typedef struct bridge_maintenance {
    unsigned partitions_created; /* PostgreSQL: day partitions made */
    unsigned partitions_dropped; /* PostgreSQL: day partitions dropped by retention */
    uint64_t rows_deleted;       /* rows past retention deleted one batch at a time */
} bridge_maintenance;

/* How many rows one retention DELETE removes at most; each batch is its own transaction, so
 * the writer never waits long behind it. */
#define BRIDGE_RETENTION_BATCH 5000

/* PostgreSQL: creates the day partitions of events, measurements and status posts from
 * yesterday to a week ahead that are missing (moving those days' rows out of the DEFAULT
 * partition) and, with @p retention_ms > 0, drops the partitions wholly older than
 * now - retention; one transaction, serialised between bridges by an advisory lock. SQLite:
 * nothing to do. Adds to @p out's partition counts. 0, or a BRIDGE_STORE_* error. */
int bridge_store_partitions_maintain(bridge_store *st, int64_t now_ms, int64_t retention_ms,
                                     bridge_maintenance *out);

/* Deletes up to BRIDGE_RETENTION_BATCH rows older than now - @p retention_ms from each of
 * events, measurements and status posts, in one transaction; adds the count to
 * @p out->rows_deleted and sets *@p more when a table may hold more. Nothing with
 * retention 0. 0, or a BRIDGE_STORE_* error. */
int bridge_store_retention_batch(bridge_store *st, int64_t now_ms, int64_t retention_ms,
                                 bridge_maintenance *out, bool *more);

/* ---- report exports copied into a table (store_snapshots.c) ---- */

/* Replaces export @p name's snapshot in report_snapshots with @p count rows, each given as
 * the JSON text of its row object, in order, stamped @p now_ms; one transaction. 0, or a
 * BRIDGE_STORE_* error. */
int bridge_store_snapshot_replace(bridge_store *st, const char *name, const char *const *row_json,
                                  size_t count, int64_t now_ms);

/* ---- the dashboard's summaries (store_dashboard.c), computed in SQL ---- */

/* One product's devices counted as GET /api/v1/devices filters them: online = connected and
 * not gone, offline = not connected and not gone, faulted = breaker open (overlaps online and
 * offline), gone = the cloud no longer lists it; total = every stored device. */
typedef struct bridge_fleet_count {
    int product_id;           /* 0: the user's own (developer) devices */
    const char *product_name; /* NULL when the product is not stored */
    uint64_t online, offline, faulted, gone, total;
} bridge_fleet_count;

/* Fleet row callback: return non-zero to stop; the row is borrowed for the call only. */
typedef int bridge_fleet_count_fn(const bridge_fleet_count *c, void *payload);

/* One row per product that has stored devices, by product id. */
int bridge_store_fleet_counts(bridge_store *st, bridge_fleet_count_fn *cb, void *payload);

/* One series (device and name, optionally one source) over [from_ms, to_ms], in buckets of
 * width_ms that start at multiples of width_ms since the epoch. */
typedef struct bridge_bucket_query {
    const char *device_id; /* required */
    const char *name;      /* required */
    const char *source;    /* NULL = every source */
    int64_t from_ms;       /* inclusive */
    int64_t to_ms;         /* inclusive; 0 = no end */
    int64_t width_ms;      /* > 0 */
} bridge_bucket_query;

typedef struct bridge_bucket {
    int64_t start_ms;
    double min, max, avg;
    uint64_t count;
} bridge_bucket;

typedef int bridge_bucket_fn(const bridge_bucket *b, void *payload);

/* The first and last reading time of @p q's series in its range (width_ms unused);
 * BRIDGE_STORE_NOTFOUND when it has none. */
int bridge_store_measurement_span(bridge_store *st, const bridge_bucket_query *q, int64_t *first_ms,
                                  int64_t *last_ms);

/* The non-empty buckets of @p q's series, oldest first: min, max, avg and count of each. */
int bridge_store_measurement_buckets(bridge_store *st, const bridge_bucket_query *q,
                                     bridge_bucket_fn *cb, void *payload);

#endif
