/* GET /api/v1/measurements?bucket=DUR: one device's readings of one name downsampled for a
 * chart, min, max, avg and count per bucket, aggregated by the store (GROUP BY in SQL,
 * store_dashboard.c), one item per non-empty bucket, oldest first, in JSON or CSV. Buckets
 * start at multiples of their width since the epoch (UTC), so a day is a UTC day. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes/routes.h"
#include "pu_csv.h"
#include "pu_parse.h"
#include "pu_time.h"

#define BUCKETS_MAX 10000 /* buckets one answer may span, empty ones included */
#define BUCKET_MIN_MS 1000

typedef struct bucket_out {
    const bridge_bucket_query *q;
    bridge_format format;
    json_t *items; /* JSON */
    pu_csv csv;    /* CSV */
    bool failed;
} bucket_out;

static int add_bucket(const bridge_bucket *b, void *payload)
{
    bucket_out *o = payload;
    char when[PU_ISO8601_SIZE];
    pu_time_iso8601(b->start_ms, when);
    if (o->format == BRIDGE_FORMAT_CSV) {
        char num[4][64];
        snprintf(num[0], sizeof num[0], "%.15g", b->min);
        snprintf(num[1], sizeof num[1], "%.15g", b->max);
        snprintf(num[2], sizeof num[2], "%.15g", b->avg);
        snprintf(num[3], sizeof num[3], "%" PRIu64, b->count);
        pu_csv_field(&o->csv, o->q->device_id, false);
        pu_csv_field(&o->csv, o->q->name, false);
        pu_csv_field(&o->csv, when, false);
        for (int i = 0; i < 4; i++) {
            pu_csv_field(&o->csv, num[i], i == 3);
        }
        return 0;
    }
    json_t *item = json_pack("{s:s, s:s, s:s, s:f, s:f, s:f, s:I}", "device_id", o->q->device_id,
                             "name", o->q->name, "t", when, "min", b->min, "max", b->max, "avg",
                             b->avg, "count", (json_int_t)b->count);
    if (item == NULL || json_array_append_new(o->items, item) != 0) {
        o->failed = true;
        return 1;
    }
    return 0;
}

/* The parameters that page or order a list do not apply to one answer of buckets. */
static bool refuse_list_params(const bridge_params *p, httpd_response *res)
{
    static const char *const list_only[] = {"limit", "cursor", "sort"};
    for (size_t i = 0; i < sizeof list_only / sizeof list_only[0]; i++) {
        if (bridge_params_text(p, list_only[i]) != NULL) {
            bridge_route_bad_parameter(res, list_only[i],
                                       "does not apply with bucket: the buckets come in one "
                                       "answer, oldest first");
            return false;
        }
    }
    return true;
}

/* Reads bucket, device and name and the range into @p q; false after answering 400. */
static bool bucket_query(const bridge_params *p, httpd_response *res, bridge_bucket_query *q)
{
    const char *bucket = bridge_params_text(p, "bucket");
    if (pu_parse_duration_ms(bucket, &q->width_ms) != 0 || q->width_ms < BUCKET_MIN_MS) {
        bridge_route_bad_parameter(res, "bucket",
                                   "a duration of at least 1 s, such as 60s, 5m, 1h or 1d");
        return false;
    }
    q->device_id = bridge_params_text(p, "device");
    q->name = bridge_params_text(p, "name");
    if (q->device_id == NULL || q->name == NULL) {
        bridge_route_bad_parameter(res, q->device_id == NULL ? "device" : "name",
                                   "required with bucket: one device's readings of one name");
        return false;
    }
    q->source = bridge_params_text(p, "source");
    return refuse_list_params(p, res) && bridge_route_time_range(p, res, &q->from_ms, &q->to_ms);
}

/* Answers 400 naming bucket when [from, to] spans more than BUCKETS_MAX buckets. */
static bool bucket_count_fits(const bridge_bucket_query *q, int64_t from, int64_t to,
                              httpd_response *res)
{
    int64_t count = to / q->width_ms - from / q->width_ms + 1;
    if (count <= BUCKETS_MAX) {
        return true;
    }
    char msg[200];
    snprintf(msg, sizeof msg,
             "the range spans %" PRId64 " buckets, at most %d: widen the bucket or narrow "
             "from/to",
             count, BUCKETS_MAX);
    bridge_route_bad_parameter(res, "bucket", msg);
    return false;
}

static void send_buckets(httpd_response *res, bucket_out *o)
{
    size_t len = 0;
    char *text;
    const char *ctype;
    if (o->format == BRIDGE_FORMAT_CSV) {
        text = pu_buf_error(&o->csv.buf) ? NULL : pu_buf_take(&o->csv.buf, &len);
        ctype = "text/csv; charset=utf-8";
    } else {
        json_t *env = o->failed ? NULL : json_pack("{s:O, s:n}", "items", o->items, "next");
        text = env != NULL ? json_dumps(env, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
        len = text != NULL ? strlen(text) : 0;
        json_decref(env);
        ctype = "application/json; charset=utf-8";
    }
    if (text == NULL) {
        httpd_response_error(res, 500, "out of memory");
        return;
    }
    httpd_response_text(res, 200, ctype, text, len);
    free(text);
}

/* Fills @p o with the buckets of @p q's series; false after answering 400 or 500. */
static bool read_buckets(const bridge_params *p, httpd_response *res, bridge_api *api,
                         bridge_bucket_query *q, bucket_out *o)
{
    int64_t from = q->from_ms, to = q->to_ms;
    bool have_from = bridge_params_text(p, "from") != NULL;
    bool have_to = bridge_params_text(p, "to") != NULL;
    if (!have_from || !have_to) {
        /* an open end is the series' first or last reading in the range */
        int64_t first, last;
        int rc = bridge_store_measurement_span(api->store, q, &first, &last);
        if (rc == BRIDGE_STORE_NOTFOUND) {
            return true; /* no reading in the range: no bucket */
        }
        if (rc != 0) {
            bridge_route_store_error(res, api->store);
            return false;
        }
        from = have_from ? from : first;
        to = have_to ? to : last;
    }
    if (!bucket_count_fits(q, from, to, res)) {
        return false;
    }
    if (bridge_store_measurement_buckets(api->store, q, add_bucket, o) != 0) {
        bridge_route_store_error(res, api->store);
        return false;
    }
    return true;
}

void bridge_route_measurement_buckets(const httpd_request *req, httpd_response *res,
                                      bridge_api *api, const bridge_params *p)
{
    bridge_bucket_query q;
    if (!bucket_query(p, res, &q)) {
        return;
    }
    const char *xml_type;
    bridge_format f = bridge_route_negotiate(req, res, BRIDGE_FORMAT_JSON | BRIDGE_FORMAT_CSV,
                                             "application/json, text/csv (with bucket)", &xml_type);
    if (f == BRIDGE_FORMAT_NONE) {
        return;
    }
    bucket_out o = {.q = &q, .format = f, .items = json_array()};
    pu_csv_init(&o.csv, PU_CSV_CRLF);
    pu_csv_set_raw(&o.csv, bridge_route_csv_raw(req, api));
    if (f == BRIDGE_FORMAT_CSV) {
        static const char *const header[] = {"device_id", "name", "t",    "min",
                                             "max",       "avg",  "count"};
        for (size_t i = 0; i < 7; i++) {
            pu_csv_field(&o.csv, header[i], i == 6);
        }
    }
    if (read_buckets(p, res, api, &q, &o)) {
        send_buckets(res, &o);
    }
    json_decref(o.items);
    pu_csv_dispose(&o.csv);
}
