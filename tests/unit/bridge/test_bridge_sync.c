/* The device sync against a loopback canned server that expects the exact requests in
 * order: the moving window of per-device details, the shared budget (details skipped when
 * it is spent) and a 429 that pauses the budget; then the products, customers and groups
 * (fleet_sync.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <fcntl.h>
#include <particle/particle.h>

#include "bridge_test.h"
#include "canned_server.h"
#include "pu_time.h"
#include "sync.h"

#define DEVICES5                                                                                   \
    "[{\"id\":\"dev0\",\"name\":\"d0\",\"connected\":true},"                                       \
    "{\"id\":\"dev1\",\"name\":\"d1\",\"connected\":true},"                                        \
    "{\"id\":\"dev2\",\"name\":\"d2\",\"connected\":true},"                                        \
    "{\"id\":\"dev3\",\"name\":\"d3\",\"connected\":true},"                                        \
    "{\"id\":\"dev4\",\"name\":\"d4\",\"connected\":true}]"
#define NONE_YET "{\"ok\":false,\"error\":\"Not found\"}"

typedef struct fixture {
    char dir[512], db[600], url[64];
    canned_server *srv;
    particle_client *client;
    bridge_store *store; /* the sync's reads */
    bridge_writer *writer;
    bridge_config cfg;
    bridge_sync_state state;
} fixture;

static void fixture_open(fixture *f, const canned_step *steps, size_t n, unsigned int per_sync)
{
    char err[256] = "";
    memset(f, 0, sizeof *f);
    assert_int_equal(bt_tempdir(f->dir, sizeof f->dir), 0);
    bt_path(f->db, sizeof f->db, f->dir, "sync.db");
    f->store = bridge_store_open(f->db, err, sizeof err);
    assert_non_null(f->store);
    bridge_writer_options wo = {.db_path = f->db};
    f->writer = bridge_writer_new(&wo, err, sizeof err);
    assert_non_null(f->writer);
    f->srv = canned_server_start(steps, n);
    canned_server_url(f->srv, f->url, sizeof f->url);
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = f->url;
    o.access_token = "0123456789abcdef0123456789abcdef01234567";
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.max_retries = PARTICLE_NO_RETRIES;
    o.request_timeout_ms = 5000;
    assert_int_equal(particle_client_new(&f->client, &o), 0);
    bridge_config_defaults(&f->cfg);
    f->cfg.user_scope = true;
    f->cfg.details_per_sync = per_sync;
    f->cfg.report_data = false; /* the canned answers are the device sync's requests only */
}

static void fixture_close(fixture *f)
{
    particle_client_free(f->client);
    bridge_writer_free(f->writer);
    bridge_store_close(f->store);
    canned_server_stop(f->srv);
    bridge_config_dispose(&f->cfg);
    bt_rmdir(f->dir);
}

static void assert_script_ok(canned_server *srv)
{
    char why[512];
    if (!canned_server_ok(srv, why, sizeof why)) {
        fail_msg("canned server: %s", why);
    }
}

static bridge_sync_result sync_ok(fixture *f, bridge_budget *budget)
{
    char err[256] = "";
    bridge_sync_result res;
    if (bridge_sync_once(f->client, f->store, f->writer, budget, &f->state, &f->cfg, &res, err,
                         sizeof err) != 0) {
        fail_msg("sync: %s", err);
    }
    return res;
}

#define LIST                                                                                       \
    {                                                                                              \
        .expect = "GET /v1/devices ", .status = 200, .body = DEVICES5                              \
    }
/* After the devices, the products the user sees (none here: no customers or groups). */
#define NO_PRODUCTS                                                                                \
    {                                                                                              \
        .expect = "GET /v1/user/products ", .status = 200, .body = "{\"products\":[]}"             \
    }
#define VITALS(id)                                                                                 \
    {                                                                                              \
        .expect = "GET /v1/diagnostics/" id "/last ", .status = 404, .body = NONE_YET              \
    }

static void test_details_window_moves_on_each_sync(void **state)
{
    (void)state;
    canned_step steps[] = {
        LIST, VITALS("dev0"), VITALS("dev1"), NO_PRODUCTS, /* first sync: the first two */
        LIST, VITALS("dev2"), VITALS("dev3"), NO_PRODUCTS, /* then the next two */
        LIST, VITALS("dev0"), VITALS("dev4"), NO_PRODUCTS, /* and round again (listing order) */
    };
    fixture f;
    fixture_open(&f, steps, sizeof steps / sizeof steps[0], 2);
    bridge_budget *budget = bridge_budget_new(0);
    for (int run = 0; run < 3; run++) {
        bridge_sync_result res = sync_ok(&f, budget);
        assert_int_equal(res.seen, 5);
        assert_int_equal(res.details, 2);
        assert_int_equal(res.details_skipped, 0);
    }
    assert_script_ok(f.srv);
    bridge_budget_free(budget);
    fixture_close(&f);
}

static void test_spent_budget_skips_details_not_the_sync(void **state)
{
    (void)state;
    canned_step steps[] = {LIST, VITALS("dev0")};
    fixture f;
    fixture_open(&f, steps, 2, 10);
    bridge_budget *budget = bridge_budget_new(2); /* the listing and one detail */
    bridge_sync_result res = sync_ok(&f, budget);
    assert_int_equal(res.seen, 5);
    assert_int_equal(res.details, 5);
    assert_int_equal(res.details_skipped, 4);
    assert_int_equal(res.fleet.skipped, 1); /* the products wait for a later run too */
    assert_script_ok(f.srv);
    /* the devices are stored all the same */
    bridge_store_counts c;
    assert_int_equal(bridge_store_stats(f.store, &c), 0);
    assert_int_equal(c.devices, 5);
    bridge_budget_free(budget);
    fixture_close(&f);
}

static void test_429_pauses_the_budget(void **state)
{
    (void)state;
    canned_step steps[] = {
        LIST,
        {.expect = "GET /v1/diagnostics/dev0/last ",
         .status = 429,
         .headers = "Retry-After: 60\r\n",
         .body = "{\"error\":\"Too many requests\"}"},
    };
    fixture f;
    fixture_open(&f, steps, 2, 5);
    bridge_budget *budget = bridge_budget_new(0);
    bridge_sync_result res = sync_ok(&f, budget);
    /* after the 429 nobody asks again: the other four are skipped, the poller waits too */
    assert_int_equal(res.details_skipped, 4);
    assert_true(bridge_budget_paused_until(budget) > pu_time_mono_ms() + 50000);
    assert_script_ok(f.srv);
    /* a listing waits for the pause only so long, then the sync fails clearly */
    bridge_budget_pause(budget, 60000);
    char err[256] = "";
    bridge_sync_result again;
    int64_t started = pu_time_mono_ms();
    assert_int_equal(bridge_sync_once(f.client, f.store, f.writer, budget, &f.state, &f.cfg, &again,
                                      err, sizeof err),
                     -1);
    assert_true(pu_time_mono_ms() - started < 30000);
    assert_non_null(strstr(err, "budget"));
    bridge_budget_free(budget);
    fixture_close(&f);
}

/* A cellular device wants three detail requests (vitals, SIM, usage); when the budget runs
 * out part-way, each device whose details wait is counted once, not once per request. */
static void test_spent_budget_counts_each_device_once(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/devices ",
         .status = 200,
         .body = "[{\"id\":\"dev0\",\"connected\":true,\"iccid\":\"8934076500002589174\"},"
                 "{\"id\":\"dev1\",\"connected\":true,\"iccid\":\"8934076500002589175\"}]"},
        VITALS("dev0"),
    };
    fixture f;
    fixture_open(&f, steps, sizeof steps / sizeof steps[0], 10);
    bridge_budget *budget = bridge_budget_new(2); /* the listing and dev0's vitals */
    bridge_sync_result res = sync_ok(&f, budget);
    assert_int_equal(res.seen, 2);
    assert_int_equal(res.details, 2);
    assert_int_equal(res.details_skipped, 2); /* dev0's SIM, and all of dev1 */
    assert_script_ok(f.srv);
    bridge_budget_free(budget);
    fixture_close(&f);
}

/* Two bridges with the same scope and partitions 1/2 and 2/2 on one database: each stores
 * and asks details of its own share only, and neither marks the other's devices gone. */
static void test_partitions_share_a_database(void **state)
{
    (void)state;
    const char *ids[] = {"dev0", "dev1", "dev2", "dev3", "dev4"};
    char paths[5][64];
    canned_step steps[2][7];
    size_t nsteps[2] = {0, 0}, owned[2] = {0, 0};
    for (unsigned int k = 0; k < 2; k++) {
        steps[k][nsteps[k]++] = (canned_step)LIST;
        bridge_partition p = {k + 1, 2};
        for (int i = 0; i < 5; i++) {
            if (bridge_partition_owns(&p, ids[i])) {
                snprintf(paths[i], sizeof paths[i], "GET /v1/diagnostics/%s/last ", ids[i]);
                steps[k][nsteps[k]++] =
                    (canned_step){.expect = paths[i], .status = 404, .body = NONE_YET};
                owned[k]++;
            }
        }
        steps[k][nsteps[k]++] = (canned_step)NO_PRODUCTS;
    }
    assert_int_equal(owned[0] + owned[1], 5);
    fixture a;
    fixture_open(&a, steps[0], nsteps[0], 10);
    a.cfg.partition = (bridge_partition){1, 2};
    bridge_budget *budget = bridge_budget_new(0);
    bridge_sync_result res = sync_ok(&a, budget);
    assert_int_equal(res.seen, owned[0]);
    assert_script_ok(a.srv);

    /* the second bridge, on the same database file */
    fixture b;
    fixture_open(&b, steps[1], nsteps[1], 10);
    bridge_store_close(b.store);
    bridge_writer_free(b.writer);
    char err[256] = "";
    b.store = bridge_store_open(a.db, err, sizeof err);
    assert_non_null(b.store);
    bridge_writer_options wo = {.db_path = a.db};
    b.writer = bridge_writer_new(&wo, err, sizeof err);
    assert_non_null(b.writer);
    b.cfg.partition = (bridge_partition){2, 2};
    res = sync_ok(&b, budget);
    assert_int_equal(res.seen, owned[1]);
    assert_int_equal(res.gone, 0); /* the first bridge's devices are not "gone" */
    assert_script_ok(b.srv);

    bridge_store_counts c;
    assert_int_equal(bridge_store_stats(a.store, &c), 0);
    assert_int_equal(c.devices, 5);
    assert_int_equal(c.devices_gone, 0);
    char tag_a[BRIDGE_OWNER_SIZE], tag_b[BRIDGE_OWNER_SIZE];
    bridge_config_scope_tag(&a.cfg, tag_a, sizeof tag_a);
    bridge_config_scope_tag(&b.cfg, tag_b, sizeof tag_b);
    for (int i = 0; i < 5; i++) {
        bridge_device d;
        assert_int_equal(bridge_store_device_get(a.store, ids[i], &d), 0);
        bridge_partition p1 = {1, 2};
        assert_string_equal(d.owner, bridge_partition_owns(&p1, ids[i]) ? tag_a : tag_b);
        bridge_device_dispose(&d);
    }
    bridge_budget_free(budget);
    fixture_close(&b);
    fixture_close(&a);
}

static int count_post(const bridge_page_row *row, void *payload)
{
    const bridge_status_post *p = row->post;
    size_t *n = payload;
    *n += strcmp(p->kind, "offline") == 0 && strcmp(p->message, "d1 went away") == 0;
    return 0;
}

/* A device the listing shows offline after it was online goes through the writer as a
 * spark/status event: the flag, the history and the offline status post, once. */
static void test_connection_change_is_a_status_event(void **state)
{
    (void)state;
    const char *offline1 = "[{\"id\":\"dev1\",\"name\":\"d1\",\"connected\":false}]";
    canned_step steps[] = {LIST,
                           NO_PRODUCTS,
                           {.expect = "GET /v1/devices ", .status = 200, .body = offline1},
                           NO_PRODUCTS,
                           {.expect = "GET /v1/devices ", .status = 200, .body = offline1},
                           NO_PRODUCTS};
    fixture f;
    fixture_open(&f, steps, sizeof steps / sizeof steps[0], 0);
    f.cfg.defaults.offline_notify.post_status_message = true;
    snprintf(f.cfg.defaults.offline_notify.message, sizeof f.cfg.defaults.offline_notify.message,
             "{name} went away");
    bridge_budget *budget = bridge_budget_new(0);
    sync_ok(&f, budget);
    sync_ok(&f, budget);
    sync_ok(&f, budget); /* no change this time: nothing more */
    assert_int_equal(bridge_writer_flush(f.writer, 10000), 0);
    bridge_device d;
    assert_int_equal(bridge_store_device_get(f.store, "dev1", &d), 0);
    assert_false(d.connected);
    bridge_device_dispose(&d);
    size_t posts = 0;
    bridge_page_query q = {.device_id = "dev1"};
    assert_int_equal(bridge_store_status_posts_page(f.store, &q, count_post, &posts), 0);
    assert_int_equal(posts, 1);
    bridge_store_counts c;
    assert_int_equal(bridge_store_stats(f.store, &c), 0);
    assert_int_equal(c.events, 1); /* the spark/status event, source "sync" */
    assert_script_ok(f.srv);
    bridge_budget_free(budget);
    fixture_close(&f);
}

/* ---- products, customers and groups (fleet_sync.c) ---- */

#define ORG_ID "9980222caf8bad191600019b"
#define ENV_DEVICES(dev1_groups)                                                                   \
    {                                                                                              \
        .expect = "GET /v1/products/env-sensors/devices?", .status = 200,                          \
        .body = "{\"devices\":[{\"id\":\"dev1\",\"name\":\"d1\",\"product_id\":1001,"              \
                "\"groups\":" dev1_groups ",\"firmware_version\":1,"                               \
                "\"targeted_firmware_release_version\":2,\"firmware_updates_enabled\":true},"      \
                "{\"id\":\"dev2\",\"name\":\"d2\",\"product_id\":1001}],"                          \
                "\"meta\":{\"total_pages\":1}}"                                                    \
    }
#define TRACKER_DEVICES                                                                            \
    {                                                                                              \
        .expect = "GET /v1/products/1002/devices?", .status = 200,                                 \
        .body = "{\"devices\":[{\"id\":\"dev3\",\"product_id\":1002,\"groups\":[\"europe\"]}],"    \
                "\"meta\":{\"total_pages\":1}}"                                                    \
    }
#define PRODUCT_ENV                                                                                \
    "{\"id\":1001,\"slug\":\"env-sensors\",\"name\":\"Env sensors\",\"platform_id\":13,"           \
    "\"description\":\"air\"}"
#define TRACKERS                                                                                   \
    {                                                                                              \
        .expect = "GET /v1/products/1002 ", .status = 200,                                         \
        .body = "{\"product\":{\"id\":1002,\"slug\":\"trackers\",\"name\":\"Trackers\","           \
                "\"platform_id\":26,\"organization\":\"" ORG_ID "\"}}"                             \
    }
#define FORBIDDEN "{\"ok\":false,\"error\":\"Forbidden\"}"
#define TRACKERS_REFUSED                                                                           \
    {.expect = "GET /v1/products/1002/groups ", .status = 403, .body = FORBIDDEN},                 \
        {.expect = "GET /v1/products/1002/customers?page=1&perPage=100 ",                          \
         .status = 403,                                                                            \
         .body = FORBIDDEN},                                                                       \
    {                                                                                              \
        .expect = "GET /v1/products/1002/firmware ", .status = 403, .body = FORBIDDEN              \
    }

static int product_line(const bridge_product *p, void *payload)
{
    char *out = payload;
    size_t used = strlen(out);
    snprintf(out + used, 1024 - used, "%d %s %s %s;", p->product_id, p->slug, p->name,
             p->organization);
    return 0;
}

static int customer_line(const bridge_customer *c, void *payload)
{
    char *out = payload;
    size_t used = strlen(out);
    snprintf(out + used, 1024 - used, "%d %s %s [%s];", c->product_id, c->username, c->customer_id,
             c->device_ids);
    return 0;
}

static int group_line(const bridge_group *g, void *payload)
{
    char *out = payload;
    size_t used = strlen(out);
    snprintf(out + used, 1024 - used, "%d %s fw%lld;", g->product_id, g->name,
             (long long)g->fw_version);
    return 0;
}

static int device_line(const bridge_product_device *d, void *payload)
{
    char *out = payload;
    size_t used = strlen(out);
    snprintf(out + used, 1024 - used, "%s [%s];", d->particle_id, d->groups);
    return 0;
}

/* What the store holds of the fleet, one line per reader. */
static void assert_fleet(fixture *f, const char *products, const char *customers,
                         const char *groups, const char *devices)
{
    assert_int_equal(bridge_writer_flush(f->writer, 10000), 0);
    char text[1024] = "";
    bridge_query all = {0};
    assert_int_equal(bridge_store_products_list(f->store, &all, product_line, text), 0);
    assert_string_equal(text, products);
    text[0] = '\0';
    assert_int_equal(bridge_store_customers_list(f->store, &all, customer_line, text), 0);
    assert_string_equal(text, customers);
    text[0] = '\0';
    assert_int_equal(bridge_store_groups_list(f->store, &all, group_line, text), 0);
    assert_string_equal(text, groups);
    text[0] = '\0';
    assert_int_equal(bridge_store_product_devices_list(f->store, &all, device_line, text), 0);
    assert_string_equal(text, devices);
}

static int firmware_line(const bridge_product_firmware *fw, void *payload)
{
    char *out = payload;
    size_t used = strlen(out);
    snprintf(out + used, 1024 - used, "%d v%lld %s%s%s%s%s%s%s", fw->product_id,
             (long long)fw->version, fw->firmware_id, fw->firmware_id[0] ? " " : "", fw->title,
             fw->description[0] ? " " : "", fw->description, fw->file_name[0] ? " " : "",
             fw->file_name);
    used = strlen(out);
    if (fw->size_bytes > 0) {
        snprintf(out + used, 1024 - used, " %lld %lld %s", (long long)fw->size_bytes,
                 (long long)fw->uploaded_at_ms, fw->uploaded_by);
        used = strlen(out);
    }
    snprintf(out + used, 1024 - used, "%s [%s] n%lld;", fw->product_default ? " default" : "",
             fw->groups, (long long)fw->device_count);
    return 0;
}

static int device_firmware_line(const bridge_device_firmware *d, void *payload)
{
    char *out = payload;
    size_t used = strlen(out);
    snprintf(out + used, 1024 - used, "%s v%lld t%lld e%d;", d->particle_id,
             (long long)d->firmware_version, (long long)d->targeted_version, d->updates_enabled);
    return 0;
}

/* What the store holds of the product firmware and the devices' firmware. */
static void assert_firmware(fixture *f, const char *firmware, const char *devices)
{
    assert_int_equal(bridge_writer_flush(f->writer, 10000), 0);
    char text[1024] = "";
    bridge_query all = {0};
    assert_int_equal(bridge_store_product_firmware_list(f->store, &all, firmware_line, text), 0);
    assert_string_equal(text, firmware);
    text[0] = '\0';
    assert_int_equal(bridge_store_device_firmware_list(f->store, &all, device_firmware_line, text),
                     0);
    assert_string_equal(text, devices);
}

/* stderr into @p path until stderr_restore (the sync logs there). */
static int stderr_to(const char *path)
{
    fflush(stderr);
    int saved = dup(2);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, 2), 2);
    close(fd);
    return saved;
}

static void stderr_restore(int saved)
{
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
}

static size_t count_in_file(const char *path, const char *needle)
{
    char text[16384] = "";
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[n] = '\0';
    size_t count = 0;
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle)) {
        count++;
    }
    return count;
}

/* The user's and an organization's products, a configured product neither lists, a
 * product's groups, every page of its customers and its firmware, each device's groups and
 * firmware; a product that refuses its groups, customers and firmware is logged once and
 * does not stop the sync. A second run replaces the sets, and keeps the products when their
 * listing fails. */
static void test_fleet_products_customers_groups(void **state)
{
    (void)state;
    canned_step steps[] = {
        /* first run */
        ENV_DEVICES("[\"europe\",\"asia\"]"),
        TRACKER_DEVICES,
        {.expect = "GET /v1/user/products ",
         .status = 200,
         .body = "{\"products\":[" PRODUCT_ENV "]}"},
        {.expect = "GET /v1/orgs/acme/products ",
         .status = 200,
         .body = "{\"products\":[{\"id\":1003,\"slug\":\"pumps\",\"name\":\"Pumps\","
                 "\"platform_id\":12,\"organization_id\":\"" ORG_ID "\"}]}"},
        TRACKERS, /* 1002 is in neither listing: asked for by itself */
        {.expect = "GET /v1/products/env-sensors/groups ",
         .status = 200,
         .body = "{\"groups\":[{\"name\":\"europe\",\"description\":\"EU\",\"color\":"
                 "\"#34495e\",\"fw_version\":3},{\"name\":\"asia\",\"color\":\"#e74c3c\"}]}"},
        {.expect = "GET /v1/products/env-sensors/customers?page=1&perPage=100 ",
         .status = 200,
         .body = "{\"customers\":[{\"id\":\"c1\",\"username\":\"bob@loblaw.net\","
                 "\"full_name\":\"Bob Loblaw\",\"devices\":[\"dev1\",\"dev2\"]}],"
                 "\"devices\":[],\"meta\":{\"total_pages\":2}}"},
        {.expect = "GET /v1/products/env-sensors/customers?page=2&perPage=100 ",
         .status = 200,
         .body = "{\"customers\":[{\"username\":\"amy@example.com\",\"devices\":[]}],"
                 "\"meta\":{\"total_pages\":2}}"},
        /* a bare array (cloud-api.md 9.6); the older `current` for product_default; an object
         * without a version is passed over */
        {.expect = "GET /v1/products/env-sensors/firmware ",
         .status = 200,
         .body = "[{\"_id\":\"58c09bc7df2b9a4d223d9c22\",\"version\":1,\"title\":\"My Firmware\","
                 "\"description\":\"Sample\",\"name\":\"firmware.bin\",\"size\":7952,"
                 "\"product_default\":false,\"uploaded_on\":\"2017-03-09T00:03:19.181Z\","
                 "\"product_id\":1001,\"mandatory\":false,"
                 "\"uploaded_by\":{\"username\":\"jeff@particle.io\"},\"groups\":[\"europe\"],"
                 "\"device_count\":1},{\"version\":2,\"title\":\"Two\",\"current\":true},"
                 "{\"title\":\"no version\"}]"},
        TRACKERS_REFUSED,
        /* second run: the user's listing fails, so the products stay as they were */
        ENV_DEVICES("[\"europe\"]"),
        TRACKER_DEVICES,
        {.expect = "GET /v1/user/products ", .status = 500, .body = "{\"error\":\"boom\"}"},
        {.expect = "GET /v1/orgs/acme/products ", .status = 200, .body = "{\"products\":[]}"},
        {.expect = "GET /v1/products/env-sensors ",
         .status = 200,
         .body = "{\"product\":" PRODUCT_ENV "}"},
        TRACKERS,
        {.expect = "GET /v1/products/env-sensors/groups ",
         .status = 200,
         .body = "{\"groups\":[{\"name\":\"europe\"}]}"},
        {.expect = "GET /v1/products/env-sensors/customers?page=1&perPage=100 ",
         .status = 200,
         .body = "{\"customers\":[{\"username\":\"amy@example.com\",\"devices\":[\"dev2\"]}],"
                 "\"meta\":{\"total_pages\":1}}"},
        {.expect = "GET /v1/products/env-sensors/firmware ",
         .status = 200,
         .body = "[{\"version\":2,\"title\":\"Two\",\"product_default\":true,"
                 "\"groups\":[\"asia\",\"europe\"]}]"},
        TRACKERS_REFUSED,
    };
    fixture f;
    fixture_open(&f, steps, sizeof steps / sizeof steps[0], 0);
    f.cfg.user_scope = false;
    f.cfg.product_count = 2;
    snprintf(f.cfg.products[0], sizeof f.cfg.products[0], "env-sensors");
    snprintf(f.cfg.products[1], sizeof f.cfg.products[1], "1002");
    f.cfg.org_count = 1;
    snprintf(f.cfg.orgs[0], sizeof f.cfg.orgs[0], "acme");
    bridge_budget *budget = bridge_budget_new(0);
    char log[700];
    bt_path(log, sizeof log, f.dir, "stderr.log");
    int saved = stderr_to(log);

    bridge_sync_result res = sync_ok(&f, budget);
    assert_int_equal(res.seen, 3);
    assert_int_equal(res.fleet.products, 3);
    assert_int_equal(res.fleet.customers, 2);
    assert_int_equal(res.fleet.groups, 2);
    assert_int_equal(res.fleet.firmware, 2);
    assert_int_equal(res.fleet.refused, 3);
    assert_true(res.fleet.ran); /* the metrics' figures (metrics.h) */
    assert_true(res.fleet.elapsed_ms >= 0);
    assert_fleet(&f,
                 "1001 env-sensors Env sensors ;1002 trackers Trackers " ORG_ID
                 ";1003 pumps Pumps " ORG_ID ";",
                 "1001 amy@example.com  [];1001 bob@loblaw.net c1 [dev1,dev2];",
                 "1001 asia fw-1;1001 europe fw3;", "dev1 [asia,europe];dev2 [];dev3 [europe];");
    assert_firmware(&f,
                    "1001 v1 58c09bc7df2b9a4d223d9c22 My Firmware Sample firmware.bin 7952 "
                    "1489017799181 jeff@particle.io [europe] n1;1001 v2 Two default [] n-1;",
                    "dev1 v1 t2 e1;dev2 v-1 t-1 e-1;dev3 v-1 t-1 e-1;");

    res = sync_ok(&f, budget);
    stderr_restore(saved);
    assert_int_equal(res.fleet.products, 0);
    assert_int_equal(res.fleet.failed, 1);
    assert_int_equal(res.fleet.refused, 3);
    assert_fleet(&f,
                 "1001 env-sensors Env sensors ;1002 trackers Trackers " ORG_ID
                 ";1003 pumps Pumps " ORG_ID ";",
                 "1001 amy@example.com  [dev2];", "1001 europe fw-1;",
                 "dev1 [europe];dev2 [];dev3 [europe];");
    assert_firmware(&f, "1001 v2 Two default [asia,europe] n-1;",
                    "dev1 v1 t2 e1;dev2 v-1 t-1 e-1;dev3 v-1 t-1 e-1;");
    assert_script_ok(f.srv);
    /* four refusals of product 1002 over two runs: one line */
    assert_int_equal(count_in_file(log, "refused (HTTP 403"), 1);
    assert_int_equal(count_in_file(log, "listing the user's products: "), 1);
    bridge_budget_free(budget);
    fixture_close(&f);
}

int main(void)
{
    assert_int_equal(particle_global_init(), 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_details_window_moves_on_each_sync),
        cmocka_unit_test(test_spent_budget_skips_details_not_the_sync),
        cmocka_unit_test(test_429_pauses_the_budget),
        cmocka_unit_test(test_spent_budget_counts_each_device_once),
        cmocka_unit_test(test_partitions_share_a_database),
        cmocka_unit_test(test_connection_change_is_a_status_event),
        cmocka_unit_test(test_fleet_products_customers_groups),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return rc;
}
