/*
 * A product firmware rollout across 1,000 simulated devices, 2% of them set to fail by the
 * fleet file ("firmware": {"fail_every": 50}), driven by the control API's clock: the
 * spark/flash/status and spark/device/app-hash events on the product's event stream agree
 * with the device objects (each device with "success" runs the new version, each with
 * "failed" the old one, no device both, none left out). Then --state: after a restart the
 * firmware, its release and every device's firmware_version are back. Also the fleet file's
 * prepared compile result: compiling a mapped source name gives its binary.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "firmware_test.h"
#include "sim_test.h"

#define DEVICES 1000
#define FAILING (DEVICES / 50)

static char dir[64], fleet_path[128], state_path[128], bin_path[128];

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    sim_test_global_setup(state);
    snprintf(dir, sizeof(dir), "/tmp/sim-rollout-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(fleet_path, sizeof(fleet_path), "%s/fleet.json", dir);
    snprintf(state_path, sizeof(state_path), "%s/state.db", dir);
    snprintf(bin_path, sizeof(bin_path), "%s/blink.bin", dir);
    unsigned char *blink = fw_module(13, 1536, 0, 90);
    write_file(bin_path, blink, 1536);
    free(blink);
    static const char FLEET[] =
        "{\"users\":[{\"username\":\"demo@example.com\",\"tokens\":[\"" DEMO_TOKEN "\"]}],"
        "\"products\":[{\"id\":500,\"slug\":\"fleet\",\"platform_id\":13,"
        "\"team\":[\"demo@example.com\"]}],"
        "\"templates\":[{\"name\":\"t\"}],"
        "\"devices\":[{\"name\":\"r-{{n}}\",\"template\":\"t\",\"product\":500,\"count\":1000,"
        "\"platform_id\":13,\"firmware_version\":1}],"
        "\"firmware\":{\"fail_every\":50,"
        "\"compile\":[{\"source\":\"blink.ino\",\"binary\":\"blink.bin\"}]}}";
    write_file(fleet_path, FLEET, sizeof(FLEET) - 1);
    return 0;
}

static int teardown(void **state)
{
    unlink(fleet_path);
    unlink(state_path);
    unlink(bin_path);
    rmdir(dir);
    return sim_test_global_teardown(state);
}

static sim_test *start(void)
{
    sim_server_options o;
    sim_server_options_init(&o);
    o.fleet_path = fleet_path;
    o.state_path = state_path;
    sim_test *t = sim_test_start(&o);
    http_reply r = sim_req(t, "POST", "/sim/clock/pause", DEMO_TOKEN, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    return t;
}

static http_stream *open_stream(const sim_test *t, const char *path)
{
    char url[256];
    http_headers h;
    http_stream *s = http_stream_open(http_url(url, sizeof(url), t->port, path),
                                      http_headers_bearer(&h, DEMO_TOKEN, NULL, NULL));
    if (!http_stream_wait_for(s, ":ok\n\n", 5000))
        fail_msg("no stream");
    return s;
}

/* Occurrences of @p needle in @p text. */
static size_t occurrences(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Waits until the stream holds @p want occurrences of @p needle; returns its text. */
static char *wait_count(http_stream *s, const char *needle, size_t want)
{
    for (int i = 0; i < 200; i++) {
        char *text = http_stream_text(s);
        if (occurrences(text, needle) >= want)
            return text;
        free(text);
        usleep(50 * 1000);
    }
    char *text = http_stream_text(s);
    fail_msg("stream: %zu of %zu \"%s\"", occurrences(text, needle), want, needle);
    return text;
}

/* One spark/flash/status event: its device and outcome. */
typedef struct seen_event {
    char coreid[SIM_DEVICE_ID_LEN + 1];
    char data[16];
} seen_event;

static int by_coreid(const void *a, const void *b)
{
    return strcmp(((const seen_event *)a)->coreid, ((const seen_event *)b)->coreid);
}

/* The stream's events ("data: {...}" lines), sorted by device; *n gets the count. */
static seen_event *parse_events(const char *text, size_t *n)
{
    size_t cap = occurrences(text, "\ndata: ") + 1;
    seen_event *out = calloc(cap, sizeof(*out));
    *n = 0;
    for (const char *p = strstr(text, "\ndata: "); p; p = strstr(p + 1, "\ndata: ")) {
        const char *line = p + 7, *end = strchr(line, '\n');
        json_t *j = json_loadb(line, end ? (size_t)(end - line) : strlen(line), 0, NULL);
        assert_non_null(j);
        snprintf(out[*n].coreid, sizeof(out[0].coreid), "%s", jstr(j, "coreid"));
        snprintf(out[*n].data, sizeof(out[0].data), "%s", jstr(j, "data"));
        (*n)++;
        json_decref(j);
    }
    qsort(out, *n, sizeof(*out), by_coreid);
    return out;
}

/* How many of @p events (sorted) came from @p id with @p data. */
static size_t carried(const seen_event *events, size_t n, const char *id, const char *data)
{
    seen_event key;
    snprintf(key.coreid, sizeof(key.coreid), "%s", id);
    const seen_event *hit = bsearch(&key, events, n, sizeof(*events), by_coreid);
    if (!hit)
        return 0;
    while (hit > events && strcmp(hit[-1].coreid, id) == 0)
        hit--;
    size_t count = 0;
    for (; hit < events + n && strcmp(hit->coreid, id) == 0; hit++)
        count += strcmp(hit->data, data) == 0;
    return count;
}

static void upload_and_release(sim_test *t)
{
    unsigned char *bin = fw_module(13, 4096, 0, 2);
    pu_buf b;
    pu_buf_xinit(&b);
    fw_part_text(&b, "version", "2");
    fw_part_text(&b, "title", "Rollout");
    fw_part_file(&b, "file", "firmware.bin", bin, 4096);
    fw_part_end(&b);
    char url[256], auth[96];
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", DEMO_TOKEN);
    const char *headers[] = {auth, FW_MULTIPART, NULL};
    http_call call = {.method = "POST",
                      .url = http_url(url, sizeof(url), t->port, "/v1/products/500/firmware"),
                      .headers = headers,
                      .body = b.data,
                      .body_len = b.len};
    http_reply r;
    http_perform(&call, &r);
    assert_int_equal(r.status, 201);
    http_reply_dispose(&r);
    pu_buf_dispose(&b);
    free(bin);
    r = sim_req(t, "PUT", "/v1/products/500/firmware/release", DEMO_TOKEN, JSON_CT,
                "{\"version\":2,\"product_default\":true}");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
}

/* Every device of the product: id -> firmware_version and targeted version. */
typedef struct device_row {
    char id[SIM_DEVICE_ID_LEN + 1];
    json_int_t firmware, targeted;
} device_row;

static size_t list_devices(sim_test *t, device_row *rows)
{
    size_t n = 0;
    for (int page = 1; page <= 10; page++) {
        char path[96];
        snprintf(path, sizeof(path), "/v1/products/500/devices?per_page=100&page=%d", page);
        http_reply r = sim_req(t, "GET", path, DEMO_TOKEN, NULL, NULL);
        json_t *j = sim_json(&r, 200);
        http_reply_dispose(&r);
        size_t i;
        json_t *d;
        json_array_foreach(json_object_get(j, "devices"), i, d)
        {
            assert_true(n < DEVICES);
            snprintf(rows[n].id, sizeof(rows[n].id), "%s", jstr(d, "id"));
            rows[n].firmware = json_integer_value(json_object_get(d, "firmware_version"));
            rows[n].targeted =
                json_integer_value(json_object_get(d, "targeted_firmware_release_version"));
            n++;
        }
        json_decref(j);
    }
    return n;
}

static void test_rollout_of_1000_devices(void **state)
{
    (void)state;
    sim_test *t = start();
    http_stream *flash = open_stream(t, "/v1/products/500/events/spark%2Fflash%2Fstatus");
    http_stream *hash = open_stream(t, "/v1/products/500/events/spark%2Fdevice%2Fapp-hash");
    upload_and_release(t);
    /* 60 s of staggered starts, 20 s of flashing, 5 s of reboot, in 5 s steps */
    for (int step = 0; step < 18; step++) {
        http_reply r =
            sim_req(t, "POST", "/sim/clock/advance", DEMO_TOKEN, JSON_CT, "{\"ms\":5000}");
        assert_int_equal(r.status, 200);
        http_reply_dispose(&r);
    }
    char *text = wait_count(flash, "\"data\":\"started\"", DEVICES);
    free(text);
    text = wait_count(flash, "\"data\":\"success\"", DEVICES - FAILING);
    free(text);
    text = wait_count(flash, "\"data\":\"failed\"", FAILING);
    char *hashes = wait_count(hash, "\"data\":\"", DEVICES - FAILING);
    assert_int_equal(occurrences(text, "\"data\":\"started\""), DEVICES);
    assert_int_equal(occurrences(text, "\"data\":\"success\""), DEVICES - FAILING);
    assert_int_equal(occurrences(text, "\"data\":\"failed\""), FAILING);
    assert_int_equal(occurrences(hashes, "\"data\":\""), DEVICES - FAILING);

    size_t n;
    seen_event *events = parse_events(text, &n);
    assert_int_equal(n, 2 * DEVICES);
    device_row *rows = calloc(DEVICES, sizeof(*rows));
    assert_int_equal(list_devices(t, rows), DEVICES);
    size_t updated = 0, failed = 0;
    for (size_t i = 0; i < DEVICES; i++) {
        size_t ok = carried(events, n, rows[i].id, "success"),
               bad = carried(events, n, rows[i].id, "failed");
        assert_int_equal(carried(events, n, rows[i].id, "started"), 1);
        assert_int_equal(ok + bad, 1);
        assert_int_equal(rows[i].firmware, ok ? 2 : 1);
        assert_int_equal(rows[i].targeted, 2);
        updated += ok;
        failed += bad;
    }
    assert_int_equal(updated, DEVICES - FAILING);
    assert_int_equal(failed, FAILING);
    free(events);
    free(text);
    free(hashes);
    http_stream_close(flash);
    http_stream_close(hash);
    sim_test_stop(t);

    /* --state: a restart brings back the firmware, its release and the devices' versions */
    t = start();
    http_reply r = sim_req(t, "GET", "/v1/products/500/firmware/2", DEMO_TOKEN, NULL, NULL);
    json_t *fw = sim_json(&r, 200);
    http_reply_dispose(&r);
    assert_true(json_is_true(json_object_get(fw, "product_default")));
    assert_int_equal(json_integer_value(json_object_get(fw, "device_count")), DEVICES - FAILING);
    json_decref(fw);
    device_row *again = calloc(DEVICES, sizeof(*again));
    assert_int_equal(list_devices(t, again), DEVICES);
    for (size_t i = 0; i < DEVICES; i++)
        for (size_t k = 0; k < DEVICES; k++)
            if (strcmp(again[i].id, rows[k].id) == 0)
                assert_int_equal(again[i].firmware, rows[k].firmware);
    free(rows);
    free(again);
    sim_test_stop(t);
}

static void test_prepared_compile_result(void **state)
{
    (void)state;
    sim_test *t = start();
    pu_buf b;
    pu_buf_xinit(&b);
    fw_part_text(&b, "platform_id", "13");
    fw_part_file(&b, "file", "blink.ino", "void setup() {}\n", 16);
    fw_part_end(&b);
    char url[256], auth[96];
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", DEMO_TOKEN);
    const char *headers[] = {auth, FW_MULTIPART, NULL};
    http_call call = {.method = "POST",
                      .url = http_url(url, sizeof(url), t->port, "/v1/binaries"),
                      .headers = headers,
                      .body = b.data,
                      .body_len = b.len};
    http_reply r;
    http_perform(&call, &r);
    json_t *j = sim_json(&r, 200);
    http_reply_dispose(&r);
    pu_buf_dispose(&b);
    assert_true(json_is_true(json_object_get(j, "ok")));
    r = sim_req(t, "GET", jstr(j, "binary_url"), DEMO_TOKEN, NULL, NULL);
    json_decref(j);
    assert_int_equal(r.status, 200);
    unsigned char *blink = fw_module(13, 1536, 0, 90);
    assert_int_equal(r.body_len, 1536);
    assert_memory_equal(r.body, blink, 1536);
    free(blink);
    http_reply_dispose(&r);
    sim_test_stop(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rollout_of_1000_devices),
        cmocka_unit_test(test_prepared_compile_result),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
