/*
 * Webhooks end to end: particle-sim delivers 10,000 events to particle-bridge's
 * POST /api/v1/webhook while the bridge is killed (SIGKILL) and started again twice, and the
 * bridge's SQLite file ends up holding each event exactly once.
 *
 * particle-sim runs in-process on loopback port 0, with one user integration created through
 * its HTTP API: the default form body (event, data, published_at, coreid) to the bridge's
 * webhook URL with the shared secret in X-Webhook-Secret. The real particle-bridge program
 * runs as a child process on a fixed loopback port (the integration's URL must not change
 * across restarts), with the user's event stream on too, so every event also reaches it
 * through SSE: the exactly-once key (device, name, published_at, data) must make the two
 * sources one row. While the bridge is down the simulator's deliveries fail to connect and
 * are retried (100 ms, then doubling, 8 times); the retries and the bridge's de-duplication
 * together give exactly once. Events are published into the model as one device, numbered
 * 1..10,000 in their data, at about 1,000 a second. Bounded: every wait has a deadline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "canned_server.h"
#include "http_client.h"
#include "pu_time.h"
#include "server.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "webhook-e2e-api-key-0123456789"
#define SECRET "webhook-e2e-shared-secret-0123"
#define DEVICE "demo-argon-1"
#define EVENT_NAME "wh-e2e"
#define EVENTS 10000

typedef struct fixture {
    char dir[512], db[600], config[600], log[600], program[1024];
    sim_server *sim;
    int bridge_port;
    pid_t bridge;
    pthread_t publisher;
    atomic_long published;
} fixture;

typedef struct stored {
    long events, distinct_data, min_seq, max_seq, from_webhook, from_sse;
} stored;

static stored read_db(const char *path)
{
    stored s = {0};
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        if (sqlite3_prepare_v2(db,
                               "SELECT count(*), count(DISTINCT data), "
                               "coalesce(min(CAST(data AS INTEGER)), 0), "
                               "coalesce(max(CAST(data AS INTEGER)), 0), "
                               "coalesce(sum(source = 'webhook'), 0), "
                               "coalesce(sum(source = 'sse'), 0) FROM events WHERE name = ?1",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, EVENT_NAME, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW) {
                s.events = (long)sqlite3_column_int64(st, 0);
                s.distinct_data = (long)sqlite3_column_int64(st, 1);
                s.min_seq = (long)sqlite3_column_int64(st, 2);
                s.max_seq = (long)sqlite3_column_int64(st, 3);
                s.from_webhook = (long)sqlite3_column_int64(st, 4);
                s.from_sse = (long)sqlite3_column_int64(st, 5);
            }
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return s;
}

static pid_t start_bridge(fixture *f)
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
        execl(f->program, f->program, "--config", f->config, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void kill_bridge(fixture *f, int sig)
{
    int status = 0;
    assert_int_equal(kill(f->bridge, sig), 0);
    assert_int_equal(waitpid(f->bridge, &status, 0), f->bridge);
    f->bridge = -1;
    if (sig == SIGTERM)
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static bool wait_stored(fixture *f, long n, int64_t timeout_ms)
{
    int64_t deadline = pu_time_mono_ms() + timeout_ms;
    while (pu_time_mono_ms() < deadline) {
        if (read_db(f->db).events >= n)
            return true;
        pu_time_sleep_ms(50);
    }
    return false;
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

/* Publishes EVENTS numbered events as DEVICE, 10 every 10 ms. */
static void *publish_main(void *arg)
{
    fixture *f = arg;
    sim_model *m = sim_server_model(f->sim);
    sim_model_lock(m);
    uint32_t dev = SIM_NONE;
    for (uint32_t i = 0; i < m->device_count && dev == SIM_NONE; i++)
        if (m->devices[i].name && strcmp(m->devices[i].name, DEVICE) == 0)
            dev = i;
    sim_model_unlock(m);
    assert_true(dev != SIM_NONE);
    for (long seq = 1; seq <= EVENTS; seq++) {
        char data[24];
        snprintf(data, sizeof data, "%ld", seq);
        sim_model_lock(m);
        /* published_at has millisecond precision: one ms per event keeps keys apart even if
         * the data were equal (they are not) */
        sim_model_emit_device_event(m, dev, EVENT_NAME, data, true);
        sim_model_unlock(m);
        atomic_store(&f->published, seq);
        if (seq % 10 == 0)
            pu_time_sleep_ms(10);
    }
    return NULL;
}

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

/* The integration that sends EVENT_NAME to the bridge, through the simulator's API. */
static void create_integration(fixture *f)
{
    char url[256], body[512], auth[128] = "Authorization: Bearer " TOKEN;
    snprintf(body, sizeof body,
             "{\"event\":\"%s\",\"url\":\"http://127.0.0.1:%d/api/v1/webhook\","
             "\"headers\":{\"X-Webhook-Secret\":\"%s\"}}",
             EVENT_NAME, f->bridge_port, SECRET);
    const char *headers[] = {auth, "Content-Type: application/json", NULL};
    http_call call = {.method = "POST",
                      .url = http_url(url, sizeof url, sim_server_port(f->sim), "/v1/integrations"),
                      .headers = headers,
                      .body = body,
                      .body_len = strlen(body)};
    http_reply r;
    http_perform(&call, &r);
    if (r.status != 201)
        fail_msg("create integration: %ld %s", r.status, r.body);
    http_reply_dispose(&r);
}

/* The integration's counters (the simulator's list has the one integration). */
static json_t *hook_counters(fixture *f)
{
    char url[256], auth[128] = "Authorization: Bearer " TOKEN;
    const char *headers[] = {auth, NULL};
    http_call call = {.url = http_url(url, sizeof url, sim_server_port(f->sim), "/v1/integrations"),
                      .headers = headers};
    http_reply r;
    http_perform(&call, &r);
    json_t *list = http_reply_json(&r);
    http_reply_dispose(&r);
    json_t *c = json_incref(json_object_get(json_array_get(list, 0), "counters"));
    json_decref(list);
    assert_non_null(c);
    return c;
}

static long counter(const json_t *c, const char *name)
{
    return (long)json_integer_value(json_object_get(c, name));
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[512];
    const char *base = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/bridge-webhook-XXXXXX", base && *base ? base : "/tmp");
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
    so.webhook_retries = 8; /* 25.5 s of retries: far longer than a restart */
    /* A replay window smaller than what is published while the bridge is down (about 400
     * events): the stream then skips some events after each restart (a gap, as against the
     * real cloud, which keeps no replay) and only the webhook brings them, so both paths
     * store some of the events whatever the timing. */
    so.replay_events = 64;
    if (sim_server_new(&f->sim, &so, err, sizeof err) != 0 ||
        sim_server_start(f->sim, err, sizeof err) != 0) {
        fprintf(stderr, "sim: %s\n", err);
        return -1;
    }
    f->bridge_port = canned_unused_port();
    int fd = open(f->config, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fp == NULL || f->bridge_port == 0)
        return -1;
    /* check-source: allow token-print -- writes the bridge config file, which holds the token */
    fprintf(fp,
            "[cloud]\nurl = http://127.0.0.1:%u\ntoken = %s\nuser_scope = true\n"
            "request_timeout = 5s\n"
            "[database]\npath = %s\n"
            "[api]\nport = %d\napi_key = %s\nwebhook_secret = %s\n"
            "[defaults]\ncheck_interval = 1h\n"
            "[ingest]\nflush_interval = 20ms\n",
            sim_server_port(f->sim), TOKEN, f->db, f->bridge_port, KEY, SECRET);
    fclose(fp);
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
    sim_server_free(f->sim);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (strstr(f->dir, "bridge-webhook-") != NULL && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

/* Waits until @p n events are stored, then kills the bridge and starts it again. */
static void kill_and_restart_at(fixture *f, long n)
{
    if (!wait_stored(f, n, 60000)) {
        dump_log(f);
        fail_msg("the bridge never stored %ld events (has %ld)", n, read_db(f->db).events);
    }
    kill_bridge(f, SIGKILL);
    long at_kill = atomic_load(&f->published);
    pu_time_sleep_ms(500);
    fprintf(stderr, "killed at %ld stored; %ld published while it was down\n", n,
            atomic_load(&f->published) - at_kill);
    f->bridge = start_bridge(f);
}

static void test_webhooks_through_two_restarts_are_exactly_once(void **state)
{
    fixture *f = *state;
    find_program(f);
    f->bridge = start_bridge(f);
    /* ready when its webhook route answers (401 without the secret) */
    int64_t deadline = pu_time_mono_ms() + 30000;
    for (;;) {
        char url[128];
        http_call call = {
            .method = "POST",
            .url = http_url(url, sizeof url, (unsigned short)f->bridge_port, "/api/v1/webhook"),
            .body = "{}",
            .body_len = 2,
            .timeout_ms = 1000};
        http_reply r;
        http_perform(&call, &r);
        long status = r.status;
        http_reply_dispose(&r);
        if (status == 401)
            break;
        if (pu_time_mono_ms() > deadline) {
            dump_log(f);
            fail_msg("the bridge did not start");
        }
        pu_time_sleep_ms(50);
    }
    create_integration(f);
    assert_int_equal(pthread_create(&f->publisher, NULL, publish_main, f), 0);
    kill_and_restart_at(f, 2500);
    kill_and_restart_at(f, 6000);
    pthread_join(f->publisher, NULL);
    bool all = wait_stored(f, EVENTS, 120000);
    /* The webhooks alone got every event through: each one answered 2xx at least once
     * (a request cut by a kill is retried, so a few may have succeeded twice). */
    json_t *c = NULL;
    for (int64_t end = pu_time_mono_ms() + 120000; pu_time_mono_ms() < end;) {
        json_decref(c);
        c = hook_counters(f);
        if (counter(c, "succeeded") >= EVENTS)
            break;
        pu_time_sleep_ms(100);
    }
    fprintf(stderr, "webhook deliveries: %ld succeeded, %ld failed, %ld retried, %ld dropped\n",
            counter(c, "succeeded"), counter(c, "failed"), counter(c, "retried"),
            counter(c, "dropped"));
    assert_true(counter(c, "succeeded") >= EVENTS);
    assert_true(counter(c, "failed") > 0); /* the restarts were felt */
    assert_int_equal(counter(c, "dropped"), 0);
    json_decref(c);
    pu_time_sleep_ms(500); /* late repeats, if any, would land now */
    kill_bridge(f, SIGTERM);
    stored s = read_db(f->db);
    fprintf(stderr, "stored %ld events of %d (%ld by webhook, %ld by the stream)\n", s.events,
            EVENTS, s.from_webhook, s.from_sse);
    if (!all)
        dump_log(f);
    assert_int_equal(s.events, EVENTS);
    assert_int_equal(s.distinct_data, EVENTS);
    assert_int_equal(s.min_seq, 1);
    assert_int_equal(s.max_seq, EVENTS);
    assert_true(s.from_webhook > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_webhooks_through_two_restarts_are_exactly_once, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
