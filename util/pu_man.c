/* A man page from a program's help text (pu_man.h). */
#include "pu_man.h"

#include <stdbool.h>
#include <string.h>

void pu_man_text(FILE *fp, const char *text)
{
    bool line_start = true;
    for (const char *p = text; *p; p++) {
        if (line_start && (*p == '.' || *p == '\'')) {
            fputs("\\&", fp);
        }
        if (*p == '\\') {
            fputs("\\e", fp);
        } else if (*p == '-') {
            fputs("\\-", fp);
        } else {
            fputc(*p, fp);
        }
        line_start = *p == '\n';
    }
}

void pu_man_block(FILE *fp, const char *text)
{
    fputs(".nf\n", fp);
    pu_man_text(fp, text);
    if (text[0] != '\0' && text[strlen(text) - 1] != '\n') {
        fputc('\n', fp);
    }
    fputs(".fi\n", fp);
}

void pu_man_write(FILE *fp, const pu_man_page *page)
{
    fputs(".TH ", fp);
    for (const char *p = page->name; *p; p++) {
        fputc(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, fp);
    }
    fprintf(fp, " %s \"\" \"%s %s\" \"%s\"\n", page->section, page->name, page->version,
            page->manual);
    fputs(".SH NAME\n", fp);
    pu_man_text(fp, page->name);
    fputs(" \\- ", fp);
    pu_man_text(fp, page->summary);
    fputs("\n.SH SYNOPSIS AND OPTIONS\n", fp);
    pu_man_block(fp, page->help);
    if (page->files != NULL) {
        fputs(".SH FILES\n", fp);
        pu_man_block(fp, page->files);
    }
    if (page->see_also != NULL) {
        fprintf(fp, ".SH SEE ALSO\n%s\n", page->see_also);
    }
}
