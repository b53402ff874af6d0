/* The simulator's model without sockets: fixtures, behaviours, publishers, access rules. */
#include "sim_test.h"

#include "clock.h"
#include "fleet.h"
#include "model/sim_behaviour.h"
#include "model/sim_model.h"
#include "model/sim_tokens.h"

#define START_MS 1700000000000LL

typedef struct fixture {
    sim_clock *clock;
    sim_model *m;
    /* events seen by the sink */
    char names[256][72];
    char data[256][256];
    char coreid[256][32];
    size_t count;
} fixture;

static void sink(const sim_event *ev, void *payload)
{
    fixture *f = payload;
    if (f->count >= 256)
        return;
    snprintf(f->names[f->count], sizeof(f->names[0]), "%s", ev->name);
    snprintf(f->data[f->count], sizeof(f->data[0]), "%s", ev->data ? ev->data : "(null)");
    snprintf(f->coreid[f->count], sizeof(f->coreid[0]), "%s", ev->coreid);
    f->count++;
}

static fixture *open_fleet(const json_t *fleet, uint64_t seed)
{
    fixture *f = calloc(1, sizeof(*f));
    f->clock = sim_clock_new(START_MS);
    sim_clock_pause(f->clock);
    f->m = sim_model_new(f->clock, seed);
    sim_model_set_sink(f->m, sink, f);
    char err[256] = "";
    sim_model_lock(f->m);
    int rc = sim_fleet_load(f->m, fleet, "test", err, sizeof(err));
    sim_model_unlock(f->m);
    if (rc != 0)
        fail_msg("fleet load failed: %s", err);
    return f;
}

static fixture *open_file(const char *name, uint64_t seed)
{
    char path[512], err[256];
    snprintf(path, sizeof(path), "%s/fleets/%s", PARTICLE_TEST_DATA_DIR, name);
    json_t *fleet = sim_fleet_read_file(path, err, sizeof(err));
    if (!fleet)
        fail_msg("%s", err);
    fixture *f = open_fleet(fleet, seed);
    json_decref(fleet);
    return f;
}

static void close_fleet(fixture *f)
{
    sim_model_free(f->m);
    sim_clock_free(f->clock);
    free(f);
}

static double read_num(fixture *f, uint32_t dev, const char *var)
{
    sim_value v;
    uint32_t i = sim_device_find_var(f->m, dev, var);
    assert_int_not_equal(i, SIM_NONE);
    sim_device_read_var(f->m, dev, i, &v);
    return v.num;
}

static const char *read_text(fixture *f, uint32_t dev, const char *var)
{
    sim_value v;
    sim_device_read_var(f->m, dev, sim_device_find_var(f->m, dev, var), &v);
    return v.text;
}

static void test_default_fleet(void **state)
{
    (void)state;
    json_t *fleet = sim_fleet_default();
    assert_non_null(fleet);
    fixture *a = open_fleet(fleet, 1), *b = open_fleet(fleet, 1), *c = open_fleet(fleet, 2);
    assert_int_equal(a->m->device_count, 79);
    assert_int_equal(a->m->product_count, 2);
    /* Stable ids for a seed, different ids for another seed. */
    uint32_t da = sim_test_device_named(a->m, "demo-argon-1"),
             db = sim_test_device_named(b->m, "demo-argon-1"),
             dc = sim_test_device_named(c->m, "demo-argon-1");
    assert_string_equal(a->m->devices[da].id, b->m->devices[db].id);
    assert_string_not_equal(a->m->devices[da].id, c->m->devices[dc].id);
    assert_int_equal(strlen(a->m->devices[da].id), 24);
    /* The documented credentials. */
    sim_principal p;
    assert_true(sim_token_principal(a->m, "0123456789abcdef0123456789abcdef01234567", &p, NULL));
    assert_string_equal(a->m->users[p.user].username, "demo@example.com");
    assert_string_equal(a->m->users[p.user].password, "demo-password");
    uint32_t mfa = sim_model_find_user(a->m, "mfa@example.com");
    assert_string_equal(a->m->users[mfa].mfa_otp, "123456");
    /* Products: ids, slugs, a paged Wi-Fi product, quarantined trackers, offline devices. */
    uint32_t tracker = sim_model_find_product(a->m, "10001");
    uint32_t env = sim_model_find_product(a->m, "env-sensors");
    assert_int_equal(tracker, sim_model_find_product(a->m, "asset-tracker"));
    assert_true(a->m->products[tracker].cellular);
    assert_false(a->m->products[env].cellular);
    size_t env_count = 0, quarantined = 0, offline = 0;
    for (uint32_t i = 0; i < a->m->device_count; i++) {
        env_count += a->m->devices[i].product == env;
        quarantined += a->m->devices[i].quarantined;
        offline += !a->m->devices[i].online;
    }
    assert_true(env_count > 25);
    assert_int_equal(quarantined, 2);
    assert_true(offline >= 3);
    assert_false(a->m->devices[sim_test_device_named(a->m, "demo-photon-1")].online);
    close_fleet(a);
    close_fleet(b);
    close_fleet(c);
    json_decref(fleet);
}

static void expect_bad(const char *name, const char *needle)
{
    char path[512], err[512] = "";
    snprintf(path, sizeof(path), "%s/fleets/%s", PARTICLE_TEST_DATA_DIR, name);
    json_t *fleet = sim_fleet_read_file(path, err, sizeof(err));
    int rc = -1;
    if (fleet) {
        sim_clock *clock = sim_clock_new(START_MS);
        sim_model *m = sim_model_new(clock, 1);
        sim_model_lock(m);
        rc = sim_fleet_load(m, fleet, path, err, sizeof(err));
        sim_model_unlock(m);
        sim_model_free(m);
        sim_clock_free(clock);
        json_decref(fleet);
    }
    assert_int_equal(rc, -1);
    if (!strstr(err, name) || !strstr(err, needle))
        fail_msg("error for %s lacks the file name or \"%s\": %s", name, needle, err);
}

static void test_bad_fixtures(void **state)
{
    (void)state;
    expect_bad("bad_unknown_key.json", "users[0]");
    expect_bad("bad_unknown_template.json", "unknown template \"nope\"");
    expect_bad("bad_var_type.json", "\"float\" is not int32");
    expect_bad("bad_token.json", "40 lowercase hex");
    expect_bad("bad_syntax.json", ":2:");
    expect_bad("bad_function_variable.json", "no variable \"missing\"");
    expect_bad("does_not_exist.json", "does_not_exist.json");
}

static void test_variable_behaviours(void **state)
{
    (void)state;
    fixture *f = open_file("small.json", 1);
    sim_model_lock(f->m);
    uint32_t d = sim_test_device_named(f->m, "a-one");
    assert_true(read_num(f, d, "count") == 10);
    assert_true(read_num(f, d, "fixed") == 3.5);
    assert_string_equal(read_text(f, d, "label"), "hello");
    assert_true(read_num(f, d, "flag") == 1);
    double walk0 = read_num(f, d, "walk");
    assert_true(walk0 == 50);
    sim_clock_advance(f->clock, 3500);
    assert_true(read_num(f, d, "count") == 16); /* 10 + 3 periods * 2 */
    assert_true(read_num(f, d, "fixed") == 3.5);
    double walk = read_num(f, d, "walk");
    assert_true(walk >= 0 && walk <= 100 && walk != walk0);
    assert_true(read_num(f, d, "walk") == walk); /* no time passed, no step */
    for (int i = 0; i < 20; i++) {
        sim_clock_advance(f->clock, 250);
        double w = read_num(f, d, "wave");
        assert_true(w >= -1 && w <= 1);
    }
    /* Same seed, same clock moves: same walk. */
    fixture *g = open_file("small.json", 1);
    sim_model_lock(g->m);
    sim_clock_advance(g->clock, 3500);
    assert_true(read_num(g, sim_test_device_named(g->m, "a-one"), "walk") == walk);
    sim_model_unlock(g->m);
    close_fleet(g);
    /* Setting a value freezes it. */
    assert_true(sim_device_set_var(f->m, d, sim_device_find_var(f->m, d, "count"), "-5"));
    sim_clock_advance(f->clock, 10000);
    assert_true(read_num(f, d, "count") == -5);
    assert_false(sim_device_set_var(f->m, d, sim_device_find_var(f->m, d, "count"), "1.5"));
    assert_false(sim_device_set_var(f->m, d, sim_device_find_var(f->m, d, "flag"), "maybe"));
    assert_true(sim_device_set_var(f->m, d, sim_device_find_var(f->m, d, "flag"), "false"));
    assert_true(read_num(f, d, "flag") == 0);
    assert_int_equal(sim_device_find_var(f->m, d, "nope"), SIM_NONE);
    sim_model_unlock(f->m);
    close_fleet(f);
}

static int32_t call(fixture *f, uint32_t d, const char *fn, const char *arg)
{
    uint32_t i = sim_device_find_fn(f->m, d, fn);
    assert_int_not_equal(i, SIM_NONE);
    return sim_device_call_fn(f->m, d, i, arg);
}

static void test_functions(void **state)
{
    (void)state;
    fixture *f = open_file("small.json", 1);
    sim_model_lock(f->m);
    uint32_t d = sim_test_device_named(f->m, "a-one");
    assert_int_equal(call(f, d, "led", "255,0,0"), 7);
    assert_string_equal(read_text(f, d, "rgb"), "255,0,0");
    assert_int_equal(call(f, d, "led", "256,0,0"), -1);
    assert_int_equal(call(f, d, "led", "1,2"), -1);
    assert_int_equal(call(f, d, "led", "1,2,3,4"), -1);
    assert_int_equal(call(f, d, "led", "a,b,c"), -1);
    assert_int_equal(call(f, d, "led", "1,,3"), -1);
    assert_int_equal(call(f, d, "led", ""), -1);
    assert_int_equal(call(f, d, "led", NULL), -1);
    assert_string_equal(read_text(f, d, "rgb"), "255,0,0"); /* failures change nothing */
    assert_int_equal(call(f, d, "setLevel", "12"), 1);
    assert_true(read_num(f, d, "level") == 12);
    assert_int_equal(call(f, d, "setLevel", "twelve"), -1);
    assert_true(read_num(f, d, "level") == 12);
    assert_int_equal(call(f, d, "reset", "anything"), 42);
    assert_int_equal(sim_device_find_fn(f->m, d, "missing"), SIM_NONE);
    sim_model_unlock(f->m);
    close_fleet(f);
}

static size_t count_named(const fixture *f, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < f->count; i++)
        n += strcmp(f->names[i], name) == 0;
    return n;
}

static void test_publishers_on_advanced_clock(void **state)
{
    (void)state;
    fixture *f = open_file("small.json", 1);
    sim_model_lock(f->m);
    /* online: a-one, b-one, w-1..w-4, w-cust (w-5 and a-off are offline) */
    assert_int_equal(sim_model_run_due(f->m, sim_clock_now(f->clock), 1000), 0);
    sim_clock_advance(f->clock, 1000);
    assert_int_equal(sim_model_run_due(f->m, sim_clock_now(f->clock), 1000), 7);
    assert_int_equal(f->count, 7);
    uint32_t d = sim_test_device_named(f->m, "a-one");
    size_t first = SIZE_MAX;
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->coreid[i], "0123456789abcdef01234567") == 0)
            first = i;
    assert_int_not_equal(first, SIZE_MAX);
    assert_string_equal(f->names[first], "tick");
    assert_string_equal(f->data[first], "n=1 c=12 id=0123456789abcdef01234567 x={{unknown}}");
    sim_clock_advance(f->clock, 2000);
    assert_int_equal(sim_model_run_due(f->m, sim_clock_now(f->clock), 1000), 14);
    /* Stop a-one's publisher; slow b-one's to every 2 s. */
    sim_device_set_pub_period(f->m, d, sim_device_find_pub(f->m, d, "tick"), 0);
    uint32_t b = sim_test_device_named(f->m, "b-one");
    sim_device_set_pub_period(f->m, b, 0, 2000);
    sim_clock_advance(f->clock, 2000);
    assert_int_equal(sim_model_run_due(f->m, sim_clock_now(f->clock), 1000), 5 * 2 + 1);
    /* Going online publishes spark/status and starts publishing. */
    f->count = 0;
    sim_model_set_online(f->m, sim_test_device_named(f->m, "a-off"), true);
    assert_int_equal(count_named(f, "spark/status"), 1);
    assert_string_equal(f->data[0], "online");
    sim_model_set_online(f->m, sim_test_device_named(f->m, "a-off"),
                         true); /* no change, no event */
    assert_int_equal(f->count, 1);
    sim_clock_advance(f->clock, 1000);
    assert_int_equal(sim_model_run_due(f->m, sim_clock_now(f->clock), 1000), 6);
    /* A huge jump replays a bounded number of periods. */
    sim_clock_advance(f->clock, 100LL * 24 * 3600 * 1000);
    size_t n = sim_model_run_due(f->m, sim_clock_now(f->clock), 100000);
    assert_true(n > 7 && n <= 7 * 1002); /* 7 live publishers */
    sim_model_unlock(f->m);
    close_fleet(f);
}

static void test_access_rules(void **state)
{
    (void)state;
    fixture *f = open_file("small.json", 1);
    sim_model *m = f->m;
    sim_model_lock(m);
    sim_principal a, b, prod, cust;
    assert_true(sim_token_principal(m, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &a, NULL));
    assert_true(sim_token_principal(m, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", &b, NULL));
    assert_true(sim_token_principal(m, "cccccccccccccccccccccccccccccccccccccccc", &prod, NULL));
    assert_int_equal(prod.kind, SIM_TOKEN_PRODUCT);
    uint32_t cu = sim_model_find_user(m, "c@example.com");
    uint32_t ct = sim_token_create(m, SIM_TOKEN_CUSTOMER, cu, m->users[cu].customer_of, "x", 0);
    assert_true(sim_token_principal(m, m->tokens[ct].token, &cust, NULL));
    uint32_t product = sim_model_find_product(m, "widgets");
    uint32_t a1 = sim_test_device_named(m, "a-one"), b1 = sim_test_device_named(m, "b-one"),
             w1 = sim_test_device_named(m, "w-1"), wc = sim_test_device_named(m, "w-cust");
    assert_true(sim_model_can_access_device(m, &a, a1, SIM_NONE));
    assert_false(sim_model_can_access_device(m, &a, b1, SIM_NONE));
    assert_false(sim_model_can_access_device(m, &b, a1, SIM_NONE));
    assert_true(sim_model_can_access_device(m, &a, w1, product)); /* team member */
    assert_false(sim_model_can_access_device(m, &b, w1, product));
    assert_false(sim_model_can_access_device(m, &a, a1, product)); /* not in the product */
    assert_true(sim_model_can_access_device(m, &prod, w1, product));
    assert_false(sim_model_can_access_device(m, &prod, a1, SIM_NONE));
    assert_true(sim_model_can_access_device(m, &cust, wc, SIM_NONE));
    assert_false(sim_model_can_access_device(m, &cust, w1, SIM_NONE));
    assert_true(sim_model_can_access_product(m, &a, product));
    assert_false(sim_model_can_access_product(m, &b, product));
    assert_false(sim_model_can_access_product(m, &cust, product));
    size_t listed = 0;
    for (uint32_t i = 0; i < m->device_count; i++)
        listed += sim_model_lists_device(m, &a, i);
    assert_int_equal(listed, 2); /* a-one and a-off: team product devices are not "mine" */
    assert_int_equal(sim_model_resolve_device(m, &a, "a-one", SIM_NONE), a1);
    assert_int_equal(sim_model_resolve_device(m, &a, "0123456789abcdef01234567", SIM_NONE), a1);
    assert_int_equal(sim_model_resolve_device(m, &a, "b-one", SIM_NONE), SIM_NONE);
    assert_int_equal(sim_model_resolve_device(m, &b, "0123456789abcdef01234567", SIM_NONE),
                     SIM_NONE);
    /* Revoked and unknown tokens resolve to nobody. */
    sim_token_revoke(m, ct);
    assert_false(sim_token_principal(m, m->tokens[ct].token, &cust, NULL));
    assert_false(sim_token_principal(m, "0000000000000000000000000000000000000000", &cust, NULL));
    /* An expired token says so. */
    uint32_t old = sim_token_add(m, "dddddddddddddddddddddddddddddddddddddddd", NULL,
                                 SIM_TOKEN_USER, a.user, SIM_NONE, "x", 1, 2);
    bool expired = false;
    assert_int_equal(sim_token_find(m, m->tokens[old].token, &expired), SIM_NONE);
    assert_true(expired);
    sim_model_unlock(m);
    close_fleet(f);
}

static void test_mfa_pending(void **state)
{
    (void)state;
    json_t *fleet = sim_fleet_default();
    fixture *f = open_fleet(fleet, 1);
    sim_model_lock(f->m);
    uint32_t u = sim_model_find_user(f->m, "mfa@example.com");
    char token[64];
    snprintf(token, sizeof(token), "%s", sim_mfa_begin(f->m, u));
    assert_int_equal(sim_mfa_complete(f->m, token, "000000"), SIM_NONE);
    assert_int_equal(sim_mfa_complete(f->m, "nope", "123456"), SIM_NONE);
    assert_int_equal(sim_mfa_complete(f->m, token, "123456"), u);
    assert_int_equal(sim_mfa_complete(f->m, token, "123456"), SIM_NONE); /* single use */
    sim_model_unlock(f->m);
    close_fleet(f);
    json_decref(fleet);
}

static void test_hundred_devices(void **state)
{
    (void)state;
    fixture *f = open_file("hundred.json", 9);
    sim_model_lock(f->m);
    assert_int_equal(f->m->device_count, 100);
    for (uint32_t i = 0; i < 100; i++)
        assert_int_equal(sim_model_find_device_id(f->m, f->m->devices[i].id), i);
    assert_string_equal(f->m->devices[99].name, "load-100");
    assert_true(f->m->devices[0].cellular);
    assert_int_equal(strlen(f->m->devices[0].iccid), 20);
    sim_clock_advance(f->clock, 10000);
    assert_int_equal(sim_model_run_due(f->m, sim_clock_now(f->clock), 1000), 100);
    sim_clock_advance(f->clock, 20000);
    assert_int_equal(sim_model_run_due(f->m, sim_clock_now(f->clock), 1000), 200);
    sim_model_unlock(f->m);
    close_fleet(f);
}

static void test_clear_and_reload(void **state)
{
    (void)state;
    fixture *f = open_file("small.json", 3);
    sim_model_lock(f->m);
    char id[32];
    snprintf(id, sizeof(id), "%s", f->m->devices[1].id);
    sim_model_clear(f->m);
    assert_int_equal(f->m->device_count, 0);
    assert_int_equal(sim_model_find_device_id(f->m, id), SIM_NONE);
    char path[512], err[256];
    snprintf(path, sizeof(path), "%s/fleets/small.json", PARTICLE_TEST_DATA_DIR);
    json_t *fleet = sim_fleet_read_file(path, err, sizeof(err));
    assert_int_equal(sim_fleet_load(f->m, fleet, "small", err, sizeof(err)), 0);
    assert_int_equal(sim_model_find_device_id(f->m, id), 1); /* same seed, same ids */
    json_decref(fleet);
    sim_model_unlock(f->m);
    close_fleet(f);
}

/* Each of the NULL-terminated @p texts is refused as a value of variable @p var. */
static void expect_set_refused(fixture *f, uint32_t dev, uint32_t var, const char *const *texts)
{
    for (; *texts != NULL; texts++)
        if (sim_device_set_var(f->m, dev, var, *texts))
            fail_msg("\"%s\" was accepted", *texts);
}

/* Numbers typed into the control API, function arguments, product ids and fixture IPs go
 * through pu_parse (or inet_pton): the whole text, in range, or refused. */
static void test_typed_number_edges(void **state)
{
    (void)state;
    fixture *f = open_file("small.json", 1);
    sim_model_lock(f->m);
    uint32_t d = sim_test_device_named(f->m, "a-one");
    uint32_t count = sim_device_find_var(f->m, d, "count"),
             fixed = sim_device_find_var(f->m, d, "fixed");
    assert_true(sim_device_set_var(f->m, d, count, "2147483647"));
    assert_true(sim_device_set_var(f->m, d, count, "-2147483648"));
    assert_true(read_num(f, d, "count") == -2147483648.0);
    const char *bad_ints[] = {"2147483648", "-2147483649", " 1", "1 ", "", "0x10", "1e3", NULL};
    expect_set_refused(f, d, count, bad_ints);
    assert_true(sim_device_set_var(f->m, d, fixed, "1e3"));
    assert_true(read_num(f, d, "fixed") == 1000);
    assert_true(sim_device_set_var(f->m, d, fixed, "-.5"));
    assert_true(read_num(f, d, "fixed") == -0.5);
    const char *bad_doubles[] = {"nan", "inf", "1e999", "0x10", " 1", "1.5x", "", NULL};
    expect_set_refused(f, d, fixed, bad_doubles);
    assert_true(read_num(f, d, "fixed") == -0.5);
    /* validate: "0,0,255" style lists, each field whole and in [0, 255] */
    assert_int_equal(call(f, d, "led", "0,128,255"), 7);
    const char *bad_lists[] = {"-1,0,0", "0, 0,0", "0,0,0,",
                               ",0,0",   "0,0,1x", "0,0,99999999999999999999999999999999"};
    for (size_t i = 0; i < sizeof(bad_lists) / sizeof(bad_lists[0]); i++)
        if (call(f, d, "led", bad_lists[i]) != -1)
            fail_msg("argument \"%s\" was accepted", bad_lists[i]);
    assert_string_equal(read_text(f, d, "rgb"), "0,128,255");
    /* products by id or slug: an id is a whole number, nothing around it */
    uint32_t widgets = sim_model_find_product(f->m, "widgets");
    assert_int_not_equal(widgets, SIM_NONE);
    assert_int_equal(sim_model_find_product(f->m, "42"), widgets);
    assert_int_equal(sim_model_find_product(f->m, " 42"), SIM_NONE);
    assert_int_equal(sim_model_find_product(f->m, "42x"), SIM_NONE);
    assert_int_equal(sim_model_find_product(f->m, "4294967338"), SIM_NONE); /* 2^32 + 42 */
    assert_int_equal(sim_model_find_product(f->m, ""), SIM_NONE);
    sim_model_unlock(f->m);
    close_fleet(f);
}

/* A fixture with one device at @p ip: 0 and the address in *out, or -1. */
static int load_device_ip(const char *ip, uint32_t *out)
{
    json_t *fleet =
        json_pack("{s:[{s:s}], s:[{s:s}], s:[{s:s, s:s, s:s, s:s}]}", "users", "username",
                  "u@example.com", "templates", "name", "t", "devices", "name", "d", "template",
                  "t", "owner", "u@example.com", "last_ip_address", ip);
    sim_clock *clock = sim_clock_new(START_MS);
    sim_model *m = sim_model_new(clock, 1);
    char err[256] = "";
    sim_model_lock(m);
    int rc = sim_fleet_load(m, fleet, "ip", err, sizeof(err));
    if (rc == 0)
        *out = m->devices[0].ip;
    else if (!strstr(err, "last_ip_address: not an IPv4 address"))
        fail_msg("unexpected error for %s: %s", ip, err);
    sim_model_unlock(m);
    sim_model_free(m);
    sim_clock_free(clock);
    json_decref(fleet);
    return rc;
}

static void test_fixture_ip_addresses(void **state)
{
    (void)state;
    uint32_t ip = 0;
    assert_int_equal(load_device_ip("10.1.2.3", &ip), 0);
    assert_int_equal(ip, 0x0A010203u);
    assert_int_equal(load_device_ip("255.255.255.255", &ip), 0);
    assert_int_equal(ip, 0xFFFFFFFFu);
    const char *bad[] = {"1.2.3.256", "010.0.0.1", "1.2.3",   "1.2.3.4.5", " 1.2.3.4", "1.2.3.4 ",
                         "-0.1.2.3",  "1..2.3",    "a.b.c.d", "::1",       ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (load_device_ip(bad[i], &ip) != -1)
            fail_msg("\"%s\" was accepted", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_fleet),
        cmocka_unit_test(test_bad_fixtures),
        cmocka_unit_test(test_variable_behaviours),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_publishers_on_advanced_clock),
        cmocka_unit_test(test_access_rules),
        cmocka_unit_test(test_mfa_pending),
        cmocka_unit_test(test_hundred_devices),
        cmocka_unit_test(test_clear_and_reload),
        cmocka_unit_test(test_typed_number_edges),
        cmocka_unit_test(test_fixture_ip_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
