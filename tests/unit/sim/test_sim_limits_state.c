/* particle-sim --rate-limit (429 + Retry-After) and --state (persistence across restarts). */
#include <sys/stat.h>
#include <unistd.h>

#include "sim_test.h"

static json_t *login(const sim_test *t, long status)
{
    http_reply r = sim_req(t, "POST", "/oauth/token", NULL, FORM,
                           "username=demo%40example.com&password=demo-password&"
                           "grant_type=password");
    json_t *j = sim_json(&r, status);
    if (status == 429) {
        char *retry = http_reply_header(&r, "Retry-After");
        assert_non_null(retry);
        long secs = strtol(retry, NULL, 10);
        /* the sliding window: hits early in a 5-minute window fade only in the next one,
         * so the wait can pass 300 s a little (never two windows) */
        assert_true(secs >= 1 && secs <= 600);
        free(retry);
    }
    http_reply_dispose(&r);
    return j;
}

static void test_rate_limit(void **state)
{
    (void)state;
    sim_server_options o;
    sim_server_options_init(&o);
    o.rate_limit = true;
    sim_test *t = sim_test_start(&o);
    for (int i = 0; i < 100; i++)
        json_decref(login(t, 200));
    json_t *j = login(t, 429);
    assert_string_equal(jstr(j, "error"), "too_many_requests");
    json_decref(j);
    /* Other routes have their own, larger budget. */
    http_reply r = sim_req(t, "GET", "/v1/devices", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    sim_test_stop(t);
    /* Off by default. */
    t = sim_test_start(NULL);
    for (int i = 0; i < 105; i++)
        json_decref(login(t, 200));
    sim_test_stop(t);
}

static void test_state_survives_restart(void **state)
{
    (void)state;
    char dir[] = "/tmp/sim-state-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/state.db", dir);
    sim_server_options o;
    sim_server_options_init(&o);
    o.state_path = path;

    mode_t old_mask = umask(022);
    sim_test *t = sim_test_start(&o);
    umask(old_mask);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 077, 0); /* it holds access tokens */
    json_t *tok = login(t, 200);
    char token[64];
    snprintf(token, sizeof(token), "%s", jstr(tok, "access_token"));
    json_decref(tok);
    http_reply r = sim_req(t, "PUT", "/v1/devices/demo-argon-1", DEMO_TOKEN, JSON_CT,
                           "{\"name\":\"kept-name\",\"notes\":\"kept notes\"}");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    r = sim_req(t, "DELETE", "/v1/devices/demo-p2-1", DEMO_TOKEN, NULL, NULL); /* unclaim */
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    r = sim_req(t, "DELETE", "/v1/access_tokens/current", OTHER_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    sim_test_stop(t);

    t = sim_test_start(&o);
    r = sim_req(t, "GET", "/v1/devices/kept-name", token, NULL, NULL); /* token and name kept */
    json_t *dev = sim_json(&r, 200);
    assert_string_equal(jstr(dev, "notes"), "kept notes");
    json_decref(dev);
    http_reply_dispose(&r);
    r = sim_req(t, "GET", "/v1/devices", DEMO_TOKEN, NULL, NULL);
    json_t *list = sim_json(&r, 200);
    assert_int_equal(json_array_size(list), 3); /* demo-p2-1 stays unclaimed */
    json_decref(list);
    http_reply_dispose(&r);
    r = sim_req(t, "GET", "/v1/user", OTHER_TOKEN, NULL, NULL); /* revoked fixture token */
    assert_int_equal(r.status, 401);
    http_reply_dispose(&r);
    /* reset forgets the stored state too */
    r = sim_req(t, "POST", "/sim/reset", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    sim_test_stop(t);
    t = sim_test_start(&o);
    r = sim_req(t, "GET", "/v1/devices/demo-argon-1", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    sim_test_stop(t);
    unlink(path);
    rmdir(dir);
}

static void test_bad_fleet_file(void **state)
{
    (void)state;
    char path[512], err[512] = "";
    snprintf(path, sizeof(path), "%s/fleets/bad_unknown_template.json", PARTICLE_TEST_DATA_DIR);
    sim_server_options o;
    sim_server_options_init(&o);
    o.fleet_path = path;
    sim_server *s = NULL;
    assert_int_equal(sim_server_new(&s, &o, err, sizeof(err)), -1);
    assert_null(s);
    assert_non_null(strstr(err, "bad_unknown_template.json"));
    assert_non_null(strstr(err, "unknown template"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_state_survives_restart),
        cmocka_unit_test(test_bad_fleet_file),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
