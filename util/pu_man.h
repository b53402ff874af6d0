/*
 * A program's man page from its --help text (--help-man), so the two cannot disagree:
 * the page's SYNOPSIS/DESCRIPTION is the help text itself, set as preformatted lines, with
 * the sections a man page has around it. particlectl has its own richer one (cli/help.c), written
 * with the same escaping.
 */
#ifndef PU_MAN_H
#define PU_MAN_H

#include <stdio.h>

typedef struct pu_man_page {
    const char *name;     /* "particle-bridge" */
    const char *section;  /* "8" */
    const char *version;  /* shown in the footer */
    const char *manual;   /* "System Administration" */
    const char *summary;  /* the NAME line after "name - " */
    const char *help;     /* the whole --help text */
    const char *files;    /* FILES section (preformatted), or NULL */
    const char *see_also; /* SEE ALSO line (roff allowed), or NULL */
} pu_man_page;

/* Writes @p page as roff (man(7)) to @p fp. */
void pu_man_write(FILE *fp, const pu_man_page *page);

/* Writes @p text for troff: backslashes and hyphens escaped, control lines neutralised. */
void pu_man_text(FILE *fp, const char *text);

/* Writes @p text as preformatted lines (.nf/.fi), kept as written. */
void pu_man_block(FILE *fp, const char *text);

#endif
