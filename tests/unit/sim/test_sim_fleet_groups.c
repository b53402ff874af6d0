/*
 * The fleet loader's groups and claim codes (docs/FLEET.md), and the group and claim model
 * directly (model/sim_groups.h, model/sim_claims.h): group objects with description and
 * color, strict validation with the place of the error, codes with their lifetime, and
 * the observers told of each change but not of loading.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "clock.h"
#include "fleet.h"
#include "model/sim_claims.h"
#include "model/sim_groups.h"

#define START_MS 1700000000000LL
#define CODE "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+"

typedef struct fixture {
    sim_clock *clock;
    sim_model *m;
    sim_change seen[64];
    size_t seen_count;
} fixture;

static void record(const sim_model *m, const sim_change *change, void *payload)
{
    (void)m;
    fixture *f = payload;
    if (f->seen_count < 64)
        f->seen[f->seen_count++] = *change;
}

/* Loads @p text; returns the loader's result with its message in @p err. */
static int load(fixture *f, const char *text, char *err, size_t err_size)
{
    f->clock = sim_clock_new(START_MS);
    sim_clock_pause(f->clock);
    f->m = sim_model_new(f->clock, 1);
    sim_model_observe(f->m, record, f);
    json_t *fleet = sim_fleet_parse(text, strlen(text), "t", err, err_size);
    assert_non_null(fleet);
    sim_model_lock(f->m);
    int rc = sim_fleet_load(f->m, fleet, "t", err, err_size);
    json_decref(fleet);
    return rc;
}

static void unload(fixture *f)
{
    sim_model_unlock(f->m);
    sim_model_free(f->m);
    sim_clock_free(f->clock);
}

#define FLEET(products, extra)                                                                     \
    "{\"users\":[{\"username\":\"u@example.com\"}],\"products\":[{\"id\":7,\"slug\":\"p\","        \
    "\"platform_id\":13,\"groups\":" products "}],\"templates\":[{\"name\":\"t\"}],"               \
    "\"devices\":[{\"name\":\"d{{n}}\",\"template\":\"t\",\"product\":7,\"count\":3,"              \
    "\"groups_cycle\":[[\"a\"],[\"b\"],[\"a\",\"b\"]]}]" extra "}"

static void test_load_groups_and_codes(void **state)
{
    (void)state;
    fixture f = {0};
    char err[256];
    int rc = load(&f,
                  FLEET("[\"a\",{\"name\":\"b\",\"description\":\"Bee\",\"color\":\"#0a0b0c\"}]",
                        ",\"claim_codes\":[{\"code\":\"" CODE "\",\"username\":\"u@example.com\","
                        "\"iccid\":\"89014100000000000001\"}]"),
                  err, sizeof(err));
    if (rc != 0)
        fail_msg("%s", err);
    assert_int_equal(f.seen_count, 0); /* loading is not a change */
    const sim_product *p = &f.m->products[0];
    assert_int_equal(p->group_count, 2);
    assert_null(p->group_descriptions[0]);
    assert_string_equal(p->group_colors[0], SIM_GROUP_DEFAULT_COLOR);
    assert_string_equal(p->group_descriptions[1], "Bee");
    assert_string_equal(p->group_colors[1], "#0a0b0c");
    assert_int_equal(sim_group_device_count(f.m, 0, 0), 2);
    assert_int_equal(sim_group_device_count(f.m, 0, 1), 2);
    uint32_t c = sim_claim_find(f.m, CODE);
    assert_int_not_equal(c, SIM_NONE);
    assert_string_equal(f.m->claims[c].device_key, "89014100000000000001");
    assert_int_equal(f.m->claims[c].expires_ms, START_MS + SIM_CLAIM_VALID_MS);
    sim_clock_advance(f.clock, SIM_CLAIM_VALID_MS);
    assert_int_equal(sim_claim_find(f.m, CODE), SIM_NONE); /* expired */
    unload(&f);
}

static void expect_load_error(const char *text, const char *message)
{
    fixture f = {0};
    char err[256];
    assert_int_equal(load(&f, text, err, sizeof(err)), -1);
    if (!strstr(err, message))
        fail_msg("error \"%s\" lacks \"%s\"", err, message);
    unload(&f);
}

static void test_load_errors(void **state)
{
    (void)state;
    expect_load_error(FLEET("[\"Upper\"]", ""), "products[0].groups[0]: Invalid group name");
    expect_load_error(FLEET("[\"a\",\"a\"]", ""), "products[0].groups[1]: A group with this");
    expect_load_error(FLEET("[{\"name\":\"a\",\"color\":\"blue\"}]", ""), "Invalid color");
    expect_load_error(FLEET("[{\"name\":\"a\",\"size\":1}]", ""), "products[0].groups[0]");
    expect_load_error(FLEET("[]", ",\"claim_codes\":[{\"code\":\"short\",\"username\":"
                                  "\"u@example.com\"}]"),
                      "claim_codes[0]: code must have 63");
    expect_load_error(FLEET("[]", ",\"claim_codes\":[{\"code\":\"" CODE "\",\"username\":"
                                  "\"nobody@example.com\"}]"),
                      "claim_codes[0].username: unknown user");
    expect_load_error(FLEET("[]", ",\"claim_codes\":[{\"code\":\"" CODE "\",\"username\":"
                                  "\"u@example.com\"},{\"code\":\"" CODE "\",\"username\":"
                                  "\"u@example.com\"}]"),
                      "claim_codes[1]: code used twice");
}

static void test_model_changes_are_told(void **state)
{
    (void)state;
    fixture f = {0};
    char err[256];
    assert_int_equal(load(&f, FLEET("[\"a\",\"b\"]", ""), err, sizeof(err)), 0);
    sim_model *m = f.m;
    /* d1: a, d2: b, d3: a+b */
    uint32_t g;
    assert_null(sim_group_create(m, 0, "c", "C", NULL, &g));
    assert_int_equal(g, 2);
    assert_int_equal(f.seen_count, 1);
    assert_int_equal(f.seen[0].kind, SIM_CHANGED_GROUPS);
    /* a refused change tells no one */
    assert_non_null(sim_group_create(m, 0, "c", NULL, NULL, NULL));
    sim_group_update u = {.name = "b"};
    assert_non_null(sim_group_update_fields(m, 0, 0, &u));
    assert_int_equal(f.seen_count, 1);
    /* a rename tells the group list, then each member */
    u.name = "a2";
    assert_null(sim_group_update_fields(m, 0, 0, &u));
    assert_int_equal(f.seen_count, 4);
    assert_int_equal(f.seen[2].kind, SIM_CHANGED_DEVICE);
    assert_int_equal(f.seen[2].fields, SIM_DEVICE_GROUPS);
    /* delete a2 (bit 0): d2 keeps b and d3 keeps b, moved to bit 0; c moves to bit 1 */
    uint64_t rev2 = m->devices[1].rev;
    sim_group_delete(m, 0, 0);
    assert_int_equal(m->products[0].group_count, 2);
    assert_string_equal(m->products[0].groups[0], "b");
    assert_string_equal(m->products[0].groups[1], "c");
    assert_string_equal(m->products[0].group_descriptions[1], "C");
    assert_int_equal(m->devices[0].groups, 0);
    assert_int_equal(m->devices[1].groups, 1);
    assert_int_equal(m->devices[2].groups, 1);
    assert_int_equal(m->devices[1].rev, rev2); /* d2 shows the same groups */
    assert_int_equal(f.seen_count, 4 + 1 + 2); /* list, then d1 and d3 */
    /* batch: all or nothing */
    uint32_t devs[] = {0, 1};
    const char *add[] = {"c", "new"};
    const char *bad[] = {"Bad"};
    size_t seen = f.seen_count;
    assert_non_null(sim_group_batch(m, 0, devs, 2, bad, 1, NULL, 0));
    assert_int_equal(f.seen_count, seen);
    const char *remove[] = {"b", "unknown"};
    assert_null(sim_group_batch(m, 0, devs, 2, add, 2, remove, 2));
    assert_int_equal(m->products[0].group_count, 3);
    assert_int_equal(m->devices[0].groups, (1u << 1) | (1u << 2));
    assert_int_equal(m->devices[1].groups, (1u << 1) | (1u << 2));
    unload(&f);
}

static void test_claim_codes(void **state)
{
    (void)state;
    fixture f = {0};
    char err[256];
    assert_int_equal(load(&f, FLEET("[]", ""), err, sizeof(err)), 0);
    sim_model *m = f.m;
    uint32_t c = sim_claim_create(m, 0, NULL);
    char code[SIM_CLAIM_CODE_LEN + 1];
    memcpy(code, m->claims[c].code, sizeof(code));
    assert_int_equal(strlen(code), SIM_CLAIM_CODE_LEN);
    assert_int_equal(f.seen[f.seen_count - 1].kind, SIM_CHANGED_CLAIM_CREATED);
    const char *why = NULL;
    assert_int_equal(sim_claim_redeem(m, "nope", 0, &why), SIM_CLAIM_UNKNOWN);
    assert_int_equal(sim_claim_redeem(m, code, 0, &why), SIM_CLAIM_OK);
    assert_int_equal(m->devices[0].owner, 0);
    assert_int_equal(m->claim_count, 0); /* used up */
    /* expiry drops codes: the next creation sweeps them */
    sim_claim_create(m, 0, NULL);
    sim_clock_advance(f.clock, SIM_CLAIM_VALID_MS);
    size_t seen = f.seen_count;
    sim_claim_create(m, 0, NULL);
    assert_int_equal(m->claim_count, 1);
    assert_int_equal(f.seen[seen].kind, SIM_CHANGED_CLAIM_DROPPED);
    /* a deleted customer's codes go with it */
    sim_claim_create(m, 0, NULL);
    assert_int_equal(m->claim_count, 2);
    sim_claim_revoke_user(m, 0);
    assert_int_equal(m->claim_count, 0);
    unload(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_groups_and_codes),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_model_changes_are_told),
        cmocka_unit_test(test_claim_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
