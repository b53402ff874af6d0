#include "export_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(char *err, size_t err_size, const char *step, const char *path)
{
    snprintf(err, err_size, "%s %s: %s", step, path, strerror(errno));
    return -1;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Makes the rename durable; a directory that cannot be opened for it is not an error (some
 * file systems refuse), the data itself is on disk already. */
static void sync_directory(const char *directory)
{
    int fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

int bridge_export_write_atomic(const char *directory, const char *file, const void *data,
                               size_t len, char *err, size_t err_size)
{
    char target[4096], tmp[4096];
    int a = snprintf(target, sizeof target, "%s/%s", directory, file);
    int b = snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", directory, file);
    if (a < 0 || b < 0 || (size_t)a >= sizeof target || (size_t)b >= sizeof tmp) {
        snprintf(err, err_size, "the path %s/%s is too long", directory, file);
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        return fail(err, err_size, "cannot create a temporary file in", directory);
    }
    int rc = -1;
    if (fchmod(fd, 0644) != 0) {
        fail(err, err_size, "cannot set the mode of", tmp);
    } else if (write_all(fd, data, len) != 0) {
        fail(err, err_size, "cannot write", tmp);
    } else if (fsync(fd) != 0) {
        fail(err, err_size, "cannot sync", tmp);
    } else {
        rc = 0;
    }
    if (close(fd) != 0 && rc == 0) {
        rc = fail(err, err_size, "cannot close", tmp);
    }
    if (rc == 0 && rename(tmp, target) != 0) {
        rc = fail(err, err_size, "cannot rename the temporary file to", target);
    }
    if (rc != 0) {
        unlink(tmp);
        return -1;
    }
    sync_directory(directory);
    return 0;
}
