/*
 * Faults on both sides of the event stream: particle-sim and particle-bridge are killed and
 * restarted in turns (SIGKILL and SIGTERM each) while numbered events are published, and
 * the bridge's database must end up with every accepted event exactly once.
 *
 * Both programs run as child processes on loopback; the simulator keeps one port across
 * restarts so the bridge's config stays valid. What makes it work: a restarted simulator
 * numbers its events above the old process's (docs/SIM.md, "Event ids and replay"), so the
 * bridge's stored cursor makes it replay its whole window (after a ":gap" the bridge counts
 * and logs), and a restarted bridge resumes from its cursor inside the window.
 *
 * The publisher is at-least-once, like any client of a cloud that can die mid-request: when
 * an attempt fails it retries the same number, unless the bridge already stored it (the
 * simulator accepted and streamed it, then died before answering). So a duplicate here is
 * the bridge's, not the publisher's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <particle/particle.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http_client.h"
#include "pu_time.h"
#include "sim_publisher.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "faults-api-key-0123456789"
#define DEVICE "demo-argon-1"
#define EVENT_NAME "fault-test"
#define PUBLISH_PERIOD_MS 10
#define STEP_TIMEOUT_MS 30000

typedef struct fixture {
    char dir[512], db[600], config[600], bridge_log[600], sim_log[600];
    char bridge_program[1024], sim_program[1024];
    unsigned short sim_port;
    pid_t sim, bridge;
    pthread_t publisher;
    atomic_bool stop;
    atomic_bool hold, held;     /* hold_publisher() */
    atomic_long published;      /* accepted (or found stored), numbered 1..published */
    atomic_long retried_stored; /* failed attempts whose event the bridge had already */
} fixture;

typedef struct stored {
    long events, distinct_data, min_seq, max_seq;
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
                               "coalesce(max(CAST(data AS INTEGER)), 0) "
                               "FROM events WHERE name = ?1",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, EVENT_NAME, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW) {
                s.events = (long)sqlite3_column_int64(st, 0);
                s.distinct_data = (long)sqlite3_column_int64(st, 1);
                s.min_seq = (long)sqlite3_column_int64(st, 2);
                s.max_seq = (long)sqlite3_column_int64(st, 3);
            }
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return s;
}

static bool is_stored(const char *path, long seq)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    bool found = false;
    char data[32];
    snprintf(data, sizeof data, "%ld", seq);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT 1 FROM events WHERE name = ?1 AND data = ?2", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, EVENT_NAME, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, data, -1, SQLITE_TRANSIENT);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return found;
}

static size_t discard(char *p, size_t size, size_t n, void *user)
{
    (void)p;
    (void)user;
    return size * n;
}

static void *publisher_main(void *arg)
{
    fixture *f = arg;
    char url[256], auth[256], body[160];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/sim/devices/%s/events", f->sim_port, DEVICE);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", TOKEN);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    h = curl_slist_append(h, "Content-Type: application/json");
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    bool failed_before = false; /* the last attempt at this number failed */
    while (!atomic_load(&f->stop)) {
        if (atomic_load(&f->hold)) {
            atomic_store(&f->held, true);
            pu_time_sleep_ms(2);
            continue;
        }
        atomic_store(&f->held, false);
        long next = atomic_load(&f->published) + 1;
        if (failed_before && is_stored(f->db, next)) {
            atomic_store(&f->published, next); /* accepted before the simulator died */
            atomic_fetch_add(&f->retried_stored, 1);
            failed_before = false;
            continue;
        }
        snprintf(body, sizeof body, "{\"name\":\"%s\",\"data\":\"%ld\"}", EVENT_NAME, next);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        long status = 0;
        if (curl_easy_perform(c) == CURLE_OK &&
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200) {
            atomic_store(&f->published, next);
            failed_before = false;
        } else {
            failed_before = true;
        }
        pu_time_sleep_ms(PUBLISH_PERIOD_MS);
    }
    curl_easy_cleanup(c);
    curl_slist_free_all(h);
    return NULL;
}

static pid_t spawn(const char *log, char *const argv[])
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, STDERR_FILENO);
            dup2(fd, STDOUT_FILENO);
            close(fd);
        }
        unsetenv("PARTICLE_ACCESS_TOKEN");
        unsetenv("PARTICLE_BRIDGE_API_KEY");
        unsetenv("PARTICLE_BRIDGE_WEBHOOK_SECRET");
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static void start_sim(fixture *f)
{
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%u", f->sim_port);
    char *argv[] = {f->sim_program, "--listen", listen, "--quiet", "--threads", "4", NULL};
    f->sim = spawn(f->sim_log, argv);
    int64_t deadline = pu_time_mono_ms() + STEP_TIMEOUT_MS;
    while (sim_sse_subscribers(f->sim_port, TOKEN) < 0 && pu_time_mono_ms() < deadline)
        pu_time_sleep_ms(20);
    assert_true(sim_sse_subscribers(f->sim_port, TOKEN) >= 0);
}

static void start_bridge(fixture *f)
{
    char *argv[] = {f->bridge_program, "--config", f->config, NULL};
    f->bridge = spawn(f->bridge_log, argv);
}

/* Sends @p sig to *pid and reaps it. */
static void stop_child(pid_t *pid, int sig)
{
    assert_int_equal(kill(*pid, sig), 0);
    int status = 0;
    assert_int_equal(waitpid(*pid, &status, 0), *pid);
    *pid = -1;
}

static void dump(const char *what, const char *path)
{
    FILE *fp = fopen(path, "r");
    char line[1024];
    while (fp != NULL && fgets(line, sizeof line, fp) != NULL)
        fprintf(stderr, "  %s: %s", what, line);
    if (fp != NULL)
        fclose(fp);
}

/* Waits until the database holds at least @p n of our events. */
static void wait_stored(fixture *f, long n)
{
    int64_t deadline = pu_time_mono_ms() + STEP_TIMEOUT_MS;
    while (read_db(f->db).events < n && pu_time_mono_ms() < deadline)
        pu_time_sleep_ms(20);
    if (read_db(f->db).events < n) {
        dump("bridge", f->bridge_log);
        for (long i = 1; i <= n; i++) {
            if (!is_stored(f->db, i))
                fprintf(stderr, "missing event %ld\n", i);
        }
        fail_msg("stored %ld of %ld events", read_db(f->db).events, n);
    }
}

/*
 * Holds the publisher between two attempts and waits until the bridge stored every event it
 * published, or lets it go on. Before a SIGKILL of the simulator: an event it answered 200
 * for in the instant before the kill, before a stream wrote it to its socket, dies with the
 * process (it keeps no journal, docs/SIM.md "Stopping"); no client can get it back, so the
 * kill must not fall in that instant. Everything else goes on as it would: the publisher
 * keeps trying while the simulator is down, and what it publishes after the restart, before
 * the bridge is back, comes through the replay.
 */
static void hold_publisher(fixture *f, bool hold)
{
    atomic_store(&f->hold, hold);
    if (!hold)
        return;
    int64_t deadline = pu_time_mono_ms() + STEP_TIMEOUT_MS;
    while (!atomic_load(&f->held) && pu_time_mono_ms() < deadline)
        pu_time_sleep_ms(2);
    assert_true(atomic_load(&f->held));
    wait_stored(f, atomic_load(&f->published));
}

/* Waits until the stream is connected and ingest has moved on by 50 events. */
static void wait_progress(fixture *f)
{
    wait_stored(f, atomic_load(&f->published) + 50);
}

static bool log_contains(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "r");
    char line[1024];
    bool found = false;
    while (fp != NULL && !found && fgets(line, sizeof line, fp) != NULL)
        found = strstr(line, needle) != NULL;
    if (fp != NULL)
        fclose(fp);
    return found;
}

static unsigned short free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

/* <build>/tests/<test> -> <build>/<dir>/<name> */
static void find_program(char *out, size_t size, const char *dir, const char *name)
{
    char self[900];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    assert_non_null(slash);
    *slash = '\0';
    snprintf(out, size, "%s/../%s/%s", self, dir, name);
    if (access(out, X_OK) != 0)
        fail_msg("%s is missing: build the %s target first", out, name);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    const char *base = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/sim-faults-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    f->sim = f->bridge = -1;
    snprintf(f->db, sizeof f->db, "%s/bridge.db", f->dir);
    snprintf(f->config, sizeof f->config, "%s/bridge.ini", f->dir);
    snprintf(f->bridge_log, sizeof f->bridge_log, "%s/bridge.log", f->dir);
    snprintf(f->sim_log, sizeof f->sim_log, "%s/sim.log", f->dir);
    f->sim_port = free_port();
    int fd = open(f->config, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fp == NULL)
        return -1;
    /* check-source: allow token-print -- writes the bridge config file, which holds the token */
    fprintf(fp,
            "[cloud]\nurl = http://127.0.0.1:%u\ntoken = %s\nuser_scope = true\n"
            "request_timeout = 5s\n"
            "[database]\npath = %s\n"
            "[api]\nport = 0\napi_key = %s\n"
            "[defaults]\ncheck_interval = 1h\n"
            "[ingest]\nflush_interval = 20ms\n",
            f->sim_port, TOKEN, f->db, KEY);
    fclose(fp);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->bridge > 0)
        stop_child(&f->bridge, SIGKILL);
    if (f->sim > 0)
        stop_child(&f->sim, SIGKILL);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (strstr(f->dir, "sim-faults-") != NULL && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

static void test_sim_and_bridge_killed_in_turns_lose_nothing(void **state)
{
    fixture *f = *state;
    find_program(f->bridge_program, sizeof f->bridge_program, "bridge", "particle-bridge");
    find_program(f->sim_program, sizeof f->sim_program, "sim", "particle-sim");
    start_sim(f);
    start_bridge(f);
    int64_t deadline = pu_time_mono_ms() + STEP_TIMEOUT_MS;
    while (sim_sse_subscribers(f->sim_port, TOKEN) < 1 && pu_time_mono_ms() < deadline)
        pu_time_sleep_ms(20);
    assert_true(sim_sse_subscribers(f->sim_port, TOKEN) >= 1);
    assert_int_equal(pthread_create(&f->publisher, NULL, publisher_main, f), 0);
    wait_progress(f);

    /* In turns: the simulator (SIGKILL), the bridge (SIGKILL), the simulator (SIGTERM), the
     * bridge (SIGTERM); each down for a while as the publisher keeps trying. */
    static const struct {
        bool sim;
        int sig;
    } faults[] = {{true, SIGKILL}, {false, SIGKILL}, {true, SIGTERM}, {false, SIGTERM}};
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        bool hold = faults[i].sim && faults[i].sig == SIGKILL;
        if (hold)
            hold_publisher(f, true);
        fprintf(stderr, "fault %zu at event %ld\n", i, atomic_load(&f->published));
        stop_child(faults[i].sim ? &f->sim : &f->bridge, faults[i].sig);
        if (hold)
            hold_publisher(f, false);
        pu_time_sleep_ms(500);
        if (faults[i].sim)
            start_sim(f);
        else
            start_bridge(f);
        wait_progress(f);
    }
    atomic_store(&f->stop, true);
    pthread_join(f->publisher, NULL);
    long published = atomic_load(&f->published);
    wait_stored(f, published);
    pu_time_sleep_ms(200); /* a late duplicate would land now */
    stop_child(&f->bridge, SIGTERM);
    stored s = read_db(f->db);
    fprintf(stderr, "published %ld (%ld found stored after a failed attempt); stored %ld\n",
            published, atomic_load(&f->retried_stored), s.events);
    if (s.events != published || s.distinct_data != published)
        dump("bridge", f->bridge_log);
    /* 0 lost, 0 duplicated */
    assert_int_equal(s.events, published);
    assert_int_equal(s.distinct_data, published);
    assert_int_equal(s.min_seq, 1);
    assert_int_equal(s.max_seq, published);
    /* the simulator restarts were noticed as gaps of unknown size, and replayed over */
    assert_true(log_contains(f->bridge_log, "gap of unknown size"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sim_and_bridge_killed_in_turns_lose_nothing, setup,
                                        teardown),
    };
    particle_global_init();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return rc;
}
