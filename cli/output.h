/*
 * cli_output: the one output model of every particlectl command.
 *
 * A command fills a list of records that share a fixed, ordered field list, then renders
 * it in the format the user chose:
 *
 *   table   the default. Columns aligned with two spaces (never tabs), an upper-case header
 *           line, null shown as "-". The same layout whether or not stdout is a terminal;
 *           only color (a bold header) depends on the terminal. A single record (see
 *           cli_output_set_single) is shown as aligned "field: value" lines instead. A
 *           command may name a "plain" field: the table format then prints only that
 *           field's bare value, one per record (`get DEV VAR` prints `22.5`).
 *   json    a JSON array of objects, or one object for a single-record output; 2-space
 *           indentation; fields in the declared order; typed values (numbers stay numbers).
 *   ndjson  one compact JSON object per line.
 *   csv     a header line of field names, then one line per record (RFC 4180 quoting:
 *           fields holding a comma, quote, CR or LF are quoted and quotes doubled; lines
 *           end with LF). null is the empty field.
 *
 * Nested values (arrays and objects) are kept as JSON in json/ndjson. In table and csv, an
 * array of scalars is shown comma-joined ("led,reset"), an object of scalars as
 * "key=value" pairs joined by commas, anything deeper as compact JSON.
 *
 * Ownership: a cli_output owns everything stored in it. Not thread-safe; one thread.
 */
#ifndef CLI_OUTPUT_H
#define CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

typedef enum cli_format {
    CLI_FORMAT_TABLE = 0,
    CLI_FORMAT_JSON,
    CLI_FORMAT_NDJSON,
    CLI_FORMAT_CSV,
    CLI_FORMAT_CSV_RAW /* csv without formula escaping (pu_csv_set_raw) */
} cli_format;

typedef struct cli_output cli_output;

/*
 * Creates an output with @p nfields fields named @p fields (copied). Names are the JSON keys
 * and CSV header; the table header is their upper-case form. Returns NULL on out of memory.
 */
cli_output *cli_output_new(const char *const *fields, size_t nfields);

/* Frees @p out and every value in it. NULL-safe. */
void cli_output_free(cli_output *out);

/* Marks the output as one record: json renders an object, table renders field: value lines. */
void cli_output_set_single(cli_output *out, bool single);

/* In table format, print only field @p field of each record, bare. */
void cli_output_set_plain(cli_output *out, size_t field);

/* In table format, print @p text (copied) instead of a header when there are no records. */
int cli_output_set_empty_text(cli_output *out, const char *text);

/* Starts a new record; later set calls fill it. Every field starts as null. Returns 0 or -1. */
int cli_output_add_row(cli_output *out);

/* Drops every record (fields and settings stay); for streaming one record at a time. */
void cli_output_clear_rows(cli_output *out);

/* Number of records so far. */
size_t cli_output_rows(const cli_output *out);

/* Setters for field @p field of the current record. Each returns 0, or -1 on out of memory,
 * no current record or a field index out of range. A NULL string stores null. */
int cli_output_set_str(cli_output *out, size_t field, const char *value);
int cli_output_set_int(cli_output *out, size_t field, long long value);
int cli_output_set_real(cli_output *out, size_t field, double value);
int cli_output_set_bool(cli_output *out, size_t field, bool value);
/* Stores a JSON value; steals the reference to @p value (NULL stores null). */
int cli_output_set_json(cli_output *out, size_t field, json_t *value);

/*
 * Attaches the whole API object @p obj (the reference is stolen; NULL attaches nothing) to
 * the current record, so the machine formats carry every field the API returned: json and
 * ndjson add each member of @p obj after the declared fields (a declared field keeps its
 * own value), and csv's columns become the declared fields, then every other member any
 * record has, in order of first appearance (empty where a record lacks it). The table shows
 * the declared fields only. Returns 0 or -1.
 */
int cli_output_set_all(cli_output *out, json_t *obj);

/*
 * Renders every record to @p fp in @p format. @p color adds ANSI styling in table format only
 * (the caller decides: a terminal and no NO_COLOR). Returns 0, or -1 on a write error.
 */
int cli_output_render(const cli_output *out, cli_format format, bool color, FILE *fp);

/*
 * Renders one record as a single line: ndjson for json/ndjson formats, otherwise the table
 * cells joined by two spaces (no header). Used by streaming commands (subscribe).
 */
int cli_output_render_row(const cli_output *out, size_t row, cli_format format, FILE *fp);

/* For streaming: the CSV header line in csv format, nothing in the others. */
int cli_output_render_header(const cli_output *out, cli_format format, FILE *fp);

/*
 * Writes @p value as a table/csv cell would show it into a malloc'd string (caller frees).
 * Returns NULL on out of memory.
 */
char *cli_output_cell_text(const json_t *value);

#endif
