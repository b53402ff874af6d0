#include "api/report_fields.h"

#include <string.h>

#include "pu_buf.h"
#include "pu_time.h"
#include "timespan.h"

static const json_t *at_path(const json_t *object, const char *path)
{
    char part[128];
    while (object != NULL && *path != '\0') {
        size_t n = strcspn(path, ".");
        if (n >= sizeof part) {
            return NULL;
        }
        memcpy(part, path, n);
        part[n] = '\0';
        object = json_object_get(object, part);
        path += n + (path[n] == '.');
    }
    return object;
}

static json_t *list_text(const json_t *v)
{
    if (!json_is_array(v)) {
        return json_null();
    }
    pu_buf b;
    pu_buf_init(&b, PU_BUF_UNLIMITED, NULL);
    size_t i;
    const json_t *item;
    json_array_foreach(v, i, item)
    {
        const json_t *name = json_is_object(item) ? json_object_get(item, "name") : item;
        if (json_is_string(name)) {
            if (b.len > 0) {
                pu_buf_append(&b, ",", 1);
            }
            pu_buf_append(&b, json_string_value(name), json_string_length(name));
        }
    }
    json_t *out = json_stringn(b.len > 0 ? b.data : "", b.len);
    pu_buf_dispose(&b);
    return out;
}

static json_t *value_of(const json_t *v, bridge_field_kind kind)
{
    int64_t ms = 0;
    char date[BRIDGE_TIMESPAN_SIZE];
    switch (kind) {
    case BRIDGE_FIELD_TEXT:
        return json_is_string(v) ? json_copy((json_t *)v) : json_null();
    case BRIDGE_FIELD_NUMBER:
        return json_is_number(v) ? json_copy((json_t *)v) : json_null();
    case BRIDGE_FIELD_BOOL:
        return json_is_boolean(v) ? json_copy((json_t *)v) : json_null();
    case BRIDGE_FIELD_DATE:
        return json_is_string(v) && pu_time_parse_iso8601(json_string_value(v), &ms) == 0
                   ? json_string(bridge_date_format(ms, date))
                   : json_null();
    case BRIDGE_FIELD_LIST:
        return list_text(v);
    case BRIDGE_FIELD_SCALAR:
        return json_is_string(v) || json_is_number(v) || json_is_boolean(v) ? json_copy((json_t *)v)
                                                                            : json_null();
    }
    return json_null();
}

void bridge_report_fields_add(json_t *row, const json_t *object, const bridge_report_field *fields,
                              size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const json_t *v = object != NULL ? at_path(object, fields[i].path) : NULL;
        json_object_set_new(row, fields[i].column, value_of(v, fields[i].kind));
    }
}
