/* The bridge's own settings (store.h) changed through the writer, the one thread that
 * changes data. */
#include "ingest/writer.h"

typedef struct setting_args {
    const char *name;
    const char *value; /* NULL = delete */
    int64_t now_ms;
} setting_args;

static int run_setting(bridge_store *st, void *args)
{
    const setting_args *a = args;
    return a->value != NULL ? bridge_store_setting_put(st, a->name, a->value, a->now_ms)
                            : bridge_store_setting_delete(st, a->name);
}

int bridge_writer_setting_put(bridge_writer *w, const char *name, const char *value, int64_t now_ms,
                              char *err, size_t err_size)
{
    setting_args a = {name, value, now_ms};
    return bridge_writer_command(w, run_setting, &a, NULL, err, err_size);
}

int bridge_writer_setting_delete(bridge_writer *w, const char *name, char *err, size_t err_size)
{
    setting_args a = {name, NULL, 0};
    return bridge_writer_command(w, run_setting, &a, NULL, err, err_size);
}
