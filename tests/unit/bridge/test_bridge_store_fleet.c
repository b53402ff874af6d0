/*
 * The store contract for how the fleet is organised (store_fleet.c): products, customers,
 * device groups and a product device's groups, each replaced as a whole set, and the readers
 * behind the fleet reports. On SQLite files in a scratch directory, or, when BRIDGE_TEST_PG
 * names a PostgreSQL server (ctest case unit/bridge/test_bridge_store_fleet_pg), on a fresh
 * PostgreSQL database per test: the same assertions on both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bridge_test.h"
#include "pg_scratch.h"
#include "store/store.h"

typedef struct fixture {
    char dir[512];
    char db[1024];
    char pg_name[64];
    bridge_store *st;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    if (bt_pg_uri() != NULL) {
        if (bt_pg_db_create(f->db, sizeof f->db, f->pg_name, sizeof f->pg_name) != 0) {
            free(f);
            return -1;
        }
    } else {
        assert_int_equal(bt_tempdir(f->dir, sizeof f->dir), 0);
        bt_path(f->db, sizeof f->db, f->dir, "fleet.db");
    }
    char err[256] = "";
    f->st = bridge_store_open(f->db, err, sizeof err);
    if (f->st == NULL) {
        fprintf(stderr, "open: %s\n", err);
        if (f->pg_name[0] != '\0') {
            bt_pg_db_drop(f->pg_name);
        } else {
            bt_rmdir(f->dir);
        }
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bridge_store_close(f->st);
    if (f->pg_name[0] != '\0') {
        bt_pg_db_drop(f->pg_name);
    } else {
        bt_rmdir(f->dir);
    }
    free(f);
    return 0;
}

/* ---- what the readers hand back, flattened to one line per row ---- */

typedef struct lines {
    char text[2048];
    int rows;
} lines;

static void add_line(lines *l, const char *fmt, ...)
{
    size_t used = strlen(l->text);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text + used, sizeof l->text - used, fmt, ap);
    va_end(ap);
    l->rows++;
}

static int product_line(const bridge_product *p, void *payload)
{
    add_line(payload, "%d %s %s %d %s %s d%lld g%lld c%lld\n", p->product_id, p->slug, p->name,
             p->platform_id, p->description, p->organization, (long long)p->devices,
             (long long)p->groups, (long long)p->customers);
    return 0;
}

static int customer_line(const bridge_customer *c, void *payload)
{
    add_line(payload, "%d %s %s %s [%s] %lld\n", c->product_id, c->username, c->customer_id,
             c->full_name, c->device_ids, (long long)c->device_count);
    return 0;
}

static int group_line(const bridge_group *g, void *payload)
{
    add_line(payload, "%d %s %s %s fw%lld d%lld\n", g->product_id, g->name, g->description,
             g->color, (long long)g->fw_version, (long long)g->devices);
    return 0;
}

static int device_line(const bridge_product_device *d, void *payload)
{
    add_line(payload, "%d %s %s [%s]%s\n", d->product_id, d->particle_id, d->name, d->groups,
             d->gone ? " gone" : "");
    return 0;
}

static const char *products(fixture *f, const char *product, lines *l)
{
    memset(l, 0, sizeof *l);
    bridge_query q = {.product = product};
    assert_int_equal(bridge_store_products_list(f->st, &q, product_line, l), 0);
    return l->text;
}

static const char *customers(fixture *f, const char *product, lines *l)
{
    memset(l, 0, sizeof *l);
    bridge_query q = {.product = product};
    assert_int_equal(bridge_store_customers_list(f->st, &q, customer_line, l), 0);
    return l->text;
}

static const char *groups(fixture *f, const char *product, lines *l)
{
    memset(l, 0, sizeof *l);
    bridge_query q = {.product = product};
    assert_int_equal(bridge_store_groups_list(f->st, &q, group_line, l), 0);
    return l->text;
}

static const char *devices(fixture *f, const char *product, const char *group, lines *l)
{
    memset(l, 0, sizeof *l);
    bridge_query q = {.product = product, .group = group};
    assert_int_equal(bridge_store_product_devices_list(f->st, &q, device_line, l), 0);
    return l->text;
}

static const bridge_device_defaults defaults = {.check_interval_ms = 60000, .enabled = true};

/* Syncs device @p id of @p product with @p group_list (NULL: the listing had no groups). */
static void sync_device(fixture *f, const char *id, int product, const char *const *group_list,
                        size_t n)
{
    bridge_cloud_device cd = {.particle_id = id,
                              .name = id,
                              .product_id = product,
                              .platform_id = 13,
                              .groups = group_list,
                              .group_count = n,
                              .has_groups = group_list != NULL};
    assert_int_equal(bridge_store_device_sync(f->st, &cd, &defaults, 1000, NULL), 0);
}

static const bridge_product env = {.product_id = 1001,
                                   .slug = "env-sensors",
                                   .name = "Env sensors",
                                   .platform_id = 13,
                                   .description = "air",
                                   .organization = "9980222caf8bad191600019b"};
static const bridge_product trackers = {
    .product_id = 1002, .slug = "trackers", .name = "Trackers", .platform_id = 26};

/* A bridge's products are its set: a product it no longer lists goes, another bridge's stay,
 * and a product listed by both belongs to whichever listed it last. */
static void test_products_are_replaced_per_bridge(void **state)
{
    fixture *f = *state;
    lines l;
    bridge_product both[] = {env, trackers};
    assert_int_equal(bridge_store_products_replace(f->st, "scope-a", both, 2), 0);
    assert_string_equal(products(f, NULL, &l),
                        "1001 env-sensors Env sensors 13 air 9980222caf8bad191600019b d0 g0 c0\n"
                        "1002 trackers Trackers 26   d0 g0 c0\n");

    bridge_product other = {.product_id = 1003, .slug = "pumps", .name = "Pumps"};
    assert_int_equal(bridge_store_products_replace(f->st, "scope-b", &other, 1), 0);
    bridge_product renamed = trackers;
    renamed.name = "Trackers v2";
    assert_int_equal(bridge_store_products_replace(f->st, "scope-a", &renamed, 1), 0);
    assert_string_equal(products(f, NULL, &l), "1002 trackers Trackers v2 26   d0 g0 c0\n"
                                               "1003 pumps Pumps 0   d0 g0 c0\n");

    /* bridge b takes 1002 over; a's empty set leaves it alone */
    bridge_product taken[] = {other, trackers};
    assert_int_equal(bridge_store_products_replace(f->st, "scope-b", taken, 2), 0);
    assert_int_equal(bridge_store_products_replace(f->st, "scope-a", NULL, 0), 0);
    products(f, NULL, &l);
    assert_int_equal(l.rows, 2);
    /* the filter takes an id or a slug */
    assert_string_equal(products(f, "1003", &l), "1003 pumps Pumps 0   d0 g0 c0\n");
    assert_string_equal(products(f, "trackers", &l), "1002 trackers Trackers 26   d0 g0 c0\n");
    assert_string_equal(products(f, "nope", &l), "");
}

static void test_customers_are_replaced_per_product(void **state)
{
    fixture *f = *state;
    lines l;
    bridge_product both[] = {env, trackers};
    assert_int_equal(bridge_store_products_replace(f->st, "scope-a", both, 2), 0);
    bridge_customer first[] = {
        {.username = "bob@loblaw.net",
         .customer_id = "01234567890ABCDEF",
         .full_name = "Bob Loblaw",
         .device_ids = "0123456789abcdef01234567",
         .device_count = 1},
        {.username = "amy@example.com"}, /* a shadow customer: no id, name or devices */
    };
    bridge_customer other = {.username = "carl@example.com", .customer_id = "c1"};
    assert_int_equal(bridge_store_customers_replace(f->st, 1001, first, 2), 0);
    assert_int_equal(bridge_store_customers_replace(f->st, 1002, &other, 1), 0);
    assert_string_equal(customers(f, NULL, &l), "1001 amy@example.com   [] 0\n"
                                                "1001 bob@loblaw.net 01234567890ABCDEF Bob Loblaw "
                                                "[0123456789abcdef01234567] 1\n"
                                                "1002 carl@example.com c1  [] 0\n");

    /* bob is gone from the cloud's list, amy got a device */
    bridge_customer second = {
        .username = "amy@example.com", .device_ids = "aaaa,bbbb", .device_count = 2};
    assert_int_equal(bridge_store_customers_replace(f->st, 1001, &second, 1), 0);
    assert_string_equal(customers(f, "env-sensors", &l), "1001 amy@example.com   [aaaa,bbbb] 2\n");
    assert_string_equal(customers(f, "1002", &l), "1002 carl@example.com c1  [] 0\n");
    assert_string_equal(products(f, "1001", &l),
                        "1001 env-sensors Env sensors 13 air 9980222caf8bad191600019b d0 g0 c1\n");

    /* a customer without a username refuses the whole set: nothing changes */
    bridge_customer bad[] = {{.username = "dan@example.com"}, {.customer_id = "x"}};
    assert_int_equal(bridge_store_customers_replace(f->st, 1001, bad, 2), BRIDGE_STORE_ERROR);
    assert_non_null(strstr(bridge_store_errmsg(f->st), "username"));
    assert_string_equal(customers(f, "1001", &l), "1001 amy@example.com   [aaaa,bbbb] 2\n");
}

static void test_groups_and_device_groups(void **state)
{
    fixture *f = *state;
    lines l;
    bridge_product both[] = {env, trackers};
    assert_int_equal(bridge_store_products_replace(f->st, "scope-a", both, 2), 0);
    bridge_group env_groups[] = {
        {.name = "europe", .description = "EU", .color = "#34495e", .fw_version = 3},
        {.name = "asia", .fw_version = -1},
    };
    bridge_group tracker_groups[] = {{.name = "europe", .fw_version = -1}};
    assert_int_equal(bridge_store_groups_replace(f->st, 1001, env_groups, 2), 0);
    assert_int_equal(bridge_store_groups_replace(f->st, 1002, tracker_groups, 1), 0);

    const char *asia_europe[] = {"europe", "asia"};
    const char *europe[] = {"europe"};
    sync_device(f, "dev1", 1001, asia_europe, 2);
    sync_device(f, "dev2", 1001, europe, 1);
    sync_device(f, "dev3", 1002, europe, 1);
    sync_device(f, "dev4", 1001, NULL, 0); /* listed without groups */
    sync_device(f, "dev9", 6, NULL, 0);    /* a developer device: no stored product */

    assert_string_equal(groups(f, NULL, &l), "1001 asia   fw-1 d1\n"
                                             "1001 europe EU #34495e fw3 d2\n"
                                             "1002 europe   fw-1 d1\n");
    assert_string_equal(groups(f, "trackers", &l), "1002 europe   fw-1 d1\n");
    assert_string_equal(devices(f, NULL, NULL, &l), "1001 dev1 dev1 [asia,europe]\n"
                                                    "1001 dev2 dev2 [europe]\n"
                                                    "1001 dev4 dev4 []\n"
                                                    "1002 dev3 dev3 [europe]\n");
    assert_string_equal(devices(f, "env-sensors", "europe", &l), "1001 dev1 dev1 [asia,europe]\n"
                                                                 "1001 dev2 dev2 [europe]\n");
    assert_string_equal(devices(f, NULL, "europe", &l), "1001 dev1 dev1 [asia,europe]\n"
                                                        "1001 dev2 dev2 [europe]\n"
                                                        "1002 dev3 dev3 [europe]\n");
    assert_string_equal(devices(f, "1002", "asia", &l), "");

    /* a device's groups follow the listing; a listing without them keeps what is stored */
    sync_device(f, "dev1", 1001, europe, 1);
    sync_device(f, "dev2", 1001, NULL, 0);
    const char *none[] = {NULL};
    sync_device(f, "dev3", 1002, none, 0);
    assert_string_equal(devices(f, NULL, NULL, &l), "1001 dev1 dev1 [europe]\n"
                                                    "1001 dev2 dev2 [europe]\n"
                                                    "1001 dev4 dev4 []\n"
                                                    "1002 dev3 dev3 []\n");

    /* a group the cloud no longer lists goes; the product counts what the store holds */
    assert_int_equal(bridge_store_groups_replace(f->st, 1001, env_groups, 1), 0);
    assert_string_equal(groups(f, "1001", &l), "1001 europe EU #34495e fw3 d2\n");
    size_t marked = 0;
    assert_int_equal(bridge_store_devices_mark_gone(f->st, 1001, NULL, 2000, &marked), 0);
    assert_int_equal(marked, 3);
    assert_string_equal(products(f, NULL, &l),
                        "1001 env-sensors Env sensors 13 air 9980222caf8bad191600019b d0 g1 c0\n"
                        "1002 trackers Trackers 26   d1 g1 c0\n");
    assert_string_equal(groups(f, NULL, &l), "1001 europe EU #34495e fw3 d0\n"
                                             "1002 europe   fw-1 d0\n");
    assert_string_equal(devices(f, "1001", "europe", &l), "1001 dev1 dev1 [europe] gone\n"
                                                          "1001 dev2 dev2 [europe] gone\n");

    /* a group without a name refuses the set */
    bridge_group bad = {.name = "", .fw_version = -1};
    assert_int_equal(bridge_store_groups_replace(f->st, 1001, &bad, 1), BRIDGE_STORE_ERROR);
    groups(f, "1001", &l);
    assert_int_equal(l.rows, 1);
}

/* The sets survive a reopen (and the migration does not run again). */
static void test_fleet_survives_reopen(void **state)
{
    fixture *f = *state;
    lines l;
    assert_int_equal(bridge_store_products_replace(f->st, "scope-a", &env, 1), 0);
    bridge_group g = {.name = "europe", .fw_version = 7};
    assert_int_equal(bridge_store_groups_replace(f->st, 1001, &g, 1), 0);
    bridge_store_close(f->st);
    char err[256] = "";
    f->st = bridge_store_open(f->db, err, sizeof err);
    if (f->st == NULL) {
        fail_msg("reopen: %s", err);
    }
    assert_string_equal(groups(f, NULL, &l), "1001 europe   fw7 d0\n");
    products(f, NULL, &l);
    assert_int_equal(l.rows, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_products_are_replaced_per_bridge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customers_are_replaced_per_product, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groups_and_device_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fleet_survives_reopen, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
