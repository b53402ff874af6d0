/*
 * Strict request headers: a header value may hold no control character but a tab.
 *
 * A NUL needs care: libmicrohttpd 0.9.x parses the header block in place (each line's CR
 * and LF become NULs) and measures each value with strlen, so a NUL sent inside a value
 * cuts it short before the application sees it ("Bearer abc\0junk" reads "Bearer abc").
 * The cut shows in the buffer layout: between the end of a value and the next header's
 * name only the line end (NULs) and trimmed blanks may lie, and after the last value only
 * the line end and the empty line. Anything else there is the hidden rest of a value.
 * When the layout is not the one expected (the next name lies before the value, or far
 * beyond), no conclusion is drawn from it.
 */
#ifndef HTTPD_HEADERS_H
#define HTTPD_HEADERS_H

#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>

/* True when a header of @p conn holds a control character (its name, cut to fit, goes to
 * @p name). */
bool httpd_find_bad_header(struct MHD_Connection *conn, char *name, size_t name_size);

#endif
