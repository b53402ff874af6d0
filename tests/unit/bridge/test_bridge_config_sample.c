/*
 * The sample configuration (dist/config/particle-bridge.ini) against the parser's key table
 * (bridge/config_keys.c): every key the parser accepts is in the sample, every key of the
 * sample is accepted with the value the sample gives. And --check-config's engine
 * (bridge_config_check) names every problem of a file with its line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sys/stat.h>

#include "bridge_test.h"
#include "config.h"
#include "config_keys.h"

#define SAMPLE PARTICLE_SOURCE_DIR "/dist/config/particle-bridge.ini"
#define MAX_SAMPLE_KEYS 256

typedef struct sample_key {
    char section[32];
    char name[64];
    char value[256];
    int line;
} sample_key;

/* The settings of the sample, active or commented out with ';' ("# ..." lines explain). */
static size_t read_sample(sample_key *keys, size_t max)
{
    FILE *f = fopen(SAMPLE, "r");
    assert_non_null(f);
    char line[512], section[32] = "";
    size_t count = 0;
    int number = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        number++;
        line[strcspn(line, "\n")] = '\0';
        const char *p = line[0] == ';' ? line + 1 : line;
        if (line[0] == '[') {
            size_t len = strcspn(line + 1, "]");
            assert_true(len < sizeof section);
            memcpy(section, line + 1, len);
            section[len] = '\0';
            continue;
        }
        size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
        if (len == 0 || strncmp(p + len, " =", 2) != 0) {
            continue;
        }
        assert_true(count < max);
        sample_key *k = &keys[count++];
        snprintf(k->section, sizeof k->section, "%s", section);
        snprintf(k->name, sizeof k->name, "%.*s", (int)len, p);
        snprintf(k->value, sizeof k->value, "%s", p + len + 2 + (p[len + 2] == ' '));
        k->line = number;
    }
    fclose(f);
    return count;
}

static int setup(void **state)
{
    (void)state;
    /* The environment wins over the *_file keys, so the sample's paths are not read. */
    setenv("PARTICLE_ACCESS_TOKEN", "env-token-0123456789", 1);
    setenv("PARTICLE_BRIDGE_API_KEY", "bridge-api-key-0123456789", 1);
    setenv("PARTICLE_BRIDGE_WEBHOOK_SECRET", "webhook-secret-0123456789", 1);
    setenv("PARTICLE_BRIDGE_READ_ONLY_KEY", "read-only-key-0123456789", 1);
    return 0;
}

static void test_table_fits_the_parser(void **state)
{
    (void)state;
    assert_true(bridge_config_key_count <= BRIDGE_CONFIG_MAX_KEYS);
    for (size_t i = 0; i < bridge_config_key_count; i++) {
        assert_int_equal(
            bridge_config_key_index(bridge_config_keys[i].section, bridge_config_keys[i].name),
            (int)i); /* no key twice */
    }
}

static void test_sample_documents_every_key(void **state)
{
    (void)state;
    static sample_key keys[MAX_SAMPLE_KEYS];
    size_t count = read_sample(keys, MAX_SAMPLE_KEYS);
    for (size_t i = 0; i < bridge_config_key_count; i++) {
        bool found = false;
        for (size_t j = 0; j < count && !found; j++) { /* "export.*" keys: any export */
            found = bridge_config_key_index(keys[j].section, keys[j].name) == (int)i;
        }
        if (!found) {
            fail_msg("[%s] %s is accepted by the parser but missing from %s",
                     bridge_config_keys[i].section, bridge_config_keys[i].name, SAMPLE);
        }
    }
    for (size_t j = 0; j < count; j++) {
        if (bridge_config_key_index(keys[j].section, keys[j].name) < 0) {
            fail_msg("%s:%d: [%s] %s is not a key the parser accepts", SAMPLE, keys[j].line,
                     keys[j].section, keys[j].name);
        }
    }
}

static void count_problem(void *user, int line, const char *message)
{
    (void)line;
    print_message("  problem: %s\n", message);
    (*(int *)user)++;
}

static void test_sample_values_are_accepted(void **state)
{
    (void)state;
    char dir[512], path[600], text[512];
    assert_int_equal(bt_tempdir(dir, sizeof dir), 0);
    bt_path(path, sizeof path, dir, "one.ini");
    static sample_key keys[MAX_SAMPLE_KEYS];
    size_t count = read_sample(keys, MAX_SAMPLE_KEYS);
    for (size_t j = 0; j < count; j++) {
        /* Each setting alone, uncommented; 0600 since some are inline secrets. An export
         * needs a report and a directory beside it. */
        bool export = strncmp(keys[j].section, "export.", 7) == 0;
        snprintf(text, sizeof text, "[%s]\n%s%s = %s\n", keys[j].section,
                 export ? "report = devices\ndirectory = /tmp\n" : "", keys[j].name, keys[j].value);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        assert_int_equal(chmod(path, 0600), 0);
        int problems = 0;
        char note[256];
        bridge_config_check(path, count_problem, &problems, note, sizeof note);
        if (problems != 0) {
            fail_msg("%s:%d: [%s] %s = %s is refused", SAMPLE, keys[j].line, keys[j].section,
                     keys[j].name, keys[j].value);
        }
    }
    bridge_config cfg;
    char err[1024];
    assert_int_equal(bridge_config_load(&cfg, SAMPLE, err, sizeof err), 0);
    bridge_config_dispose(&cfg);
    bt_rmdir(dir);
}

typedef struct seen {
    int lines[16];
    int count;
} seen;

static void record(void *user, int line, const char *message)
{
    seen *s = user;
    assert_non_null(message);
    assert_true(s->count < 16);
    s->lines[s->count++] = line;
}

static void test_check_names_every_problem_by_line(void **state)
{
    (void)state;
    char dir[512], path[600];
    assert_int_equal(bt_tempdir(dir, sizeof dir), 0);
    bt_path(path, sizeof path, dir, "bad.ini");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[cloud]\n"              /* 1 */
          "sync_interval = soon\n" /* 2: bad value */
          "user_scope = false\n"   /* 3: nothing to watch (checked last) */
          "bogus line\n"           /* 4: syntax */
          "[api]\n"                /* 5 */
          "prot = 80\n"            /* 6: unknown key */
          "port = 99999\n"         /* 7: out of range */
          "[breaker]\n"            /* 8 */
          "reset_delay = 10m\n"    /* 9 */
          "max_reset_delay = 1m\n" /* 10: shorter than reset_delay */
          "[sec\n",                /* 11: syntax */
          f);
    fclose(f);
    seen s = {{0}, 0};
    char note[256];
    assert_int_equal(bridge_config_check(path, record, &s, note, sizeof note), 7);
    const int expected[] = {2, 4, 6, 7, 11, 3, 10};
    assert_int_equal(s.count, 7);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(s.lines[i], expected[i]);
    }
    /* The first problem is also what bridge_config_load says. */
    bridge_config cfg;
    char err[1024];
    assert_int_equal(bridge_config_load(&cfg, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "bad.ini:2: [cloud] sync_interval: expected a duration"));

    /* Missing secrets are a note, not a problem: the service has its own environment. */
    unsetenv("PARTICLE_ACCESS_TOKEN");
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("[cloud]\nuser_scope = true\n[api]\ndashboard = false\n", f);
    fclose(f);
    s.count = 0;
    assert_int_equal(bridge_config_check(path, record, &s, note, sizeof note), 0);
    assert_non_null(strstr(note, "PARTICLE_ACCESS_TOKEN"));
    setenv("PARTICLE_ACCESS_TOKEN", "env-token-0123456789", 1);
    assert_int_equal(bridge_config_check(path, record, &s, note, sizeof note), 0);
    assert_string_equal(note, "");

    /* A dashboard whose files or Chart.js are missing is a note too: the API still works. */
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "[api]\ndashboard_dir = %s\nchartjs_path = %s/none.js\n",
            PARTICLE_SOURCE_DIR "/bridge/dashboard", dir);
    fclose(f);
    assert_int_equal(bridge_config_check(path, record, &s, note, sizeof note), 0);
    assert_non_null(strstr(note, "[api] chartjs_path"));
    assert_non_null(strstr(note, "none.js cannot be read"));
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "[api]\ndashboard_dir = %s\n", dir);
    fclose(f);
    assert_int_equal(bridge_config_check(path, record, &s, note, sizeof note), 0);
    assert_non_null(strstr(note, "has no index.html"));

    assert_int_equal(bridge_config_check("/nonexistent/bridge.ini", record, &s, note, sizeof note),
                     1);
    bt_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_fits_the_parser),
        cmocka_unit_test(test_sample_documents_every_key),
        cmocka_unit_test(test_sample_values_are_accepted),
        cmocka_unit_test(test_check_names_every_problem_by_line),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
