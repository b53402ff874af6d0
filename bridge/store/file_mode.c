/* Modes of the SQLite files (see file_mode.h). */
#include "store/file_mode.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pu_log.h"

static bool is_special(const char *path)
{
    return path == NULL || path[0] == '\0' || strcmp(path, ":memory:") == 0 ||
           strncmp(path, "file:", 5) == 0;
}

/* Creates @p path with @p mode when missing (umask cannot widen or narrow it). 1 when
 * created, 0 when it existed, -1 on error. */
static int create_with_mode(const char *path, mode_t mode, char *err, size_t err_size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0 && errno == EEXIST)
        return 0;
    if (fd < 0 || fchmod(fd, mode) != 0) {
        snprintf(err, err_size, "cannot open database %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 1;
}

/* Brings one existing file to @p mode (and @p gid unless -1). Missing is fine. */
static int fix_file(const char *path, mode_t mode, gid_t gid, char *err, size_t err_size)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, err_size, "cannot stat %s: %s", path, strerror(errno));
        return -1;
    }
    if (gid != (gid_t)-1 && st.st_gid != gid && chown(path, (uid_t)-1, gid) != 0) {
        snprintf(err, err_size, "cannot give %s to group %u: %s", path, (unsigned)gid,
                 strerror(errno));
        return -1;
    }
    if ((st.st_mode & 0777) != mode) {
        if (chmod(path, mode) != 0) {
            snprintf(err, err_size, "cannot change the mode of %s: %s", path, strerror(errno));
            return -1;
        }
        pu_log(PU_LOG_INFO, "store", "%s: mode %03o -> %03o", path, (unsigned)(st.st_mode & 0777),
               (unsigned)mode);
    }
    return 0;
}

int bridge_db_files_secure(const char *path, const char *group, char *err, size_t err_size)
{
    if (is_special(path))
        return 0;
    mode_t mode = 0600;
    gid_t gid = (gid_t)-1;
    if (group != NULL && group[0] != '\0') {
        struct group *gr = getgrnam(group);
        if (gr == NULL) {
            snprintf(err, err_size, "[database] group: no group named \"%s\"", group);
            return -1;
        }
        gid = gr->gr_gid;
        mode = 0640;
    }
    if (create_with_mode(path, mode, err, err_size) < 0)
        return -1;
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char name[4096];
        if ((size_t)snprintf(name, sizeof name, "%s%s", path, suffixes[i]) >= sizeof name) {
            snprintf(err, err_size, "database path too long");
            return -1;
        }
        if (fix_file(name, mode, gid, err, err_size) != 0)
            return -1;
    }
    return 0;
}

int bridge_db_file_create_private(const char *path, char *err, size_t err_size)
{
    if (is_special(path))
        return 0;
    return create_with_mode(path, 0600, err, err_size) < 0 ? -1 : 0;
}
