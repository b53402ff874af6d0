/* fuzz_bridge: particle-sim plus particle-bridge in-process for the bridge fuzz targets. */
#include "fuzz_bridge.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "pu_log.h"
#include "pu_time.h"
#include "server.h"

#define SIM_TOKEN "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* a@example.com in the fleet */

static sim_server *sim;
static bridge_app *app;
static char scratch[512];

/* A bridge is started again on an empty store after this many inputs that may have changed
 * it, or this long: without a bound, the status posts, readings and events that inputs add,
 * and those the simulator's devices publish (about two a second), made each listing and
 * report slower: fuzz_bridge_request fell from 8,000 to 800 inputs/s over its first
 * 800,000, and with the count alone, to 1,400 over 500,000. */
#define CHANGES_PER_BRIDGE 500
#define MS_PER_BRIDGE 60000

static unsigned int changes;
static int64_t bridge_started_ms;

static void remove_store(void)
{
    char path[600];
    static const char *const files[] = {"bridge.db", "bridge.db-wal", "bridge.db-shm"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", scratch, files[i]);
        unlink(path);
    }
}

static void stop(void)
{
    bridge_app_free(app);
    sim_server_free(sim);
    remove_store();
    rmdir(scratch);
}

static void die(const char *what, const char *err)
{
    fprintf(stderr, "fuzz_bridge: %s: %s\n", what, err);
    abort();
}

static void start_sim(void)
{
    /* Refused requests and the simulator's chatter are ordinary here: errors only. */
    pu_log_configure(&(pu_log_options){.level = PU_LOG_ERROR});
    char err[512];
    const char *base = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/fuzz-bridge-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(scratch) == NULL) {
        die("scratch directory", scratch);
    }
    sim_server_options so;
    sim_server_options_init(&so);
    so.fleet_path = FUZZ_FLEET_PATH;
    so.threads = 1;
    so.offline_delay_ms = 1;
    if (sim_server_new(&sim, &so, err, sizeof err) != 0 || sim_server_start(sim, err, sizeof err)) {
        die("particle-sim", err);
    }
    atexit(stop);
}

static void start_bridge(void)
{
    char err[512];
    bridge_config cfg;
    bridge_config_defaults(&cfg);
    snprintf(cfg.cloud_url, sizeof cfg.cloud_url, "http://127.0.0.1:%u", sim_server_port(sim));
    snprintf(cfg.access_token, sizeof cfg.access_token, "%s", SIM_TOKEN);
    snprintf(cfg.api_key, sizeof cfg.api_key, "%s", FUZZ_BRIDGE_API_KEY);
    snprintf(cfg.webhook_secret, sizeof cfg.webhook_secret, "%s", FUZZ_BRIDGE_WEBHOOK_SECRET);
    snprintf(cfg.database_path, sizeof cfg.database_path, "%s/bridge.db", scratch);
    cfg.port = 0;
    cfg.flush_interval_ms = 5;
    if (bridge_config_validate(&cfg, err, sizeof err) != 0) {
        die("config", err);
    }
    app = bridge_app_new(&cfg, err, sizeof err);
    bridge_config_dispose(&cfg);
    if (app == NULL) {
        die("particle-bridge", err);
    }
}

static void retire_bridge(void)
{
    changes = 0;
    bridge_app_free(app);
    app = NULL;
    remove_store();
}

unsigned short fuzz_bridge_start(void)
{
    if (sim == NULL) {
        start_sim();
    }
    if (app != NULL && pu_time_mono_ms() - bridge_started_ms > MS_PER_BRIDGE) {
        retire_bridge();
    }
    if (app == NULL) {
        start_bridge();
        bridge_started_ms = pu_time_mono_ms();
    }
    return bridge_app_port(app);
}

void fuzz_bridge_changed(void)
{
    if (++changes >= CHANGES_PER_BRIDGE) {
        retire_bridge();
    }
}

void fuzz_bridge_flush(void)
{
    if (bridge_app_flush(app, 10000) != 0) {
        die("flush", "what the bridge received was not stored within 10 s");
    }
}
