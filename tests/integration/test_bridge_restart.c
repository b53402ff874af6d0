/*
 * particle-bridge killed with SIGKILL in the middle of ingest and started again: it stores
 * nothing twice and misses nothing the simulator can replay.
 *
 * particle-sim runs in-process on loopback port 0; the real particle-bridge program runs as
 * a child process with a config file in a scratch directory. A publisher thread publishes
 * numbered events steadily as one device through the simulator's control API, before,
 * during and after the bridge's downtime. The restarted bridge must resume its stream from
 * the Last-Event-ID it stored (the simulator replays from its ring of recent events), so
 * the SQLite file ends up holding every published event exactly once, each with its one
 * derived measurement.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <particle/particle.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pu_time.h"
#include "server.h"
#include "sim_publisher.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "restart-api-key-0123456789"
#define DEVICE "demo-argon-1"
#define EVENT_NAME "restart-test"
#define PUBLISH_PERIOD_MS 10 /* about 100 events/s: the downtime stays far inside the ring */

typedef struct fixture {
    char dir[512];
    char db[600];
    char config[600];
    char log[600];
    char program[1024];
    sim_server *sim;
    pid_t bridge;
    sim_publisher pub;
} fixture;

/* What the bridge's database holds for EVENT_NAME. */
typedef struct stored {
    long events;           /* rows */
    long distinct_data;    /* different payloads among them */
    long min_seq, max_seq; /* range of the payload numbers */
    long measurements;     /* derived rows */
} stored;

static stored read_db(const char *path)
{
    stored s = {0};
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return s; /* not created yet */
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*), count(DISTINCT data), "
                           "coalesce(min(CAST(data AS INTEGER)), 0), "
                           "coalesce(max(CAST(data AS INTEGER)), 0), "
                           "(SELECT count(*) FROM measurements WHERE name = ?1) "
                           "FROM events WHERE name = ?1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, EVENT_NAME, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            s.events = (long)sqlite3_column_int64(st, 0);
            s.distinct_data = (long)sqlite3_column_int64(st, 1);
            s.min_seq = (long)sqlite3_column_int64(st, 2);
            s.max_seq = (long)sqlite3_column_int64(st, 3);
            s.measurements = (long)sqlite3_column_int64(st, 4);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return s;
}

/* Starts the particle-bridge program; its stderr goes to f->log (appended). */
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
        /* Only the config file's secrets count. */
        unsetenv("PARTICLE_ACCESS_TOKEN");
        unsetenv("PARTICLE_BRIDGE_API_KEY");
        unsetenv("PARTICLE_BRIDGE_WEBHOOK_SECRET");
        execl(f->program, f->program, "--config", f->config, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Waits until the database holds at least @p n events of ours; false on timeout or when
 * the bridge exited. */
static bool wait_stored(fixture *f, long n, int64_t timeout_ms)
{
    int64_t deadline = pu_time_mono_ms() + timeout_ms;
    while (pu_time_mono_ms() < deadline) {
        if (read_db(f->db).events >= n) {
            return true;
        }
        int status;
        if (waitpid(f->bridge, &status, WNOHANG) == f->bridge) {
            f->bridge = -1;
            return false;
        }
        pu_time_sleep_ms(20);
    }
    return false;
}

/* Prints the payload numbers in 1..@p published that are not stored (diagnostics). */
static void print_missing(const char *path, long published)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT 1 FROM events WHERE name = ?1 AND data = ?2", -1, &st,
                           NULL) == SQLITE_OK) {
        char seq[32];
        for (long i = 1; i <= published; i++) {
            snprintf(seq, sizeof seq, "%ld", i);
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, EVENT_NAME, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, seq, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(st) != SQLITE_ROW) {
                fprintf(stderr, "missing event %ld\n", i);
            }
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static bool file_contains(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "r");
    char line[1024];
    bool found = false;
    while (fp != NULL && !found && fgets(line, sizeof line, fp) != NULL) {
        found = strstr(line, needle) != NULL;
    }
    if (fp != NULL) {
        fclose(fp);
    }
    return found;
}

static void dump_log(const fixture *f)
{
    FILE *fp = fopen(f->log, "r");
    char line[1024];
    while (fp != NULL && fgets(line, sizeof line, fp) != NULL) {
        fprintf(stderr, "  bridge: %s", line);
    }
    if (fp != NULL) {
        fclose(fp);
    }
}

/* The program sits next to the test binaries' sibling directory: <build>/bridge/. */
static void find_program(fixture *f)
{
    char self[900];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    assert_non_null(slash);
    *slash = '\0'; /* <build>/tests */
    snprintf(f->program, sizeof f->program, "%s/../bridge/particle-bridge", self);
    if (access(f->program, X_OK) != 0) {
        fail_msg("%s is missing: build the particle-bridge target first", f->program);
    }
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[512];
    const char *base = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/bridge-restart-XXXXXX", base && *base ? base : "/tmp");
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
    so.port = 0;
    so.threads = 4;
    if (sim_server_new(&f->sim, &so, err, sizeof err) != 0 ||
        sim_server_start(f->sim, err, sizeof err) != 0) {
        fprintf(stderr, "sim: %s\n", err);
        return -1;
    }
    /* Secrets in the file itself are accepted only from a 0600 file. */
    int fd = open(f->config, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fp == NULL) {
        return -1;
    }
    /* check-source: allow token-print -- writes the bridge config file, which holds the token */
    fprintf(fp,
            "[cloud]\nurl = http://127.0.0.1:%u\ntoken = %s\nuser_scope = true\n"
            "request_timeout = 5s\n"
            "[database]\npath = %s\n"
            "[api]\nport = 0\napi_key = %s\n"
            "[defaults]\ncheck_interval = 1h\n"
            "[ingest]\nflush_interval = 20ms\n",
            sim_server_port(f->sim), TOKEN, f->db, KEY);
    fclose(fp);
    f->pub = (sim_publisher){.sim_port = sim_server_port(f->sim),
                             .token = TOKEN,
                             .device = DEVICE,
                             .event_name = EVENT_NAME,
                             .period_ms = PUBLISH_PERIOD_MS};
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
    if (strstr(f->dir, "bridge-restart-") != NULL && system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", f->dir);
    }
    free(f);
    return 0;
}

static void test_sigkill_mid_ingest_then_restart_is_exactly_once(void **state)
{
    fixture *f = *state;
    find_program(f);

    /* First run: publishing starts once its stream is open (a bridge with no stored
     * position starts from "now"), and it is ingesting steadily when it is killed. */
    f->bridge = start_bridge(f);
    int64_t deadline = pu_time_mono_ms() + 30000;
    while (sim_sse_subscribers(f->pub.sim_port, TOKEN) < 1 && pu_time_mono_ms() < deadline) {
        pu_time_sleep_ms(20);
    }
    assert_true(sim_sse_subscribers(f->pub.sim_port, TOKEN) >= 1);
    assert_int_equal(sim_publisher_start(&f->pub), 0);
    bool ingesting = wait_stored(f, 150, 30000);
    if (!ingesting) {
        dump_log(f);
    }
    assert_true(ingesting);
    assert_int_equal(kill(f->bridge, SIGKILL), 0);
    int status = 0;
    assert_int_equal(waitpid(f->bridge, &status, 0), f->bridge);
    f->bridge = -1;
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    long at_kill = atomic_load(&f->pub.published);
    stored before = read_db(f->db);

    /* Down for a while; the simulator keeps publishing (and keeps the recent events). */
    pu_time_sleep_ms(700);
    long while_down = atomic_load(&f->pub.published) - at_kill;

    /* Second run: resumes from the stored cursor, then keeps up for a while. */
    f->bridge = start_bridge(f);
    long target = atomic_load(&f->pub.published) + 150;
    bool resumed = wait_stored(f, target, 30000);
    if (!resumed) {
        dump_log(f);
    }
    assert_true(resumed);
    sim_publisher_stop(&f->pub);
    long published = atomic_load(&f->pub.published);

    /* Everything published is stored, then a clean stop (SIGTERM) exits 0. */
    bool all = wait_stored(f, published, 20000);
    assert_int_equal(kill(f->bridge, SIGTERM), 0);
    assert_int_equal(waitpid(f->bridge, &status, 0), f->bridge);
    f->bridge = -1;
    stored after = read_db(f->db);
    if (!all || after.events != published) {
        dump_log(f);
        print_missing(f->db, published);
    }
    fprintf(stderr,
            "published %ld (%ld while the bridge was down, %ld publish failures); stored %ld "
            "before the kill, %ld at the end\n",
            published, while_down, atomic_load(&f->pub.failures), before.events, after.events);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* The kill really happened mid-ingest, and events were published during the downtime. */
    assert_true(before.events >= 150);
    assert_true(before.events < published);
    assert_true(while_down >= 20);
    /* Nothing missed, nothing twice: events 1..published, each once, each with its one
     * measurement (derived rows are exactly-once too). */
    assert_int_equal(after.events, published);
    assert_int_equal(after.distinct_data, published);
    assert_int_equal(after.min_seq, 1);
    assert_int_equal(after.max_seq, published);
    assert_int_equal(after.measurements, published);
    /* The second run asked for a replay: it resumed after its stored Last-Event-ID. */
    assert_true(file_contains(f->log, "resumes after event"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sigkill_mid_ingest_then_restart_is_exactly_once, setup,
                                        teardown),
    };
    particle_global_init();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return rc;
}
