/*
 * Writing a file so that a reader sees the old content or the new one, never a part: the
 * data goes to a temporary file in the same directory (".<file>.XXXXXX"), which is flushed
 * to disk (fsync) and renamed over the target; the directory is then synced so the rename
 * outlives a crash. Used by the report exports (export.c).
 */
#ifndef BRIDGE_EXPORT_FILE_H
#define BRIDGE_EXPORT_FILE_H

#include <stddef.h>

/* Writes @p len bytes of @p data as @p directory/@p file with mode 0644. 0, or -1 with the
 * failing step and errno's text in @p err (the temporary file is removed). */
int bridge_export_write_atomic(const char *directory, const char *file, const void *data,
                               size_t len, char *err, size_t err_size);

#endif
