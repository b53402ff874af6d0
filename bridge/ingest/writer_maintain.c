/*
 * The upkeep of the time-ordered tables (store.h: day partitions, retention) as writer
 * commands, so the one writer stays the only one changing data. Retention goes one batch per
 * command: the writer stores the queued events between them.
 */
#include "ingest/writer.h"

#include <string.h>

typedef struct maintain_args {
    int64_t now_ms, retention_ms;
    bridge_maintenance *out;
    bool more;
} maintain_args;

static int run_partitions(bridge_store *st, void *args)
{
    maintain_args *a = args;
    return bridge_store_partitions_maintain(st, a->now_ms, a->retention_ms, a->out);
}

static int run_retention_batch(bridge_store *st, void *args)
{
    maintain_args *a = args;
    return bridge_store_retention_batch(st, a->now_ms, a->retention_ms, a->out, &a->more);
}

int bridge_writer_maintain(bridge_writer *w, int64_t now_ms, int64_t retention_ms,
                           bridge_maintenance *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    maintain_args a = {now_ms, retention_ms, out, false};
    int rc = bridge_writer_command(w, run_partitions, &a, NULL, err, err_size);
    do {
        a.more = false;
        if (rc == 0) {
            rc = bridge_writer_command(w, run_retention_batch, &a, NULL, err, err_size);
        }
    } while (rc == 0 && a.more);
    return rc;
}
