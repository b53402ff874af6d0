/* Library archives (sim_libraries.h): writing a .tar.gz for the fixture, and reading the
 * library.properties of a contributed one. ustar headers (POSIX.1-1988) through zlib's gzip
 * stream. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "model/sim_libraries.h"
#include "pu_buf.h"

#define TAR_BLOCK 512
#define TAR_MTIME 1700000000 /* fixed, so a fixture archive has the same bytes every time */

static void octal(char *field, size_t width, unsigned long value)
{
    /* width-1 octal digits and a NUL; a value too large for the field leaves it zero (the
     * fixture's files are small) */
    char digits[32];
    int n = snprintf(digits, sizeof(digits), "%0*lo", (int)(width - 1), value);
    if (n > 0 && (size_t)n < width) {
        memcpy(field, digits, (size_t)n + 1);
    }
}

static void tar_header(unsigned char block[TAR_BLOCK], const char *path, size_t size)
{
    memset(block, 0, TAR_BLOCK);
    char *h = (char *)block;
    snprintf(h, 100, "%s", path);
    octal(h + 100, 8, 0644);
    octal(h + 108, 8, 0);
    octal(h + 116, 8, 0);
    octal(h + 124, 12, (unsigned long)size);
    octal(h + 136, 12, TAR_MTIME);
    h[156] = '0';
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    memset(h + 148, ' ', 8);
    unsigned long sum = 0;
    for (size_t i = 0; i < TAR_BLOCK; i++)
        sum += block[i];
    snprintf(h + 148, 8, "%06lo", sum); /* six digits, NUL, and the space left from above */
    h[155] = ' ';
}

/* gzip of @p in into *out (malloc). 0 or -1. */
static int gzip(const unsigned char *in, size_t len, unsigned char **out, size_t *size)
{
    z_stream z = {0};
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    uLong bound = deflateBound(&z, (uLong)len) + 32;
    *out = malloc(bound);
    if (!*out)
        abort();
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = *out;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    *size = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

int sim_library_archive_build(const sim_library_file *files, size_t count, unsigned char **out,
                              size_t *size)
{
    pu_buf tar;
    pu_buf_xinit(&tar);
    unsigned char block[TAR_BLOCK];
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(files[i].text);
        tar_header(block, files[i].path, len);
        pu_buf_append(&tar, block, TAR_BLOCK);
        pu_buf_append(&tar, files[i].text, len);
        memset(block, 0, TAR_BLOCK);
        if (len % TAR_BLOCK)
            pu_buf_append(&tar, block, TAR_BLOCK - len % TAR_BLOCK);
    }
    memset(block, 0, TAR_BLOCK);
    pu_buf_append(&tar, block, TAR_BLOCK);
    pu_buf_append(&tar, block, TAR_BLOCK);
    int rc = gzip((const unsigned char *)tar.data, tar.len, out, size);
    pu_buf_dispose(&tar);
    return rc;
}

/* Unpacks gzip @p data into @p tar, at most SIM_LIBRARY_UNPACKED_MAX bytes. */
static int gunzip(const void *data, size_t size, pu_buf *tar, const char **why)
{
    z_stream z = {0};
    if (inflateInit2(&z, 15 + 16) != Z_OK) {
        *why = "Cannot unpack the archive";
        return -1;
    }
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)size;
    unsigned char chunk[16384];
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = chunk;
        z.avail_out = sizeof(chunk);
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
        size_t got = sizeof(chunk) - z.avail_out;
        if (tar->len + got > SIM_LIBRARY_UNPACKED_MAX) {
            inflateEnd(&z);
            *why = "The archive unpacks to more than the simulator accepts";
            return -1;
        }
        pu_buf_append(tar, chunk, got);
        if (rc == Z_OK && got == 0 && z.avail_in == 0)
            rc = Z_BUF_ERROR; /* cut off */
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        *why = "The library archive must be a .tar.gz file";
        return -1;
    }
    return 0;
}

/* Whether tar member @p path is library.properties at the top or one directory down. */
static bool is_properties(const char *path)
{
    if (strncmp(path, "./", 2) == 0)
        path += 2;
    const char *slash = strchr(path, '/');
    if (slash && strchr(slash + 1, '/'))
        return false;
    return strcmp(slash ? slash + 1 : path, "library.properties") == 0;
}

/* The member size of header @p h (octal, NUL or space ended), or -1. */
static long member_size(const unsigned char *h)
{
    long size = 0;
    size_t i = 124;
    while (i < 136 && h[i] == ' ')
        i++;
    for (; i < 136 && h[i] >= '0' && h[i] <= '7'; i++)
        size = size * 8 + (h[i] - '0');
    return i < 136 && h[i] != '\0' && h[i] != ' ' ? -1 : size;
}

static bool checksum_ok(const unsigned char *h)
{
    unsigned long sum = 0, stored = 0;
    for (size_t i = 0; i < TAR_BLOCK; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    size_t i = 148;
    while (i < 156 && h[i] == ' ')
        i++;
    for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++)
        stored = stored * 8 + (unsigned long)(h[i] - '0');
    return sum == stored;
}

int sim_library_archive_properties(const void *data, size_t size, char **text, const char **why)
{
    *text = NULL;
    pu_buf tar;
    pu_buf_xinit(&tar);
    int rc = gunzip(data, size, &tar, why);
    const unsigned char *p = (const unsigned char *)tar.data;
    size_t at = 0;
    while (rc == 0 && !*text) {
        if (at + TAR_BLOCK > tar.len || p[at] == '\0') {
            *why = "The archive has no library.properties file";
            rc = -1;
            break;
        }
        const unsigned char *h = p + at;
        long len = member_size(h);
        if (!checksum_ok(h) || len < 0 || (size_t)len > tar.len - at - TAR_BLOCK) {
            *why = "The library archive must be a .tar.gz file";
            rc = -1;
            break;
        }
        char path[sizeof("/") + 100 + 155]; /* prefix "/" name and the NUL */
        char name[101], prefix[156];
        memcpy(name, h, 100);
        name[100] = '\0';
        memcpy(prefix, h + 345, 155);
        prefix[155] = '\0';
        snprintf(path, sizeof(path), "%s%s%s", prefix, prefix[0] ? "/" : "", name);
        bool regular = h[156] == '0' || h[156] == '\0';
        if (regular && is_properties(path)) {
            if (len > SIM_LIBRARY_PROPERTIES_MAX) {
                *why = "library.properties is too long";
                rc = -1;
                break;
            }
            *text = malloc((size_t)len + 1);
            if (!*text)
                abort();
            memcpy(*text, h + TAR_BLOCK, (size_t)len);
            (*text)[len] = '\0';
        }
        at += TAR_BLOCK + ((size_t)len + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
    }
    pu_buf_dispose(&tar);
    return rc;
}

/* Trims spaces and tabs around [start, end). */
static char *trim(char *start, char *end)
{
    while (start < end && (*start == ' ' || *start == '\t'))
        start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    *end = '\0';
    return start;
}

static json_t *split_list(const char *value)
{
    json_t *list = json_array();
    char *copy = strdup(value);
    if (!copy)
        abort();
    char *item = copy;
    for (;;) {
        char *comma = strchr(item, ',');
        char *end = comma ? comma : item + strlen(item);
        char *t = trim(item, end);
        if (*t)
            json_array_append_new(list, json_string(t));
        if (!comma)
            break;
        item = comma + 1;
    }
    free(copy);
    return list;
}

json_t *sim_library_properties_parse(const char *text)
{
    static const char *const keys[] = {"name", "version",    "author",  "sentence", "paragraph",
                                       "url",  "repository", "license", "category", "maintainer"};
    json_t *attrs = json_object();
    json_t *deps = json_object();
    char *copy = strdup(text);
    if (!copy)
        abort();
    char *line = copy;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        char *end = nl ? nl : line + strlen(line);
        char *eq = memchr(line, '=', (size_t)(end - line));
        if (eq && line[0] != '#') {
            char *key = trim(line, eq);
            char *value = trim(eq + 1, end);
            if (strncmp(key, "dependencies.", 13) == 0 && key[13])
                json_object_set_new(deps, key + 13, json_string(value));
            else if (strcmp(key, "architectures") == 0)
                json_object_set_new(attrs, key, split_list(value));
            else
                for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                    if (strcmp(key, keys[i]) == 0)
                        json_object_set_new(attrs, key, json_string(value)); /* NULL: skipped */
        }
        line = nl ? nl + 1 : NULL;
    }
    free(copy);
    json_object_set_new(attrs, "dependencies", deps);
    if (!json_object_get(attrs, "architectures"))
        json_object_set_new(attrs, "architectures", json_pack("[s]", "*"));
    return attrs;
}
