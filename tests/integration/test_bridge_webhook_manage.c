/*
 * The bridge's integration manager (bridge/webhook_sync.c) against the real particle-sim:
 * particle-sim runs in-process on loopback port 0 and the real particle-bridge program runs
 * as a child with `[webhook] manage = true`, its public URL being its own loopback URL. The
 * test checks, through libparticle's integration calls on the simulator, that
 *   - the bridge creates the integration (event prefix, URL, secret header, POST);
 *   - an event the simulator publishes is delivered by the simulator to the bridge's
 *     receiver and stored (source 'webhook': the bridge streams only another product, so
 *     the webhook is the event's only way in);
 *   - an integration edited behind the bridge's back is put back on the next sync;
 *   - a restarted bridge keeps the same integration (no second one);
 *   - `particle-bridge --remove-webhook` deletes it and forgets its id.
 * Every wait has a deadline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "canned_server.h"
#include "particle/particle.h"
#include "pu_time.h"
#include "server.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "webhook-manage-api-key-0123456789"
#define SECRET "webhook-manage-shared-secret-01"
#define DEVICE "demo-argon-1" /* a developer device: not in the env-sensors product */
#define EVENT_NAME "wh-manage"
#define WAIT_MS 20000

typedef struct fixture {
    char dir[512], db[600], config[600], log[600], program[1024], receiver[128];
    sim_server *sim;
    particle_client *cloud; /* the demo user on the simulator */
    pid_t bridge;
} fixture;

static void find_program(fixture *f)
{
    char self[900];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = '\0';
    *strrchr(self, '/') = '\0';
    snprintf(f->program, sizeof f->program, "%s/../bridge/particle-bridge", self);
    if (access(f->program, X_OK) != 0)
        fail_msg("%s is missing: build the particle-bridge target first", f->program);
}

/* Runs particle-bridge --config FILE [@p extra] with its output appended to the log. */
static pid_t run_bridge(fixture *f, const char *extra)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(f->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, STDERR_FILENO);
            dup2(fd, STDOUT_FILENO);
            close(fd);
        }
        unsetenv("PARTICLE_ACCESS_TOKEN");
        unsetenv("PARTICLE_BRIDGE_API_KEY");
        unsetenv("PARTICLE_BRIDGE_WEBHOOK_SECRET");
        execl(f->program, f->program, "--config", f->config, extra, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void stop_bridge(fixture *f)
{
    int status = 0;
    assert_int_equal(kill(f->bridge, SIGTERM), 0);
    assert_int_equal(waitpid(f->bridge, &status, 0), f->bridge);
    f->bridge = -1;
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void dump_log(const fixture *f)
{
    FILE *fp = fopen(f->log, "r");
    char line[1024];
    int n = 0;
    while (fp != NULL && fgets(line, sizeof line, fp) != NULL && n++ < 200)
        fprintf(stderr, "  bridge: %s", line);
    if (fp != NULL)
        fclose(fp);
}

/* One number from the bridge's database (@p sql with one text parameter @p arg); -1 when
 * it cannot be read. */
static long db_count(const fixture *f, const char *sql, const char *arg)
{
    long n = -1;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW)
                n = (long)sqlite3_column_int64(st, 0);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static long stored_from_webhook(const fixture *f, const char *data)
{
    return db_count(f,
                    "SELECT count(*) FROM events WHERE name = '" EVENT_NAME
                    "' AND source = 'webhook' AND data = ?1",
                    data);
}

/* The user's integrations on the simulator: exactly @p want of them, else NULL after the
 * deadline. */
static particle_integrations *wait_integrations(fixture *f, size_t want)
{
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    while (pu_time_mono_ms() < deadline) {
        particle_integrations *list = NULL;
        assert_int_equal(particle_integration_list(&list, f->cloud, NULL), 0);
        if (particle_integrations_count(list) == want)
            return list;
        particle_integrations_free(list);
        pu_time_sleep_ms(50);
    }
    dump_log(f);
    fail_msg("the simulator did not come to %zu integrations", want);
    return NULL;
}

/* The integration as the bridge wants it. */
static bool as_configured(const particle_integration *it, const fixture *f)
{
    const char *secret = particle_value_string(particle_value_get(it->headers, "X-Webhook-Secret"));
    return it->event != NULL && strcmp(it->event, EVENT_NAME) == 0 && it->url != NULL &&
           strcmp(it->url, f->receiver) == 0 && it->request_type != NULL &&
           strcmp(it->request_type, "POST") == 0 && secret != NULL && strcmp(secret, SECRET) == 0 &&
           it->disabled != PARTICLE_YES;
}

/* Waits until integration @p id is as configured again. */
static void wait_configured(fixture *f, const char *id)
{
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    while (pu_time_mono_ms() < deadline) {
        particle_integration *it = NULL;
        assert_int_equal(particle_integration_get(&it, f->cloud, NULL, id), 0);
        bool ok = as_configured(it, f);
        particle_integration_free(it);
        if (ok)
            return;
        pu_time_sleep_ms(50);
    }
    dump_log(f);
    fail_msg("integration %s was not put back", id);
}

/* Edits the integration behind the bridge's back: another event and URL, no secret header
 * (so only the id the bridge stored can find it again). */
static void drift(fixture *f, const char *id)
{
    particle_integration_options o = PARTICLE_INTEGRATION_OPTIONS_INIT;
    o.event = "somebody-else";
    o.url = "http://127.0.0.1:9/elsewhere";
    particle_integration *it = NULL;
    assert_int_equal(particle_integration_edit(&it, f->cloud, NULL, id, &o), 0);
    assert_string_equal(it->event, "somebody-else");
    assert_null(it->headers);
    particle_integration_free(it);
}

static void publish(fixture *f, const char *data)
{
    sim_model *m = sim_server_model(f->sim);
    sim_model_lock(m);
    uint32_t dev = SIM_NONE;
    for (uint32_t i = 0; i < m->device_count && dev == SIM_NONE; i++)
        if (m->devices[i].name && strcmp(m->devices[i].name, DEVICE) == 0)
            dev = i;
    assert_true(dev != SIM_NONE);
    sim_model_emit_device_event(m, dev, EVENT_NAME, data, true);
    sim_model_unlock(m);
}

static void wait_stored(fixture *f, const char *data)
{
    int64_t deadline = pu_time_mono_ms() + WAIT_MS;
    while (pu_time_mono_ms() < deadline) {
        if (stored_from_webhook(f, data) == 1)
            return;
        pu_time_sleep_ms(50);
    }
    dump_log(f);
    fail_msg("event %s was not stored from the webhook", data);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[512];
    const char *base = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/bridge-manage-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    f->bridge = -1;
    snprintf(f->db, sizeof f->db, "%s/bridge.db", f->dir);
    snprintf(f->config, sizeof f->config, "%s/bridge.ini", f->dir);
    snprintf(f->log, sizeof f->log, "%s/bridge.log", f->dir);
    sim_server_options so;
    sim_server_options_init(&so);
    so.threads = 4;
    so.webhook_retry_ms = 100;
    if (sim_server_new(&f->sim, &so, err, sizeof err) != 0 ||
        sim_server_start(f->sim, err, sizeof err) != 0) {
        fprintf(stderr, "sim: %s\n", err);
        return -1;
    }
    char cloud_url[64];
    snprintf(cloud_url, sizeof cloud_url, "http://127.0.0.1:%u", sim_server_port(f->sim));
    particle_client_options co = PARTICLE_CLIENT_OPTIONS_INIT;
    co.base_url = cloud_url;
    co.access_token = TOKEN;
    co.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    co.request_timeout_ms = 5000;
    if (particle_client_new(&f->cloud, &co) != 0)
        return -1;
    int port = canned_unused_port(); /* fixed: the integration's URL must outlive a restart */
    snprintf(f->receiver, sizeof f->receiver, "http://127.0.0.1:%d/api/v1/webhook", port);
    int fd = open(f->config, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fp == NULL || port == 0)
        return -1;
    /* check-source: allow token-print -- writes the bridge config file, which holds the token */
    fprintf(fp,
            "[cloud]\nurl = %s\ntoken = %s\nuser_scope = false\nproducts = env-sensors\n"
            "sync_interval = 1s\nrequest_timeout = 5s\n"
            "[database]\npath = %s\n"
            "[api]\nport = %d\napi_key = %s\nwebhook_secret = %s\n"
            "[defaults]\ncheck_interval = 1h\n"
            "[ingest]\nflush_interval = 20ms\n"
            "[webhook]\nmanage = true\npublic_url = http://127.0.0.1:%d/\nevents = %s\n",
            cloud_url, TOKEN, f->db, port, KEY, SECRET, port, EVENT_NAME);
    fclose(fp);
    find_program(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->bridge > 0) {
        kill(f->bridge, SIGKILL);
        waitpid(f->bridge, NULL, 0);
    }
    particle_client_free(f->cloud);
    sim_server_free(f->sim);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

static void test_bridge_keeps_its_integration_in_the_simulator(void **state)
{
    fixture *f = *state;
    f->bridge = run_bridge(f, NULL);

    /* created as configured, its id kept in the bridge's settings */
    particle_integrations *list = wait_integrations(f, 1);
    char id[32];
    snprintf(id, sizeof id, "%s", particle_integrations_at(list, 0)->id);
    particle_integrations_free(list);
    wait_configured(f, id);
    particle_integration *it = NULL;
    assert_int_equal(particle_integration_get(&it, f->cloud, NULL, id), 0);
    assert_string_equal(it->name, "particle-bridge");
    particle_integration_free(it);

    /* delivered by the simulator, stored by the bridge */
    publish(f, "1");
    wait_stored(f, "1");
    assert_int_equal(particle_integration_get(&it, f->cloud, NULL, id), 0);
    assert_true(particle_value_int(particle_value_get(it->counters, "succeeded"), 0) >= 1);
    particle_integration_free(it);
    assert_int_equal(db_count(f, "SELECT count(*) FROM bridge_settings WHERE value = ?1", id), 1);

    /* drift is put back on the next sync (1 s), under the same id */
    drift(f, id);
    wait_configured(f, id);
    publish(f, "2");
    wait_stored(f, "2");

    /* a restart reuses the integration: drift it while the bridge is down, and the new
     * process fixes that one instead of creating a second */
    stop_bridge(f);
    drift(f, id);
    f->bridge = run_bridge(f, NULL);
    wait_configured(f, id);
    list = wait_integrations(f, 1);
    assert_string_equal(particle_integrations_at(list, 0)->id, id);
    particle_integrations_free(list);
    publish(f, "3");
    wait_stored(f, "3");
    stop_bridge(f);

    /* --remove-webhook deletes it and forgets the id */
    pid_t remover = run_bridge(f, "--remove-webhook");
    int status = 0;
    assert_int_equal(waitpid(remover, &status, 0), remover);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        dump_log(f);
        fail_msg("particle-bridge --remove-webhook failed");
    }
    list = wait_integrations(f, 0);
    particle_integrations_free(list);
    assert_int_equal(db_count(f, "SELECT count(*) FROM bridge_settings WHERE value = ?1", id), 0);
    assert_int_equal(particle_integration_get(&it, f->cloud, NULL, id), PARTICLE_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bridge_keeps_its_integration_in_the_simulator, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
