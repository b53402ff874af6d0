/* Partitions of a fleet for several bridges on one database: parsing, a stable spread of
 * device ids over the partitions, the scope tag, and the writer leaving other partitions'
 * events to their bridges while its stream cursor still moves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "bridge_test.h"
#include "config.h"
#include "ingest/writer.h"
#include "partition.h"

static void test_parse(void **state)
{
    (void)state;
    bridge_partition p = {0, 0};
    assert_true(bridge_partition_parse("2/3", &p));
    assert_int_equal(p.index, 2);
    assert_int_equal(p.count, 3);
    assert_true(bridge_partition_parse("1/1", &p));
    assert_true(bridge_partition_parse("1024/1024", &p));
    const char *bad[] = {"",     "3",    "0/2",  "3/2",  "1/0", "1/1025", "a/2",
                         "1/2x", " 1/2", "-1/2", "1//2", "1/",  "/2",     "1/+2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (bridge_partition_parse(bad[i], &p)) {
            fail_msg("\"%s\" was accepted", bad[i]);
        }
    }
    assert_false(bridge_partition_parse(NULL, &p));
}

static void test_every_device_has_exactly_one_owner(void **state)
{
    (void)state;
    enum { N = 4, IDS = 8000 };
    size_t per[N] = {0};
    char id[32];
    for (int i = 0; i < IDS; i++) {
        snprintf(id, sizeof id, "%024x", (unsigned)(i * 2654435761u));
        int owners = 0;
        for (unsigned int k = 1; k <= N; k++) {
            bridge_partition p = {k, N};
            if (bridge_partition_owns(&p, id)) {
                owners++;
                per[k - 1]++;
            }
        }
        assert_int_equal(owners, 1);
    }
    for (int k = 0; k < N; k++) { /* a fair spread: 25% each, give or take */
        assert_true(per[k] > IDS / N * 8 / 10 && per[k] < IDS / N * 12 / 10);
    }
    bridge_partition whole = {1, 1}, zero = {0, 0};
    assert_true(bridge_partition_owns(&whole, "anything"));
    assert_true(bridge_partition_owns(&zero, "anything"));
    /* stable: the same id always lands in the same partition (a fixed expectation) */
    bridge_partition p = {1, 2};
    bool first = bridge_partition_owns(&p, "0123456789abcdef01234567");
    for (int i = 0; i < 3; i++) {
        assert_int_equal(bridge_partition_owns(&p, "0123456789abcdef01234567"), first);
    }
}

static void test_scope_tag(void **state)
{
    (void)state;
    bridge_config a, b;
    bridge_config_defaults(&a);
    bridge_config_defaults(&b);
    char ta[BRIDGE_OWNER_SIZE], tb[BRIDGE_OWNER_SIZE];
    a.user_scope = b.user_scope = false;
    snprintf(a.products[0], sizeof a.products[0], "1001");
    snprintf(a.products[1], sizeof a.products[1], "env-sensors");
    a.product_count = 2;
    snprintf(b.products[0], sizeof b.products[0], "env-sensors");
    snprintf(b.products[1], sizeof b.products[1], "1001");
    b.product_count = 2;
    bridge_config_scope_tag(&a, ta, sizeof ta);
    bridge_config_scope_tag(&b, tb, sizeof tb);
    assert_string_equal(ta, tb); /* the order of products does not matter */
    assert_int_equal(strncmp(ta, "scope-", 6), 0);
    assert_int_equal(strlen(ta), 6 + 16);
    b.product_count = 1;
    bridge_config_scope_tag(&b, tb, sizeof tb);
    assert_string_not_equal(ta, tb);
    b.product_count = 2;
    b.partition = (bridge_partition){2, 3};
    bridge_config_scope_tag(&b, tb, sizeof tb);
    assert_string_not_equal(ta, tb);
    b.partition = (bridge_partition){1, 1};
    b.user_scope = true;
    bridge_config_scope_tag(&b, tb, sizeof tb);
    assert_string_not_equal(ta, tb);
}

static void test_writer_leaves_other_partitions_to_their_bridges(void **state)
{
    (void)state;
    char dir[512], db[600], err[256] = "";
    assert_int_equal(bt_tempdir(dir, sizeof dir), 0);
    bt_path(db, sizeof db, dir, "p.db");
    bridge_metrics m;
    memset(&m, 0, sizeof m);
    bridge_writer_options o = {.db_path = db, .metrics = &m, .partition = {1, 2}};
    bridge_writer *w = bridge_writer_new(&o, err, sizeof err);
    assert_non_null(w);
    char id[32], data[16], event_id[16];
    size_t ours = 0;
    for (int i = 0; i < 40; i++) {
        snprintf(id, sizeof id, "%024d", i);
        snprintf(data, sizeof data, "%d", i);
        snprintf(event_id, sizeof event_id, "%d", i + 1);
        ours += bridge_partition_owns(&o.partition, id);
        bridge_event_in ev = {id, "temp", data, 1000 + i, 0, "sse"};
        assert_int_equal(bridge_writer_push_event(w, &ev, "user", event_id), 0);
    }
    assert_true(ours > 0 && ours < 40);
    assert_int_equal(bridge_writer_flush(w, 10000), 0);
    bridge_writer_free(w);
    assert_int_equal(atomic_load(&m.events_stored), ours);
    assert_int_equal(atomic_load(&m.events_other_partition), 40 - ours);
    bridge_store *st = bridge_store_open(db, err, sizeof err);
    assert_non_null(st);
    bridge_store_counts c;
    assert_int_equal(bridge_store_stats(st, &c), 0);
    assert_int_equal(c.events, ours);
    char cursor[32];
    assert_int_equal(bridge_store_cursor_get(st, "user", cursor, sizeof cursor), 0);
    assert_string_equal(cursor, "40"); /* the stream moved past every event */
    bridge_store_close(st);
    bt_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_every_device_has_exactly_one_owner),
        cmocka_unit_test(test_scope_tag),
        cmocka_unit_test(test_writer_leaves_other_partitions_to_their_bridges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
