#include "pu_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pu_buf.h"

int pu_file_read(const char *path, size_t max_bytes, char **out, size_t *len_out, char *err,
                 size_t err_size)
{
    *out = NULL;
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        return PU_FILE_EOPEN;
    }
    pu_buf text;
    pu_buf_init(&text, max_bytes, NULL);
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (size_t)st.st_size <= max_bytes) {
        pu_buf_reserve(&text, (size_t)st.st_size); /* one allocation of the right size */
    }
    char chunk[65536];
    size_t n;
    while (pu_buf_error(&text) == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        pu_buf_append(&text, chunk, n);
    }
    bool failed = ferror(f) != 0;
    int read_errno = errno;
    if (!is_stdin) {
        fclose(f);
    }
    int rc = PU_FILE_ENOMEM;
    if (failed) {
        snprintf(err, err_size, "%s: cannot read: %s", path, strerror(read_errno));
        rc = PU_FILE_EREAD;
    } else if (pu_buf_error(&text) == PU_BUF_ETOOBIG) {
        snprintf(err, err_size, "%s: larger than %zu bytes", path, max_bytes);
        rc = PU_FILE_ETOOBIG;
    } else if (pu_buf_error(&text) == 0) {
        *out = pu_buf_take(&text, len_out); /* an empty file gives "" */
        if (*out != NULL) {
            return 0;
        }
    }
    if (rc == PU_FILE_ENOMEM) {
        snprintf(err, err_size, "out of memory");
    }
    pu_buf_dispose(&text);
    return rc;
}
