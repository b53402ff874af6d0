/* particle_transfer(): requests with any body (raw bytes, multipart/form-data) and answers
 * of any type (memory, file or callback), on the same transport as every call; and the
 * particle_response that carries such an answer. */
#include <string.h>

#include "http.h"
#include "internal.h"

struct particle_response {
    long status;
    char content_type[128];
    char *data; /* NUL-terminated; "" (static) when the body went elsewhere */
    size_t size;
};

static char empty_body[1];

int particle_download_options_init(particle_download_options *opts, unsigned int version)
{
    static const particle_download_options defaults = PARTICLE_DOWNLOAD_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_DOWNLOAD_OPTIONS_VERSION, "download");
}

int particle_transfer_options_init(particle_transfer_options *opts, unsigned int version)
{
    static const particle_transfer_options defaults = PARTICLE_TRANSFER_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_TRANSFER_OPTIONS_VERSION, "transfer");
}

long particle_response_status(const particle_response *resp)
{
    return resp != NULL ? resp->status : 0;
}

const char *particle_response_content_type(const particle_response *resp)
{
    return resp != NULL ? resp->content_type : "";
}

const void *particle_response_data(const particle_response *resp)
{
    return resp != NULL ? resp->data : empty_body;
}

size_t particle_response_size(const particle_response *resp)
{
    return resp != NULL ? resp->size : 0;
}

void particle_response_free(particle_response *resp)
{
    if (resp == NULL) {
        return;
    }
    if (resp->data != empty_body) {
        particle__free(resp->data);
    }
    particle__free(resp);
}

int particle__http_download(particle_response **out, particle_client *c, particle__request *req)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    long status = 0;
    req->status_out = &status;
    int error = particle__http_perform(c, req, NULL);
    if (error < 0 || out == NULL) {
        return error;
    }
    particle_response *resp = particle__calloc(1, sizeof(*resp));
    if (resp == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    resp->status = status;
    memcpy(resp->content_type, req->sink->content_type, sizeof(resp->content_type));
    resp->size = req->sink->received;
    resp->data = empty_body;
    if (req->sink->file_path == NULL && req->sink->on_data == NULL && resp->size > 0) {
        resp->data = pu_buf_take(&req->sink->memory, NULL); /* NUL-terminated */
        if (resp->data == NULL) {
            particle__free(resp);
            return particle__error_set(PARTICLE_ENOMEM, NULL);
        }
    }
    *out = resp;
    return 0;
}

static int check_options(const char *method, const particle_transfer_options *opts)
{
    if (opts == NULL) {
        return 0;
    }
    int error =
        particle__options_check(opts->version, PARTICLE_TRANSFER_OPTIONS_VERSION, "transfer");
    if (error < 0) {
        return error;
    }
    bool has_body = opts->body != NULL || opts->body_size > 0;
    if (has_body && opts->body == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "body_size without a body");
    }
    if (has_body && opts->parts != NULL) {
        return particle__error_set(PARTICLE_EINVAL, "a body or multipart parts, not both");
    }
    if ((has_body || opts->parts != NULL) && strcmp(method, "GET") == 0) {
        return particle__error_set(PARTICLE_EINVAL, "a GET request has no body");
    }
    if (opts->parts != NULL) {
        return particle__parts_check(opts->parts, opts->part_count);
    }
    return 0;
}

int particle_transfer(particle_response **out, particle_client *client, const char *method,
                      const char *path, const char *query, const particle_transfer_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (client == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    particle_request_options retry = {PARTICLE_REQUEST_OPTIONS_VERSION, NULL,
                                      opts != NULL ? opts->flags : 0u};
    particle__request req;
    char *bare_path = NULL;
    /* path, query and method checks are particle_request()'s; the body is checked here */
    int error = particle__generic_request(&req, &bare_path, method, path, query, NULL, &retry);
    if (error == 0) {
        error = check_options(req.method, opts);
    }
    particle__sink sink;
    if (error == 0) {
        error = particle__sink_init(&sink, opts != NULL ? &opts->download : NULL,
                                    client->max_response_bytes);
        if (error < 0) {
            particle__sink_dispose(&sink);
        }
    }
    if (error < 0) {
        particle__free(bare_path);
        return error;
    }
    if (opts != NULL) {
        req.body = opts->body;
        req.body_len = opts->body_size;
        req.content_type =
            opts->content_type != NULL ? opts->content_type : "application/octet-stream";
        req.parts = opts->parts;
        req.part_count = opts->part_count;
        req.accept = opts->accept;
        req.progress = opts->download.progress;
        req.progress_payload = opts->download.progress_payload;
    }
    req.sink = &sink;
    error = particle__http_download(out, client, &req);
    particle__sink_dispose(&sink);
    particle__free(bare_path);
    return error;
}
