/*
 * particle-bridge configuration: an INI file read with inih, plus secrets from the
 * environment or from files only their owner can read. See docs/BRIDGE.md for every key.
 *
 * Secrets (the Particle access token, the bridge API key, the webhook secret, the read-only
 * key) come from, in order: the environment (PARTICLE_ACCESS_TOKEN, PARTICLE_BRIDGE_API_KEY,
 * PARTICLE_BRIDGE_WEBHOOK_SECRET, PARTICLE_BRIDGE_READ_ONLY_KEY), a *_file key naming a file of
 * mode 0600 (or stricter), or the key itself in the config file when that file is 0600. Anything
 * readable by group or others is refused. Secrets are never logged and are wiped by
 * bridge_config_dispose. The same holds for a password inside [database] url (PostgreSQL); libpq's
 * own PGPASSWORD and PGPASSFILE are the alternatives to writing it there.
 *
 * A bridge_config is a plain value: load it, read it, dispose it. Not shared between
 * threads while being loaded; a loaded config may be read from several threads.
 */
#ifndef BRIDGE_CONFIG_H
#define BRIDGE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "export_spec.h"
#include "partition.h"
#include "pu_log.h"
#include "store/store.h"

#define BRIDGE_MAX_PRODUCTS 32
#define BRIDGE_MAX_ORGS 16
#define BRIDGE_SECRET_SIZE 256
#define BRIDGE_PATH_SIZE 1024

typedef struct bridge_config {
    /* [cloud] */
    char cloud_url[512]; /* url; "" = the SDK's default (api.particle.io) */
    char access_token[BRIDGE_SECRET_SIZE];
    bool user_scope;                        /* user_scope: sync and stream the user's own devices */
    char products[BRIDGE_MAX_PRODUCTS][64]; /* products: ids or slugs, comma separated */
    size_t product_count;
    char orgs[BRIDGE_MAX_ORGS][64]; /* orgs: organizations whose products the sync lists */
    size_t org_count;
    bridge_partition partition;    /* partition: K/N of the fleet by device id; 1/1 = all */
    int64_t sync_interval_ms;      /* sync_interval: device discovery period */
    unsigned int details_per_sync; /* devices whose vitals and SIM each sync fetches */
    bool report_data;            /* report_data: the sync also fetches the vitals history (once per
                                    device), the SIM listings and each product's data usage */
    unsigned int request_budget; /* requests_per_5min: global budget for polls and syncs */
    unsigned int poll_concurrency; /* variable reads in flight at once */
    int64_t request_timeout_ms;    /* request_timeout */
    /* [database]: path (an SQLite file) or url (a postgresql:// URI), one of them; what
     * bridge_store_open() takes. A URI may carry a password: never print it as is (use
     * bridge_store_uri_redact); bridge_config_dispose wipes it. */
    char database_path[BRIDGE_PATH_SIZE];
    /* [api] */
    char listen_addr[64];
    unsigned short port; /* 0 = any free port */
    char api_key[BRIDGE_SECRET_SIZE];
    char webhook_secret[BRIDGE_SECRET_SIZE]; /* "" = the webhook receiver is off */
    /* [defaults]: settings given to a device the first time it is seen */
    bridge_device_defaults defaults;
    /* [breaker] */
    unsigned int breaker_threshold; /* failures in a row that fault a device */
    int64_t breaker_reset_ms;       /* first reset delay */
    int64_t breaker_max_reset_ms;   /* the delay doubles per repeated fault up to this */
    /* [ingest] */
    unsigned int batch_size;   /* records per transaction */
    int64_t flush_interval_ms; /* longest a record waits before its transaction */
    /* [log]: level (debug, info, warn, error), format (text, json), output (stderr,
     * syslog or journald); applied again on a reload. log.ident is NULL (main sets it). */
    pu_log_options log;
    /* [webhook]: the integration the bridge keeps in the cloud so that Particle delivers
     * events to its webhook receiver (webhook_sync.h, config_webhook.c) */
    bool webhook_manage;          /* manage: create, keep in sync (and on request remove) it */
    char webhook_public_url[512]; /* public_url: the bridge's base URL as the cloud reaches it */
    char webhook_events[64];      /* events: the event-name prefix it delivers */
    char webhook_product[64];     /* product: the integration's product; "" = the user's */
    /* hardening (config_hardening.c; 0 = httpd's defaults) */
    unsigned int max_connections;        /* [api] max_connections */
    unsigned int max_connections_per_ip; /* [api] max_connections_per_ip */
    unsigned int request_deadline_s;     /* [api] request_deadline */
    char cors_origins[512];              /* [api] cors_origins; "" = none */
    bool open_health;        /* [api] open_health: health and metrics routes without the key */
    bool csv_formula_escape; /* [api] csv_formula_escape: neutralise formulas in CSV (on) */
    char database_group[64]; /* [database] group: files 0640 with this group; "" = 0600 */
    /* [export.<name>]: scheduled report exports (config_export.c, export.h) */
    bridge_export_spec exports[BRIDGE_MAX_EXPORTS];
    size_t export_count;
    int64_t retention_ms; /* [database] retention: events and readings older are deleted;
                             0 = kept for ever */
    /* the web dashboard and its access (config_dashboard.c, api/session.h) */
    bool dashboard;                         /* [api] dashboard: serve / and /ui/ */
    char dashboard_dir[BRIDGE_PATH_SIZE];   /* [api] dashboard_dir: the page's files */
    char chartjs_path[BRIDGE_PATH_SIZE];    /* [api] chartjs_path: served as Chart.js */
    char read_only_key[BRIDGE_SECRET_SIZE]; /* [api] read_only_key: may GET, not change; "" */
    int64_t session_idle_ms;                /* [api] session_idle: a session's idle expiry */
} bridge_config;

/* Fills @p cfg with the built-in defaults (no secrets). */
void bridge_config_defaults(bridge_config *cfg);

/*
 * Loads @p path over the defaults, reads the secrets, and validates. Returns 0, or -1 with
 * a message naming the file, line or key in @p err (never containing a secret). @p cfg is
 * fully written either way; dispose it.
 */
int bridge_config_load(bridge_config *cfg, const char *path, char *err, size_t err_size);

/* One problem bridge_config_check found: @p line is the file's line, 0 when the problem
 * belongs to no line (a missing file, a secret missing from the environment). */
typedef void (*bridge_config_problem_fn)(void *user, int line, const char *message);

/*
 * particle-bridge --check-config: reads @p path as bridge_config_load does and reports
 * every problem (not only the first) through @p report, in the order of the file; the
 * checks that tie several keys together come last. A token or API key missing here is no
 * problem (the service may get it from its own environment): @p note then says so; it also
 * carries the dashboard's warning (bridge_config_dashboard_warning); else it is "". Returns the
 * number of problems (0 = the bridge would start with this file).
 */
int bridge_config_check(const char *path, bridge_config_problem_fn report, void *user, char *note,
                        size_t note_size);

/* Checks a config (also one built in code, e.g. by tests). 0 or -1 with @p err. */
int bridge_config_validate(const bridge_config *cfg, char *err, size_t err_size);

/*
 * The tag this bridge stamps on the devices it syncs (store.h: owner): a hash of its scope
 * (user_scope, the products in any order) and partition, e.g. "scope-3f2a...". Two bridges
 * with different scopes or partitions get different tags, so on a shared database each
 * polls and marks gone only its own devices.
 */
void bridge_config_scope_tag(const bridge_config *cfg, char *out, size_t size);

/* A [webhook] key (config_webhook.c): 1 when @p name was read, 0 for a bad value (then
 * *expect says what was wanted), -1 for an unknown key. */
int bridge_config_webhook_entry(bridge_config *cfg, const char *name, const char *value,
                                const char **expect);

/* Checks the [webhook] section against the rest of @p cfg. 0 or -1 with @p err. */
int bridge_config_webhook_validate(const bridge_config *cfg, char *err, size_t err_size);

/* A key of an [export.<name>] section (config_export.c), answering as
 * bridge_config_webhook_entry does; -1 also when @p section is not an export's. */
int bridge_config_export_entry(bridge_config *cfg, const char *section, const char *name,
                               const char *value, const char **expect);

/* Checks that each export names its report and directory. 0 or -1 with @p err. */
int bridge_config_export_validate(const bridge_config *cfg, char *err, size_t err_size);

/* A dashboard key of [api] (config_dashboard.c: dashboard, dashboard_dir, chartjs_path,
 * session_idle), answering as bridge_config_webhook_entry does. */
int bridge_config_dashboard_entry(bridge_config *cfg, const char *section, const char *name,
                                  const char *value, const char **expect);

/* What a dashboard left on would miss (dashboard_dir or chartjs_path not there), as one
 * sentence in @p out; "" when nothing is missing or the dashboard is off. A warning, not a
 * problem: the API works without the pages, the pages without their charts. */
void bridge_config_dashboard_warning(const bridge_config *cfg, char *out, size_t size);

/* Wipes the secrets. */
void bridge_config_dispose(bridge_config *cfg);

/*
 * Reads a secret file: it must be a regular file with no group/other permissions.
 * Trailing whitespace is dropped. 0, or -1 with @p err.
 */
int bridge_read_secret_file(const char *path, char *out, size_t out_size, char *err,
                            size_t err_size);

#endif
