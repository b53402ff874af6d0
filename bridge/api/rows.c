/* Lists of measurements or status posts as JSON, SenML (JSON or CBOR) or CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/formats.h"
#include "api/senml_store.h"
#include "pu_csv.h"
#include "pu_time.h"

struct bridge_rows {
    bridge_format format;
    bool posts;
    json_t *array;            /* JSON */
    bridge_senml_pack *senml; /* SenML, SenML CBOR */
    bridge_store *store;      /* describes the SenML numbers; NULL = plain numbers */
    pu_csv csv;
    bool failed;
};

bridge_rows *bridge_rows_new(bridge_format format, bool status_posts)
{
    bridge_rows *r = calloc(1, sizeof *r);
    if (r == NULL) {
        return NULL;
    }
    r->format = format;
    r->posts = status_posts;
    pu_csv_init(&r->csv, PU_CSV_CRLF);
    if (format == BRIDGE_FORMAT_CSV) {
        if (status_posts) {
            pu_csv_field(&r->csv, "device_id", false);
            pu_csv_field(&r->csv, "kind", false);
            pu_csv_field(&r->csv, "name", false);
            pu_csv_field(&r->csv, "message", false);
            pu_csv_field(&r->csv, "time", true);
        } else {
            pu_csv_field(&r->csv, "device_id", false);
            pu_csv_field(&r->csv, "name", false);
            pu_csv_field(&r->csv, "value", false);
            pu_csv_field(&r->csv, "time", false);
            pu_csv_field(&r->csv, "source", true);
        }
    } else if (format == BRIDGE_FORMAT_SENML || format == BRIDGE_FORMAT_SENML_CBOR) {
        r->senml = bridge_senml_pack_new();
        if (r->senml == NULL) {
            free(r);
            return NULL;
        }
    } else {
        r->array = json_array();
        if (r->array == NULL) {
            free(r);
            return NULL;
        }
    }
    return r;
}

void bridge_rows_set_store(bridge_rows *rows, bridge_store *store)
{
    rows->store = store;
}

static int add_senml(bridge_rows *r, const bridge_senml_value *v)
{
    if (bridge_senml_pack_add(r->senml, v) != 0) {
        r->failed = true;
        return 1;
    }
    return 0;
}

void bridge_rows_set_csv_raw(bridge_rows *rows, bool raw)
{
    pu_csv_set_raw(&rows->csv, raw);
}

int bridge_rows_add_measurement(const bridge_measurement *m, void *payload)
{
    bridge_rows *r = payload;
    char when[PU_ISO8601_SIZE], value[64];
    pu_time_iso8601(m->ts_ms, when);
    if (r->format == BRIDGE_FORMAT_CSV) {
        snprintf(value, sizeof value, "%.15g", m->value);
        pu_csv_field(&r->csv, m->device_id, false);
        pu_csv_field(&r->csv, m->name, false);
        pu_csv_field(&r->csv, value, false);
        pu_csv_field(&r->csv, when, false);
        pu_csv_field(&r->csv, m->source, true);
        return 0;
    }
    if (r->senml != NULL) {
        bridge_senml_value v = {.device_id = m->device_id,
                                .name = m->name,
                                .kind = BRIDGE_SENML_NUMBER,
                                .number = m->value,
                                .ts_ms = m->ts_ms};
        return add_senml(r, &v);
    }
    json_t *row = json_pack("{s:s, s:s, s:f, s:s, s:s}", "DeviceId", m->device_id, "Name", m->name,
                            "Value", m->value, "Date", when, "Source", m->source);
    if (row == NULL || json_array_append_new(r->array, row) != 0) {
        r->failed = true;
        return 1;
    }
    return 0;
}

int bridge_rows_add_post(const bridge_status_post *p, void *payload)
{
    bridge_rows *r = payload;
    char when[PU_ISO8601_SIZE];
    pu_time_iso8601(p->ts_ms, when);
    if (r->format == BRIDGE_FORMAT_CSV) {
        pu_csv_field(&r->csv, p->device_id, false);
        pu_csv_field(&r->csv, p->kind, false);
        pu_csv_field(&r->csv, p->name, false);
        pu_csv_field(&r->csv, p->message, false);
        pu_csv_field(&r->csv, when, true);
        return 0;
    }
    if (r->senml != NULL) {
        /* A text is a "vs" named after its variable or event; online/offline after the kind. */
        bridge_senml_value v = {.device_id = p->device_id,
                                .name = p->name[0] ? p->name : p->kind,
                                .kind = BRIDGE_SENML_STRING,
                                .text = p->message,
                                .ts_ms = p->ts_ms};
        return add_senml(r, &v);
    }
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s}", "DeviceId", p->device_id, "Kind", p->kind,
                            "Name", p->name, "Message", p->message, "Date", when);
    if (row == NULL || json_array_append_new(r->array, row) != 0) {
        r->failed = true;
        return 1;
    }
    return 0;
}

char *bridge_rows_finish(bridge_rows *r, size_t *len_out, const char **content_type)
{
    char *out = NULL;
    if (r->format == BRIDGE_FORMAT_CSV) {
        out = pu_buf_take(&r->csv.buf, len_out); /* now owned by the caller */
        if (out != NULL) {
            *content_type = "text/csv; charset=utf-8";
        }
        return out;
    }
    if (r->failed) {
        return NULL;
    }
    if (r->senml != NULL) {
        if (r->store != NULL && bridge_senml_describe_from_store(r->senml, r->store) != 0) {
            return NULL;
        }
        bool cbor = r->format == BRIDGE_FORMAT_SENML_CBOR;
        *content_type = cbor ? BRIDGE_SENML_CBOR_TYPE : BRIDGE_SENML_TYPE;
        return cbor ? (char *)bridge_senml_pack_cbor(r->senml, len_out)
                    : bridge_senml_pack_json(r->senml, len_out);
    }
    *content_type = "application/json; charset=utf-8";
    out = json_dumps(r->array, JSON_COMPACT | JSON_REAL_PRECISION(15));
    *len_out = out ? strlen(out) : 0;
    return out;
}

void bridge_rows_free(bridge_rows *r)
{
    if (r == NULL) {
        return;
    }
    json_decref(r->array);
    bridge_senml_pack_free(r->senml);
    pu_csv_dispose(&r->csv);
    free(r);
}
