/*
 * pu_csv: the one CSV writer (RFC 4180 fields) of the tree, writing into a pu_buf.
 *
 * A field is quoted when it holds a comma, a double quote, CR or LF, with its quotes
 * doubled; other fields are written as they are. Records end with the writer's line end:
 * "\r\n" as RFC 4180 says (the bridge's HTTP answers), or "\n" (the CLI's terminal output).
 *
 * Safe to open in a spreadsheet (OWASP "CSV Injection"): a field that begins with '=', '+',
 * '-', '@', a tab or CR is written with a single quote in front ("'=1+2"), so it shows as
 * text instead of being evaluated; a plain number ("-12.5", "+3") is left alone. Raw mode
 * (pu_csv_set_raw) writes such fields unchanged, for programs that read the values back.
 * In both modes a control character other than tab, CR and LF (and DEL) is replaced by
 * U+FFFD: it has no place in a cell, and some (ESC) act on the terminal that shows them.
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
    bool raw;        /* no formula escaping (pu_csv_set_raw) */
} pu_csv;

/* An empty writer whose records end with @p eol (a static string); formulas escaped. */
void pu_csv_init(pu_csv *c, const char *eol);

/* @p raw true: fields that look like formulas are written unchanged (for machine
 * consumers); false (the default): they get a leading single quote. */
void pu_csv_set_raw(pu_csv *c, bool raw);

/* True when @p field would be evaluated by a spreadsheet (begins with = + - @ tab CR and is
 * not a plain number). */
bool pu_csv_is_formula(const char *field);

/* Appends @p field, then a comma, or the line end when @p last. Returns 0 or the buffer's
 * (sticky) error. */
int pu_csv_field(pu_csv *c, const char *field, bool last);

/* Frees the text. NULL-safe. */
void pu_csv_dispose(pu_csv *c);

#endif
