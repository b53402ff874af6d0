/* Config loading: the INI keys, secrets from env or 0600 files only, clear errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sys/stat.h>

#include "bridge_test.h"
#include "config.h"

typedef struct fixture {
    char dir[512];
    char conf[600];
    char token[600];
} fixture;

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL || bt_tempdir(f->dir, sizeof f->dir) != 0) {
        free(f);
        return -1;
    }
    bt_path(f->conf, sizeof f->conf, f->dir, "bridge.ini");
    bt_path(f->token, sizeof f->token, f->dir, "token");
    unsetenv("PARTICLE_ACCESS_TOKEN");
    setenv("PARTICLE_BRIDGE_API_KEY", "bridge-api-key-0123456789", 1);
    unsetenv("PARTICLE_BRIDGE_WEBHOOK_SECRET");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bt_rmdir(f->dir);
    free(f);
    unsetenv("PARTICLE_ACCESS_TOKEN");
    unsetenv("PARTICLE_BRIDGE_API_KEY");
    return 0;
}

static void write_conf(fixture *f, const char *body, mode_t mode)
{
    write_file(f->conf, body, mode);
}

static void test_full_config(void **state)
{
    fixture *f = *state;
    char text[2048];
    write_file(f->token, "0123456789abcdef0123456789abcdef01234567\n", 0600);
    snprintf(text, sizeof text,
             "[cloud]\nurl = http://127.0.0.1:9000\ntoken_file = %s\nuser_scope = no\n"
             "products = 1001, my-product ,1002\norgs = acme-corp\nsync_interval = 2m\n"
             "requests_per_5min = 500\n"
             "poll_concurrency = 8\ndetails_per_sync = 0\n[database]\npath = "
             "/tmp/x.db\n[api]\nlisten = 0.0.0.0\n"
             "port = 9090\n[defaults]\ncheck_interval = 00:00:30\nenabled = false\n"
             "online_message = {name} is back\noffline_post = off\n"
             "[breaker]\nthreshold = 5\nreset_delay = 10s\nmax_reset_delay = 1h\n",
             f->token);
    write_conf(f, text, 0644);
    bridge_config cfg;
    char err[512] = "";
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_string_equal(cfg.cloud_url, "http://127.0.0.1:9000");
    assert_string_equal(cfg.access_token, "0123456789abcdef0123456789abcdef01234567");
    assert_false(cfg.user_scope);
    assert_int_equal(cfg.product_count, 3);
    assert_string_equal(cfg.products[1], "my-product");
    assert_int_equal(cfg.org_count, 1);
    assert_string_equal(cfg.orgs[0], "acme-corp");
    assert_int_equal(cfg.sync_interval_ms, 120000);
    assert_int_equal(cfg.request_budget, 500);
    assert_int_equal(cfg.poll_concurrency, 8);
    assert_int_equal(cfg.details_per_sync, 0);
    assert_string_equal(cfg.database_path, "/tmp/x.db");
    assert_string_equal(cfg.listen_addr, "0.0.0.0");
    assert_int_equal(cfg.port, 9090);
    assert_int_equal(cfg.defaults.check_interval_ms, 30000);
    assert_false(cfg.defaults.enabled);
    assert_string_equal(cfg.defaults.online_notify.message, "{name} is back");
    assert_false(cfg.defaults.offline_notify.post_status_message);
    assert_int_equal(cfg.breaker_threshold, 5);
    assert_int_equal(cfg.breaker_reset_ms, 10000);
    assert_int_equal(cfg.breaker_max_reset_ms, 3600000);
    bridge_config_dispose(&cfg);
    assert_string_equal(cfg.access_token, "");
}

static void test_defaults_listen_on_loopback(void **state)
{
    fixture *f = *state;
    setenv("PARTICLE_ACCESS_TOKEN", "env-token-0123456789", 1);
    write_conf(f, "# nothing but comments\n", 0644);
    bridge_config cfg;
    char err[512] = "";
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_string_equal(cfg.listen_addr, "127.0.0.1");
    assert_true(cfg.user_scope);
    assert_string_equal(cfg.access_token, "env-token-0123456789");
    bridge_config_dispose(&cfg);
}

static void test_token_file_must_be_private(void **state)
{
    fixture *f = *state;
    char text[1024];
    write_file(f->token, "secret-token-value\n", 0644);
    snprintf(text, sizeof text, "[cloud]\ntoken_file = %s\n", f->token);
    write_conf(f, text, 0644);
    bridge_config cfg;
    char err[1024] = "";
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "readable by group or others"));
    assert_non_null(strstr(err, "chmod 600"));
    assert_null(strstr(err, "secret-token-value"));
}

static void test_inline_token_needs_private_config(void **state)
{
    fixture *f = *state;
    bridge_config cfg;
    char err[1024] = "";
    write_conf(f, "[cloud]\ntoken = inline-secret-token\n", 0640);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "holds a secret"));
    assert_null(strstr(err, "inline-secret-token"));

    write_conf(f, "[cloud]\ntoken = inline-secret-token\n", 0600);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_string_equal(cfg.access_token, "inline-secret-token");
    bridge_config_dispose(&cfg);
}

static void test_environment_wins(void **state)
{
    fixture *f = *state;
    setenv("PARTICLE_ACCESS_TOKEN", "from-the-environment", 1);
    write_conf(f, "[cloud]\ntoken = from-the-file\n", 0600);
    bridge_config cfg;
    char err[512] = "";
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_string_equal(cfg.access_token, "from-the-environment");
    bridge_config_dispose(&cfg);
}

/* [log]: defaults (info, text, stderr), the words it takes, and a refused one named. */
static void test_log_section(void **state)
{
    fixture *f = *state;
    setenv("PARTICLE_ACCESS_TOKEN", "env-token-0123456789", 1);
    bridge_config cfg;
    char err[512] = "";
    write_conf(f, "# defaults\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_int_equal(cfg.log.level, PU_LOG_INFO);
    assert_int_equal(cfg.log.format, PU_LOG_FORMAT_TEXT);
    assert_int_equal(cfg.log.output, PU_LOG_OUTPUT_STDERR);
    bridge_config_dispose(&cfg);

    write_conf(f, "[log]\nlevel = warning\nformat = json\noutput = journald\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_int_equal(cfg.log.level, PU_LOG_WARN);
    assert_int_equal(cfg.log.format, PU_LOG_FORMAT_JSON);
    assert_int_equal(cfg.log.output, PU_LOG_OUTPUT_SYSLOG);
    bridge_config_dispose(&cfg);

    static const char *const refused[][2] = {
        {"[log]\nlevel = loud\n", "[log] level: expected debug, info, warn or error"},
        {"[log]\nformat = xml\n", "[log] format: expected text or json"},
        {"[log]\noutput = file\n", "[log] output: expected stderr, syslog or journald"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        write_conf(f, refused[i][0], 0644);
        assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
        assert_non_null(strstr(err, refused[i][1]));
        bridge_config_dispose(&cfg);
    }
}

/* The hardening keys: defaults (httpd's own for the limits), values, refusals. */
static void test_hardening_keys(void **state)
{
    fixture *f = *state;
    setenv("PARTICLE_ACCESS_TOKEN", "env-token-0123456789", 1);
    bridge_config cfg;
    char err[512] = "";
    write_conf(f, "# defaults\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_int_equal(cfg.max_connections, 0);
    assert_int_equal(cfg.max_connections_per_ip, 0);
    assert_int_equal(cfg.request_deadline_s, 0);
    assert_string_equal(cfg.cors_origins, "");
    assert_false(cfg.open_health);
    assert_true(cfg.csv_formula_escape);
    assert_string_equal(cfg.database_group, "");
    assert_int_equal(cfg.retention_ms, 0);
    bridge_config_dispose(&cfg);

    write_conf(f,
               "[api]\nmax_connections = 5000\nmax_connections_per_ip = 64\n"
               "request_deadline = 1m\ncors_origins = https://a.example, http://localhost:3000\n"
               "open_health = true\ncsv_formula_escape = false\n[database]\ngroup = backup\n"
               "retention = 90d\n",
               0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_int_equal(cfg.max_connections, 5000);
    assert_int_equal(cfg.max_connections_per_ip, 64);
    assert_int_equal(cfg.request_deadline_s, 60);
    assert_string_equal(cfg.cors_origins, "https://a.example, http://localhost:3000");
    assert_true(cfg.open_health);
    assert_false(cfg.csv_formula_escape);
    assert_string_equal(cfg.database_group, "backup");
    assert_int_equal(cfg.retention_ms, INT64_C(90) * 86400000);
    bridge_config_dispose(&cfg);

    static const char *const refused[][2] = {
        {"[api]\nmax_connections = 0\n", "[api] max_connections: expected 1 to 1000000"},
        {"[api]\nmax_connections_per_ip = many\n", "[api] max_connections_per_ip: expected"},
        {"[api]\nrequest_deadline = 250ms\n", "[api] request_deadline: expected a duration"},
        {"[api]\nopen_health = maybe\n", "[api] open_health: expected true or false"},
        {"[database]\nretention = 12h\n", "[database] retention: expected 0 (keep everything)"},
        {"[database]\nretention = forever\n", "[database] retention: expected"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        write_conf(f, refused[i][0], 0644);
        assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
        assert_non_null(strstr(err, refused[i][1]));
        bridge_config_dispose(&cfg);
    }
}

static void test_dashboard_keys(void **state)
{
    fixture *f = *state;
    setenv("PARTICLE_ACCESS_TOKEN", "env-token-0123456789", 1);
    unsetenv("PARTICLE_BRIDGE_READ_ONLY_KEY");
    bridge_config cfg;
    char err[512] = "";
    write_conf(f, "# defaults\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_true(cfg.dashboard);
    assert_non_null(strstr(cfg.dashboard_dir, "/particle-bridge/dashboard"));
    assert_string_equal(cfg.chartjs_path, "/usr/share/javascript/chart.js/chart.min.js");
    assert_string_equal(cfg.read_only_key, "");
    assert_int_equal(cfg.session_idle_ms, INT64_C(12) * 3600 * 1000);
    bridge_config_dispose(&cfg);

    /* the read-only key inline (a 0600 file), from its file, and from the environment */
    write_conf(f,
               "[api]\ndashboard = false\ndashboard_dir = /srv/pages\nchartjs_path = /srv/c.js\n"
               "read_only_key = inline-read-only-0123\nsession_idle = 30m\n",
               0600);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_false(cfg.dashboard);
    assert_string_equal(cfg.dashboard_dir, "/srv/pages");
    assert_string_equal(cfg.chartjs_path, "/srv/c.js");
    assert_string_equal(cfg.read_only_key, "inline-read-only-0123");
    assert_int_equal(cfg.session_idle_ms, 30 * 60 * 1000);
    bridge_config_dispose(&cfg);
    assert_string_equal(cfg.read_only_key, ""); /* wiped */
    write_file(f->token, "file-read-only-0123456\n", 0600);
    char text[800];
    snprintf(text, sizeof text, "[api]\nread_only_key_file = %s\n", f->token);
    write_conf(f, text, 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_string_equal(cfg.read_only_key, "file-read-only-0123456");
    bridge_config_dispose(&cfg);
    setenv("PARTICLE_BRIDGE_READ_ONLY_KEY", "env-read-only-0123456", 1);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_string_equal(cfg.read_only_key, "env-read-only-0123456");
    bridge_config_dispose(&cfg);
    unsetenv("PARTICLE_BRIDGE_READ_ONLY_KEY");

    static const char *const refused[][2] = {
        {"[api]\nread_only_key = short\n", "the read-only key must have at least 16 characters"},
        {"[api]\nread_only_key = bridge-api-key-0123456789\n",
         "the read-only key must differ from the API key"},
        {"[api]\ndashboard = maybe\n", "[api] dashboard: expected true or false"},
        {"[api]\ndashboard_dir =\n", "[api] dashboard_dir: expected a folder"},
        {"[api]\nsession_idle = 500ms\n", "[api] session_idle: expected a duration from 1s"},
        {"[api]\nsession_idle = 60d\n", "[api] session_idle: expected a duration from 1s"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        write_conf(f, refused[i][0], 0600);
        assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
        if (strstr(err, refused[i][1]) == NULL) {
            fail_msg("%s: %s", refused[i][0], err);
        }
        bridge_config_dispose(&cfg);
    }
    /* a read-only key in a file others can read is refused like the other secrets */
    write_conf(f, "[api]\nread_only_key = inline-read-only-0123\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "read_only_key"));
    assert_null(strstr(err, "inline-read-only-0123"));
    bridge_config_dispose(&cfg);
}

static void test_errors_name_the_line_and_key(void **state)
{
    fixture *f = *state;
    setenv("PARTICLE_ACCESS_TOKEN", "env-token-0123456789", 1);
    bridge_config cfg;
    char err[1024] = "";
    write_conf(f, "[api]\nport = 80x\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "bridge.ini:2: [api] port: expected 0 to 65535"));

    write_conf(f, "[api]\n\nprot = 80\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, ":3: unknown key [api] prot"));

    write_conf(f, "[defaults]\ncheck_interval = soon\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "[defaults] check_interval: expected a duration"));

    write_conf(f, "[cloud]\norgs = a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q\n", /* 17 */
               0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "[cloud] orgs: expected at most 16"));

    write_conf(f, "[cloud]\nuser_scope = false\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "nothing to watch"));

    write_conf(f, "[breaker]\nreset_delay = 10m\nmax_reset_delay = 1m\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "max_reset_delay"));

    assert_int_equal(bridge_config_load(&cfg, "/nonexistent/bridge.ini", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/bridge.ini: No such file"));
}

static void test_missing_secrets_are_explained(void **state)
{
    fixture *f = *state;
    bridge_config cfg;
    char err[512] = "";
    write_conf(f, "[cloud]\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "no Particle access token"));
    setenv("PARTICLE_ACCESS_TOKEN", "env-token-0123456789", 1);
    unsetenv("PARTICLE_BRIDGE_API_KEY");
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "no API key"));
}

/* [database] url names a PostgreSQL database; a password in it is a secret like the others. */
static void test_database_url(void **state)
{
    fixture *f = *state;
    setenv("PARTICLE_ACCESS_TOKEN", "env-token-0123456789", 1);
    bridge_config cfg;
    char err[1024] = "";
    write_conf(f, "[database]\nurl = postgresql://bridge@db.example:5432/fleet?sslmode=require\n",
               0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_string_equal(cfg.database_path,
                        "postgresql://bridge@db.example:5432/fleet?sslmode=require");
    bridge_config_dispose(&cfg);
    assert_string_equal(cfg.database_path, ""); /* wiped: a URI may hold a password */

    write_conf(f, "[database]\nurl = postgresql://bridge:db-pass-123@db.example/fleet\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "holds a database password"));
    assert_non_null(strstr(err, "PGPASSWORD"));
    assert_null(strstr(err, "db-pass-123"));
    write_conf(f, "[database]\nurl = postgres://db.example/fleet?password=db-pass-123\n", 0640);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "holds a database password"));
    write_conf(f, "[database]\nurl = postgresql://bridge:db-pass-123@db.example/fleet\n", 0600);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), 0);
    assert_string_equal(cfg.database_path, "postgresql://bridge:db-pass-123@db.example/fleet");
    bridge_config_dispose(&cfg);

    write_conf(f, "[database]\nurl = mysql://root:pw@db/fleet\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "[database] url: expected a postgresql:// or postgres:// URI"));
    assert_null(strstr(err, "pw@db"));

    write_conf(f, "[database]\npath = /tmp/x.db\nurl = postgresql:///fleet\n", 0644);
    assert_int_equal(bridge_config_load(&cfg, f->conf, err, sizeof err), -1);
    assert_non_null(strstr(err, "both path (SQLite) and url (PostgreSQL)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_defaults_listen_on_loopback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_file_must_be_private, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inline_token_needs_private_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_environment_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_section, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hardening_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dashboard_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_name_the_line_and_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_secrets_are_explained, setup, teardown),
        cmocka_unit_test_setup_teardown(test_database_url, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
