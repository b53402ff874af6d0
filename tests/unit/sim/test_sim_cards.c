/* particle-sim's SIM routes (cloud-api.md §8, §7.6) through real HTTP on port 0, on the
 * default fleet: demo-boron-1 is demo's user SIM, other-boron-1 other's, and the 13 trackers
 * of product 10001 are product SIMs. Ownership (403/404), the {"sim":...} object and its
 * device link, HEAD 204, product listing with filters and pages, the usage history, state
 * changes and their 400s, release and import, the status task on the simulation clock, and
 * --state persistence. */
#include <unistd.h>

#include "sim_test.h"

static sim_test *T;

static int setup(void **state)
{
    (void)state;
    T = sim_test_start(NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sim_test_stop(T);
    return 0;
}

/* GET @p path as @p token expecting @p status; returns the JSON body. */
static json_t *get_json(const char *path, const char *token, long status)
{
    http_reply r = sim_req(T, "GET", path, token, NULL, NULL);
    json_t *j = sim_json(&r, status);
    http_reply_dispose(&r);
    return j;
}

static json_t *send_json(const char *method, const char *path, const char *body, long status)
{
    http_reply r = sim_req(T, method, path, DEMO_TOKEN, JSON_CT, body);
    json_t *j = sim_json(&r, status);
    http_reply_dispose(&r);
    return j;
}

/* The ICCID the device object of @p device shows. Caller frees. */
static char *device_iccid(const char *device, const char *token)
{
    char path[128];
    snprintf(path, sizeof(path), "/v1/devices/%s", device);
    json_t *d = get_json(path, token, 200);
    assert_non_null(jstr(d, "iccid"));
    char *iccid = strdup(jstr(d, "iccid"));
    json_decref(d);
    return iccid;
}

static void test_user_sims_and_ownership(void **state)
{
    (void)state;
    char *mine = device_iccid("demo-boron-1", DEMO_TOKEN);
    char *theirs = device_iccid("other-boron-1", OTHER_TOKEN);
    json_t *list = get_json("/v1/sims", DEMO_TOKEN, 200);
    json_t *sims = json_object_get(list, "sims");
    assert_int_equal(json_array_size(sims), 1);
    json_t *s = json_array_get(sims, 0);
    assert_string_equal(jstr(s, "_id"), mine);
    assert_string_equal(jstr(s, "iccid"), mine);
    assert_string_equal(jstr(s, "status"), "active");
    assert_string_equal(jstr(s, "last_device_name"), "demo-boron-1");
    assert_int_equal(strlen(jstr(s, "imsi")), 15);
    assert_non_null(jstr(s, "carrier"));
    assert_true(json_is_null(json_object_get(s, "mb_limit")));
    json_decref(list);

    char path[128];
    snprintf(path, sizeof(path), "/v1/sims/%s", mine);
    json_t *one = get_json(path, DEMO_TOKEN, 200);
    json_t *sim = json_object_get(one, "sim");
    assert_string_equal(jstr(sim, "iccid"), mine);
    assert_string_equal(jstr(sim, "owner"), "demo@example.com");
    json_decref(one);

    http_reply r = sim_req(T, "HEAD", path, DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 204);
    assert_int_equal(r.body_len, 0);
    http_reply_dispose(&r);

    /* someone else's SIM is 403, an unknown one 404, both with JSON bodies */
    snprintf(path, sizeof(path), "/v1/sims/%s", theirs);
    json_t *e = get_json(path, DEMO_TOKEN, 403);
    assert_string_equal(jstr(e, "error"), "Permission Denied");
    json_decref(e);
    r = sim_req(T, "HEAD", path, DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 403);
    http_reply_dispose(&r);
    sim_expect_body(T, "GET", "/v1/sims/89000000000000000000", DEMO_TOKEN, 404,
                    "{\"ok\":false,\"error\":\"SIM card not found\"}");
    sim_expect_body(T, "GET", "/v1/sims/89000000000000000000/data_usage", DEMO_TOKEN, 404,
                    "{\"ok\":false,\"error\":\"SIM card not found\"}");
    free(mine);
    free(theirs);
}

static void test_product_listing(void **state)
{
    (void)state;
    json_t *page = get_json("/v1/products/10001/sims?perPage=5&page=3", DEMO_TOKEN, 200);
    json_t *meta = json_object_get(page, "meta");
    assert_int_equal(json_integer_value(json_object_get(meta, "total_pages")), 3);
    assert_int_equal(json_integer_value(json_object_get(meta, "total")), 13);
    assert_int_equal(json_array_size(json_object_get(page, "sims")), 3);
    json_t *s = json_array_get(json_object_get(page, "sims"), 0);
    assert_int_equal(json_integer_value(json_object_get(s, "product_id")), 10001);
    assert_true(json_is_null(json_object_get(s, "user_id")));
    json_decref(page);

    /* partial, case-insensitive device name: tracker-1, -10, -11, -12 */
    page = get_json("/v1/products/asset-tracker/sims?deviceName=TRACKER-1&per_page=100", DEMO_TOKEN,
                    200);
    assert_int_equal(json_array_size(json_object_get(page, "sims")), 4);
    json_decref(page);

    /* a product SIM is not reachable through the user routes, nor a user SIM through the
     * product's */
    char *tracker = device_iccid("tracker-1", DEMO_TOKEN);
    char *mine = device_iccid("demo-boron-1", DEMO_TOKEN);
    char path[160];
    snprintf(path, sizeof(path), "/v1/sims/%s", tracker);
    json_decref(get_json(path, DEMO_TOKEN, 403));
    snprintf(path, sizeof(path), "/v1/products/10001/sims/%s", mine);
    json_decref(get_json(path, DEMO_TOKEN, 403));
    snprintf(path, sizeof(path), "/v1/products/10001/sims/%s", tracker);
    json_t *one = get_json(path, DEMO_TOKEN, 200);
    assert_string_equal(jstr(json_object_get(one, "sim"), "last_device_name"), "tracker-1");
    json_decref(one);
    /* Wi-Fi product: no SIMs, one (empty) page; not on the team: 403 */
    page = get_json("/v1/products/10002/sims", DEMO_TOKEN, 200);
    assert_int_equal(json_array_size(json_object_get(page, "sims")), 0);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(page, "meta"), "total_pages")), 1);
    json_decref(page);
    json_decref(get_json("/v1/products/10001/sims", OTHER_TOKEN, 403));
    json_decref(get_json("/v1/products/99999/sims", DEMO_TOKEN, 404));
    json_decref(get_json("/v1/products/10001/sims?page=0", DEMO_TOKEN, 400));
    free(tracker);
    free(mine);
}

/* Days 1..today of the month, dates ascending, cumulative = running sum. */
static double check_usage(json_t *days)
{
    double sum = 0;
    size_t i;
    json_t *d;
    const char *prev = "";
    json_array_foreach(days, i, d)
    {
        const char *date = jstr(d, "date");
        assert_int_equal(strlen(date), 10);
        assert_true(strcmp(date, prev) > 0);
        prev = date;
        sum += json_real_value(json_object_get(d, "mbs_used"));
        assert_float_equal(json_real_value(json_object_get(d, "mbs_used_cumulative")), sum, 0.011);
    }
    return sum;
}

static void test_usage(void **state)
{
    (void)state;
    json_decref(send_json("POST", "/sim/clock/pause", NULL, 200));
    char *mine = device_iccid("demo-boron-1", DEMO_TOKEN);
    char path[160];
    snprintf(path, sizeof(path), "/v1/sims/%s/data_usage", mine);
    json_t *u = get_json(path, DEMO_TOKEN, 200);
    assert_string_equal(jstr(u, "iccid"), mine);
    json_t *days = json_object_get(u, "usage_by_day");
    json_t *status = get_json("/sim/status", DEMO_TOKEN, 200);
    /* "YYYY-MM-DDT...": the day of the month is the number of days */
    const char *now = jstr(json_object_get(status, "clock"), "now");
    assert_int_equal(json_array_size(days), strtol(now + 8, NULL, 10));
    double total = check_usage(days);
    /* active for the whole month: every full day used something */
    if (json_array_size(days) > 1)
        assert_true(json_real_value(json_object_get(json_array_get(days, 0), "mbs_used")) >= 0.1);
    /* the same clock gives the same history */
    http_reply a = sim_req(T, "GET", path, DEMO_TOKEN, NULL, NULL);
    http_reply b = sim_req(T, "GET", path, DEMO_TOKEN, NULL, NULL);
    assert_string_equal(a.body, b.body);
    http_reply_dispose(&a);
    http_reply_dispose(&b);

    /* the fleet sums the product's 13 SIMs */
    json_t *fleet = get_json("/v1/products/10001/sims/data_usage", DEMO_TOKEN, 200);
    assert_int_equal(json_integer_value(json_object_get(fleet, "total_active_sim_cards")), 13);
    double fleet_total = check_usage(json_object_get(fleet, "usage_by_day"));
    assert_float_equal(json_real_value(json_object_get(fleet, "total_mbs_used")), fleet_total,
                       0.011);
    assert_true(fleet_total > total); /* 13 SIMs used more than one */
    json_decref(fleet);
    json_decref(status);
    json_decref(u);
    json_decref(send_json("POST", "/sim/clock/resume", NULL, 200));
    free(mine);
}

static void test_state_changes(void **state)
{
    (void)state;
    char *mine = device_iccid("demo-boron-1", DEMO_TOKEN);
    char *tracker = device_iccid("tracker-2", DEMO_TOKEN);
    char path[160], ppath[160];
    snprintf(path, sizeof(path), "/v1/sims/%s", mine);
    snprintf(ppath, sizeof(ppath), "/v1/products/10001/sims/%s", tracker);

    json_t *e = send_json("PUT", path, "{\"action\":\"explode\"}", 400);
    assert_non_null(strstr(jstr(e, "error"), "Unknown action"));
    json_decref(e);
    json_decref(send_json("PUT", path, "{}", 400));
    json_decref(send_json("PUT", path, "{\"mb_limit\":\"lots\"}", 400));
    json_decref(send_json("PUT", path, "{\"mb_limit\":-3}", 400));
    json_decref(send_json("PUT", path, "{\"mb_limit\":\"5x\"}", 400));
    json_decref(send_json("PUT", path, "{\"mb_limit\":\"\"}", 400));
    json_decref(send_json("PUT", path, "{\"mb_limit\":1.5}", 400));
    json_decref(send_json("PUT", path, "{\"mb_limit\":99999999999999999999}", 400));
    /* activate is for user SIMs */
    json_decref(send_json("PUT", ppath, "{\"action\":\"activate\"}", 400));

    json_t *r = send_json("PUT", path, "{\"action\":\"deactivate\"}", 200);
    json_t *sim = json_object_get(r, "sim");
    assert_string_equal(jstr(sim, "status"), "deactivated");
    assert_int_equal(json_integer_value(json_object_get(sim, "deactivations_count")), 1);
    assert_string_equal(jstr(sim, "last_status_change_action"), "deactivate");
    json_decref(r);
    /* form bodies work too (mb_limit as text) */
    http_reply fr = sim_req(T, "PUT", path, DEMO_TOKEN, FORM, "action=reactivate&mb_limit=5");
    r = sim_json(&fr, 200);
    http_reply_dispose(&fr);
    sim = json_object_get(r, "sim");
    assert_string_equal(jstr(sim, "status"), "active");
    assert_int_equal(json_integer_value(json_object_get(sim, "activations_count")), 2);
    assert_int_equal(json_integer_value(json_object_get(sim, "mb_limit")), 5);
    json_decref(r);
    r = send_json("PUT", ppath, "{\"mb_limit\":100}", 200);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "sim"), "mb_limit")),
                     100);
    assert_string_equal(jstr(json_object_get(r, "sim"), "status"), "active");
    json_decref(r);
    free(mine);
    free(tracker);
}

static void test_status_task(void **state)
{
    (void)state;
    char *mine = device_iccid("demo-boron-1", DEMO_TOKEN);
    char path[160];
    snprintf(path, sizeof(path), "/v1/sims/%s/status", mine);
    json_decref(send_json("POST", "/sim/clock/pause", NULL, 200));
    json_decref(send_json("POST", "/sim/devices/demo-boron-1/online", NULL, 200));
    json_t *p = get_json(path, DEMO_TOKEN, 202);
    json_t *meta = json_object_get(p, "meta");
    assert_string_equal(jstr(meta, "state"), "pending");
    assert_string_equal(jstr(meta, "method"), "async");
    const char *task = jstr(meta, "task_id");
    assert_non_null(task);
    assert_true(json_is_null(json_object_get(json_object_get(p, "sim_status"), "connected")));
    /* the clock stands still: still pending, same task */
    json_t *p2 = get_json(path, DEMO_TOKEN, 202);
    assert_string_equal(jstr(json_object_get(p2, "meta"), "task_id"), task);
    json_decref(p2);
    json_decref(send_json("POST", "/sim/clock/advance", "{\"ms\":2000}", 200));
    json_t *done = get_json(path, DEMO_TOKEN, 200);
    assert_string_equal(jstr(json_object_get(done, "meta"), "state"), "complete");
    assert_string_equal(jstr(json_object_get(done, "meta"), "task_id"), task);
    json_t *st = json_object_get(done, "sim_status");
    assert_true(json_is_true(json_object_get(st, "connected")));
    assert_true(json_is_true(json_object_get(st, "gsm_connection")));
    json_decref(done);
    /* once expired, a new task starts; an offline device is not connected */
    json_decref(send_json("POST", "/sim/devices/demo-boron-1/offline", NULL, 200));
    json_decref(send_json("POST", "/sim/clock/advance", "{\"ms\":180000}", 200));
    json_t *again = get_json(path, DEMO_TOKEN, 202);
    assert_string_not_equal(jstr(json_object_get(again, "meta"), "task_id"), task);
    json_decref(again);
    json_decref(send_json("POST", "/sim/clock/advance", "{\"ms\":2000}", 200));
    done = get_json(path, DEMO_TOKEN, 200);
    assert_true(json_is_false(json_object_get(json_object_get(done, "sim_status"), "connected")));
    json_decref(done);
    json_decref(p);
    json_decref(send_json("POST", "/sim/devices/demo-boron-1/online", NULL, 200));
    json_decref(send_json("POST", "/sim/clock/resume", NULL, 200));
    free(mine);
}

static void test_release_and_import(void **state)
{
    (void)state;
    char *mine = device_iccid("demo-boron-1", DEMO_TOKEN);
    char path[160], body[128];
    snprintf(path, sizeof(path), "/v1/sims/%s", mine);
    /* an active SIM's release is pending (202), then the SIM is gone */
    json_decref(send_json("DELETE", path, NULL, 202));
    json_decref(get_json(path, DEMO_TOKEN, 404));
    json_decref(send_json("DELETE", path, NULL, 404));
    json_t *list = get_json("/v1/sims", DEMO_TOKEN, 200);
    assert_int_equal(json_array_size(json_object_get(list, "sims")), 0);
    json_decref(list);

    /* imported into the product, it is a product SIM again (and active) */
    json_decref(send_json("POST", "/v1/products/10001/sims", "{\"sims\":[]}", 400));
    snprintf(body, sizeof(body), "{\"sims\":[\"%s\",\"89000000000000000001\"]}", mine);
    http_reply r = sim_req(T, "POST", "/v1/products/10001/sims", OTHER_TOKEN, JSON_CT, body);
    assert_int_equal(r.status, 403);
    http_reply_dispose(&r);
    json_t *ok = send_json("POST", "/v1/products/10001/sims", body, 200);
    assert_true(json_is_true(json_object_get(ok, "ok")));
    json_decref(ok);
    snprintf(path, sizeof(path), "/v1/products/10001/sims/%s", mine);
    json_t *one = get_json(path, DEMO_TOKEN, 200);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(one, "sim"), "product_id")),
                     10001);
    assert_string_equal(jstr(json_object_get(one, "sim"), "status"), "active");
    json_decref(one);
    /* a deactivated SIM's release is immediate: 204 */
    json_decref(send_json("PUT", path, "{\"action\":\"deactivate\"}", 200));
    r = sim_req(T, "DELETE", path, DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 204);
    http_reply_dispose(&r);
    free(mine);
}

/* A SIM's state survives a restart with the same --state file. */
static void test_state_persists(void **state)
{
    (void)state;
    char dir[] = "/tmp/sim-sims-XXXXXX", file[64];
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof(file), "%s/state.db", dir);
    sim_server_options o;
    sim_server_options_init(&o);
    o.state_path = file;
    T = sim_test_start(&o);
    char *mine = device_iccid("demo-boron-1", DEMO_TOKEN);
    char path[160];
    snprintf(path, sizeof(path), "/v1/sims/%s", mine);
    json_decref(send_json("PUT", path, "{\"action\":\"deactivate\",\"mb_limit\":42}", 200));
    sim_test_stop(T);

    T = sim_test_start(&o);
    json_t *one = get_json(path, DEMO_TOKEN, 200);
    json_t *sim = json_object_get(one, "sim");
    assert_string_equal(jstr(sim, "status"), "deactivated");
    assert_int_equal(json_integer_value(json_object_get(sim, "mb_limit")), 42);
    assert_int_equal(json_integer_value(json_object_get(sim, "deactivations_count")), 1);
    json_decref(one);
    sim_test_stop(T);
    T = NULL;
    free(mine);
    unlink(file);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_user_sims_and_ownership, setup, teardown),
        cmocka_unit_test_setup_teardown(test_product_listing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_task, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release_and_import, setup, teardown),
        cmocka_unit_test(test_state_persists),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
