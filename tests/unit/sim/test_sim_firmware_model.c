/*
 * The firmware model without sockets (model/sim_firmware.h): the module prefix reader, the
 * target rule (lock > group release > product default; development devices follow only a
 * lock), and the update steps on a paused simulation clock: started, success, offline,
 * online, app-hash; a failing device; an offline device on its next connect; a disconnect
 * mid-update; updates disabled, then enabled.
 */
#include "sim_test.h"

#include "clock.h"
#include "firmware_test.h"
#include "fleet.h"
#include "model/sim_behaviour.h"
#include "model/sim_firmware.h"
#include "model/sim_model.h"

#define START_MS 1700000000000LL
#define MAX_EVENTS 512

typedef struct fixture {
    sim_clock *clock;
    sim_model *m;
    char names[MAX_EVENTS][48];
    char data[MAX_EVENTS][80];
    uint32_t device[MAX_EVENTS];
    int64_t at[MAX_EVENTS];
    size_t count;
} fixture;

static void sink(const sim_event *ev, void *payload)
{
    fixture *f = payload;
    if (f->count >= MAX_EVENTS)
        return;
    snprintf(f->names[f->count], sizeof(f->names[0]), "%s", ev->name);
    snprintf(f->data[f->count], sizeof(f->data[0]), "%s", ev->data ? ev->data : "");
    f->device[f->count] = ev->device;
    f->at[f->count] = ev->published_ms;
    f->count++;
}

static const char FLEET[] =
    "{\"users\":[{\"username\":\"dev@example.com\"}],"
    "\"products\":[{\"id\":7,\"slug\":\"p\",\"platform_id\":13,\"groups\":[\"a\",\"b\"]}],"
    "\"templates\":[{\"name\":\"t\"}],"
    "\"devices\":[{\"name\":\"d-{{n}}\",\"template\":\"t\",\"product\":7,\"count\":4,"
    "\"platform_id\":13,\"firmware_version\":1,\"groups_cycle\":[[\"a\"],[\"b\"]]},"
    "{\"name\":\"mine\",\"template\":\"t\",\"owner\":\"dev@example.com\",\"platform_id\":13}]}";

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    f->clock = sim_clock_new(START_MS);
    sim_clock_pause(f->clock);
    f->m = sim_model_new(f->clock, 1);
    sim_model_set_sink(f->m, sink, f);
    json_t *fleet = json_loads(FLEET, 0, NULL);
    char err[256] = "";
    assert_non_null(fleet);
    sim_model_lock(f->m);
    if (sim_fleet_load(f->m, fleet, "test", err, sizeof(err)) != 0)
        fail_msg("fleet: %s", err);
    json_decref(fleet);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sim_model_unlock(f->m);
    sim_model_free(f->m);
    sim_clock_free(f->clock);
    free(f);
    return 0;
}

/* Uploads version @p version (binary seed = version) to product 0. */
static void upload(fixture *f, int version)
{
    unsigned char *bin = fw_module(13, 1024, 0, (unsigned)version);
    sim_firmware_upload u = {.version = version, .title = "t", .data = bin, .size = 1024};
    uint32_t fw;
    sim_result r;
    const char *bad = sim_firmware_upload_add(f->m, 0, &u, &fw, &r);
    if (bad)
        fail_msg("upload %d: %s", version, bad);
    free(bin);
}

static void release(fixture *f, int version, bool product_default, const char *group)
{
    const char *groups[] = {group};
    assert_null(sim_firmware_release(f->m, sim_firmware_find(f->m, 0, version), product_default,
                                     groups, group ? 1 : 0));
}

/* Advances the clock by @p ms and runs what fell due. */
static void advance(fixture *f, int64_t ms)
{
    sim_clock_advance(f->clock, ms);
    sim_model_run_due(f->m, sim_clock_now(f->clock), 1000000);
}

/* Events named @p name with data @p data (NULL = any) from device @p dev (SIM_NONE = any). */
static size_t count(const fixture *f, const char *name, const char *data, uint32_t dev)
{
    size_t n = 0;
    for (size_t i = 0; i < f->count; i++)
        n += strcmp(f->names[i], name) == 0 && (!data || strcmp(f->data[i], data) == 0) &&
             (dev == SIM_NONE || f->device[i] == dev);
    return n;
}

static uint32_t dev_named(fixture *f, const char *name)
{
    return sim_test_device_named(f->m, name);
}

static void test_module_reader(void **state)
{
    (void)state;
    sim_module_info info;
    char hash[65];
    static const size_t offsets[] = {0, 0x200, 0x184, 0xC0, 0x10C};
    for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
        unsigned char *bin = fw_module(32, 4096, offsets[i], 40);
        assert_true(sim_module_read(bin, 4096, &info));
        assert_int_equal(info.platform_id, 32);
        assert_int_equal(info.module_function, 5);
        fw_module_hash(40, hash);
        assert_string_equal(info.app_hash, hash);
        free(bin);
    }
    unsigned char *bin = fw_module(13, 4096, 0, 1);
    assert_false(sim_module_read(bin, 37, &info));   /* no room for the suffix */
    assert_false(sim_module_read(bin, 2048, &info)); /* shorter than its prefix says */
    bin[14] = 0;                                     /* module function: none */
    assert_false(sim_module_read(bin, 4096, &info));
    free(bin);
    unsigned char text[256];
    memset(text, 'x', sizeof(text));
    assert_false(sim_module_read(text, sizeof(text), &info));
    assert_false(sim_module_read(NULL, 0, &info));
}

static void test_target_rule(void **state)
{
    fixture *f = *state;
    uint32_t d1 = dev_named(f, "d-1"), d2 = dev_named(f, "d-2"); /* groups a and b */
    assert_int_equal(sim_firmware_target(f->m, d1), -1);
    upload(f, 2);
    upload(f, 3);
    upload(f, 4);
    release(f, 2, true, NULL);
    assert_int_equal(sim_firmware_target(f->m, d1), 2);
    assert_int_equal(sim_firmware_target(f->m, d2), 2);
    release(f, 3, false, "a");
    assert_int_equal(sim_firmware_target(f->m, d1), 3);
    assert_int_equal(sim_firmware_target(f->m, d2), 2);
    assert_int_equal(
        sim_firmware_group_version(f->m, 0, sim_model_product_group(f->m, 0, "a", false)), 3);
    sim_device_update lock = {.fields = SIM_DEVICE_DESIRED_FIRMWARE, .desired_firmware_version = 4};
    assert_null(sim_model_update_device(f->m, d2, &lock));
    assert_int_equal(sim_firmware_target(f->m, d2), 4);
    sim_device_update dev = {.fields = SIM_DEVICE_DEVELOPMENT, .development = true};
    assert_null(sim_model_update_device(f->m, d1, &dev));
    assert_int_equal(sim_firmware_target(f->m, d1), -1);
    assert_int_equal(sim_firmware_target(f->m, dev_named(f, "mine")), -1);
    /* a release to a group the product lacks, or to nothing, is refused */
    const char *nowhere[] = {"c"};
    assert_non_null(sim_firmware_release(f->m, 0, false, nowhere, 1));
    assert_non_null(sim_firmware_release(f->m, 0, false, NULL, 0));
}

static void test_update_steps(void **state)
{
    fixture *f = *state;
    uint32_t d1 = dev_named(f, "d-1");
    upload(f, 2);
    release(f, 2, true, NULL);
    assert_int_equal(f->count, 0); /* starts are spread: none yet */
    advance(f, SIM_FLASH_SPREAD_MS);
    assert_int_equal(count(f, "spark/flash/status", "started", SIM_NONE), 4);
    assert_true(sim_firmware_updating(f->m, d1));
    assert_int_equal(f->m->devices[d1].firmware_version, 1);
    advance(f, SIM_FLASH_MS);
    assert_int_equal(count(f, "spark/flash/status", "success", SIM_NONE), 4);
    assert_int_equal(count(f, "spark/status", "offline", SIM_NONE), 4);
    assert_int_equal(f->m->devices[d1].firmware_version, 2);
    assert_false(f->m->devices[d1].online);
    advance(f, SIM_REBOOT_MS);
    char hash[65];
    fw_module_hash(2, hash);
    assert_int_equal(count(f, "spark/status", "online", SIM_NONE), 4);
    assert_int_equal(count(f, "spark/device/app-hash", hash, SIM_NONE), 4);
    assert_true(f->m->devices[d1].online);
    assert_false(sim_firmware_updating(f->m, d1));
    /* each device's events come in order, at their own times */
    int64_t last = 0;
    for (size_t i = 0; i < f->count; i++)
        if (f->device[i] == d1) {
            assert_true(f->at[i] >= last);
            last = f->at[i];
        }
    size_t before = f->count;
    advance(f, 10 * SIM_FLASH_MS); /* nothing more to do */
    assert_int_equal(f->count, before);
}

static void test_failing_device(void **state)
{
    fixture *f = *state;
    uint32_t d1 = dev_named(f, "d-1");
    sim_firmware_set_fail(f->m, d1, true);
    assert_true(sim_firmware_fails(f->m, d1));
    upload(f, 2);
    release(f, 2, true, NULL);
    advance(f, SIM_FLASH_SPREAD_MS + SIM_FLASH_MS + SIM_REBOOT_MS);
    assert_int_equal(count(f, "spark/flash/status", "failed", d1), 1);
    assert_int_equal(count(f, "spark/flash/status", "success", SIM_NONE), 3);
    assert_int_equal(f->m->devices[d1].firmware_version, 1);
    assert_true(f->m->devices[d1].online);
    advance(f, 10 * SIM_FLASH_MS); /* not retried while connected */
    assert_int_equal(count(f, "spark/flash/status", "started", d1), 1);
    sim_model_set_online(f->m, d1, false);
    sim_model_set_online(f->m, d1, true); /* the next connect tries again */
    sim_firmware_set_fail(f->m, d1, false);
    advance(f, SIM_FLASH_MS + SIM_REBOOT_MS);
    assert_int_equal(count(f, "spark/flash/status", "started", d1), 2);
    assert_int_equal(count(f, "spark/flash/status", "success", d1), 1);
    assert_int_equal(f->m->devices[d1].firmware_version, 2);
}

static void test_offline_device_updates_on_connect(void **state)
{
    fixture *f = *state;
    uint32_t d1 = dev_named(f, "d-1");
    sim_model_set_online(f->m, d1, false);
    upload(f, 2);
    release(f, 2, true, NULL);
    advance(f, SIM_FLASH_SPREAD_MS + SIM_FLASH_MS + SIM_REBOOT_MS);
    assert_int_equal(count(f, "spark/flash/status", "started", d1), 0);
    assert_int_equal(sim_firmware_target(f->m, d1), 2);
    sim_model_set_online(f->m, d1, true);
    advance(f, 0);
    assert_int_equal(count(f, "spark/flash/status", "started", d1), 1);
    /* a disconnect while writing fails the update */
    sim_model_set_online(f->m, d1, false);
    assert_int_equal(count(f, "spark/flash/status", "failed", d1), 1);
    assert_false(sim_firmware_updating(f->m, d1));
    advance(f, SIM_FLASH_MS);
    assert_int_equal(f->m->devices[d1].firmware_version, 1);
}

static void test_updates_disabled_then_enabled(void **state)
{
    fixture *f = *state;
    uint32_t d1 = dev_named(f, "d-1");
    sim_firmware_set_updates_enabled(f->m, d1, false);
    assert_int_equal(count(f, "particle/device/updates/enabled", "false", d1), 1);
    upload(f, 2);
    release(f, 2, true, NULL);
    advance(f, SIM_FLASH_SPREAD_MS + SIM_FLASH_MS + SIM_REBOOT_MS);
    assert_int_equal(count(f, "spark/flash/status", "started", d1), 0);
    sim_firmware_set_updates_enabled(f->m, d1, true);
    advance(f, SIM_FLASH_MS + SIM_REBOOT_MS);
    assert_int_equal(f->m->devices[d1].firmware_version, 2);
}

static void test_lock_with_flash_and_binary(void **state)
{
    fixture *f = *state;
    uint32_t d2 = dev_named(f, "d-2"), mine = dev_named(f, "mine");
    upload(f, 5);
    sim_device_update lock = {.fields = SIM_DEVICE_DESIRED_FIRMWARE, .desired_firmware_version = 5};
    assert_null(sim_model_update_device(f->m, d2, &lock));
    sim_firmware_lock_changed(f->m, d2, true);
    advance(f, SIM_FLASH_MS + SIM_REBOOT_MS);
    assert_int_equal(f->m->devices[d2].firmware_version, 5);

    unsigned char *bin = fw_module(13, 2048, 0, 77);
    uint32_t b;
    assert_null(sim_firmware_flash_binary(f->m, mine, bin, 2048, &b));
    advance(f, SIM_FLASH_MS + SIM_REBOOT_MS);
    char hash[65];
    fw_module_hash(77, hash);
    assert_int_equal(count(f, "spark/device/app-hash", hash, mine), 1);
    assert_string_equal(sim_binary_at(f->m, b)->app_hash, hash);
    free(bin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_module_reader),
        cmocka_unit_test_setup_teardown(test_target_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failing_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offline_device_updates_on_connect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_updates_disabled_then_enabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_with_flash_and_binary, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
