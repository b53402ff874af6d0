/* multipart/form-data bodies (file uploads: product firmware, flashing, compiling) through
 * libcurl's mime API; parts come from memory (copied) or from files read at send time. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "http.h"

int particle__parts_check(const particle_form_part *parts, size_t count)
{
    if (parts == NULL || count == 0) {
        return particle__error_set(PARTICLE_EINVAL, "a multipart body needs at least one part");
    }
    for (size_t i = 0; i < count; i++) {
        const particle_form_part *p = &parts[i];
        if (p->name == NULL || *p->name == '\0') {
            return particle__error_set(PARTICLE_EINVAL, "part %zu has no name", i + 1);
        }
        if (p->path != NULL && (p->data != NULL || p->size > 0)) {
            return particle__error_set(PARTICLE_EINVAL, "part %s has both data and a file",
                                       p->name);
        }
        if (p->path == NULL && p->data == NULL && p->size > 0) {
            return particle__error_set(PARTICLE_EINVAL, "part %s has a size but no data", p->name);
        }
        if (p->path != NULL) {
            /* curl would only find out mid-request; say which file before sending */
            FILE *f = fopen(p->path, "rb");
            if (f == NULL) {
                return particle__error_set(PARTICLE_EINVAL, "cannot read %s: %s", p->path,
                                           strerror(errno));
            }
            fclose(f);
        }
    }
    return 0;
}

static int add_part(curl_mime *mime, const particle_form_part *p)
{
    curl_mimepart *part = curl_mime_addpart(mime);
    if (part == NULL || curl_mime_name(part, p->name) != CURLE_OK) {
        return PARTICLE_ENOMEM;
    }
    if (p->path != NULL) {
        /* sets the file name to the path's base name; an explicit one replaces it below */
        CURLcode rc = curl_mime_filedata(part, p->path);
        if (rc != CURLE_OK) {
            return rc == CURLE_OUT_OF_MEMORY ? PARTICLE_ENOMEM : PARTICLE_EINVAL;
        }
    } else if (curl_mime_data(part, p->data != NULL ? p->data : "", p->size) != CURLE_OK) {
        return PARTICLE_ENOMEM;
    }
    bool is_file = p->path != NULL || p->filename != NULL;
    const char *type = p->content_type;
    if (type == NULL && is_file) {
        type = "application/octet-stream";
    }
    if ((p->filename != NULL && curl_mime_filename(part, p->filename) != CURLE_OK) ||
        (type != NULL && curl_mime_type(part, type) != CURLE_OK)) {
        return PARTICLE_ENOMEM;
    }
    return 0;
}

int particle__mime_build(CURL *h, const particle_form_part *parts, size_t count, curl_mime **out)
{
    *out = NULL;
    int error = particle__parts_check(parts, count);
    if (error < 0) {
        return error;
    }
    curl_mime *mime = curl_mime_init(h);
    if (mime == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    for (size_t i = 0; i < count; i++) {
        if ((error = add_part(mime, &parts[i])) < 0) {
            curl_mime_free(mime);
            return error == PARTICLE_ENOMEM
                       ? particle__error_set(PARTICLE_ENOMEM, "cannot build the multipart body")
                       : particle__error_set(error, "cannot read %s", parts[i].path);
        }
    }
    *out = mime;
    return 0;
}
