/* The public profile reader (particle_profile_read), the one particle-cli profile reader of
 * the tree, used by particle_client_new() and by particlectl: the default profile, the
 * profile profile.json names, missing and malformed files, unsafe names, NULL-safety, and an
 * OOM loop (every failing run gives nothing out and is PARTICLE_ENOMEM, or PARTICLE_EIO
 * where jansson reports a failed allocation as a syntax error). */
#include "sdk_fixture.h"

#include "alloc.h"

static void test_missing_files_give_the_default_profile(void **state)
{
    (void)state;
    particle_profile *p = NULL;
    char path[512];
    assert_int_equal(particle_profile_read(&p, fixture_profile_dir), 0);
    assert_string_equal(particle_profile_name(p), "particle");
    snprintf(path, sizeof(path), "%s/particle.config.json", fixture_profile_dir);
    assert_string_equal(particle_profile_config_path(p), path);
    assert_null(particle_profile_api_url(p));
    assert_null(particle_profile_access_token(p));
    assert_null(particle_profile_username(p));
    particle_profile_free(p);
}

static void test_reads_the_named_profile(void **state)
{
    (void)state;
    particle_profile *p = NULL;
    fixture_profile_write("profile.json", "{\"name\":\"staging\"}");
    fixture_profile_write("staging.config.json",
                          "{\"apiUrl\":\"http://127.0.0.1:9//\",\"access_token\":"
                          "\"abc123\",\"username\":\"demo@example.com\","
                          "\"proxyUrl\":\"\"}");
    fixture_profile_write("particle.config.json", "{\"access_token\":\"not this one\"}");
    assert_int_equal(particle_profile_read(&p, fixture_profile_dir), 0);
    assert_string_equal(particle_profile_name(p), "staging");
    assert_string_equal(particle_profile_api_url(p), "http://127.0.0.1:9");
    assert_string_equal(particle_profile_access_token(p), "abc123");
    assert_string_equal(particle_profile_username(p), "demo@example.com");
    particle_profile_free(p);

    /* an empty or non-string name means the default, as in particle-cli */
    fixture_profile_write("profile.json", "{\"name\":\"\"}");
    assert_int_equal(particle_profile_read(&p, fixture_profile_dir), 0);
    assert_string_equal(particle_profile_name(p), "particle");
    assert_string_equal(particle_profile_access_token(p), "not this one");
    particle_profile_free(p);
    fixture_profile_write("profile.json", "{\"name\":7}");
    assert_int_equal(particle_profile_read(&p, fixture_profile_dir), 0);
    assert_string_equal(particle_profile_name(p), "particle");
    particle_profile_free(p);

    /* by name, whichever is active (profile.json is not even read); NULL = the active one */
    fixture_profile_write("profile.json", "{\"name\":\"particle\"}");
    assert_int_equal(particle_profile_read_named(&p, fixture_profile_dir, "staging"), 0);
    assert_string_equal(particle_profile_name(p), "staging");
    assert_string_equal(particle_profile_access_token(p), "abc123");
    particle_profile_free(p);
    assert_int_equal(particle_profile_read_named(&p, fixture_profile_dir, NULL), 0);
    assert_string_equal(particle_profile_access_token(p), "not this one");
    particle_profile_free(p);
    assert_int_equal(particle_profile_read_named(&p, fixture_profile_dir, "none-such"), 0);
    assert_null(particle_profile_access_token(p));
    particle_profile_free(p);
    assert_int_equal(particle_profile_read_named(&p, fixture_profile_dir, "../x"), PARTICLE_EINVAL);
    assert_null(p);
    assert_int_equal(particle_profile_read_named(&p, fixture_profile_dir, ".."), PARTICLE_EINVAL);
}

static void test_bad_files_and_arguments(void **state)
{
    (void)state;
    particle_profile *p =
        (particle_profile *)fixture_profile_dir; /* must be reset to NULL on failure */
    fixture_profile_write("particle.config.json", "{\"apiUrl\": ");
    assert_int_equal(particle_profile_read(&p, fixture_profile_dir), PARTICLE_EIO);
    assert_null(p);
    assert_non_null(strstr(particle_error_last()->message, "particle.config.json: line 1:"));

    fixture_profile_write("particle.config.json", "[]");
    assert_int_equal(particle_profile_read(&p, fixture_profile_dir), PARTICLE_EIO);
    assert_non_null(strstr(particle_error_last()->message, "not a JSON object"));

    fixture_profile_write("particle.config.json", "{}");
    fixture_profile_write("profile.json", "{\"name\":\"../../etc/passwd\"}");
    assert_int_equal(particle_profile_read(&p, fixture_profile_dir), PARTICLE_EIO);
    assert_non_null(strstr(particle_error_last()->message, "profile name"));
    fixture_profile_remove("profile.json");

    assert_int_equal(particle_profile_read(NULL, fixture_profile_dir), PARTICLE_EINVAL);
    assert_null(particle_profile_name(NULL));
    assert_null(particle_profile_config_path(NULL));
    assert_null(particle_profile_api_url(NULL));
    assert_null(particle_profile_access_token(NULL));
    assert_null(particle_profile_username(NULL));
    particle_profile_free(NULL);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    fixture_profile_write("profile.json", "{\"name\":\"staging\"}");
    fixture_profile_write(
        "staging.config.json",
        "{\"apiUrl\":\"https://x.test\",\"access_token\":\"t\",\"username\":\"u\"}");
    long n = 0, enomem_runs = 0;
    for (;; n++) {
        particle_profile *p = NULL;
        particle__alloc_fail_after(n);
        int rc = particle_profile_read(&p, fixture_profile_dir);
        unsigned long refused = particle__alloc_failed();
        particle__alloc_fail_after(-1);
        if (refused == 0) {
            assert_int_equal(rc, 0);
            assert_string_equal(particle_profile_username(p), "u");
            particle_profile_free(p);
            break;
        }
        /* jansson reports some allocation failures inside its lexer as a syntax error */
        if (rc == PARTICLE_ENOMEM) {
            enomem_runs++;
        } else if (rc != PARTICLE_EIO) {
            fail_msg("with %ld allocations: %s (%s)", n, particle_code_name(rc),
                     particle_error_last()->message);
        }
        assert_null(p);
    }
    assert_true(n > 5); /* the profile, its buffer, jansson's trees and five strings */
    assert_true(enomem_runs * 2 > n);
}

int main(void)
{
    particle_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_missing_files_give_the_default_profile,
                                        fixture_profile_dir_setup, fixture_profile_dir_teardown),
        cmocka_unit_test_setup_teardown(test_reads_the_named_profile, fixture_profile_dir_setup,
                                        fixture_profile_dir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_files_and_arguments, fixture_profile_dir_setup,
                                        fixture_profile_dir_teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, fixture_profile_dir_setup,
                                        fixture_profile_dir_teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
