#include "pu_csv.h"

#include <string.h>

/* What a dropped control character becomes: U+FFFD REPLACEMENT CHARACTER. */
#define REPLACEMENT "\xef\xbf\xbd"

void pu_csv_init(pu_csv *c, const char *eol)
{
    pu_buf_init(&c->buf, PU_BUF_UNLIMITED, NULL);
    c->eol = eol;
    c->raw = false;
}

void pu_csv_set_raw(pu_csv *c, bool raw)
{
    c->raw = raw;
}

/* A C0 control other than tab, CR and LF, or DEL: never useful in a cell, and some
 * (ESC) act on the terminal that shows it. */
static bool is_dropped_control(unsigned char ch)
{
    return (ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') || ch == 0x7f;
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* A plain decimal number ("-12", "+3.5", "-1e-3"): a spreadsheet reads it as a number, not
 * a formula, so it keeps its sign. */
static bool is_number(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (!is_digit(*s) && !(*s == '.' && is_digit(s[1])))
        return false;
    while (is_digit(*s))
        s++;
    if (*s == '.') {
        s++;
        while (is_digit(*s))
            s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!is_digit(*s))
            return false;
        while (is_digit(*s))
            s++;
    }
    return *s == '\0';
}

bool pu_csv_is_formula(const char *field)
{
    return field[0] != '\0' && strchr("=+-@\t\r", field[0]) != NULL && !is_number(field);
}

/* Appends @p len bytes of @p text with control characters replaced and quotes doubled
 * (when @p quoted). */
static void append_cleaned(pu_csv *c, const char *text, size_t len, bool quoted)
{
    size_t run = 0; /* start of the bytes not yet appended */
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        bool control = is_dropped_control(ch);
        if (!control && !(quoted && ch == '"'))
            continue;
        pu_buf_append(&c->buf, text + run, i - run);
        if (control)
            pu_buf_append_str(&c->buf, REPLACEMENT);
        else
            pu_buf_append(&c->buf, "\"\"", 2); /* a quote inside is doubled */
        run = i + 1;
    }
    pu_buf_append(&c->buf, text + run, len - run);
}

int pu_csv_field(pu_csv *c, const char *field, bool last)
{
    bool quoted = field[strcspn(field, ",\"\r\n")] != '\0';
    if (quoted)
        pu_buf_append_char(&c->buf, '"');
    if (!c->raw && pu_csv_is_formula(field))
        pu_buf_append_char(&c->buf, '\''); /* OWASP: shown as text, not evaluated */
    append_cleaned(c, field, strlen(field), quoted);
    if (quoted)
        pu_buf_append_char(&c->buf, '"');
    return pu_buf_append_str(&c->buf, last ? c->eol : ",");
}

void pu_csv_dispose(pu_csv *c)
{
    if (c != NULL) {
        pu_buf_dispose(&c->buf);
    }
}
