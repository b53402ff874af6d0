#include "ingest/event_check.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

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

/* Whether @p s is UTF-8 as JSON text must be (what jansson accepts): no stray continuation
 * byte, overlong form, surrogate or code point above U+10FFFF. */
static bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        unsigned char c = *p;
        size_t more;
        uint32_t cp;
        if (c < 0x80) {
            p++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        for (size_t i = 1; i <= more; i++) { /* stops at the terminating NUL */
            if ((p[i] & 0xC0u) != 0x80u) {
                return false;
            }
            cp = (cp << 6) | (p[i] & 0x3Fu);
        }
        if ((more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (more == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
            return false;
        }
        p += more + 1;
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
