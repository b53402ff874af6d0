/* Strict request headers (see httpd_headers.h). */
#include <string.h>

#include "httpd_headers.h"

/* Farthest the next header's name may start after a value's end for the layout to count
 * as known (line end plus trimmed blanks). */
#define MAX_GAP 64

typedef struct header_scan {
    const char *prev_end; /* end of the previous value (its terminating NUL) */
    const char *prev_key;
    size_t prev_key_size;
    const char *bad_key;
    size_t bad_key_size;
} header_scan;

static bool line_end_or_blank(char c)
{
    return c == '\0' || c == ' ' || c == '\t';
}

static bool has_control(const char *value, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        unsigned char c = (unsigned char)value[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return true;
    }
    return false;
}

/* True when something other than the line end lies between @p end and @p next_key. */
static bool hidden_between(const char *end, const char *next_key)
{
    if (next_key <= end || next_key - end > MAX_GAP)
        return false; /* unknown layout */
    for (const char *p = end; p < next_key; p++) {
        if (!line_end_or_blank(*p))
            return true;
    }
    return false;
}

static void mark_bad(header_scan *scan, const char *key, size_t key_size)
{
    scan->bad_key = key;
    scan->bad_key_size = key_size;
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    header_scan *scan = cls;
    if (scan->prev_end && hidden_between(scan->prev_end, key)) {
        mark_bad(scan, scan->prev_key, scan->prev_key_size);
        return MHD_NO;
    }
    if (value && has_control(value, value_size)) {
        mark_bad(scan, key, key_size);
        return MHD_NO;
    }
    scan->prev_end = value ? value + value_size : NULL;
    scan->prev_key = key;
    scan->prev_key_size = key_size;
    return MHD_YES;
}

bool httpd_find_bad_header(struct MHD_Connection *conn, char *name, size_t name_size)
{
    header_scan scan = {0};
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND, scan_header, &scan);
    /* the last value is followed by its line end, then the empty line's */
    if (!scan.bad_key && scan.prev_end && !line_end_or_blank(scan.prev_end[1]))
        mark_bad(&scan, scan.prev_key, scan.prev_key_size);
    if (!scan.bad_key)
        return false;
    size_t n = scan.bad_key_size < name_size - 1 ? scan.bad_key_size : name_size - 1;
    memcpy(name, scan.bad_key, n);
    name[n] = '\0';
    return true;
}
