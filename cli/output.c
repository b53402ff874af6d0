#include "output.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pu_csv.h"

struct cli_output {
    char **fields;
    size_t nfields;
    json_t *rows; /* array of arrays, each nfields long, in field order */
    json_t *all;  /* per record: the whole API object (cli_output_set_all) or null */
    bool single;
    bool has_plain;
    size_t plain_field;
    char *empty_text;
};

#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

cli_output *cli_output_new(const char *const *fields, size_t nfields)
{
    cli_output *out = calloc(1, sizeof(*out));
    if (out == NULL) {
        return NULL;
    }
    out->fields = calloc(nfields ? nfields : 1, sizeof(char *));
    out->rows = json_array();
    out->all = json_array();
    if (out->fields == NULL || out->rows == NULL || out->all == NULL) {
        cli_output_free(out);
        return NULL;
    }
    for (size_t i = 0; i < nfields; i++) {
        out->fields[i] = strdup(fields[i]);
        if (out->fields[i] == NULL) {
            out->nfields = i;
            cli_output_free(out);
            return NULL;
        }
    }
    out->nfields = nfields;
    return out;
}

void cli_output_free(cli_output *out)
{
    if (out == NULL) {
        return;
    }
    for (size_t i = 0; out->fields != NULL && i < out->nfields; i++) {
        free(out->fields[i]);
    }
    free(out->fields);
    json_decref(out->rows);
    json_decref(out->all);
    free(out->empty_text);
    free(out);
}

void cli_output_set_single(cli_output *out, bool single)
{
    out->single = single;
}

void cli_output_set_plain(cli_output *out, size_t field)
{
    if (field < out->nfields) {
        out->has_plain = true;
        out->plain_field = field;
    }
}

int cli_output_set_empty_text(cli_output *out, const char *text)
{
    char *copy = strdup(text);
    if (copy == NULL) {
        return -1;
    }
    free(out->empty_text);
    out->empty_text = copy;
    return 0;
}

int cli_output_add_row(cli_output *out)
{
    json_t *row = json_array();
    if (row == NULL) {
        return -1;
    }
    for (size_t i = 0; i < out->nfields; i++) {
        if (json_array_append_new(row, json_null()) != 0) {
            json_decref(row);
            return -1;
        }
    }
    if (json_array_append_new(out->all, json_null()) != 0) {
        json_decref(row);
        return -1;
    }
    return json_array_append_new(out->rows, row) == 0 ? 0 : -1;
}

void cli_output_clear_rows(cli_output *out)
{
    json_array_clear(out->rows);
    json_array_clear(out->all);
}

int cli_output_set_all(cli_output *out, json_t *obj)
{
    size_t n = json_array_size(out->all);
    if (obj == NULL) {
        return 0;
    }
    if (n == 0 || !json_is_object(obj)) {
        json_decref(obj);
        return n == 0 ? -1 : 0;
    }
    return json_array_set_new(out->all, n - 1, obj) == 0 ? 0 : -1;
}

/* Whether @p key is one of the declared fields. */
static bool is_declared(const cli_output *out, const char *key)
{
    for (size_t f = 0; f < out->nfields; f++) {
        if (strcmp(out->fields[f], key) == 0) {
            return true;
        }
    }
    return false;
}

size_t cli_output_rows(const cli_output *out)
{
    return json_array_size(out->rows);
}

int cli_output_set_json(cli_output *out, size_t field, json_t *value)
{
    size_t n = json_array_size(out->rows);
    if (value == NULL) {
        value = json_null();
    }
    if (n == 0 || field >= out->nfields) {
        json_decref(value);
        return -1;
    }
    return json_array_set_new(json_array_get(out->rows, n - 1), field, value) == 0 ? 0 : -1;
}

int cli_output_set_str(cli_output *out, size_t field, const char *value)
{
    if (value == NULL) {
        return cli_output_set_json(out, field, json_null());
    }
    json_t *s = json_string(value);
    if (s == NULL) {
        /* not valid UTF-8: keep the bytes we can show rather than fail the command */
        s = json_stringn_nocheck(value, strlen(value));
        if (s == NULL) {
            return -1;
        }
    }
    return cli_output_set_json(out, field, s);
}

int cli_output_set_int(cli_output *out, size_t field, long long value)
{
    json_t *v = json_integer(value);
    return v == NULL ? -1 : cli_output_set_json(out, field, v);
}

int cli_output_set_real(cli_output *out, size_t field, double value)
{
    json_t *v = json_real(value);
    return v == NULL ? -1 : cli_output_set_json(out, field, v);
}

int cli_output_set_bool(cli_output *out, size_t field, bool value)
{
    return cli_output_set_json(out, field, json_boolean(value));
}

static bool is_scalar(const json_t *v)
{
    return !json_is_object(v) && !json_is_array(v);
}

/* Text of a scalar: strings bare, null empty, numbers and booleans as in JSON. */
static char *scalar_text(const json_t *v)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        char *copy = malloc(len + 1);
        if (copy != NULL) {
            memcpy(copy, s, len);
            copy[len] = '\0';
        }
        return copy;
    }
    if (json_is_null(v)) {
        return strdup("");
    }
    if (json_is_real(v)) {
        /* the shortest text that reads back as the same double: 3.15, not jansson's
         * 3.1499999999999999 */
        char text[40];
        double d = json_real_value(v);
        for (int digits = 15; digits <= 17; digits++) {
            snprintf(text, sizeof(text), "%.*g", digits, d);
            if (strtod(text, NULL) == d) {
                break;
            }
        }
        size_t len = strlen(text);
        if (strpbrk(text, ".eEni") == NULL && len + 2 < sizeof(text)) {
            memcpy(text + len, ".0", 3); /* keep it a real, as jansson does: 22.0, not 22 */
        }
        return strdup(text);
    }
    return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* Appends the text of the scalar @p v; -1 when out of memory. */
static int append_scalar(pu_buf *buf, const json_t *v)
{
    char *t = scalar_text(v);
    if (t == NULL) {
        return -1;
    }
    pu_buf_append_str(buf, t);
    free(t);
    return 0;
}

/* "a,b,c" for an array of scalars, "k=v,k=v" for an object of scalars; NULL when out of
 * memory. */
static char *join_scalars(const json_t *v)
{
    pu_buf buf;
    pu_buf_init(&buf, PU_BUF_UNLIMITED, NULL);
    size_t i = 0;
    const char *key;
    json_t *item;
    int rc = 0;
    if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            if (i > 0) {
                pu_buf_append_char(&buf, ',');
            }
            rc |= append_scalar(&buf, item);
        }
    } else {
        json_object_foreach((json_t *)v, key, item)
        {
            if (i++ > 0) {
                pu_buf_append_char(&buf, ',');
            }
            pu_buf_append_str(&buf, key);
            pu_buf_append_char(&buf, '=');
            rc |= append_scalar(&buf, item);
        }
    }
    if (rc != 0) {
        pu_buf_dispose(&buf);
        return NULL;
    }
    return pu_buf_take(&buf, NULL); /* NULL after a failed append */
}

char *cli_output_cell_text(const json_t *value)
{
    if (is_scalar(value)) {
        return scalar_text(value);
    }
    size_t i;
    const char *key;
    json_t *item;
    bool flat = true;
    if (json_is_array(value)) {
        json_array_foreach(value, i, item)
        {
            flat = flat && is_scalar(item);
        }
    } else {
        json_object_foreach((json_t *)value, key, item)
        {
            flat = flat && is_scalar(item);
        }
    }
    if (flat) {
        return join_scalars(value);
    }
    return json_dumps(value, JSON_COMPACT);
}

/*
 * Table cells must stay on one line and keep the columns aligned, so control characters
 * become visible escapes (\n, \t, \r, or \xNN). Returns a malloc'd string.
 */
static char *table_cell(const json_t *value)
{
    if (json_is_null(value)) {
        return strdup("-");
    }
    char *raw = cli_output_cell_text(value);
    if (raw == NULL) {
        return NULL;
    }
    size_t n = strlen(raw);
    size_t extra = 0;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)raw[i] < 0x20 || raw[i] == 0x7f) {
            extra += 3;
        }
    }
    if (extra == 0) {
        return raw;
    }
    char *esc = malloc(n + extra + 1);
    if (esc == NULL) {
        free(raw);
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)raw[i];
        if (c == '\n' || c == '\t' || c == '\r') {
            esc[o++] = '\\';
            esc[o++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        } else if (c < 0x20 || c == 0x7f) {
            static const char hex[] = "0123456789abcdef";
            esc[o++] = '\\';
            esc[o++] = 'x';
            esc[o++] = hex[c >> 4];
            esc[o++] = hex[c & 15];
        } else {
            esc[o++] = (char)c;
        }
    }
    esc[o] = '\0';
    free(raw);
    return esc;
}

/* Display width in terminal columns: UTF-8 code points (no wide-character handling). */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++) {
        if (((unsigned char)*s & 0xc0) != 0x80) {
            w++;
        }
    }
    return w;
}

static int pad(FILE *fp, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (fputc(' ', fp) == EOF) {
            return -1;
        }
    }
    return 0;
}

static char *upper(const char *s)
{
    char *u = strdup(s);
    for (char *p = u; p != NULL && *p; p++) {
        *p = (char)toupper((unsigned char)*p);
    }
    return u;
}

/* cells[r * nfields + f]; row -1 (index 0) is the header. */
static int render_table(const cli_output *out, bool color, FILE *fp)
{
    size_t nrows = json_array_size(out->rows);
    size_t nf = out->nfields;
    size_t ncells;
    int rc = -1;
    if (nrows == 0) {
        if (out->empty_text != NULL) {
            return fprintf(fp, "%s\n", out->empty_text) < 0 ? -1 : 0;
        }
        if (out->has_plain || out->single) {
            return 0;
        }
    }
    if (__builtin_mul_overflow(nrows + 1, nf, &ncells)) {
        return -1;
    }
    char **cells = calloc(ncells ? ncells : 1, sizeof(char *));
    size_t *widths = calloc(nf ? nf : 1, sizeof(size_t));
    if (cells == NULL || widths == NULL) {
        goto done;
    }
    for (size_t f = 0; f < nf; f++) {
        cells[f] = upper(out->fields[f]);
        if (cells[f] == NULL) {
            goto done;
        }
        widths[f] = display_width(cells[f]);
    }
    for (size_t r = 0; r < nrows; r++) {
        json_t *row = json_array_get(out->rows, r);
        for (size_t f = 0; f < nf; f++) {
            char *c = table_cell(json_array_get(row, f));
            if (c == NULL) {
                goto done;
            }
            cells[(r + 1) * nf + f] = c;
            size_t w = display_width(c);
            if (w > widths[f]) {
                widths[f] = w;
            }
        }
    }
    for (size_t r = 0; r <= nrows; r++) {
        if (r == 0 && color && fputs(ANSI_BOLD, fp) == EOF) {
            goto done;
        }
        for (size_t f = 0; f < nf; f++) {
            const char *c = cells[r * nf + f];
            if (fputs(c, fp) == EOF) {
                goto done;
            }
            /* no trailing blanks after the last column */
            if (f + 1 < nf && pad(fp, widths[f] - display_width(c) + 2) != 0) {
                goto done;
            }
        }
        if (r == 0 && color && fputs(ANSI_RESET, fp) == EOF) {
            goto done;
        }
        if (fputc('\n', fp) == EOF) {
            goto done;
        }
    }
    rc = 0;
done:
    for (size_t i = 0; cells != NULL && i < ncells; i++) {
        free(cells[i]);
    }
    free(cells);
    free(widths);
    return rc;
}

/* Single record in table format: "field: value" lines with the values aligned. */
static int render_vertical(const cli_output *out, bool color, FILE *fp)
{
    json_t *row = json_array_get(out->rows, 0);
    size_t keyw = 0;
    if (row == NULL) {
        return out->empty_text ? (fprintf(fp, "%s\n", out->empty_text) < 0 ? -1 : 0) : 0;
    }
    for (size_t f = 0; f < out->nfields; f++) {
        size_t w = display_width(out->fields[f]);
        keyw = w > keyw ? w : keyw;
    }
    for (size_t f = 0; f < out->nfields; f++) {
        char *c = table_cell(json_array_get(row, f));
        if (c == NULL) {
            return -1;
        }
        int bad = fprintf(fp, "%s%s:%s", color ? ANSI_BOLD : "", out->fields[f],
                          color ? ANSI_RESET : "") < 0 ||
                  pad(fp, keyw - display_width(out->fields[f]) + 1) != 0 ||
                  fprintf(fp, "%s\n", c) < 0;
        free(c);
        if (bad) {
            return -1;
        }
    }
    return 0;
}

static int render_plain(const cli_output *out, FILE *fp)
{
    size_t r;
    json_t *row;
    json_array_foreach(out->rows, r, row)
    {
        char *c = cli_output_cell_text(json_array_get(row, out->plain_field));
        if (c == NULL) {
            return -1;
        }
        int bad = fprintf(fp, "%s\n", c) < 0;
        free(c);
        if (bad) {
            return -1;
        }
    }
    return 0;
}

/* Builds the JSON object of record @p r, keys in field order. */
static json_t *row_object(const cli_output *out, size_t r)
{
    json_t *row = json_array_get(out->rows, r);
    json_t *obj = json_object();
    for (size_t f = 0; obj != NULL && f < out->nfields; f++) {
        if (json_object_set(obj, out->fields[f], json_array_get(row, f)) != 0) {
            json_decref(obj);
            obj = NULL;
        }
    }
    const char *key;
    json_t *value;
    json_object_foreach(json_array_get(out->all, r), key, value)
    {
        if (obj != NULL && !is_declared(out, key) && json_object_set(obj, key, value) != 0) {
            json_decref(obj);
            obj = NULL;
        }
    }
    return obj;
}

static int dump_line(json_t *v, size_t flags, FILE *fp)
{
    if (v == NULL) {
        return -1;
    }
    int rc = json_dumpf(v, fp, flags | JSON_ENCODE_ANY) == 0 && fputc('\n', fp) != EOF ? 0 : -1;
    json_decref(v);
    return rc;
}

static int render_json(const cli_output *out, FILE *fp)
{
    const size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
    if (out->single) {
        return json_array_size(out->rows) ? dump_line(row_object(out, 0), flags, fp)
                                          : dump_line(json_null(), flags, fp);
    }
    json_t *all = json_array();
    for (size_t r = 0; all != NULL && r < json_array_size(out->rows); r++) {
        if (json_array_append_new(all, row_object(out, r)) != 0) {
            json_decref(all);
            all = NULL;
        }
    }
    return dump_line(all, flags, fp);
}

/* Writes the record built in @p csv to @p fp and empties it. */
static int csv_write(pu_csv *csv, FILE *fp)
{
    int rc =
        pu_buf_error(&csv->buf) == 0 && fwrite(csv->buf.data, 1, csv->buf.len, fp) == csv->buf.len
            ? 0
            : -1;
    pu_buf_reset(&csv->buf);
    return rc;
}

/* The CSV columns: the declared fields, then every other member of the records' whole
 * objects in order of first appearance. A new array of strings, or NULL on out of memory. */
static json_t *csv_columns(const cli_output *out)
{
    json_t *cols = json_array();
    json_t *seen = json_object();
    for (size_t f = 0; cols != NULL && f < out->nfields; f++) {
        if (json_array_append_new(cols, json_string(out->fields[f])) != 0) {
            json_decref(cols);
            cols = NULL;
        }
    }
    for (size_t r = 0; cols != NULL && seen != NULL && r < json_array_size(out->all); r++) {
        const char *key;
        json_t *value;
        json_object_foreach(json_array_get(out->all, r), key, value)
        {
            if (cols != NULL && !is_declared(out, key) && json_object_get(seen, key) == NULL &&
                (json_object_set_new(seen, key, json_true()) != 0 ||
                 json_array_append_new(cols, json_string(key)) != 0)) {
                json_decref(cols);
                cols = NULL;
            }
        }
    }
    if (seen == NULL) {
        json_decref(cols);
        cols = NULL;
    }
    json_decref(seen);
    return cols;
}

static int csv_header(const json_t *cols, pu_csv *csv, FILE *fp)
{
    size_t n = json_array_size(cols);
    for (size_t c = 0; c < n; c++) {
        pu_csv_field(csv, json_string_value(json_array_get(cols, c)), c + 1 == n);
    }
    return csv_write(csv, fp);
}

/* Record @p r's value for column @p c: a declared field, or a member of its whole object. */
static const json_t *csv_value(const cli_output *out, size_t r, const json_t *cols, size_t c)
{
    if (c < out->nfields) {
        return json_array_get(json_array_get(out->rows, r), c);
    }
    return json_object_get(json_array_get(out->all, r), json_string_value(json_array_get(cols, c)));
}

static int csv_row(const cli_output *out, size_t r, const json_t *cols, pu_csv *csv, FILE *fp)
{
    size_t n = json_array_size(cols);
    for (size_t c = 0; c < n; c++) {
        const json_t *v = csv_value(out, r, cols, c);
        char *text = cli_output_cell_text(v != NULL ? v : json_null());
        if (text == NULL) {
            return -1;
        }
        pu_csv_field(csv, text, c + 1 == n);
        free(text);
    }
    return csv_write(csv, fp);
}

int cli_output_render(const cli_output *out, cli_format format, bool color, FILE *fp)
{
    int rc = 0;
    switch (format) {
    case CLI_FORMAT_JSON:
        rc = render_json(out, fp);
        break;
    case CLI_FORMAT_NDJSON:
        for (size_t r = 0; rc == 0 && r < json_array_size(out->rows); r++) {
            rc = dump_line(row_object(out, r), JSON_COMPACT | JSON_PRESERVE_ORDER, fp);
        }
        break;
    case CLI_FORMAT_CSV:
    case CLI_FORMAT_CSV_RAW: {
        pu_csv csv;
        pu_csv_init(&csv, PU_CSV_LF);
        pu_csv_set_raw(&csv, format == CLI_FORMAT_CSV_RAW);
        json_t *cols = csv_columns(out);
        rc = cols != NULL ? csv_header(cols, &csv, fp) : -1;
        for (size_t r = 0; rc == 0 && r < json_array_size(out->rows); r++) {
            rc = csv_row(out, r, cols, &csv, fp);
        }
        json_decref(cols);
        pu_csv_dispose(&csv);
        break;
    }
    case CLI_FORMAT_TABLE:
    default:
        if (out->has_plain) {
            rc = render_plain(out, fp);
        } else if (out->single) {
            rc = render_vertical(out, color, fp);
        } else {
            rc = render_table(out, color, fp);
        }
        break;
    }
    if (rc == 0 && fflush(fp) != 0) {
        rc = -1;
    }
    return rc;
}

int cli_output_render_row(const cli_output *out, size_t row, cli_format format, FILE *fp)
{
    int rc = 0;
    if (row >= json_array_size(out->rows)) {
        return -1;
    }
    switch (format) {
    case CLI_FORMAT_JSON:
    case CLI_FORMAT_NDJSON:
        rc = dump_line(row_object(out, row), JSON_COMPACT | JSON_PRESERVE_ORDER, fp);
        break;
    case CLI_FORMAT_CSV:
    case CLI_FORMAT_CSV_RAW: {
        pu_csv csv;
        pu_csv_init(&csv, PU_CSV_LF);
        pu_csv_set_raw(&csv, format == CLI_FORMAT_CSV_RAW);
        json_t *cols = csv_columns(out);
        rc = cols != NULL ? csv_row(out, row, cols, &csv, fp) : -1;
        json_decref(cols);
        pu_csv_dispose(&csv);
        break;
    }
    case CLI_FORMAT_TABLE:
    default: {
        json_t *cells = json_array_get(out->rows, row);
        for (size_t f = 0; rc == 0 && f < out->nfields; f++) {
            char *c = table_cell(json_array_get(cells, f));
            rc = c == NULL || (f > 0 && fputs("  ", fp) == EOF) || fputs(c, fp) == EOF ? -1 : 0;
            free(c);
        }
        if (rc == 0 && fputc('\n', fp) == EOF) {
            rc = -1;
        }
        break;
    }
    }
    if (rc == 0 && fflush(fp) != 0) {
        rc = -1;
    }
    return rc;
}

int cli_output_render_header(const cli_output *out, cli_format format, FILE *fp)
{
    if (format != CLI_FORMAT_CSV && format != CLI_FORMAT_CSV_RAW) {
        return 0;
    }
    pu_csv csv;
    pu_csv_init(&csv, PU_CSV_LF);
    json_t *cols = csv_columns(out);
    int rc = cols != NULL ? csv_header(cols, &csv, fp) : -1;
    json_decref(cols);
    pu_csv_dispose(&csv);
    return rc == 0 && fflush(fp) == 0 ? 0 : -1;
}
