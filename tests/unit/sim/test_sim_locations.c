/*
 * particle-sim's tracker locations (routes/locations.c, model/locations.c): trackers move
 * on the simulation clock, the last position without a range and the recorded positions
 * with one, the rectangle, device, name and group filters, paging, one device with its
 * properties, and who may call (scope matrix) with bad arguments refused.
 */
#include "clock.h"
#include "pu_time.h"
#include "scope_matrix.h"

#define LOCATIONS "/v1/products/asset-tracker/locations"

static sm_ctx *SM;

static int setup(void **state)
{
    sim_test_global_setup(state);
    sm_fleet f = SM_DEFAULT_FLEET;
    SM = sm_start(&f);
    http_reply r = sim_req(SM->t, "POST", "/sim/clock/pause", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    return 0;
}

static int teardown(void **state)
{
    sm_stop(SM);
    return sim_test_global_teardown(state);
}

static json_t *get(const char *path, long status)
{
    http_reply r = sim_req(SM->t, "GET", path, DEMO_TOKEN, NULL, NULL);
    json_t *j = sim_json(&r, status);
    http_reply_dispose(&r);
    return j;
}

static json_t *meta(json_t *j, const char *key)
{
    return json_object_get(json_object_get(j, "meta"), key);
}

/* "START,END" of the last @p minutes on the simulation clock, percent-encoded. */
static void last_minutes(int minutes, char *out, size_t size)
{
    sim_model *m = sm_model(SM);
    sim_model_lock(m);
    int64_t now = sim_clock_now(m->clock);
    sim_model_unlock(m);
    char a[PU_ISO8601_SIZE], b[PU_ISO8601_SIZE];
    snprintf(out, size, "%s%%2C%s", pu_time_iso8601(now - minutes * 60000LL, a),
             pu_time_iso8601(now, b));
}

static void test_last_positions_and_paging(void **state)
{
    (void)state;
    json_t *all = get(LOCATIONS "?per_page=100", 200);
    size_t found = (size_t)json_integer_value(meta(all, "devices_found"));
    json_t *list = json_object_get(all, "locations");
    assert_int_equal(json_array_size(list), found);
    assert_true(found >= 8); /* the online, not quarantined trackers and the offline ones */
    json_t *first = json_array_get(list, 0);
    assert_string_equal(jstr(json_object_get(first, "geometry"), "type"), "Point");
    assert_int_equal(json_array_size(json_object_get(first, "timestamps")), 1);
    assert_true(json_is_true(json_object_get(first, "gps_lock")));
    assert_int_equal(json_integer_value(json_object_get(first, "product_id")), 10001);

    json_t *page = get(LOCATIONS "?per_page=3&page=2", 200);
    assert_int_equal(json_array_size(json_object_get(page, "locations")), 3);
    assert_int_equal(json_integer_value(meta(page, "total_pages")), (long long)(found + 2) / 3);
    assert_string_equal(jstr(json_array_get(json_object_get(page, "locations"), 0), "device_id"),
                        jstr(json_array_get(list, 3), "device_id"));
    json_t *past = get(LOCATIONS "?per_page=3&page=99", 200);
    assert_int_equal(json_array_size(json_object_get(past, "locations")), 0);
    json_decref(past);
    json_decref(page);
    json_decref(all);
}

static void test_trackers_move_on_the_clock(void **state)
{
    (void)state;
    json_t *before = get(LOCATIONS "?device_name=tracker-1&per_page=1", 200);
    json_t *a = json_object_get(
        json_object_get(json_array_get(json_object_get(before, "locations"), 0), "geometry"),
        "coordinates");
    double lat_before = json_real_value(json_array_get(a, 1));
    http_reply r =
        sim_req(SM->t, "POST", "/sim/clock/advance", DEMO_TOKEN, JSON_CT, "{\"ms\":3600000}");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    json_t *after = get(LOCATIONS "?device_name=tracker-1&per_page=1", 200);
    json_t *b = json_object_get(
        json_object_get(json_array_get(json_object_get(after, "locations"), 0), "geometry"),
        "coordinates");
    assert_true(json_real_value(json_array_get(b, 1)) != lat_before);

    char range[128], path[512];
    last_minutes(60, range, sizeof(range));
    snprintf(path, sizeof(path), LOCATIONS "?device_name=tracker-1&date_range=%s", range);
    json_t *ranged = get(path, 200);
    json_t *loc = json_array_get(json_object_get(ranged, "locations"), 0);
    assert_string_equal(jstr(json_object_get(loc, "geometry"), "type"), "LineString");
    assert_true(json_array_size(json_object_get(loc, "timestamps")) >= 12);
    assert_int_equal(
        json_array_size(json_object_get(json_object_get(loc, "geometry"), "coordinates")),
        json_array_size(json_object_get(loc, "timestamps")));

    /* one device: the same positions, with properties */
    snprintf(path, sizeof(path), LOCATIONS "/%s?date_range=%s", jstr(loc, "device_id"), range);
    json_t *one = get(path, 200);
    json_t *l = json_object_get(one, "location");
    assert_int_equal(json_array_size(json_object_get(l, "properties")),
                     json_array_size(json_object_get(loc, "timestamps")));
    json_t *prop = json_array_get(json_object_get(l, "properties"), 0);
    assert_non_null(json_object_get(prop, "hd"));
    assert_non_null(json_object_get(prop, "acc_h"));
    assert_non_null(json_object_get(prop, "speed"));
    assert_non_null(json_object_get(prop, "temp"));
    assert_true(json_is_object(json_object_get(one, "meta")));
    json_decref(one);
    json_decref(ranged);
    json_decref(after);
    json_decref(before);
}

static void test_filters(void **state)
{
    (void)state;
    /* trackers whose first group is asia loop around Singapore: a rectangle around it
     * finds some of the asia group's devices and nothing else */
    json_t *asia = get(LOCATIONS "?groups=asia&per_page=100", 200);
    json_t *rect = get(LOCATIONS "?rect_bl=1.2,103.7&rect_tr=1.4,104&per_page=100", 200);
    assert_true(json_integer_value(meta(rect, "devices_found")) > 0);
    assert_true(json_integer_value(meta(rect, "devices_found")) <=
                json_integer_value(meta(asia, "devices_found")));
    size_t i;
    json_t *loc;
    json_array_foreach(json_object_get(rect, "locations"), i, loc)
    {
        json_t *groups = json_object_get(loc, "groups");
        assert_string_equal(json_string_value(json_array_get(groups, 0)), "asia");
        json_t *point = json_object_get(json_object_get(loc, "geometry"), "coordinates");
        assert_true(json_real_value(json_array_get(point, 0)) > 103.7);
    }
    json_array_foreach(json_object_get(asia, "locations"), i, loc)
    {
        json_t *groups = json_object_get(loc, "groups");
        bool has_asia = false;
        for (size_t g = 0; g < json_array_size(groups); g++)
            has_asia |= strcmp(json_string_value(json_array_get(groups, g)), "asia") == 0;
        assert_true(has_asia);
    }
    json_t *two = get(LOCATIONS "?groups=asia,americas&per_page=100", 200);
    assert_true(json_integer_value(meta(two, "devices_found")) >
                json_integer_value(meta(asia, "devices_found")));
    json_t *none = get(LOCATIONS "?rect_bl=-10,-10&rect_tr=-9,-9", 200);
    assert_int_equal(json_integer_value(meta(none, "devices_found")), 0);
    assert_int_equal(json_integer_value(meta(none, "total_pages")), 1);

    const char *id = jstr(json_array_get(json_object_get(asia, "locations"), 0), "device_id");
    char path[256];
    snprintf(path, sizeof(path), LOCATIONS "?device_id=%.10s", id);
    json_t *by_id = get(path, 200);
    assert_int_equal(json_integer_value(meta(by_id, "devices_found")), 1);
    json_t *by_name = get(LOCATIONS "?device_name=TRACKER-1&per_page=100", 200);
    assert_true(json_integer_value(meta(by_name, "devices_found")) >= 1);
    json_decref(by_name);
    json_decref(by_id);
    json_decref(none);
    json_decref(two);
    json_decref(rect);
    json_decref(asia);
}

static void test_scopes_and_bad_input(void **state)
{
    (void)state;
    static const sm_row ROWS[] = {
        {"GET", "/v1/products/{product}/locations", NULL, SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/{slug}/locations?per_page=1", NULL,
         SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/{product}/locations/{device}", NULL,
         SM_EXPECT(200, 200, 403, 403, 200)},
        {"GET", "/v1/products/999999/locations", NULL, SM_EXPECT(404, 404, 404, 404, 404)},
        {"GET", "/v1/products/{product}/locations/000000000000000000000000", NULL,
         SM_EXPECT(403, 403, 403, 403, 403)},
        {"GET", "/v1/products/{product}/locations?per_page=101", NULL,
         SM_EXPECT(400, 400, 400, 400, 400)},
        {"GET", "/v1/products/{product}/locations?page=0", NULL,
         SM_EXPECT(400, 400, 400, 400, 400)},
        {"GET", "/v1/products/{product}/locations?date_range=yesterday", NULL,
         SM_EXPECT(400, 400, 400, 400, 400)},
        {"GET",
         "/v1/products/{product}/locations?date_range=2026-02-01T00:00:00Z,2026-01-01T00:00:00Z",
         NULL, SM_EXPECT(400, 400, 400, 400, 400)},
        {"GET", "/v1/products/{product}/locations?rect_bl=1,2", NULL,
         SM_EXPECT(400, 400, 400, 400, 400)},
        {"GET", "/v1/products/{product}/locations?rect_bl=1,2&rect_tr=95,3", NULL,
         SM_EXPECT(400, 400, 400, 400, 400)},
        {"GET", "/v1/products/{product}/locations/{device}?rect_bl=x&rect_tr=1,1", NULL,
         SM_EXPECT(400, 400, 400, 400, 400)},
        /* a range with no position: 404 for the one device */
        {"GET",
         "/v1/products/{product}/locations/{device}?date_range=2000-01-01T00:00:00Z,"
         "2000-01-02T00:00:00Z",
         NULL, SM_EXPECT(404, 404, 403, 403, 404)},
    };
    sm_run(SM, ROWS, SM_COUNT(ROWS));
}

/* groups as particle-api-js sends an array (qs: groups[0]=a&groups[1]=b, URL-encoded): the
 * same devices as the comma-separated string; groups[]= too. */
static void test_groups_array(void **state)
{
    (void)state;
    json_t *two = get(LOCATIONS "?groups=asia,americas&per_page=100", 200);
    json_t *indexed = get(LOCATIONS "?groups%5B0%5D=asia&groups%5B1%5D=americas&per_page=100", 200);
    json_t *one = get(LOCATIONS "?groups=asia&per_page=100", 200);
    json_t *brackets = get(LOCATIONS "?groups%5B%5D=asia&per_page=100", 200);
    assert_true(json_integer_value(meta(two, "devices_found")) > 0);
    assert_int_equal(json_integer_value(meta(indexed, "devices_found")),
                     json_integer_value(meta(two, "devices_found")));
    assert_int_equal(json_integer_value(meta(brackets, "devices_found")),
                     json_integer_value(meta(one, "devices_found")));
    json_t *unknown = get(LOCATIONS "?groups%5B0%5D=nowhere", 200);
    assert_int_equal(json_integer_value(meta(unknown, "devices_found")), 0);
    json_decref(unknown);
    json_decref(brackets);
    json_decref(one);
    json_decref(indexed);
    json_decref(two);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_last_positions_and_paging),
        cmocka_unit_test(test_trackers_move_on_the_clock),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_groups_array),
        cmocka_unit_test(test_scopes_and_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
