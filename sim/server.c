/* particle-sim's server: wiring of model, clock, hub, ticker, limits, state and routes. */
#include "server.h"

#include <pthread.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "clock.h"
#include "fleet.h"
#include "hooks/hook_persist.h"
#include "hooks/hooks.h"
#include "httpd.h"
#include "model/sim_api_users.h"
#include "model/sim_behaviour.h"
#include "model/sim_configs.h"
#include "model/sim_env.h"
#include "model/sim_ledgers.h"
#include "model/sim_libraries.h"
#include "model/sim_logic.h"
#include "model/sim_tokens.h"
#include "persist.h"
#include "persist_env.h"
#include "persist_ledgers.h"
#include "persist_libraries.h"
#include "persist_logic.h"
#include "persist_settings.h"
#include "pu_file.h"
#include "pu_ratelimit.h"
#include "pu_str.h"
#include "pu_time.h"
#include "routes/device_render.h"
#include "routes/sim_routes.h"

#define TICK_MS 50                  /* publisher latency bound on a running clock */
#define STREAM_EXPIRY_CHECK_MS 1000 /* a stream outlives its token by at most this */
#define TICK_EVENT_BUDGET 100000    /* events per tick before the ticker yields the lock */
#define FIVE_MINUTES_MS (5 * 60 * 1000)

struct sim_server {
    sim_server_options opts;
    char *listen_addr, *fleet_path, *state_path; /* owned copies of the option strings */
    sim_clock *clock;
    sim_model *model;
    httpd_sse_hub *hub;
    httpd_server *http;
    /* The --fleet file's text, kept to reload it on reset (the parsed tree would be ~13x
     * larger); NULL for the built-in fleet, which is rebuilt from its static text. */
    char *fixture_text;
    size_t fixture_len;
    sim_persist *persist;
    sim_hooks *hooks;
    sim_hook_persist *hook_persist; /* the integrations' part of --state */
    sim_env_persist *env_persist;
    sim_ledgers *ledgers;
    sim_ledger_persist *ledger_persist;
    sim_libraries *libraries;
    sim_library_persist *library_persist;
    sim_logic_persist *logic_persist;
    sim_settings_persist *settings_persist;
    pu_ratelimit *rl_all, *rl_auth, *rl_stream_opens, *rl_streams_open;
    sim_ctx ctx;

    pthread_t ticker;
    bool ticker_started;
    bool stopping;
    pthread_mutex_t stop_lock;
    pthread_cond_t stop_cond;
};

void sim_server_options_init(sim_server_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->seed = 1;
    opts->offline_delay_ms = 1000;
    opts->keepalive_ms = 9000;
}

static void reply_rate_limited(httpd_response *res, int64_t retry_after_ms)
{
    char secs[24];
    snprintf(secs, sizeof(secs), "%lld", (long long)((retry_after_ms + 999) / 1000));
    httpd_response_header(res, "Retry-After", secs);
    sim_reply_oauth_error(res, 429, "too_many_requests",
                          "Too many requests from this address; slow down and retry later");
}

static bool rate_limited(sim_server *s, const httpd_request *req, httpd_response *res,
                         unsigned int flags)
{
    const char *ip = httpd_request_client_ip(req);
    int64_t now = pu_time_mono_ms(), retry = 0;
    if (!pu_ratelimit_hit(s->rl_all, ip, now, &retry) ||
        ((flags & SIM_ROUTE_RL_AUTH) && !pu_ratelimit_hit(s->rl_auth, ip, now, &retry)) ||
        ((flags & SIM_ROUTE_RL_STREAM) && !pu_ratelimit_hit(s->rl_stream_opens, ip, now, &retry))) {
        reply_rate_limited(res, retry);
        return true;
    }
    return false;
}

/* The token, from "Authorization: Bearer", else an access_token query or form field. */
static const char *request_token(const httpd_request *req)
{
    const char *h = httpd_request_header(req, "Authorization");
    if (h && strncasecmp(h, "Bearer ", 7) == 0) {
        h += 7;
        while (*h == ' ')
            h++;
        return h;
    }
    return httpd_request_arg(req, "access_token");
}

static bool before_hook(const httpd_request *req, httpd_response *res, unsigned int flags,
                        void *payload)
{
    sim_server *s = payload;
    if (s->rl_all && rate_limited(s, req, res, flags))
        return false;
    if (flags & HTTPD_ROUTE_PUBLIC)
        return true;
    const char *token = request_token(req);
    if (!token || !*token) {
        sim_reply_oauth_error(res, 400, "invalid_request", "The access token was not found");
        return false;
    }
    sim_principal p;
    bool expired = false;
    sim_model_lock(s->model);
    bool ok = sim_token_principal(s->model, token, &p, &expired);
    bool scoped = ok && p.kind == SIM_TOKEN_USER && p.user != SIM_NONE &&
                  sim_api_user_name(s->model->users[p.user].username);
    const char *scope = NULL;
    bool allowed = true;
    if (scoped) {
        /* an API user: only the routes its scopes name (reference/cloud-api.md §1.7) */
        scope = sim_api_route_scope(httpd_request_method(req), httpd_request_path(req));
        allowed =
            scope && sim_api_user_allows(s->ctx.api_users, s->model->users[p.user].username, scope);
    }
    sim_model_unlock(s->model);
    if (!ok) {
        sim_reply_oauth_error(res, 401, "invalid_token",
                              expired ? "The access token provided has expired."
                                      : "The access token provided is invalid.");
        return false;
    }
    if (!allowed) {
        if (!scope) {
            sim_reply_oauth_error(res, 400, "unauthorized",
                                  "API users are not allowed to call this endpoint");
        } else {
            char info[128];
            snprintf(info, sizeof(info), "This API user's scopes do not include %s", scope);
            sim_reply_denied(res, info);
        }
        return false;
    }
    sim_principal *copy = malloc(sizeof(*copy));
    if (!copy)
        abort();
    *copy = p;
    httpd_request_set_user(req, copy, free);
    return true;
}

static void *ticker_main(void *arg)
{
    sim_server *s = arg;
    int64_t expiry_checked_ms = 0;
    pthread_mutex_lock(&s->stop_lock);
    while (!s->stopping) {
        pthread_mutex_unlock(&s->stop_lock);
        sim_model_lock(s->model);
        sim_model_run_due(s->model, sim_clock_now(s->clock), TICK_EVENT_BUDGET);
        sim_logic_run_schedules(s->ctx.logic, sim_clock_now(s->clock));
        sim_model_unlock(s->model);
        int64_t now = pu_time_now_ms();
        if (now - expiry_checked_ms >= STREAM_EXPIRY_CHECK_MS) {
            sim_events_close_expired(&s->ctx, now);
            expiry_checked_ms = now;
        }
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += TICK_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&s->stop_lock);
        if (!s->stopping)
            pthread_cond_timedwait(&s->stop_cond, &s->stop_lock, &ts);
    }
    pthread_mutex_unlock(&s->stop_lock);
    return NULL;
}

/* Parses the fixture and loads it into the (empty) model; lock held. The tree lives only
 * for the load. */
static int load_fleet(sim_server *s, char *err, size_t err_size)
{
    const char *source = s->fleet_path ? s->fleet_path : "default fleet";
    json_t *fixture = s->fixture_text
                          ? sim_fleet_parse(s->fixture_text, s->fixture_len, source, err, err_size)
                          : sim_fleet_default();
    if (!fixture) {
        if (!s->fixture_text)
            snprintf(err, err_size, "default fleet: does not parse (a bug)");
        return -1;
    }
    int rc = sim_fleet_load(s->model, fixture, source, err, err_size);
    json_decref(fixture);
    if (rc < 0)
        sim_model_clear(s->model);
#ifdef __GLIBC__
    /* The tree was many small blocks among the model's: hand the freed pages back. */
    malloc_trim(0);
#endif
    return rc;
}

/* The control API's reset (sim_ctx.reset). */
static int reset_for_routes(void *payload, char *err, size_t err_size)
{
    return sim_server_reset(payload, err, err_size);
}

static char *dup_opt(const char *s)
{
    return s ? pu_xstrdup(s) : NULL;
}

int sim_server_new(sim_server **out, const sim_server_options *opts, char *err, size_t err_size)
{
    *out = NULL;
    sim_server *s = calloc(1, sizeof(*s));
    if (!s)
        abort();
    if (opts)
        s->opts = *opts;
    else
        sim_server_options_init(&s->opts);
    s->listen_addr = dup_opt(s->opts.listen_addr);
    s->fleet_path = dup_opt(s->opts.fleet_path);
    s->state_path = dup_opt(s->opts.state_path);
    pthread_mutex_init(&s->stop_lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->stop_cond, &ca);
    pthread_condattr_destroy(&ca);

    if (s->fleet_path) {
        if (pu_file_read(s->fleet_path, PU_FILE_NO_LIMIT, &s->fixture_text, &s->fixture_len, err,
                         err_size) < 0)
            goto fail;
    }
    s->clock = sim_clock_new(0);
    s->model = sim_model_new(s->clock, s->opts.seed);
    httpd_sse_hub_options hub_opts = {0};
    hub_opts.keepalive_ms = s->opts.keepalive_ms;
    /* ids above every earlier process's (docs/SIM.md "Event ids and replay") */
    hub_opts.first_id = httpd_sse_id_base_now();
    hub_opts.ring_size = s->opts.replay_events ? s->opts.replay_events : 16384;
    hub_opts.replay_max_age_ms = s->opts.replay_age_ms ? s->opts.replay_age_ms : 600000;
    s->hub = httpd_sse_hub_new(&hub_opts);
    if (!s->hub) {
        snprintf(err, err_size, "out of memory");
        goto fail;
    }
    s->ctx.model = s->model;
    s->ctx.clock = s->clock;
    s->ctx.hub = s->hub;
    s->ctx.offline_delay_ms = s->opts.offline_delay_ms;
    s->ctx.device_latency_ms = s->opts.device_latency_ms;
    s->ctx.reset = reset_for_routes;
    s->ctx.reset_payload = s;
    s->ctx.render = sim_render_cache_new(0);
    s->ctx.serial_lookups = pu_ratelimit_new(SIM_SERIAL_LOOKUPS_PER_HOUR, 3600 * 1000, 0);
    sim_model_set_sink(s->model, sim_events_sink, &s->ctx);
    sim_hooks_options hooks_opts = {0};
    hooks_opts.delivery.allow_external = s->opts.allow_external_webhooks;
    hooks_opts.retry_ms = s->opts.webhook_retry_ms;
    hooks_opts.retries = s->opts.webhook_retries;
    s->hooks = sim_hooks_new(s->model, &hooks_opts);
    s->ctx.hooks = s->hooks;
    s->ctx.env = sim_env_new();
    s->ledgers = sim_ledgers_new();
    if (!s->ledgers) {
        snprintf(err, err_size, "out of memory");
        goto fail;
    }
    s->ctx.ledgers = s->ledgers;
    s->libraries = sim_libraries_new();
    if (!s->libraries) {
        snprintf(err, err_size, "cannot build the sample libraries");
        goto fail;
    }
    s->ctx.libraries = s->libraries;
    s->ctx.logic = sim_logic_new();
    s->ctx.api_users = sim_api_users_new();
    s->ctx.config_schemas = sim_config_schemas_new();
    sim_ledgers_observe(s->ledgers, sim_logic_ledger_observer, &s->ctx);

    sim_model_lock(s->model);
    int rc = load_fleet(s, err, err_size);
    if (rc == 0 && s->state_path) {
        rc = sim_persist_open(&s->persist, s->state_path, err, err_size);
        if (rc == 0 && sim_persist_apply(s->persist, s->model) < 0) {
            snprintf(err, err_size, "%s: cannot read the stored state", s->state_path);
            rc = -1;
        }
        if (rc == 0)
            sim_persist_observe(s->persist, s->model);
        if (rc == 0)
            rc = sim_hook_persist_open(&s->hook_persist, s->state_path, err, err_size);
        if (rc == 0 && sim_hook_persist_load(s->hook_persist, s->hooks) < 0) {
            snprintf(err, err_size, "%s: cannot read the stored integrations", s->state_path);
            rc = -1;
        }
        if (rc == 0)
            sim_hook_persist_observe(s->hook_persist, s->hooks);
        if (rc == 0)
            rc = sim_env_persist_open(&s->env_persist, s->state_path, s->ctx.env, err, err_size);
        if (rc == 0)
            rc = sim_ledger_persist_open(&s->ledger_persist, s->state_path, s->ledgers, err,
                                         err_size);
        if (rc == 0)
            rc = sim_library_persist_open(&s->library_persist, s->state_path, s->libraries, err,
                                          err_size);
        if (rc == 0)
            rc = sim_logic_persist_open(&s->logic_persist, s->state_path, s->ctx.logic, err,
                                        err_size);
        if (rc == 0)
            rc = sim_settings_persist_open(&s->settings_persist, s->state_path, s->model,
                                           s->ctx.api_users, s->ctx.config_schemas, err, err_size);
    }
    sim_model_unlock(s->model);
    if (rc < 0)
        goto fail;

    if (s->opts.rate_limit) {
        s->rl_all = pu_ratelimit_new(10000, FIVE_MINUTES_MS, 0);
        s->rl_auth = pu_ratelimit_new(100, FIVE_MINUTES_MS, 0);
        s->rl_stream_opens = pu_ratelimit_new(100, FIVE_MINUTES_MS, 0);
        s->rl_streams_open = pu_ratelimit_new(100, 0, 0);
        s->ctx.streams = s->rl_streams_open;
    }
    httpd_options ho = {0};
    ho.listen_addr = s->listen_addr;
    ho.port = s->opts.port;
    ho.threads = s->opts.threads;
    ho.connection_limit = s->opts.max_connections;
    ho.per_ip_connection_limit = s->opts.max_connections_per_ip;
    ho.request_deadline_s = s->opts.request_deadline_s;
    ho.allowed_origins = s->opts.cors_origins; /* copied by httpd_server_new */
    ho.before = before_hook;
    ho.before_payload = s;
    s->http = httpd_server_new(&ho);
    if (!s->http) {
        snprintf(err, err_size, "out of memory");
        goto fail;
    }
    sim_routes_register(s->http, &s->ctx);
    *out = s;
    return 0;
fail:
    sim_server_free(s);
    return -1;
}

int sim_server_start(sim_server *s, char *err, size_t err_size)
{
    /* deliveries first: the ticker's first events may already trigger webhooks */
    if (sim_hooks_start(s->hooks) < 0) {
        snprintf(err, err_size, "cannot start the webhook delivery thread");
        return -1;
    }
    if (httpd_server_start(s->http, err, err_size) < 0) {
        sim_hooks_stop(s->hooks);
        return -1;
    }
    s->stopping = false;
    if (pthread_create(&s->ticker, NULL, ticker_main, s) != 0) {
        snprintf(err, err_size, "cannot start the ticker thread");
        httpd_server_stop(s->http);
        sim_hooks_stop(s->hooks);
        return -1;
    }
    s->ticker_started = true;
    return 0;
}

unsigned short sim_server_port(const sim_server *s)
{
    return httpd_server_port(s->http);
}

sim_model *sim_server_model(sim_server *s)
{
    return s->model;
}

void sim_server_stop(sim_server *s)
{
    if (s->http)
        httpd_server_stop(s->http);
    if (s->ticker_started) {
        pthread_mutex_lock(&s->stop_lock);
        s->stopping = true;
        pthread_cond_signal(&s->stop_cond);
        pthread_mutex_unlock(&s->stop_lock);
        pthread_join(s->ticker, NULL);
        s->ticker_started = false;
    }
    if (s->hooks)
        sim_hooks_stop(s->hooks);
}

void sim_server_free(sim_server *s)
{
    if (!s)
        return;
    sim_server_stop(s);
    httpd_server_free(s->http);
    httpd_sse_hub_free(s->hub);
    sim_hooks_free(s->hooks);
    sim_hook_persist_close(s->hook_persist);
    sim_ledger_persist_close(s->ledger_persist);
    sim_ledgers_free(s->ledgers);
    sim_library_persist_close(s->library_persist);
    sim_libraries_free(s->libraries);
    sim_logic_persist_close(s->logic_persist);
    sim_logic_free(s->ctx.logic);
    sim_settings_persist_close(s->settings_persist);
    sim_api_users_free(s->ctx.api_users);
    sim_config_schemas_free(s->ctx.config_schemas);
    sim_model_free(s->model);
    sim_render_cache_free(s->ctx.render);
    sim_env_free(s->ctx.env);
    sim_env_persist_close(s->env_persist);
    pu_ratelimit_free(s->ctx.serial_lookups);
    sim_persist_close(s->persist);
    sim_clock_free(s->clock);
    free(s->fixture_text);
    pu_ratelimit_free(s->rl_all);
    pu_ratelimit_free(s->rl_auth);
    pu_ratelimit_free(s->rl_stream_opens);
    pu_ratelimit_free(s->rl_streams_open);
    pthread_mutex_destroy(&s->stop_lock);
    pthread_cond_destroy(&s->stop_cond);
    free(s->listen_addr);
    free(s->fleet_path);
    free(s->state_path);
    free(s);
}

int sim_server_reset(sim_server *s, char *err, size_t err_size)
{
    sim_model_lock(s->model);
    sim_model_clear(s->model);
    sim_render_cache_clear(s->ctx.render); /* stale anyway (new revs): give the memory back */
    /* Loading builds: it tells the observers nothing, so the fixture is not stored back. */
    int rc = load_fleet(s, err, err_size);
    if (s->persist)
        sim_persist_wipe(s->persist);
    sim_hooks_clear(s->hooks);
    sim_env_clear(s->ctx.env);
    sim_env_changed(s->ctx.env); /* the stored copy is emptied too */
    sim_ledgers_clear(s->ledgers);
    sim_libraries_clear(s->libraries);
    sim_logic_clear(s->ctx.logic);
    sim_api_users_clear(s->ctx.api_users);
    sim_config_schemas_clear(s->ctx.config_schemas);
    sim_configs_changed(s->model); /* sim_model_clear dropped them: empty the stored copy */
    sim_model_unlock(s->model);
    return rc;
}
