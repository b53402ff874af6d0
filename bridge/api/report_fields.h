/*
 * Report columns read from a cloud object kept whole (a device object, a SIM, a vitals
 * payload): each column names the object's field by a dotted path and how to show it, so
 * every report shows the same kinds of value the same way (docs/BRIDGE.md "Reports"):
 * texts as they are, numbers as numbers, flags as booleans, dates in the reports' one date
 * format (bridge_date_format), lists of names joined with ','. A field the object lacks (or
 * of another type) is null.
 */
#ifndef BRIDGE_REPORT_FIELDS_H
#define BRIDGE_REPORT_FIELDS_H

#include <jansson.h>
#include <stddef.h>

typedef enum bridge_field_kind {
    BRIDGE_FIELD_TEXT,
    BRIDGE_FIELD_NUMBER,
    BRIDGE_FIELD_BOOL,
    BRIDGE_FIELD_DATE,  /* an ISO 8601 text in the object */
    BRIDGE_FIELD_LIST,  /* an array of texts, or of objects with a "name" */
    BRIDGE_FIELD_SCALAR /* a text, number or flag as it is (codes the cloud sends either way) */
} bridge_field_kind;

typedef struct bridge_report_field {
    const char *column;
    const char *path; /* "device.network.signal.strength" */
    bridge_field_kind kind;
} bridge_report_field;

/* Sets each of @p fields on @p row from @p object (NULL: every one null). */
void bridge_report_fields_add(json_t *row, const json_t *object, const bridge_report_field *fields,
                              size_t count);

#endif
