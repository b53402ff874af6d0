/*
 * What the upload and download commands show: a progress bar on stderr, only when stderr is
 * a terminal (and --quiet is not given), so scripts see nothing of it; and the record of a
 * saved file.
 */
#ifndef CLI_TRANSFER_UI_H
#define CLI_TRANSFER_UI_H

#include <stddef.h>

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"

typedef struct cli_transfer_progress {
    const char *label; /* "Uploading", "Downloading" */
    bool upload;       /* show the upload side (else the download side) */
    bool shown;        /* a line was drawn: end it with a newline */
    int last_percent;
} cli_transfer_progress;

/* Sets @p p up for a transfer labelled @p label. Returns whether the bar is on (stderr is a
 * terminal, no --quiet): pass cli_transfer_progress_cb and @p p to the SDK only then. */
bool cli_transfer_progress_init(cli_transfer_progress *p, const cli_ctx *ctx, const char *label,
                                bool upload);

/* A particle_progress_fn that redraws the bar; never stops the transfer. */
int cli_transfer_progress_cb(uint64_t up_done, uint64_t up_total, uint64_t down_done,
                             uint64_t down_total, void *payload);

/* Ends the bar's line, if one was drawn. */
void cli_transfer_progress_end(cli_transfer_progress *p);

/* Prints the outcome of a download: the record {file, size}; in table format the sentence
 * "Saved SIZE bytes to FILE.". Returns an exit status. */
int cli_emit_saved(cli_ctx *ctx, const char *file, size_t size);

#endif
