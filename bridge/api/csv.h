/* A growable text buffer with RFC 4180 CSV fields. */
#ifndef BRIDGE_CSV_H
#define BRIDGE_CSV_H

#include <stdbool.h>
#include <stddef.h>

typedef struct bridge_csv {
    char *data;
    size_t len, cap;
    bool failed; /* an allocation failed; the text is incomplete */
} bridge_csv;

/* Appends @p field, quoted when it holds a comma, quote, CR or LF (quotes doubled), and
 * then a comma, or CRLF when @p last. */
void bridge_csv_field(bridge_csv *c, const char *field, bool last);
void bridge_csv_dispose(bridge_csv *c);

#endif
