/* Out-of-memory loops (jansson's test_chaos, sqlite's faultsim): for a constructor and a
 * parser, let n = 0, 1, 2, ... allocations succeed and fail every later one (the SDK's own,
 * libcurl's and jansson's), until the call succeeds. Every failing run must return
 * PARTICLE_ENOMEM with nothing given out, and LeakSanitizer checks that nothing leaked. */
#include "sdk_fixture.h"

#include "alloc.h"

#define MAX_ALLOCATIONS 100000L

/* The function under test: returns its code and frees whatever it made. */
typedef int oom_call_fn(bool *gave_out);

/* Runs @p call under ever larger allocation budgets; returns how many runs failed. A failed
 * run must return PARTICLE_ENOMEM, or @p also_allowed (0 = nothing else); *enomem_runs
 * counts the runs that returned PARTICLE_ENOMEM. */
static long oom_loop(oom_call_fn *call, int also_allowed, long *enomem_runs)
{
    *enomem_runs = 0;
    for (long n = 0; n < MAX_ALLOCATIONS; n++) {
        particle__alloc_fail_after(n);
        bool gave_out = false;
        int rc = call(&gave_out);
        unsigned long refused = particle__alloc_failed();
        particle__alloc_fail_after(-1);
        if (refused == 0) {
            assert_int_equal(rc, 0);
            assert_true(gave_out);
            print_message("succeeded with %ld allocations; %ld failed runs were ENOMEM\n", n,
                          *enomem_runs);
            return n;
        }
        if ((rc != PARTICLE_ENOMEM && (also_allowed == 0 || rc != also_allowed)) || gave_out) {
            fail_msg("with %ld allocations allowed: %s (%s), result %s", n, particle_code_name(rc),
                     particle_error_last()->message, gave_out ? "given out" : "none");
        }
        assert_int_equal(particle_error_last()->code, rc);
        if (rc == PARTICLE_ENOMEM) {
            (*enomem_runs)++;
        }
    }
    fail_msg("still failing after %ld allocations", MAX_ALLOCATIONS);
    return -1;
}

static int new_client(bool *gave_out)
{
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = "http://127.0.0.1:9/";
    o.access_token = TEST_TOKEN;
    o.client_id = "oom-client";
    o.client_secret = "oom-secret";
    o.user_agent = "oom-test/1";
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    particle_client *c = (particle_client *)&c; /* must be reset */
    int rc = particle_client_new(&c, &o);
    *gave_out = c != NULL;
    if (rc == 0) {
        assert_string_equal(particle_client_base_url(c), "http://127.0.0.1:9");
        assert_int_equal(particle_client_has_token(c), 1);
    }
    particle_client_free(c);
    return rc;
}

static int parse_doc(bool *gave_out)
{
    static const char json[] = "{\"id\":\"0123456789abcdef01234567\",\"name\":\"oom\","
                               "\"variables\":{\"t\":\"double\",\"n\":\"int32\"},"
                               "\"functions\":[\"led\",\"reset\"],\"online\":true,"
                               "\"last_heard\":null,\"product_id\":6,\"temp\":21.5}";
    particle_doc *doc = (particle_doc *)&doc; /* must be reset */
    int rc = particle_doc_parse(&doc, json, sizeof(json) - 1);
    *gave_out = doc != NULL;
    if (rc == 0) {
        const particle_value *root = particle_doc_root(doc);
        assert_string_equal(particle_device_name(root), "oom");
        assert_int_equal(particle_value_count(particle_device_functions(root)), 2);
    }
    particle_doc_free(doc);
    return rc;
}

static void test_client_new_out_of_memory(void **state)
{
    (void)state;
    /* the client, its strings, and libcurl's easy handle: many allocations */
    long enomem = 0;
    long runs = oom_loop(new_client, 0, &enomem);
    assert_true(runs >= 6);
    assert_int_equal(enomem, runs);
}

static void test_doc_parse_out_of_memory(void **state)
{
    (void)state;
    /* jansson's tree plus the document. jansson 2.14 reports some allocation failures inside
     * its lexer as syntax errors, which can only be PARTICLE_EPROTO; the others, and the
     * document's own allocation, must be PARTICLE_ENOMEM. */
    long enomem = 0;
    long runs = oom_loop(parse_doc, PARTICLE_EPROTO, &enomem);
    assert_true(runs >= 10);
    assert_true(enomem >= runs / 2);
}

static void test_fault_injection_is_off_by_default(void **state)
{
    (void)state;
    bool gave_out = false;
    assert_int_equal(parse_doc(&gave_out), 0);
    assert_true(gave_out);
    assert_int_equal(particle__alloc_failed(), 0);
}

int main(void)
{
    particle_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fault_injection_is_off_by_default),
        cmocka_unit_test(test_client_new_out_of_memory),
        cmocka_unit_test(test_doc_parse_out_of_memory),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
