/*
 * Request body parsing: JSON objects and application/x-www-form-urlencoded forms, both
 * turned into a JSON object. Pure functions, thread-safe.
 */
#ifndef HTTPD_BODY_H
#define HTTPD_BODY_H

#include <stddef.h>

#include <jansson.h>

/*
 * Parses @p body (@p len bytes, not NUL-terminated) according to @p content_type (NULL or
 * any unknown type gives an empty object). Returns a new reference to an object, or NULL
 * with a client-facing message in @p err (the request is answered 400).
 */
json_t *httpd_body_parse(const char *content_type, const char *body, size_t len, char *err,
                         size_t err_size);

/*
 * Parses a form body: "a=1&b=x+y&c[]=1&c[]=2" gives {"a":"1","b":"x y","c":["1","2"]}.
 * '+' is a space, %XX is decoded, a repeated plain key keeps its last value, and a key
 * without '=' maps to "". Returns NULL with @p err set on a bad escape, an encoded NUL or
 * text that is not UTF-8.
 */
json_t *httpd_form_parse(const char *body, size_t len, char *err, size_t err_size);

#endif
