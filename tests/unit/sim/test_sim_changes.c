/*
 * How the simulator's model owns its changes: a device update is checked whole and applied
 * all or nothing (one new rev, one notification); observers are told of every change and of
 * nothing while a fleet loads or a device is only heard; --state persistence is such an
 * observer, so what changes through the model alone survives a restart (a new model on the
 * same file), and the replay at start is not written back.
 */
#include <unistd.h>

#include <sqlite3.h>

#include "sim_test.h"

#include "clock.h"
#include "fleet.h"
#include "model/sim_cards.h"
#include "model/sim_model.h"
#include "model/sim_tokens.h"
#include "persist.h"

#define START_MS 1700000000000LL
#define MAX_SEEN 64

typedef struct fixture {
    sim_clock *clock;
    sim_model *m;
    sim_change seen[MAX_SEEN];
    size_t seen_count;
} fixture;

static void record(const sim_model *m, const sim_change *change, void *payload)
{
    (void)m;
    fixture *f = payload;
    assert_true(f->seen_count < MAX_SEEN);
    f->seen[f->seen_count++] = *change;
}

/* The default fleet in a new model, with the recording observer registered before it loads
 * (loading must tell it nothing). */
static fixture *open_model(void)
{
    fixture *f = calloc(1, sizeof(*f));
    f->clock = sim_clock_new(START_MS);
    sim_clock_pause(f->clock);
    f->m = sim_model_new(f->clock, 1);
    sim_model_observe(f->m, record, f);
    char err[256] = "";
    json_t *fleet = sim_fleet_default();
    sim_model_lock(f->m);
    if (sim_fleet_load(f->m, fleet, "default", err, sizeof(err)) != 0)
        fail_msg("fleet load failed: %s", err);
    json_decref(fleet);
    assert_int_equal(f->seen_count, 0);
    return f;
}

static void close_model(fixture *f)
{
    sim_model_unlock(f->m);
    sim_model_free(f->m);
    sim_clock_free(f->clock);
    free(f);
}

static void expect_seen(const fixture *f, size_t at, sim_change_kind kind, uint32_t index,
                        uint32_t fields)
{
    assert_true(at < f->seen_count);
    assert_int_equal(f->seen[at].kind, kind);
    assert_int_equal(f->seen[at].index, index);
    assert_int_equal(f->seen[at].fields, fields);
}

/* A device's fields that an update may change, to compare before and after a refusal. */
typedef struct snapshot {
    char name[72], notes[72];
    uint32_t owner, groups, product_groups;
    int32_t desired;
    bool development, signaling, forced;
    uint64_t rev;
} snapshot;

static snapshot snap(const sim_model *m, uint32_t dev)
{
    const sim_device *d = &m->devices[dev];
    snapshot s = {.owner = d->owner,
                  .groups = d->groups,
                  .product_groups =
                      d->product != SIM_NONE ? m->products[d->product].group_count : 0,
                  .desired = d->desired_firmware_version,
                  .development = d->development,
                  .signaling = d->signaling,
                  .forced = d->updates_forced,
                  .rev = d->rev};
    snprintf(s.name, sizeof(s.name), "%s", d->name ? d->name : "(null)");
    snprintf(s.notes, sizeof(s.notes), "%s", d->notes ? d->notes : "(null)");
    return s;
}

static void expect_refused(fixture *f, uint32_t dev, const sim_device_update *u, const char *why)
{
    snapshot before = snap(f->m, dev);
    size_t seen = f->seen_count;
    const char *refused = sim_model_update_device(f->m, dev, u);
    assert_non_null(refused);
    assert_string_equal(refused, why);
    snapshot after = snap(f->m, dev);
    assert_memory_equal(&before, &after, sizeof(before));
    assert_int_equal(f->seen_count, seen);
}

static void test_update_all_or_nothing(void **state)
{
    (void)state;
    fixture *f = open_model();
    sim_model *m = f->m;
    uint32_t tracker = sim_test_device_named(m, "tracker-2"),
             argon = sim_test_device_named(m, "demo-argon-1");

    /* good fields first, a bad group name last */
    const char *bad_groups[] = {"europe", "brand-new", NULL};
    sim_device_update u = {.fields = SIM_DEVICE_NAME | SIM_DEVICE_NOTES | SIM_DEVICE_SIGNALING |
                                     SIM_DEVICE_DEVELOPMENT | SIM_DEVICE_DESIRED_FIRMWARE |
                                     SIM_DEVICE_GROUPS,
                           .name = "half-done",
                           .notes = "half-done notes",
                           .signaling = true,
                           .development = true,
                           .desired_firmware_version = 9,
                           .groups = bad_groups,
                           .group_count = 3};
    expect_refused(f, tracker, &u, "Invalid group name, or too many groups");

    /* more new groups than the product has room for: none is added */
    char names[SIM_MAX_GROUPS][16];
    const char *many[SIM_MAX_GROUPS];
    for (size_t i = 0; i < SIM_MAX_GROUPS; i++) {
        snprintf(names[i], sizeof(names[i]), "group-%zu", i);
        many[i] = names[i];
    }
    u.groups = many;
    u.group_count = SIM_MAX_GROUPS;
    expect_refused(f, tracker, &u, "Invalid group name, or too many groups");

    sim_device_update fw = {.fields = SIM_DEVICE_NAME | SIM_DEVICE_DESIRED_FIRMWARE,
                            .name = "half-done",
                            .desired_firmware_version = -2};
    expect_refused(f, tracker, &fw, "desired_firmware_version must be a version number or null");
    char long_name[SIM_DEVICE_NAME_MAX + 2];
    memset(long_name, 'n', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    sim_device_update text = {
        .fields = SIM_DEVICE_NOTES | SIM_DEVICE_NAME, .notes = "kept?", .name = long_name};
    expect_refused(f, argon, &text, "Invalid name: 1 to 64 characters of text");
    text = (sim_device_update){.fields = SIM_DEVICE_UPDATES_FORCED | SIM_DEVICE_NOTES,
                               .updates_forced = true,
                               .notes = "tab\there"};
    expect_refused(f, argon, &text, "Invalid notes: up to 1024 characters of text");
    text = (sim_device_update){.fields = SIM_DEVICE_NAME, .name = "\xff\xfe"};
    expect_refused(f, argon, &text, "Invalid name: 1 to 64 characters of text");
    sim_device_update product_only = {.fields = SIM_DEVICE_SIGNALING | SIM_DEVICE_DEVELOPMENT,
                                      .signaling = true,
                                      .development = true};
    expect_refused(f, argon, &product_only,
                   "development, desired_firmware_version and groups are for product devices");
    sim_device_update owner = {.fields = SIM_DEVICE_OWNER, .owner = m->user_count};
    expect_refused(f, argon, &owner, "Unknown owner");

    /* all good: everything applied, one new rev, one device notification naming the fields */
    const char *good_groups[] = {"asia", "brand-new", "brand-new"};
    u.groups = good_groups;
    u.group_count = 3;
    uint64_t rev = m->devices[tracker].rev;
    uint32_t product_groups = m->products[m->devices[tracker].product].group_count;
    assert_null(sim_model_update_device(m, tracker, &u));
    const sim_device *d = &m->devices[tracker];
    assert_string_equal(d->name, "half-done");
    assert_string_equal(d->notes, "half-done notes");
    assert_true(d->signaling && d->development);
    assert_int_equal(d->desired_firmware_version, 9);
    assert_int_equal(m->products[d->product].group_count, product_groups + 1);
    assert_int_equal(d->groups, (1u << 1) | (1u << product_groups)); /* asia, brand-new */
    assert_true(d->rev > rev);
    /* the product's new group is told first (persistence stores the group list), then the
     * device */
    assert_int_equal(f->seen_count, 2);
    expect_seen(f, 0, SIM_CHANGED_GROUPS, d->product, 0);
    expect_seen(f, 1, SIM_CHANGED_DEVICE, tracker, u.fields);
    close_model(f);
}

static void test_observers_are_told(void **state)
{
    (void)state;
    fixture *f = open_model();
    sim_model *m = f->m;
    uint32_t argon = sim_test_device_named(m, "demo-argon-1"),
             tracker = sim_test_device_named(m, "tracker-2");
    size_t n = 0;

    assert_true(sim_model_ping(m, argon)); /* heard, not changed */
    sim_model_emit_device_event(m, argon, "temp", "21", false);
    assert_int_equal(f->seen_count, n);

    sim_model_set_online(m, argon, false);
    expect_seen(f, n++, SIM_CHANGED_DEVICE, argon, SIM_DEVICE_ONLINE);
    sim_model_set_online(m, argon, false); /* no change: nothing to tell */
    assert_int_equal(f->seen_count, n);
    sim_model_set_owner(m, argon, SIM_NONE);
    expect_seen(f, n++, SIM_CHANGED_DEVICE, argon, SIM_DEVICE_OWNER);
    sim_model_deny(m, tracker);
    expect_seen(f, n++, SIM_CHANGED_DEVICE, tracker, SIM_DEVICE_MEMBERSHIP);
    sim_model_leave_product(m, tracker);
    expect_seen(f, n++, SIM_CHANGED_DEVICE, tracker, SIM_DEVICE_MEMBERSHIP | SIM_DEVICE_GROUPS);
    sim_model_set_product(m, tracker, sim_model_find_product(m, "asset-tracker"));
    expect_seen(f, n++, SIM_CHANGED_DEVICE, tracker,
                SIM_DEVICE_MEMBERSHIP | SIM_DEVICE_GROUPS | SIM_DEVICE_DEVELOPMENT |
                    SIM_DEVICE_DESIRED_FIRMWARE);

    uint32_t demo = sim_model_find_user(m, "demo@example.com");
    uint32_t t = sim_token_create(m, SIM_TOKEN_USER, demo, SIM_NONE, NULL, 3600);
    expect_seen(f, n++, SIM_CHANGED_TOKEN_CREATED, t, 0);
    char created[SIM_TOKEN_LEN + 1];
    memcpy(created, m->tokens[t].token, sizeof(created));
    uint32_t fixture_token = sim_token_find(m, DEMO_TOKEN, NULL);
    sim_token_revoke(m, fixture_token);
    expect_seen(f, n++, SIM_CHANGED_TOKEN_REVOKED, fixture_token, 0);
    t = sim_token_find(m, created, NULL); /* the revocation may have moved it */
    assert_int_not_equal(t, SIM_NONE);
    assert_int_equal(sim_token_sweep(m, m->tokens[t].expires_ms), 1);
    expect_seen(f, n++, SIM_CHANGED_TOKEN_EXPIRED, t, 0);

    uint32_t card = sim_cards_find(m, m->devices[sim_test_device_named(m, "demo-boron-1")].iccid);
    assert_int_not_equal(card, SIM_NONE);
    assert_null(sim_cards_update(m, card, SIM_ACTION_DEACTIVATE, 100));
    expect_seen(f, n++, SIM_CHANGED_CARD, card, 0);
    assert_non_null(sim_cards_update(m, card, SIM_ACTION_NONE, (long)INT32_MAX + 1));
    assert_int_equal(f->seen_count, n); /* refused: nothing changed, nothing told */
    close_model(f);
}

static int count_rows(const char *path, const char *table)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[64];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* A model on the default fleet with the --state file at @p path replayed and observing. */
static fixture *open_with_state(const char *path, sim_persist **p, int *applied)
{
    fixture *f = open_model();
    char err[256];
    assert_int_equal(sim_persist_open(p, path, err, sizeof(err)), 0);
    *applied = sim_persist_apply(*p, f->m);
    sim_persist_observe(*p, f->m);
    return f;
}

static void test_persistence_observes_the_model(void **state)
{
    (void)state;
    char dir[] = "/tmp/sim-changes-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/state.db", dir);
    sim_persist *p;
    int applied;

    fixture *f = open_with_state(path, &p, &applied);
    assert_int_equal(applied, 0);
    sim_model *m = f->m;
    uint32_t argon = sim_test_device_named(m, "demo-argon-1");
    uint32_t other = sim_model_find_user(m, "other@example.com");
    sim_device_update u = {.fields = SIM_DEVICE_NAME | SIM_DEVICE_NOTES | SIM_DEVICE_OWNER,
                           .name = "kept-argon",
                           .notes = "kept notes",
                           .owner = other};
    assert_null(sim_model_update_device(m, argon, &u));
    sim_model_set_online(m, argon, false); /* not kept: no row for it */
    uint32_t t = sim_token_create(m, SIM_TOKEN_USER, other, SIM_NONE, "kept-client", 0);
    char token[SIM_TOKEN_LEN + 1];
    memcpy(token, m->tokens[t].token, sizeof(token));
    sim_token_revoke(m, sim_token_find(m, DEMO_TOKEN, NULL));
    uint32_t card = sim_cards_find(m, m->devices[sim_test_device_named(m, "demo-boron-1")].iccid);
    assert_null(sim_cards_update(m, card, SIM_ACTION_DEACTIVATE, 250));
    assert_int_equal(count_rows(path, "devices"), 1);
    assert_int_equal(count_rows(path, "tokens"), 1);
    assert_int_equal(count_rows(path, "revoked"), 1);
    assert_int_equal(count_rows(path, "sims"), 1);
    sim_persist_close(p);
    close_model(f);

    f = open_with_state(path, &p, &applied);
    m = f->m;
    assert_int_equal(applied, 4); /* the token, the revocation, the device, the card */
    argon = sim_test_device_named(m, "kept-argon");
    assert_string_equal(m->devices[argon].notes, "kept notes");
    assert_int_equal(m->devices[argon].owner, sim_model_find_user(m, "other@example.com"));
    assert_true(m->devices[argon].online); /* online state is the fleet's */
    t = sim_token_find(m, token, NULL);
    assert_int_not_equal(t, SIM_NONE);
    assert_string_equal(m->tokens[t].client, "kept-client");
    assert_int_equal(sim_token_find(m, DEMO_TOKEN, NULL), SIM_NONE);
    card = sim_cards_find(m, m->devices[sim_test_device_named(m, "demo-boron-1")].iccid);
    assert_int_equal(m->cards[card].status, SIM_CARD_DEACTIVATED);
    assert_int_equal(m->cards[card].mb_limit, 250);
    /* the replay (before sim_persist_observe) was not written back: the same rows */
    assert_int_equal(count_rows(path, "devices"), 1);
    assert_int_equal(count_rows(path, "tokens"), 1);
    assert_int_equal(count_rows(path, "sims"), 1);
    /* a change after the restart is written again */
    assert_null(sim_cards_update(m, card, SIM_ACTION_REACTIVATE, -1));
    sim_persist_close(p);
    close_model(f);

    f = open_with_state(path, &p, &applied);
    card = sim_cards_find(f->m, f->m->devices[sim_test_device_named(f->m, "demo-boron-1")].iccid);
    assert_int_equal(f->m->cards[card].status, SIM_CARD_ACTIVE);
    sim_persist_close(p);
    close_model(f);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_update_all_or_nothing),
        cmocka_unit_test(test_observers_are_told),
        cmocka_unit_test(test_persistence_observes_the_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
