/* The transport glue of the firmware calls: multipart uploads with JSON answers, binary
 * downloads into a particle_response, and checks of an answer's shape. */
#include <string.h>

#include "firmware_internal.h"
#include "value_internal.h"

int particle__firmware_form_call(particle_doc **out, particle_client *c, const char *method,
                                 const char *path, const particle_form_part *parts, size_t count,
                                 particle_progress_fn *progress, void *progress_payload)
{
    particle__request req = {
        .method = method,
        .path = path,
        .parts = parts,
        .part_count = count,
        .progress = progress,
        .progress_payload = progress_payload,
    };
    int error = particle__parts_check(parts, count);
    return error < 0 ? error : particle__http_doc(out, c, &req);
}

int particle__firmware_download(particle_response **out, particle_client *c, const char *method,
                                const char *path, const particle_download_options *dl)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    particle__sink sink;
    int error = particle__sink_init(&sink, dl, c->max_response_bytes);
    if (error == 0) {
        particle__request req = {
            .method = method,
            .path = path,
            .accept = "application/octet-stream, application/json;q=0.5",
            .sink = &sink,
            .progress = dl != NULL ? dl->progress : NULL,
            .progress_payload = dl != NULL ? dl->progress_payload : NULL,
        };
        error = particle__http_download(out, c, &req);
    }
    particle__sink_dispose(&sink);
    return error;
}

int particle__firmware_check_root(particle_doc **doc, int error, bool array, const char *what)
{
    if (error != 0 || doc == NULL || *doc == NULL) {
        return error;
    }
    particle_value_type type = particle_value_type_of(particle_doc_root(*doc));
    if (type == (array ? PARTICLE_VALUE_ARRAY : PARTICLE_VALUE_OBJECT)) {
        return 0;
    }
    particle_doc_free(*doc);
    *doc = NULL;
    return particle__error_set(PARTICLE_EPROTO, "the %s answer is not %s", what,
                               array ? "an array" : "an object");
}

const char *particle__base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

int particle__firmware_begin(particle_doc **out, const particle_client *c)
{
    if (out != NULL) {
        *out = NULL;
    }
    return c != NULL ? 0 : particle__error_set(PARTICLE_EINVAL, "client is NULL");
}
