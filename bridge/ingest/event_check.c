#include "ingest/event_check.h"

#include <stdbool.h>
#include <string.h>

#include <jansson.h>

bool bridge_device_id_valid(const char *id)
{
    size_t n = id != NULL ? strlen(id) : 0;
    if (n == 0 || n >= BRIDGE_ID_SIZE) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              *p == '-' || *p == '_')) {
            return false;
        }
    }
    return true;
}

/* Whether @p s is UTF-8 as JSON text must be: jansson decides, as everywhere else in the
 * tree; an ASCII name, the usual case, needs no copy to tell. */
static bool utf8_valid(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p >= 0x80) {
            json_t *text = json_string(s); /* NULL when not UTF-8 */
            json_decref(text);
            return text != NULL;
        }
    }
    return true;
}

const char *bridge_event_check(const bridge_event_in *ev)
{
    if (ev->name == NULL || ev->name[0] == '\0' || strlen(ev->name) > BRIDGE_EVENT_NAME_MAX) {
        return "event: required, a name of 1 to 64 characters";
    }
    /* A stream's `event:` line is raw bytes (a webhook's fields went through a JSON or form
     * decoder that checks). Stored, a name that is not UTF-8 would fail PostgreSQL's insert
     * (the writer retrying it for ever) and every JSON answer that lists it. */
    if (!utf8_valid(ev->name)) {
        return "event: the name is not UTF-8";
    }
    if (!bridge_device_id_valid(ev->device_id)) {
        return "coreid: required, the device id";
    }
    if (ev->data != NULL && strlen(ev->data) > BRIDGE_EVENT_DATA_MAX) {
        return "data: longer than 16384 bytes";
    }
    if (ev->published_at_ms < 0) {
        return "published_at: before 1970";
    }
    return NULL;
}
