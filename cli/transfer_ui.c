/* The transfer progress bar ("\rUploading [##########          ]  50%  1.2 / 2.4 KiB") and
 * the record of a saved download. */
#include "transfer_ui.h"

#include <stdio.h>

#include "errors.h"
#include "output.h"

bool cli_transfer_progress_init(cli_transfer_progress *p, const cli_ctx *ctx, const char *label,
                                bool upload)
{
    *p = (cli_transfer_progress){.label = label, .upload = upload, .last_percent = -1};
    return ctx->stderr_tty && !ctx->quiet;
}

int cli_transfer_progress_cb(uint64_t up_done, uint64_t up_total, uint64_t down_done,
                             uint64_t down_total, void *payload)
{
    cli_transfer_progress *p = payload;
    uint64_t done = p->upload ? up_done : down_done;
    uint64_t total = p->upload ? up_total : down_total;
    if (total == 0) {
        return 0; /* not known yet */
    }
    int percent = done >= total ? 100 : (int)(done * 100 / total);
    if (percent == p->last_percent) {
        return 0;
    }
    p->last_percent = percent;
    char bar[21];
    int filled = percent / 5;
    for (int i = 0; i < 20; i++) {
        bar[i] = i < filled ? '#' : ' ';
    }
    bar[20] = '\0';
    fprintf(stderr, "\r%s [%s] %3d%%  %.1f / %.1f KiB", p->label, bar, percent,
            (double)done / 1024.0, (double)total / 1024.0);
    fflush(stderr);
    p->shown = true;
    return 0;
}

void cli_transfer_progress_end(cli_transfer_progress *p)
{
    if (p->shown) {
        fputc('\n', stderr);
        p->shown = false;
    }
}

int cli_emit_saved(cli_ctx *ctx, const char *file, size_t size)
{
    static const char *const fields[] = {"file", "size"};
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) != 0 || cli_output_set_str(out, 0, file) != 0 ||
        cli_output_set_int(out, 1, (long long)size) != 0) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out, "Saved %zu bytes to %s.", size, file);
}
