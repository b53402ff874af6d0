/* particle-cli profile files in a scratch HOME: reading them, writing them the way
 * particle-cli reads them (same files and keys, 0600, unknown keys kept, atomic). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "config.h"

typedef struct scratch {
    char home[64];
    char dir[128];
} scratch;

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int setup(void **state)
{
    scratch *s = calloc(1, sizeof(*s));
    snprintf(s->home, sizeof(s->home), "/tmp/cli-config-XXXXXX");
    if (mkdtemp(s->home) == NULL) {
        free(s);
        return -1;
    }
    snprintf(s->dir, sizeof(s->dir), "%s/.particle", s->home);
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    scratch *s = *state;
    DIR *d = opendir(s->dir);
    if (d != NULL) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))) {
                snprintf(path, sizeof(path), "%s/%s", s->dir, e->d_name);
                unlink(path);
            }
        }
        closedir(d);
        rmdir(s->dir);
    }
    rmdir(s->home);
    free(s);
    return 0;
}

static void test_no_files_default_profile(void **state)
{
    scratch *s = *state;
    cli_config cfg;
    char err[CLI_CONFIG_ERR_SIZE];
    assert_int_equal(cli_config_load(&cfg, s->home, err), 0);
    assert_string_equal(particle_profile_name(cfg.profile), "particle");
    assert_null(particle_profile_api_url(cfg.profile));
    assert_null(particle_profile_access_token(cfg.profile));
    assert_null(particle_profile_username(cfg.profile));
    cli_config_dispose(&cfg);
}

static void test_reads_particle_cli_profile(void **state)
{
    scratch *s = *state;
    char path[256];
    cli_config cfg;
    char err[CLI_CONFIG_ERR_SIZE];
    mkdir(s->dir, 0700);
    snprintf(path, sizeof(path), "%s/profile.json", s->dir);
    write_file(path, "{\"name\": \"staging\"}\n");
    snprintf(path, sizeof(path), "%s/staging.config.json", s->dir);
    write_file(path, "{\"apiUrl\": \"http://127.0.0.1:9\", \"access_token\": \"abc123\",\n"
                     " \"username\": \"demo@example.com\", \"proxyUrl\": \"\"}\n");
    assert_int_equal(cli_config_load(&cfg, s->home, err), 0);
    assert_string_equal(particle_profile_name(cfg.profile), "staging");
    assert_string_equal(particle_profile_api_url(cfg.profile), "http://127.0.0.1:9");
    assert_string_equal(particle_profile_access_token(cfg.profile), "abc123");
    assert_string_equal(particle_profile_username(cfg.profile), "demo@example.com");
    cli_config_dispose(&cfg);
}

static void test_update_writes_0600_keeps_unknown_keys(void **state)
{
    scratch *s = *state;
    char path[256];
    cli_config cfg;
    char err[CLI_CONFIG_ERR_SIZE];
    struct stat st;
    mkdir(s->dir, 0700);
    snprintf(path, sizeof(path), "%s/particle.config.json", s->dir);
    write_file(path, "{\"proxyUrl\": \"http://proxy\", \"access_token\": \"old\"}");
    chmod(path, 0644);
    assert_int_equal(cli_config_load(&cfg, s->home, err), 0);
    cli_config_change changes[] = {{"access_token", "new-token"},
                                   {"username", "demo@example.com"},
                                   {"access_token_expires_at", NULL}};
    assert_int_equal(cli_config_update(&cfg, changes, 3, err), 0);
    assert_string_equal(particle_profile_access_token(cfg.profile), "new-token");
    assert_string_equal(particle_profile_username(cfg.profile), "demo@example.com");
    cli_config_dispose(&cfg);

    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "proxyUrl")), "http://proxy");
    assert_string_equal(json_string_value(json_object_get(root, "access_token")), "new-token");
    assert_string_equal(json_string_value(json_object_get(root, "username")), "demo@example.com");
    json_decref(root);

    /* removing a key; no temporary file is left behind */
    assert_int_equal(cli_config_load(&cfg, s->home, err), 0);
    cli_config_change removal = {"access_token", NULL};
    assert_int_equal(cli_config_update(&cfg, &removal, 1, err), 0);
    assert_null(particle_profile_access_token(cfg.profile));
    cli_config_dispose(&cfg);
    root = json_load_file(path, 0, &jerr);
    assert_null(json_object_get(root, "access_token"));
    assert_non_null(json_object_get(root, "proxyUrl"));
    json_decref(root);
    DIR *d = opendir(s->dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        assert_null(strstr(e->d_name, ".tmp-"));
    }
    closedir(d);
}

static void test_update_creates_dir_and_profile(void **state)
{
    scratch *s = *state;
    char path[256];
    cli_config cfg;
    char err[CLI_CONFIG_ERR_SIZE];
    struct stat st;
    assert_int_equal(cli_config_load(&cfg, s->home, err), 0);
    cli_config_change change = {"access_token", "t0k"};
    assert_int_equal(cli_config_update(&cfg, &change, 1, err), 0);
    cli_config_dispose(&cfg);
    assert_int_equal(stat(s->dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    snprintf(path, sizeof(path), "%s/profile.json", s->dir);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "name")), "particle");
    json_decref(root);
    /* and a fresh load sees what was written */
    assert_int_equal(cli_config_load(&cfg, s->home, err), 0);
    assert_string_equal(particle_profile_access_token(cfg.profile), "t0k");
    cli_config_dispose(&cfg);
}

static void test_rejects_bad_files(void **state)
{
    scratch *s = *state;
    char path[256];
    cli_config cfg;
    char err[CLI_CONFIG_ERR_SIZE];
    mkdir(s->dir, 0700);
    snprintf(path, sizeof(path), "%s/profile.json", s->dir);
    write_file(path, "{\"name\": \"../../etc/passwd\"}");
    assert_int_equal(cli_config_load(&cfg, s->home, err), -1);
    assert_non_null(strstr(err, "profile name"));
    write_file(path, "{\"name\": ");
    assert_int_equal(cli_config_load(&cfg, s->home, err), -1);
    assert_non_null(strstr(err, "profile.json"));
    unlink(path);
}

static void test_read_token_file(void **state)
{
    scratch *s = *state;
    char path[256];
    char err[CLI_CONFIG_ERR_SIZE];
    snprintf(path, sizeof(path), "%s/token", s->home);
    write_file(path, "  0123456789abcdef \r\nsecond line\n");
    char *t = cli_config_read_token(path, err);
    assert_non_null(t);
    assert_string_equal(t, "0123456789abcdef");
    free(t);
    write_file(path, "\n");
    assert_null(cli_config_read_token(path, err));
    assert_non_null(strstr(err, "no token"));
    unlink(path);
    assert_null(cli_config_read_token(path, err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_files_default_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads_particle_cli_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_writes_0600_keeps_unknown_keys, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_update_creates_dir_and_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_bad_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_token_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
