/*
 * The SDK's SIM calls (include/particle/sims.h) end to end against particle-sim, in-process
 * on 127.0.0.1 port 0 with the default fleet: the user's SIM is the one its cellular device
 * shows, the product iterator walks every page, HEAD checks, usage, state changes, the
 * status task completed by moving the simulation clock, release (202) and import, and the
 * codes the simulator's errors map to. Every test gets a fresh simulator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "particle/particle.h"
#include "server.h"

#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567"
#define OTHER_TOKEN "fedcba9876543210fedcba9876543210fedcba98"

typedef struct fixture {
    sim_server *sim;
    particle_client *c;     /* demo@example.com, on the team of product 10001 */
    particle_client *other; /* other@example.com */
} fixture;

static particle_client *client_for(sim_server *sim, const char *token)
{
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u", sim_server_port(sim));
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = token;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.request_timeout_ms = 5000;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    return c;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    sim_server_options so;
    sim_server_options_init(&so);
    so.port = 0;
    char err[256] = "";
    if (sim_server_new(&f->sim, &so, err, sizeof(err)) < 0 ||
        sim_server_start(f->sim, err, sizeof(err)) < 0) {
        fprintf(stderr, "particle-sim: %s\n", err);
        return -1;
    }
    f->c = client_for(f->sim, DEMO_TOKEN);
    f->other = client_for(f->sim, OTHER_TOKEN);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    particle_client_free(f->c);
    particle_client_free(f->other);
    sim_server_free(f->sim);
    free(f);
    return 0;
}

/* The iccid of device @p name as the SDK reads it. Caller frees. */
static char *device_iccid(particle_client *c, const char *name)
{
    particle_doc *d = NULL;
    assert_int_equal(particle_device_get(&d, c, name, NULL), 0);
    const char *iccid = particle_value_string(particle_value_get(particle_doc_root(d), "iccid"));
    assert_non_null(iccid);
    char *copy = strdup(iccid);
    particle_doc_free(d);
    return copy;
}

static void sim_control(particle_client *c, const char *path, const char *body)
{
    assert_int_equal(particle_request(NULL, c, "POST", path, NULL, body, NULL), 0);
}

static void test_user_sim_is_the_devices(void **state)
{
    fixture *f = *state;
    char *iccid = device_iccid(f->c, "demo-boron-1");
    particle_doc *doc = NULL;
    assert_int_equal(particle_sim_list(&doc, f->c, NULL), 0);
    const particle_value *sims = particle_value_get(particle_doc_root(doc), "sims");
    assert_int_equal(particle_value_count(sims), 1);
    assert_string_equal(particle_sim_iccid(particle_value_at(sims, 0)), iccid);
    particle_doc_free(doc);

    assert_int_equal(particle_sim_get(&doc, f->c, iccid, NULL), 0);
    const particle_value *sim = particle_doc_root(doc); /* unwrapped from {"sim": ...} */
    assert_string_equal(particle_sim_iccid(sim), iccid);
    assert_string_equal(particle_sim_status_text(sim), "active");
    assert_non_null(particle_sim_carrier(sim));
    assert_int_equal(particle_sim_mb_limit(sim), -1);
    particle_doc *dev = NULL;
    assert_int_equal(particle_device_get(&dev, f->c, "demo-boron-1", NULL), 0);
    assert_string_equal(particle_sim_last_device_id(sim),
                        particle_device_id(particle_doc_root(dev)));
    particle_doc_free(dev);
    particle_doc_free(doc);

    assert_int_equal(particle_sim_check(f->c, iccid, NULL), 0);
    /* other@example.com does not own it; nobody owns an unknown ICCID */
    assert_int_equal(particle_sim_check(f->other, iccid, NULL), PARTICLE_EFORBIDDEN);
    assert_int_equal(particle_sim_get(&doc, f->other, iccid, NULL), PARTICLE_EFORBIDDEN);
    assert_int_equal(particle_error_last()->http_status, 403);
    assert_int_equal(particle_sim_get(&doc, f->c, "89000000000000000000", NULL),
                     PARTICLE_ENOTFOUND);
    assert_string_equal(particle_error_last()->message, "SIM card not found");
    assert_int_equal(particle_sim_check(f->c, "89000000000000000000", NULL), PARTICLE_ENOTFOUND);

    assert_int_equal(particle_sim_data_usage(&doc, f->c, iccid, NULL), 0);
    const particle_value *days = particle_sim_usage_days(particle_doc_root(doc));
    assert_true(particle_value_count(days) >= 1);
    assert_true(particle_sim_usage_total_mb(particle_doc_root(doc)) > 0);
    particle_doc_free(doc);
    free(iccid);
}

static void test_product_iterator_and_fleet_usage(void **state)
{
    fixture *f = *state;
    particle_sim_list_options o = PARTICLE_SIM_LIST_OPTIONS_INIT;
    o.product = "asset-tracker";
    o.per_page = 4;
    particle_sim_iter *it = NULL;
    assert_int_equal(particle_sim_iter_new(&it, f->c, &o), 0);
    const particle_value *v = NULL;
    size_t n = 0;
    double sum = 0;
    char prev[32] = "";
    while (particle_sim_iter_next(&v, it) == 0 && v != NULL) {
        assert_true(strcmp(particle_sim_iccid(v), prev) > 0); /* ascending, no repeats */
        snprintf(prev, sizeof(prev), "%s", particle_sim_iccid(v));
        n++;
    }
    assert_null(v);
    assert_int_equal(n, 13);
    assert_int_equal(particle_sim_iter_total_pages(it), 4);
    particle_sim_iter_free(it);

    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "10001";
    o.per_page = 100;
    particle_doc *list = NULL;
    assert_int_equal(particle_sim_list(&list, f->c, &o), 0);
    const particle_value *sims = particle_value_get(particle_doc_root(list), "sims");
    for (size_t i = 0; i < particle_value_count(sims); i++) {
        particle_doc *u = NULL;
        assert_int_equal(
            particle_sim_data_usage(&u, f->c, particle_sim_iccid(particle_value_at(sims, i)), &ro),
            0);
        sum += particle_sim_usage_total_mb(particle_doc_root(u));
        particle_doc_free(u);
    }
    particle_doc_free(list);
    particle_doc *fleet = NULL;
    assert_int_equal(particle_product_sims_data_usage(&fleet, f->c, "10001"), 0);
    /* the fleet total is the sum of the SIMs' (each rounded to 0.01 MB per day) */
    assert_float_equal(particle_sim_usage_total_mb(particle_doc_root(fleet)), sum, 0.5);
    particle_doc_free(fleet);
    assert_int_equal(particle_product_sims_data_usage(&fleet, f->other, "10001"),
                     PARTICLE_EFORBIDDEN);
    assert_int_equal(particle_product_sims_data_usage(&fleet, f->c, "nope"), PARTICLE_ENOTFOUND);
}

static void test_state_changes_and_status(void **state)
{
    fixture *f = *state;
    char *iccid = device_iccid(f->c, "demo-boron-1");
    particle_doc *doc = NULL;
    assert_int_equal(particle_sim_deactivate(NULL, f->c, iccid, NULL), 0);
    assert_int_equal(particle_sim_get(&doc, f->c, iccid, NULL), 0);
    assert_string_equal(particle_sim_status_text(particle_doc_root(doc)), "deactivated");
    particle_doc_free(doc);
    assert_int_equal(particle_sim_reactivate(NULL, f->c, iccid, 25, NULL), 0);
    assert_int_equal(particle_sim_set_data_limit(&doc, f->c, iccid, 30, NULL), 0);
    const particle_value *sim = particle_value_get(particle_doc_root(doc), "sim");
    assert_string_equal(particle_sim_status_text(sim), "active");
    assert_int_equal(particle_sim_mb_limit(sim), 30);
    particle_doc_free(doc);
    /* the simulator refuses to activate a product SIM */
    char *tracker = device_iccid(f->c, "tracker-3");
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "10001";
    assert_int_equal(particle_sim_activate(NULL, f->c, tracker, &ro), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);

    /* the status task: pending while the clock stands still, complete 2 s later */
    sim_control(f->c, "/sim/clock/pause", NULL);
    int complete = -1;
    assert_int_equal(particle_sim_status(&doc, &complete, f->c, tracker, &ro), 0);
    assert_int_equal(complete, 0);
    particle_doc_free(doc);
    sim_control(f->c, "/sim/clock/advance", "{\"ms\":2000}");
    assert_int_equal(particle_sim_status_wait(&doc, f->c, tracker, 5000, &ro), 0);
    const particle_value *st = particle_value_get(particle_doc_root(doc), "sim_status");
    assert_int_equal(particle_value_bool(particle_value_get(st, "gsm_connection"), -1), 1);
    particle_doc_free(doc);
    free(tracker);
    free(iccid);
}

static void test_release_and_import(void **state)
{
    fixture *f = *state;
    char *iccid = device_iccid(f->c, "demo-boron-1");
    int pending = -1;
    assert_int_equal(particle_sim_remove(&pending, f->c, iccid, NULL), 0);
    assert_int_equal(pending, 1); /* an active SIM's release is pending */
    assert_int_equal(particle_sim_check(f->c, iccid, NULL), PARTICLE_ENOTFOUND);
    const char *ids[] = {iccid};
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_sims_import(&doc, f->c, "10001", ids, 1, NULL), 0);
    assert_int_equal(particle_value_bool(particle_value_get(particle_doc_root(doc), "ok"), 0), 1);
    particle_doc_free(doc);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "10001";
    assert_int_equal(particle_sim_check(f->c, iccid, &ro), 0);
    assert_int_equal(particle_sim_deactivate(NULL, f->c, iccid, &ro), 0);
    assert_int_equal(particle_sim_remove(&pending, f->c, iccid, &ro), 0);
    assert_int_equal(pending, 0); /* already deactivated: released at once (204) */
    free(iccid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_user_sim_is_the_devices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_product_iterator_and_fleet_usage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_changes_and_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release_and_import, setup, teardown),
    };
    if (particle_global_init() != 0) {
        return 1;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
