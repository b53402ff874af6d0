/*
 * pu_csv: the one CSV writer (RFC 4180 fields) of the tree, writing into a pu_buf.
 *
 * A field is quoted when it holds a comma, a double quote, CR or LF, with its quotes
 * doubled; other fields are written as they are. Records end with the writer's line end:
 * "\r\n" as RFC 4180 says (the bridge's HTTP answers), or "\n" (the CLI's terminal output).
 *
 * The buffer has no cap and does not abort: check pu_buf_error(&csv.buf) once at the end.
 * Threads: a writer is used by one thread at a time.
 */
#ifndef PU_CSV_H
#define PU_CSV_H

#include <stdbool.h>

#include "pu_buf.h"

#define PU_CSV_CRLF "\r\n"
#define PU_CSV_LF "\n"

typedef struct pu_csv {
    pu_buf buf;      /* the text so far; read it, take it or reset it */
    const char *eol; /* PU_CSV_CRLF or PU_CSV_LF; static */
} pu_csv;

/* An empty writer whose records end with @p eol (a static string). */
void pu_csv_init(pu_csv *c, const char *eol);

/* Appends @p field, then a comma, or the line end when @p last. Returns 0 or the buffer's
 * (sticky) error. */
int pu_csv_field(pu_csv *c, const char *field, bool last);

/* Frees the text. NULL-safe. */
void pu_csv_dispose(pu_csv *c);

#endif
