#include "pu_csv.h"

#include <string.h>

void pu_csv_init(pu_csv *c, const char *eol)
{
    pu_buf_init(&c->buf, PU_BUF_UNLIMITED, NULL);
    c->eol = eol;
}

int pu_csv_field(pu_csv *c, const char *field, bool last)
{
    if (field[strcspn(field, ",\"\r\n")] == '\0') {
        pu_buf_append_str(&c->buf, field);
    } else {
        pu_buf_append_char(&c->buf, '"');
        const char *run = field;
        for (const char *quote; (quote = strchr(run, '"')) != NULL; run = quote + 1) {
            pu_buf_append(&c->buf, run, (size_t)(quote - run) + 1);
            pu_buf_append_char(&c->buf, '"'); /* a quote inside is doubled */
        }
        pu_buf_append_str(&c->buf, run);
        pu_buf_append_char(&c->buf, '"');
    }
    return pu_buf_append_str(&c->buf, last ? c->eol : ",");
}

void pu_csv_dispose(pu_csv *c)
{
    if (c != NULL) {
        pu_buf_dispose(&c->buf);
    }
}
