/*
 * bridge_app_new() copies its config (app.h): the running bridge must not read the caller's
 * struct once it is gone. Regression test for what fuzz_bridge_request found: the API kept a
 * pointer to the caller's cloud_url, so a device's function links were built from freed
 * memory (fuzz/corpus/bridge_request/device_settings replays it under ASan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_harness.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define KEY "copy-api-key-0123456789"

static void test_links_use_the_apps_copy_of_the_config(void **state)
{
    (void)state;
    bridge_harness h;
    memset(&h, 0, sizeof h);
    sim_server_options so;
    sim_server_options_init(&so);
    assert_int_equal(bridge_harness_open(&h, "bridge-config-copy", &so), 0);
    bridge_harness_configure(&h, TOKEN, KEY);
    char err[512];
    assert_int_equal(bridge_config_validate(&h.cfg, err, sizeof err), 0);

    /* Start from a copy that is wiped and freed at once. */
    bridge_config *copy = malloc(sizeof *copy);
    assert_non_null(copy);
    *copy = h.cfg;
    h.app = bridge_app_new(copy, err, sizeof err);
    memset(copy, 'x', sizeof *copy);
    free(copy);
    assert_non_null(h.app);

    char cloud[64];
    snprintf(cloud, sizeof cloud, "http://127.0.0.1:%u/v1/devices/", sim_server_port(h.sim));
    http_reply r = bridge_harness_api(&h, "GET", "/api/v1/devices", NULL, NULL);
    assert_int_equal(r.status, 200);
    json_t *list = http_reply_items(&r);
    assert_true(json_is_array(list));
    size_t links = 0, i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        /* Each device's own page holds its function links, built from the cloud URL. */
        const char *page = json_string_value(json_object_get(item, "Href"));
        assert_non_null(page);
        http_reply one = bridge_harness_api(&h, "GET", page, NULL, NULL);
        assert_int_equal(one.status, 200);
        json_t *device = json_loads(one.body, 0, NULL);
        assert_non_null(device);
        size_t k;
        json_t *fn;
        json_array_foreach(json_object_get(device, "Functions"), k, fn)
        {
            json_t *link = json_array_get(json_object_get(fn, "Links"), 0);
            const char *href = json_string_value(json_object_get(link, "Href"));
            assert_non_null(href);
            assert_memory_equal(href, cloud, strlen(cloud));
            links++;
        }
        json_decref(device);
        http_reply_dispose(&one);
    }
    assert_true(links > 0);
    json_decref(list);
    http_reply_dispose(&r);
    bridge_harness_close(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_links_use_the_apps_copy_of_the_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
