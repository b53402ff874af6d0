/*
 * Webhook templates and requests of particle-sim (sim/hooks/hook_template.h,
 * hook_request.h): every variable, HTML escaping against triple braces, custom fields of
 * JSON event data, unknown variables, syntax errors, and the request an integration renders
 * (default form body and query, json with and without defaults, form, body, headers, auth).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "hooks/hook_request.h"
#include "hooks/hook_template.h"

static const sim_hook_vars VARS = {.event_name = "temp/room",
                                   .event_value = "a<b & \"c\"",
                                   .device_id = "0123456789abcdef01234567",
                                   .published_at = "2026-01-02T03:04:05.678Z",
                                   .product_id = "10001"};

static char *render(const char *tmpl, const sim_hook_vars *v)
{
    pu_buf b;
    pu_buf_xinit(&b);
    sim_hook_template_render(&b, tmpl, v);
    return pu_buf_take(&b, NULL);
}

static void expect_render(const char *tmpl, const sim_hook_vars *v, const char *want)
{
    char *got = render(tmpl, v);
    if (strcmp(got, want) != 0)
        fail_msg("%s: expected \"%s\", got \"%s\"", tmpl, want, got);
    free(got);
}

static void test_variables_and_escaping(void **state)
{
    (void)state;
    expect_render("{{PARTICLE_EVENT_NAME}}|{{PARTICLE_DEVICE_ID}}|{{PARTICLE_PUBLISHED_AT}}|"
                  "{{PRODUCT_ID}}",
                  &VARS, "temp&#x2F;room|0123456789abcdef01234567|2026-01-02T03:04:05.678Z|10001");
    expect_render("{{PARTICLE_EVENT_VALUE}}", &VARS, "a&lt;b &amp; &quot;c&quot;");
    expect_render("{{{PARTICLE_EVENT_VALUE}}}", &VARS, "a<b & \"c\"");
    expect_render("{{& PARTICLE_EVENT_VALUE }}", &VARS, "a<b & \"c\"");
    expect_render("x{{! a comment }}y", &VARS, "xy");
    /* unknown variables render as nothing (Mustache) */
    expect_render("[{{NOPE}}][{{{nope.deeper}}}]", &VARS, "[][]");
    expect_render("no tags at all", &VARS, "no tags at all");
    expect_render("{ \"a\": 1 }", &VARS, "{ \"a\": 1 }");
    sim_hook_vars null_data = VARS;
    null_data.event_value = NULL;
    expect_render("<{{PARTICLE_EVENT_VALUE}}>", &null_data, "<>");
}

static void test_custom_fields(void **state)
{
    (void)state;
    sim_hook_vars v = VARS;
    v.custom = sim_hook_custom_fields("{\"temp\":21.5,\"ok\":true,\"name\":\"r&d\",\"pos\":{"
                                      "\"lat\":1,\"lng\":[2,3]},\"n\":null}");
    assert_non_null(v.custom);
    expect_render(
        "{{temp}} {{ok}} {{name}} {{{name}}} {{pos.lat}} {{{pos.lng}}} [{{n}}] [{{pos.x}}]", &v,
        "21.5 true r&amp;d r&d 1 [2,3] [] []");
    expect_render("{{{pos}}}", &v, "{\"lat\":1,\"lng\":[2,3]}");
    json_decref(v.custom);
    assert_null(sim_hook_custom_fields("21.5"));
    assert_null(sim_hook_custom_fields("[1]"));
    assert_null(sim_hook_custom_fields("{broken"));
    assert_null(sim_hook_custom_fields(NULL));
}

static void test_syntax_errors(void **state)
{
    (void)state;
    const char *bad[] = {"{{open",        "{{{open}}",     "{{}}",
                         "{{ a b }}",     "{{#s}}x{{/s}}", "{{^s}}{{/s}}",
                         "{{> partial}}", "{{=<% %>=}}",   "{{a\"b}}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (!sim_hook_template_check(bad[i]))
            fail_msg("\"%s\" should not parse", bad[i]);
    const char *good[] = {"", "plain", "{{a}}{{{b}}}{{& c}}{{!x}}", "{{ a.b-c_d }}", "}} {"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (sim_hook_template_check(good[i]))
            fail_msg("\"%s\" should parse: %s", good[i], sim_hook_template_check(good[i]));
}

static sim_hook_job *build(const char *settings_json)
{
    json_t *s = json_loads(settings_json, 0, NULL);
    assert_non_null(s);
    sim_hook_job *job = sim_hook_request_build(s, "0123456789abcdef01234567", &VARS);
    json_decref(s);
    return job;
}

static const char *header(const sim_hook_job *job, const char *prefix)
{
    for (size_t i = 0; i < job->header_count; i++)
        if (strncmp(job->headers[i], prefix, strlen(prefix)) == 0)
            return job->headers[i];
    return NULL;
}

static void test_default_bodies(void **state)
{
    (void)state;
    sim_hook_job *job = build("{\"url\":\"http://h/in\",\"requestType\":\"POST\"}");
    assert_string_equal(job->method, "POST");
    assert_string_equal(job->url, "http://h/in");
    assert_string_equal(job->body,
                        "event=temp%2Froom&data=a%3Cb%20%26%20%22c%22&published_at=2026-01-02T03%3A"
                        "04%3A05.678Z&coreid=0123456789abcdef01234567");
    assert_string_equal(header(job, "Content-Type"),
                        "Content-Type: application/x-www-form-urlencoded");
    sim_hook_job_free(job);

    /* GET: the defaults go in the query, after the URL's own */
    job = build("{\"url\":\"http://h/in?x=1\",\"requestType\":\"GET\",\"query\":{\"q\":"
                "\"{{PRODUCT_ID}}\"}}");
    assert_string_equal(job->url, "http://h/in?x=1&q=10001&event=temp%2Froom&data=a%3Cb%20%26%20%"
                                  "22c%22&published_at=2026-01-02T03%3A04%3A05.678Z&coreid="
                                  "0123456789abcdef01234567");
    assert_null(job->body);
    sim_hook_job_free(job);

    /* noDefaults: nothing added */
    job = build("{\"url\":\"http://h/\",\"requestType\":\"POST\",\"noDefaults\":true}");
    assert_null(job->body);
    assert_string_equal(job->url, "http://h/");
    sim_hook_job_free(job);
}

static void test_templates_in_requests(void **state)
{
    (void)state;
    sim_hook_job *job = build("{\"url\":\"http://h/{{PARTICLE_DEVICE_ID}}\",\"requestType\":"
                              "\"PUT\",\"json\":{\"v\":\"{{{PARTICLE_EVENT_VALUE}}}\",\"n\":[\""
                              "{{PRODUCT_ID}}\",7]},\"headers\":{\"X-Evil\":\"a\\r\\nInjected: "
                              "1\"},\"auth\":{\"username\":\"u\",\"password\":\"p\"}}");
    assert_string_equal(job->url, "http://h/0123456789abcdef01234567");
    json_t *body = json_loads(job->body, 0, NULL);
    assert_non_null(body);
    assert_string_equal(json_string_value(json_object_get(body, "v")), "a<b & \"c\"");
    assert_string_equal(json_string_value(json_array_get(json_object_get(body, "n"), 0)), "10001");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(body, "n"), 1)), 7);
    /* the defaults join a json object */
    assert_string_equal(json_string_value(json_object_get(body, "event")), "temp/room");
    assert_string_equal(json_string_value(json_object_get(body, "coreid")),
                        "0123456789abcdef01234567");
    json_decref(body);
    assert_string_equal(header(job, "Content-Type"), "Content-Type: application/json");
    assert_string_equal(header(job, "X-Evil"), "X-Evil: a  Injected: 1");
    assert_string_equal(job->username, "u");
    assert_string_equal(job->password, "p");
    assert_false(job->insecure);
    sim_hook_job_free(job);

    job = build("{\"url\":\"https://h/\",\"requestType\":\"POST\",\"form\":{\"t\":\"{{temp}}\"},"
                "\"noDefaults\":true,\"rejectUnauthorized\":false}");
    assert_string_equal(job->body, "t=");
    assert_true(job->insecure);
    sim_hook_job_free(job);

    /* body: as written, Content-Type only from the headers */
    job = build("{\"url\":\"http://h/\",\"requestType\":\"POST\",\"body\":\"<{{{PARTICLE_EVENT_"
                "NAME}}}>\",\"headers\":{\"Content-Type\":\"text/plain\"}}");
    assert_string_equal(job->body, "<temp/room>");
    assert_int_equal(job->body_len, strlen("<temp/room>"));
    assert_string_equal(header(job, "Content-Type"), "Content-Type: text/plain");
    sim_hook_job_free(job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variables_and_escaping), cmocka_unit_test(test_custom_fields),
        cmocka_unit_test(test_syntax_errors),          cmocka_unit_test(test_default_bodies),
        cmocka_unit_test(test_templates_in_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
