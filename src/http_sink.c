/* Where the body of a binary download goes: memory, a callback, or a file that appears at
 * its path only once complete (a temporary file beside it, renamed over it on success, so a
 * cut-off download never leaves a partial file at the target). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "pu_str.h"

int particle__sink_init(particle__sink *s, const particle_download_options *dl, size_t max_bytes)
{
    *s = (particle__sink){.fd = -1};
    particle__buf_init(&s->memory, max_bytes); /* disposable whatever happens below */
    int error = dl != NULL ? particle__options_check(dl->version, PARTICLE_DOWNLOAD_OPTIONS_VERSION,
                                                     "download")
                           : 0;
    if (error < 0) {
        return error;
    }
    if (dl != NULL && dl->save_to != NULL && dl->on_data != NULL) {
        return particle__error_set(PARTICLE_EINVAL,
                                   "a download goes to a file or to a callback, not both");
    }
    if (dl != NULL && dl->save_to != NULL && *dl->save_to == '\0') {
        return particle__error_set(PARTICLE_EINVAL, "the file to save to is empty");
    }
    s->file_path = dl != NULL ? dl->save_to : NULL;
    s->on_data = dl != NULL ? dl->on_data : NULL;
    s->on_data_payload = dl != NULL ? dl->on_data_payload : NULL;
    s->max_bytes = dl != NULL && dl->max_bytes > 0 ? dl->max_bytes : max_bytes;
    particle__buf_init(&s->memory, s->max_bytes); /* still empty: nothing to release */
    return 0;
}

/* Remembers why the sink refused bytes; http.c turns it into the call's error. */
static bool refuse(particle__sink *s, int code, const char *what, int err)
{
    s->error = code;
    if (err != 0) {
        snprintf(s->message, sizeof(s->message), "%s: %s", what, strerror(err));
    } else {
        pu_strlcpy(s->message, what, sizeof(s->message));
    }
    return false;
}

static void remove_temp(particle__sink *s)
{
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    if (s->temp_path != NULL) {
        unlink(s->temp_path);
        particle__free(s->temp_path);
        s->temp_path = NULL;
    }
}

static int open_temp(particle__sink *s)
{
    static const char suffix[] = ".partXXXXXX";
    size_t len = strlen(s->file_path);
    s->temp_path = particle__malloc(len + sizeof(suffix));
    if (s->temp_path == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    memcpy(s->temp_path, s->file_path, len);
    memcpy(s->temp_path + len, suffix, sizeof(suffix));
    s->fd = mkstemp(s->temp_path);
    /* mkstemp makes the file private; a download is an ordinary file (umask aside) */
    if (s->fd >= 0 && fchmod(s->fd, 0644) != 0) {
        remove_temp(s);
        errno = EPERM;
    }
    if (s->fd < 0) {
        int err = errno;
        particle__free(s->temp_path);
        s->temp_path = NULL;
        return particle__error_set(PARTICLE_EIO, "cannot create a temporary file beside %s: %s",
                                   s->file_path, strerror(err));
    }
    return 0;
}

int particle__sink_begin(particle__sink *s)
{
    s->received = 0;
    s->error = 0;
    s->message[0] = '\0';
    pu_buf_reset(&s->memory);
    if (s->file_path != NULL) {
        remove_temp(s); /* a previous attempt's */
        return open_temp(s);
    }
    return 0;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

bool particle__sink_write(particle__sink *s, const void *data, size_t n)
{
    if (n > s->max_bytes - s->received) {
        char what[96];
        snprintf(what, sizeof(what), "response larger than %zu bytes", s->max_bytes);
        return refuse(s, PARTICLE_EPROTO, what, 0);
    }
    s->received += n;
    if (s->file_path != NULL) {
        return write_all(s->fd, data, n) ? true : refuse(s, PARTICLE_EIO, s->file_path, errno);
    }
    if (s->on_data != NULL) {
        s->delivered = true;
        return s->on_data(data, n, s->on_data_payload) == 0
                   ? true
                   : refuse(s, PARTICLE_ECANCELED, "download stopped by the data callback", 0);
    }
    if (pu_buf_append(&s->memory, data, n) < 0) {
        return refuse(s, PARTICLE_ENOMEM, "download buffer", 0);
    }
    return true;
}

bool particle__sink_restartable(const particle__sink *s)
{
    return !s->delivered;
}

int particle__sink_end(particle__sink *s, bool ok)
{
    if (s->file_path == NULL || s->fd < 0) {
        return 0;
    }
    if (!ok) {
        remove_temp(s);
        return 0;
    }
    /* the data is on disk before the name points at it */
    int err = fsync(s->fd) == 0 ? 0 : errno;
    if (close(s->fd) != 0 && err == 0) {
        err = errno;
    }
    s->fd = -1;
    if (err == 0 && rename(s->temp_path, s->file_path) != 0) {
        err = errno;
    }
    if (err != 0) {
        remove_temp(s);
        return particle__error_set(PARTICLE_EIO, "cannot write %s: %s", s->file_path,
                                   strerror(err));
    }
    particle__free(s->temp_path);
    s->temp_path = NULL;
    return 0;
}

void particle__sink_dispose(particle__sink *s)
{
    remove_temp(s);
    pu_buf_dispose(&s->memory);
}
