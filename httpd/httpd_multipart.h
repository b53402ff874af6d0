/*
 * multipart/form-data bodies, parsed with libmicrohttpd's post processor (it reads the
 * boundary from the connection's Content-Type header, so this needs the connection).
 */
#ifndef HTTPD_MULTIPART_H
#define HTTPD_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <microhttpd.h>

#include "httpd.h"

/* True when @p content_type's media type is multipart/form-data. */
bool httpd_is_multipart(const char *content_type);

/*
 * Parses the multipart body (@p len bytes) of the request on @p conn into a new JSON object:
 * each part by its name, as a string (a file part's content is its value). A name ending
 * in "[]" collects an array, like forms. Parts that are not UTF-8 text (firmware binaries)
 * are left out here: httpd_request_file() reads them. Returns NULL with a client-facing message
 * in @p err on a body MHD cannot parse.
 */
json_t *httpd_multipart_parse(struct MHD_Connection *conn, const char *body, size_t len, char *err,
                              size_t err_size);

/*
 * The first part named @p name of the multipart body (@p len bytes) of the request on
 * @p conn, into @p out. Returns 1 when found, 0 when the body has no such part, -1 when MHD
 * cannot parse the body. The caller frees @p out with httpd_file_dispose().
 */
int httpd_multipart_file(struct MHD_Connection *conn, const char *body, size_t len,
                         const char *name, httpd_file *out);

#endif
