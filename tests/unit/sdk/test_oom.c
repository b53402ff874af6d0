/* Out-of-memory loops over the SDK's constructors and the calls that allocate without
 * talking to a server (oom_loop.h; the REST and stream calls are in test_oom_rest.c). */
#include "oom_loop.h"

static int new_client(bool *gave_out, void *ctx)
{
    (void)ctx;
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

static int parse_doc(bool *gave_out, void *ctx)
{
    (void)ctx;
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

/* A client made outside the loops, for the constructors that need one. */
static particle_client *plain_client(void)
{
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = "http://127.0.0.1:9";
    o.access_token = TEST_TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    return c;
}

static void ignore_variable(int code, const particle_variable *var, void *payload)
{
    (void)code, (void)var, (void)payload;
}

static void ignore_doc(int code, const particle_doc *doc, void *payload)
{
    (void)code, (void)doc, (void)payload;
}

/* The multi and two queued calls, which allocate too; the free drops them unsent. */
static int new_multi_with_calls(bool *gave_out, void *ctx)
{
    particle_multi_options o = PARTICLE_MULTI_OPTIONS_INIT;
    o.max_in_flight = 4;
    particle_multi *m = (particle_multi *)&m;
    int rc = particle_multi_new(&m, ctx, &o);
    if (rc != 0) {
        *gave_out = m != NULL;
        return rc;
    }
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "my-product";
    rc = particle_multi_variable_get(m, "dev1", "temp", &ro, ignore_variable, NULL);
    if (rc == 0) {
        rc = particle_multi_request(m, "POST", "/v1/devices/dev1/led?x=1", NULL, "{\"arg\":\"on\"}",
                                    NULL, ignore_doc, NULL);
    }
    /* a refused call is not queued: only the successful ones are pending */
    *gave_out = rc == 0 && particle_multi_pending(m) == 2;
    particle_multi_free(m);
    return rc;
}

static int on_any_event(const particle_event *ev, void *payload)
{
    (void)ev, (void)payload;
    return 1;
}

static int open_stream(bool *gave_out, void *ctx)
{
    particle_stream_options o = PARTICLE_STREAM_OPTIONS_INIT;
    o.scope = PARTICLE_STREAM_ORG;
    o.org = "my org";
    o.product = "my-product";
    o.device = "dev1";
    o.prefix = "temp/";
    o.last_event_id = "41";
    o.on_event = on_any_event;
    particle_stream *s = (particle_stream *)&s;
    int rc = particle_stream_open(&s, ctx, &o);
    *gave_out = s != NULL;
    particle_stream_free(s);
    return rc;
}

static int new_device_iter(bool *gave_out, void *ctx)
{
    particle_device_list_options o = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    o.product = "my-product";
    o.groups = "europe,asia";
    o.device_name = "oom";
    o.sort_attr = "deviceName";
    particle_device_iter *it = (particle_device_iter *)&it;
    int rc = particle_device_iter_new(&it, ctx, &o);
    *gave_out = it != NULL;
    particle_device_iter_free(it);
    return rc;
}

static int new_sim_iter(bool *gave_out, void *ctx)
{
    particle_sim_list_options o = PARTICLE_SIM_LIST_OPTIONS_INIT;
    o.product = "my-product";
    o.iccid = "8934";
    particle_sim_iter *it = (particle_sim_iter *)&it;
    int rc = particle_sim_iter_new(&it, ctx, &o);
    *gave_out = it != NULL;
    particle_sim_iter_free(it);
    return rc;
}

static int set_token(bool *gave_out, void *ctx)
{
    int rc = particle_client_set_access_token(ctx, "0123456789abcdef");
    *gave_out = rc == 0;
    return rc;
}

static int value_to_json(bool *gave_out, void *ctx)
{
    const particle_value *root = particle_doc_root(ctx);
    char *text = (char *)&text;
    int rc = particle_value_to_json(&text, root, 1);
    *gave_out = text != NULL;
    if (rc == 0) {
        assert_non_null(strstr(text, "\"name\": \"oom\""));
    }
    particle_free(text);
    return rc;
}

static void test_constructors_out_of_memory(void **state)
{
    (void)state;
    static const int bad_body[] = {PARTICLE_EINVAL, 0};
    particle_client *c = plain_client();
    struct {
        const char *name;
        oom_call_fn *call;
        long min_runs;
        const int *also_allowed;
    } cases[] = {
        /* the request's JSON body is checked with jansson, whose lexer reports some of its
         * allocation failures as syntax errors: a bad body is PARTICLE_EINVAL */
        {"particle_multi_new + _variable_get + _request", new_multi_with_calls, 6, bad_body},
        {"particle_stream_open", open_stream, 6, NULL},
        {"particle_device_iter_new", new_device_iter, 4, NULL},
        {"particle_sim_iter_new", new_sim_iter, 2, NULL},
        {"particle_client_set_access_token", set_token, 1, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        oom_result r = oom_loop(cases[i].name, cases[i].call, c, cases[i].also_allowed);
        assert_true(r.runs >= cases[i].min_runs);
        if (cases[i].also_allowed == NULL) {
            assert_int_equal(r.enomem_runs, r.runs);
        }
    }
    particle_client_free(c);
}

static void test_value_to_json_out_of_memory(void **state)
{
    (void)state;
    static const char json[] = "{\"name\":\"oom\",\"list\":[1,2.5,true,null,\"x\"]}";
    particle_doc *doc = NULL;
    assert_int_equal(particle_doc_parse(&doc, json, sizeof(json) - 1), 0);
    oom_result r = oom_loop("particle_value_to_json", value_to_json, doc, NULL);
    assert_true(r.runs >= 1);
    assert_int_equal(r.enomem_runs, r.runs);
    particle_doc_free(doc);
}

static void test_client_new_out_of_memory(void **state)
{
    (void)state;
    /* the client, its strings, and libcurl's easy handle: many allocations */
    oom_result r = oom_loop("particle_client_new", new_client, NULL, NULL);
    assert_true(r.runs >= 6);
    assert_int_equal(r.enomem_runs, r.runs);
}

static void test_doc_parse_out_of_memory(void **state)
{
    (void)state;
    /* jansson's tree plus the document. jansson 2.14 reports some allocation failures inside
     * its lexer as syntax errors, which can only be PARTICLE_EPROTO; the others, and the
     * document's own allocation, must be PARTICLE_ENOMEM. */
    static const int lexer_oom[] = {PARTICLE_EPROTO, 0};
    oom_result r = oom_loop("particle_doc_parse", parse_doc, NULL, lexer_oom);
    assert_true(r.runs >= 10);
    assert_true(r.enomem_runs >= r.runs / 2);
}

static void test_fault_injection_is_off_by_default(void **state)
{
    (void)state;
    bool gave_out = false;
    assert_int_equal(parse_doc(&gave_out, NULL), 0);
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
        cmocka_unit_test(test_constructors_out_of_memory),
        cmocka_unit_test(test_value_to_json_out_of_memory),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
