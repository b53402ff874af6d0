#include "app.h"

#include <particle/client.h>
#include <particle/particle.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/reports_live.h"
#include "api/session.h"
#include "export.h"
#include "ingest/sse.h"
#include "ingest/writer.h"
#include "pu_log.h"
#include "pu_time.h"
#include "scheduler.h"
#include "store/file_mode.h"
#include "sync.h"
#include "webhook_sync.h"

struct bridge_app {
    bridge_config cfg; /* guarded by lock after start */
    bridge_metrics metrics;
    bridge_store *api_store;    /* reads of the API and reports */
    bridge_store *sync_store;   /* reads of the sync and the streams' cursors */
    bridge_store *export_store; /* the report exports' reads; NULL when none is configured */
    bridge_exporter *exporter;  /* the [export.<name>] schedule (export.h) */
    bridge_live_reads live;     /* Get Variable Value read now (api/reports_live.h) */
    bridge_writer *writer;      /* every write */
    bridge_scheduler *scheduler;
    bridge_budget *budget;        /* requests to the cloud, shared by the sync and the poller */
    bridge_sync_state sync_state; /* under sync_lock */
    bridge_sse *streams[BRIDGE_MAX_PRODUCTS + 1];
    size_t stream_count;
    httpd_server *server;
    bridge_stream_feed stream; /* GET /api/v1/stream, fed by the writer after each commit */
    bridge_api api;
    bridge_sessions *sessions; /* the dashboard's sign-ins (api/session.h) */
    particle_client *sync_client;
    pthread_t sync_thread;
    bool sync_started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    pthread_mutex_t sync_lock; /* one sync at a time */
};

/* After a sync or a settings change (the writer forgot its cached settings of the devices
 * it changed), the poller reloads its devices. */
static void settings_changed(const char *device_id, void *payload)
{
    (void)device_id;
    bridge_app *app = payload;
    if (app->scheduler != NULL) { /* NULL during the first sync, which runs before it */
        bridge_scheduler_reload(app->scheduler);
    }
}

/* Keeps the bridge's webhook integration as configured ([webhook] manage), on each sync. A
 * failure is logged and tried again on the next sync; the device sync is not failed by it. */
static void sync_webhook(bridge_app *app, const bridge_config *cfg)
{
    char err[512];
    bridge_webhook_action action;
    if (bridge_webhook_sync(app->sync_client, app->sync_store, app->writer, cfg, &action, err,
                            sizeof err) != 0) {
        pu_log(PU_LOG_WARN, "webhook", "keeping the webhook integration failed: %s", err);
    }
}

/* The upkeep of the time-ordered tables, after each sync: day partitions and retention. */
static void maintain(bridge_app *app, const bridge_config *cfg)
{
    bridge_maintenance done;
    char err[512];
    int rc = bridge_writer_maintain(app->writer, pu_time_now_ms(), cfg->retention_ms, &done, err,
                                    sizeof err);
    if (rc != 0) {
        atomic_fetch_add(&app->metrics.maintenance_failures, 1);
        pu_log(PU_LOG_WARN, "store", "partitions and retention: %s", err);
    }
    atomic_fetch_add(&app->metrics.partitions_created, done.partitions_created);
    atomic_fetch_add(&app->metrics.partitions_dropped, done.partitions_dropped);
    atomic_fetch_add(&app->metrics.retention_rows_deleted, done.rows_deleted);
    if (done.partitions_dropped > 0 || done.rows_deleted > 0) {
        pu_log(PU_LOG_INFO, "store", "retention: %u day partitions dropped, %llu rows deleted",
               done.partitions_dropped, (unsigned long long)done.rows_deleted);
    }
}

int bridge_app_sync_now(bridge_app *app, char *err, size_t err_size)
{
    pthread_mutex_lock(&app->lock);
    bridge_config cfg = app->cfg;
    pthread_mutex_unlock(&app->lock);
    pthread_mutex_lock(&app->sync_lock);
    bridge_sync_result res = {0};
    int rc = bridge_sync_once(app->sync_client, app->sync_store, app->writer, app->budget,
                              &app->sync_state, &cfg, &res, err, err_size);
    if (cfg.webhook_manage) {
        sync_webhook(app, &cfg);
    }
    maintain(app, &cfg);
    pthread_mutex_unlock(&app->sync_lock);
    bridge_config_dispose(&cfg);
    if (res.fleet.ran) {
        bridge_metrics_fleet_observe(&app->metrics, &res.fleet, rc == 0);
    }
    if (rc == 0) {
        atomic_fetch_add(&app->metrics.syncs, 1);
        atomic_store(&app->metrics.last_sync_ms, pu_time_now_ms());
        if (res.created > 0 || res.gone > 0) {
            pu_log(PU_LOG_INFO, "sync", "%zu devices (%zu new, %zu gone)", res.seen, res.created,
                   res.gone);
        }
        if (res.fleet.skipped > 0) {
            pu_log(PU_LOG_INFO, "sync",
                   "products, customers and groups wait for the request budget (%zu listings)",
                   res.fleet.skipped);
        }
        if (res.details_skipped > 0) {
            pu_log(PU_LOG_INFO, "sync",
                   "details of %zu devices wait for the request "
                   "budget",
                   res.details_skipped);
        }
    } else {
        atomic_fetch_add(&app->metrics.sync_failures, 1);
    }
    settings_changed(NULL, app);
    return rc;
}

static void *sync_main(void *arg)
{
    bridge_app *app = arg;
    pthread_mutex_lock(&app->lock);
    while (!app->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        int64_t ms = app->cfg.sync_interval_ms;
        int64_t ns = until.tv_nsec + (ms % 1000) * 1000000;
        until.tv_sec += (time_t)(ms / 1000 + ns / 1000000000);
        until.tv_nsec = (long)(ns % 1000000000);
        pthread_cond_timedwait(&app->wake, &app->lock, &until);
        if (app->stopping) {
            break;
        }
        pthread_mutex_unlock(&app->lock);
        char err[512];
        if (bridge_app_sync_now(app, err, sizeof err) != 0) {
            pu_log(PU_LOG_WARN, "sync", "sync failed: %s", err);
        }
        pthread_mutex_lock(&app->lock);
    }
    pthread_mutex_unlock(&app->lock);
    return NULL;
}

static bridge_breaker_policy policy_of(const bridge_config *cfg)
{
    bridge_breaker_policy p = {cfg->breaker_threshold, cfg->breaker_reset_ms,
                               cfg->breaker_max_reset_ms};
    return p;
}

bridge_app *bridge_app_new(const bridge_config *cfg, char *err, size_t err_size)
{
    bridge_app *app = calloc(1, sizeof *app);
    if (app == NULL) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    app->cfg = *cfg;
    bridge_metrics_init(&app->metrics, cfg->sync_interval_ms);
    pthread_mutex_init(&app->lock, NULL);
    pthread_mutex_init(&app->sync_lock, NULL);
    pthread_cond_init(&app->wake, NULL);
    /* From the app's copy: the API keeps this pointer after @p cfg is gone. */
    const char *cloud = app->cfg.cloud_url[0] ? app->cfg.cloud_url : NULL;

    if (!bridge_store_is_postgres_uri(cfg->database_path) &&
        bridge_db_files_secure(cfg->database_path, cfg->database_group, err, err_size) != 0) {
        goto fail;
    }
    /* The first open applies the migrations; the others find them done. */
    app->api_store = bridge_store_open(cfg->database_path, err, err_size);
    if (app->api_store == NULL) {
        goto fail;
    }
    app->sync_store = bridge_store_open(cfg->database_path, err, err_size);
    if (app->sync_store == NULL) {
        goto fail;
    }
    if (cfg->export_count > 0) { /* a handle of their own: a big export does not stall the API */
        app->export_store = bridge_store_open(cfg->database_path, err, err_size);
        if (app->export_store == NULL) {
            goto fail;
        }
    }
    /* before the writer, which feeds it; freed after the writer and the server */
    httpd_sse_hub_options hub_opts = {.keepalive_ms = BRIDGE_STREAM_KEEPALIVE_MS,
                                      .ring_size = BRIDGE_STREAM_REPLAY_EVENTS,
                                      .first_id = httpd_sse_id_base_now()};
    app->stream.hub = httpd_sse_hub_new(&hub_opts);
    if (app->stream.hub == NULL) {
        snprintf(err, err_size, "out of memory");
        goto fail;
    }
    bridge_writer_options wo = {.db_path = cfg->database_path,
                                .batch_size = cfg->batch_size,
                                .flush_interval_ms = cfg->flush_interval_ms,
                                .defaults = &app->cfg.defaults,
                                .partition = cfg->partition,
                                .metrics = &app->metrics,
                                .on_stored = bridge_stream_feed_stored,
                                .on_stored_payload = &app->stream};
    app->writer = bridge_writer_new(&wo, err, err_size);
    if (app->writer == NULL) {
        goto fail;
    }
    app->exporter = bridge_exporter_new(cfg->exports, cfg->export_count, app->export_store,
                                        app->writer); /* after the writer */
    if (app->exporter == NULL) {
        snprintf(err, err_size, "out of memory");
        goto fail;
    }
    app->metrics.more_lines = bridge_exporter_write_metrics;
    app->metrics.more_lines_payload = app->exporter;
    app->budget = bridge_budget_new(cfg->request_budget);
    if (app->budget == NULL) {
        snprintf(err, err_size, "out of memory");
        goto fail;
    }
    particle_client_options co;
    particle_client_options_init(&co, PARTICLE_CLIENT_OPTIONS_VERSION);
    co.base_url = cloud;
    co.access_token = cfg->access_token;
    co.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    co.request_timeout_ms = cfg->request_timeout_ms;
    if (particle_client_new(&app->sync_client, &co) != 0) {
        snprintf(err, err_size, "cloud client: %s", particle_error_last()->message);
        goto fail;
    }
    char sync_err[512];
    if (bridge_app_sync_now(app, sync_err, sizeof sync_err) != 0) {
        pu_log(PU_LOG_WARN, "sync", "first sync failed (will retry): %s", sync_err);
    }
    char owner[BRIDGE_OWNER_SIZE];
    bridge_config_scope_tag(cfg, owner, sizeof owner);
    bridge_scheduler_options so = {.db_path = cfg->database_path,
                                   .owner = owner,
                                   .cloud_url = cloud,
                                   .access_token = cfg->access_token,
                                   .concurrency = cfg->poll_concurrency,
                                   .budget = app->budget,
                                   .request_timeout_ms = cfg->request_timeout_ms,
                                   .breaker = policy_of(cfg),
                                   .writer = app->writer,
                                   .metrics = &app->metrics};
    app->scheduler = bridge_scheduler_new(&so, err, err_size);
    if (app->scheduler == NULL) {
        goto fail;
    }
    for (size_t i = 0; i <= cfg->product_count; i++) {
        const char *product = i < cfg->product_count ? cfg->products[i] : NULL;
        if (product == NULL && !cfg->user_scope) {
            continue;
        }
        bridge_sse_options eo = {cloud,       cfg->access_token, product,
                                 app->writer, &app->metrics,     app->sync_store};
        app->streams[app->stream_count] = bridge_sse_new(&eo, err, err_size);
        if (app->streams[app->stream_count] == NULL) {
            goto fail;
        }
        app->stream_count++;
    }
    app->live = (bridge_live_reads){.cloud_url = app->cfg.cloud_url[0] ? app->cfg.cloud_url : NULL,
                                    .access_token = app->cfg.access_token,
                                    .budget = app->budget,
                                    .timeout_ms = app->cfg.request_timeout_ms};
    app->sessions = bridge_sessions_new(app->cfg.session_idle_ms, BRIDGE_SESSIONS_MAX);
    app->api = (bridge_api){.store = app->api_store,
                            .writer = app->writer,
                            .metrics = &app->metrics,
                            .api_key = app->cfg.api_key,
                            .webhook_secret = app->cfg.webhook_secret,
                            .cloud_url = cloud,
                            .on_settings_changed = settings_changed,
                            .on_settings_changed_payload = app,
                            .open_health = app->cfg.open_health,
                            .csv_raw = !app->cfg.csv_formula_escape,
                            .exporter = app->exporter,
                            .live = &app->live,
                            .read_only_key = app->cfg.read_only_key,
                            .sessions = app->sessions,
                            .dashboard_dir = app->cfg.dashboard ? app->cfg.dashboard_dir : NULL,
                            .chartjs_path = app->cfg.chartjs_path,
                            .stream = &app->stream};
    char dashboard_warning[BRIDGE_PATH_SIZE + 256];
    bridge_config_dashboard_warning(&app->cfg, dashboard_warning, sizeof dashboard_warning);
    if (dashboard_warning[0] != '\0') {
        pu_log(PU_LOG_WARN, "api", "%s", dashboard_warning);
    }
    httpd_options ho = {.listen_addr = app->cfg.listen_addr,
                        .port = app->cfg.port,
                        .before = bridge_api_before,
                        .before_payload = &app->api,
                        .connection_limit = app->cfg.max_connections,
                        .per_ip_connection_limit = app->cfg.max_connections_per_ip,
                        .request_deadline_s = app->cfg.request_deadline_s,
                        .allowed_origins = app->cfg.cors_origins};
    app->server = httpd_server_new(&ho);
    if (app->server == NULL || bridge_api_register(app->server, &app->api) != 0 ||
        httpd_server_start(app->server, err, err_size) != 0) {
        goto fail;
    }
    if (pthread_create(&app->sync_thread, NULL, sync_main, app) != 0) {
        snprintf(err, err_size, "cannot start the sync thread");
        goto fail;
    }
    app->sync_started = true;
    if (bridge_exporter_start(app->exporter) != 0) {
        snprintf(err, err_size, "cannot start the export thread");
        goto fail;
    }
    return app;
fail:
    bridge_app_free(app);
    return NULL;
}

unsigned short bridge_app_port(const bridge_app *app)
{
    return httpd_server_port(app->server);
}

bridge_metrics *bridge_app_metrics(bridge_app *app)
{
    return &app->metrics;
}

void bridge_app_reload(bridge_app *app, const bridge_config *cfg, char *note, size_t note_size)
{
    size_t len = 0;
    note[0] = '\0';
#define NEEDS_RESTART(changed, what)                                                               \
    if ((changed) && len < note_size) {                                                            \
        int n_ = snprintf(note + len, note_size - len, "%s%s", len ? ", " : "", what);             \
        len += n_ > 0 ? (size_t)n_ : 0;                                                            \
    }
    pthread_mutex_lock(&app->lock);
    const bridge_config *old = &app->cfg;
    NEEDS_RESTART(strcmp(old->listen_addr, cfg->listen_addr) != 0 || old->port != cfg->port,
                  "listen address/port");
    NEEDS_RESTART(strcmp(old->database_path, cfg->database_path) != 0, "database path");
    NEEDS_RESTART(strcmp(old->cloud_url, cfg->cloud_url) != 0, "cloud url");
    NEEDS_RESTART(strcmp(old->access_token, cfg->access_token) != 0, "access token");
    NEEDS_RESTART(strcmp(old->api_key, cfg->api_key) != 0, "API key");
    NEEDS_RESTART(strcmp(old->read_only_key, cfg->read_only_key) != 0, "read-only key");
    NEEDS_RESTART(old->dashboard != cfg->dashboard ||
                      strcmp(old->dashboard_dir, cfg->dashboard_dir) != 0 ||
                      strcmp(old->chartjs_path, cfg->chartjs_path) != 0 ||
                      old->session_idle_ms != cfg->session_idle_ms,
                  "dashboard");
    char old_scope[BRIDGE_OWNER_SIZE], new_scope[BRIDGE_OWNER_SIZE];
    bridge_config_scope_tag(old, old_scope, sizeof old_scope);
    bridge_config_scope_tag(cfg, new_scope, sizeof new_scope);
    NEEDS_RESTART(strcmp(old_scope, new_scope) != 0, "scopes or partition");
    app->cfg.defaults = cfg->defaults;
    app->cfg.details_per_sync = cfg->details_per_sync;
    memcpy(app->cfg.orgs, cfg->orgs, sizeof app->cfg.orgs); /* only the products listing */
    app->cfg.org_count = cfg->org_count;
    app->cfg.sync_interval_ms = cfg->sync_interval_ms;
    atomic_store(&app->metrics.sync_interval_ms, cfg->sync_interval_ms);
    app->cfg.breaker_threshold = cfg->breaker_threshold;
    app->cfg.breaker_reset_ms = cfg->breaker_reset_ms;
    app->cfg.breaker_max_reset_ms = cfg->breaker_max_reset_ms;
    /* [webhook]: the next sync keeps the integration as the file now says */
    app->cfg.webhook_manage = cfg->webhook_manage;
    memcpy(app->cfg.webhook_public_url, cfg->webhook_public_url,
           sizeof app->cfg.webhook_public_url);
    memcpy(app->cfg.webhook_events, cfg->webhook_events, sizeof app->cfg.webhook_events);
    memcpy(app->cfg.webhook_product, cfg->webhook_product, sizeof app->cfg.webhook_product);
    bridge_breaker_policy p = policy_of(&app->cfg);
    pthread_cond_signal(&app->wake);
    pthread_mutex_unlock(&app->lock);
    bridge_scheduler_set_policy(app->scheduler, &p);
#undef NEEDS_RESTART
}

int bridge_app_flush(bridge_app *app, long timeout_ms)
{
    return bridge_writer_flush(app->writer, timeout_ms);
}

void bridge_app_free(bridge_app *app)
{
    if (app == NULL) {
        return;
    }
    if (app->sync_started) {
        pthread_mutex_lock(&app->lock);
        app->stopping = true;
        pthread_cond_broadcast(&app->wake);
        pthread_mutex_unlock(&app->lock);
        pthread_join(app->sync_thread, NULL);
    }
    /* Inputs first (streams, webhook, polls), then the writer stores what they gave it. */
    for (size_t i = 0; i < app->stream_count; i++) {
        bridge_sse_free(app->streams[i]);
    }
    httpd_server_free(app->server);
    bridge_sessions_free(app->sessions);
    bridge_exporter_free(app->exporter);
    bridge_scheduler_free(app->scheduler);
    bridge_writer_free(app->writer);
    httpd_sse_hub_free(app->stream.hub); /* its streams ended with the server */
    bridge_budget_free(app->budget);
    particle_client_free(app->sync_client);
    bridge_store_close(app->sync_store);
    bridge_store_close(app->export_store);
    bridge_store_close(app->api_store);
    pthread_cond_destroy(&app->wake);
    pthread_mutex_destroy(&app->sync_lock);
    pthread_mutex_destroy(&app->lock);
    bridge_config_dispose(&app->cfg);
    free(app);
}
