/*
 * Who may read the bridge's SQLite files. The database holds the fleet (names, ICCIDs,
 * readings), so the file, its -wal and its -shm are 0600, or 0640 with a group named in
 * the config ([database] group) for a backup or monitoring user. SQLite gives the -wal and
 * -shm files it creates the mode and owner of the database file, so setting the database
 * file right at creation covers them; files left from earlier runs with a wider mode are
 * narrowed.
 *
 * Thread-safe (no shared state); called before the store opens.
 */
#ifndef BRIDGE_STORE_FILE_MODE_H
#define BRIDGE_STORE_FILE_MODE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Creates the database file @p path when missing (mode 0600, or 0640 owned by @p group
 * when @p group is neither NULL nor ""), or brings an existing one and its -wal and -shm
 * files to that mode and group. SQLite special names (":memory:", "file:..." URIs, "")
 * are left alone. Returns 0, or -1 with @p err (an unknown group, a file that cannot be
 * created or changed).
 */
int bridge_db_files_secure(const char *path, const char *group, char *err, size_t err_size);

/* Creates the database file @p path 0600 when it does not exist yet; nothing else. For
 * opens that know no group (the store's own): the app's bridge_db_files_secure() call
 * comes first and decides. Returns 0, or -1 with @p err. */
int bridge_db_file_create_private(const char *path, char *err, size_t err_size);

#endif
