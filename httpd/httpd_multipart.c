/* multipart/form-data through MHD's post processor (see httpd_multipart.h). */
#include "httpd_multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "httpd_alloc.h"
#include "pu_buf.h"

bool httpd_is_multipart(const char *content_type)
{
    static const char type[] = "multipart/form-data";
    return content_type && strncasecmp(content_type, type, sizeof(type) - 1) == 0 &&
           (content_type[sizeof(type) - 1] == ';' || content_type[sizeof(type) - 1] == ' ' ||
            content_type[sizeof(type) - 1] == '\0');
}

/* The part being read: MHD hands a part's data in pieces, the first at offset 0. */
typedef struct part_reader {
    json_t *out;
    char *name; /* current part's name; NULL before the first */
    pu_buf data;
} part_reader;

/* Stores the finished part under its name (text parts only). */
static void flush_part(part_reader *r)
{
    if (!r->name)
        return;
    json_t *value = json_stringn(r->data.data ? r->data.data : "", r->data.len);
    size_t klen = strlen(r->name);
    if (value && klen > 2 && strcmp(r->name + klen - 2, "[]") == 0) {
        r->name[klen - 2] = '\0';
        json_t *arr = json_object_get(r->out, r->name);
        if (!json_is_array(arr)) {
            arr = httpd_xjson_array();
            json_object_set_new(r->out, r->name, arr);
        }
        json_array_append_new(arr, value);
    } else if (value) {
        json_object_set_new(r->out, r->name, value);
    }
    free(r->name);
    r->name = NULL;
    r->data.len = 0;
}

static enum MHD_Result on_part_data(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *filename, const char *content_type,
                                    const char *transfer_encoding, const char *data, uint64_t off,
                                    size_t size)
{
    (void)kind;
    (void)filename;
    (void)content_type;
    (void)transfer_encoding;
    part_reader *r = cls;
    if (!key)
        return MHD_YES;
    if (off == 0 || !r->name || strcmp(r->name, key) != 0) {
        flush_part(r);
        r->name = httpd_xstrndup(key, strlen(key));
    }
    pu_buf_append(&r->data, data, size);
    return MHD_YES;
}

json_t *httpd_multipart_parse(struct MHD_Connection *conn, const char *body, size_t len, char *err,
                              size_t err_size)
{
    part_reader r = {.out = httpd_xjson_object()};
    pu_buf_xinit(&r.data);
    struct MHD_PostProcessor *pp = MHD_create_post_processor(conn, 64 * 1024, on_part_data, &r);
    bool ok = pp && MHD_post_process(pp, body, len) == MHD_YES;
    if (pp && MHD_destroy_post_processor(pp) != MHD_YES)
        ok = false;
    flush_part(&r);
    pu_buf_dispose(&r.data);
    if (!ok) {
        snprintf(err, err_size, "Malformed multipart/form-data body");
        json_decref(r.out);
        return NULL;
    }
    return r.out;
}

/* The one part httpd_multipart_file() looks for: collected while its data comes in. */
typedef struct file_reader {
    const char *name;
    httpd_file *out;
    pu_buf data;
    bool found, done;
} file_reader;

static enum MHD_Result on_file_data(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *filename, const char *content_type,
                                    const char *transfer_encoding, const char *data, uint64_t off,
                                    size_t size)
{
    (void)kind;
    (void)transfer_encoding;
    file_reader *r = cls;
    bool ours = key && strcmp(key, r->name) == 0;
    if (r->found && (!ours || off == 0))
        r->done = true; /* the part we wanted has ended */
    if (r->done || !ours)
        return MHD_YES;
    if (!r->found) {
        r->found = true;
        r->out->filename = filename ? httpd_xstrndup(filename, strlen(filename)) : NULL;
        r->out->content_type =
            content_type ? httpd_xstrndup(content_type, strlen(content_type)) : NULL;
    }
    pu_buf_append(&r->data, data, size);
    return MHD_YES;
}

int httpd_multipart_file(struct MHD_Connection *conn, const char *body, size_t len,
                         const char *name, httpd_file *out)
{
    *out = (httpd_file){0};
    file_reader r = {.name = name, .out = out};
    pu_buf_xinit(&r.data);
    struct MHD_PostProcessor *pp = MHD_create_post_processor(conn, 64 * 1024, on_file_data, &r);
    bool ok = pp && MHD_post_process(pp, body, len) == MHD_YES;
    if (pp && MHD_destroy_post_processor(pp) != MHD_YES)
        ok = false;
    if (!ok || !r.found) {
        pu_buf_dispose(&r.data);
        httpd_file_dispose(out);
        return ok ? 0 : -1;
    }
    out->data = pu_buf_take(&r.data, &out->len);
    return 1;
}

void httpd_file_dispose(httpd_file *f)
{
    if (!f)
        return;
    free(f->data);
    free(f->filename);
    free(f->content_type);
    *f = (httpd_file){0};
}
