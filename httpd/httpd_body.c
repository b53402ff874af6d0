/* Request body parsing (see httpd_body.h). */
#include "httpd_body.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "httpd_alloc.h"
#include "pu_str.h"

/* True when the media type of @p content_type (before any ';') is @p type. */
static bool media_type_is(const char *content_type, const char *type)
{
    size_t len = strlen(type);
    if (strncasecmp(content_type, type, len) != 0)
        return false;
    char next = content_type[len];
    return next == '\0' || next == ';' || next == ' ' || next == '\t';
}

/* Decodes one form component in place: '+' is a space, then %XX escapes. */
static bool form_decode(char *s)
{
    for (char *p = s; *p; p++) {
        if (*p == '+')
            *p = ' ';
    }
    return pu_percent_decode(s);
}

static int form_add(json_t *obj, char *key, char *value, char *err, size_t err_size)
{
    size_t klen = strlen(key);
    bool is_array = klen >= 2 && key[klen - 2] == '[' && key[klen - 1] == ']';
    if (is_array)
        key[klen - 2] = '\0';
    json_t *str = json_string(value);
    if (!str) {
        snprintf(err, err_size, "Form field \"%s\" is not valid UTF-8", key);
        return -1;
    }
    if (!is_array)
        return json_object_set_new(obj, key, str) == 0 ? 0 : -1;
    json_t *arr = json_object_get(obj, key);
    if (!json_is_array(arr)) {
        arr = httpd_xjson_array();
        if (json_object_set_new(obj, key, arr) != 0) {
            json_decref(str);
            return -1;
        }
    }
    return json_array_append_new(arr, str) == 0 ? 0 : -1;
}

json_t *httpd_form_parse(const char *body, size_t len, char *err, size_t err_size)
{
    if (err_size)
        err[0] = '\0';
    json_t *obj = httpd_xjson_object();
    char *copy = httpd_xstrndup(body, len);
    if (memchr(body, '\0', len)) {
        snprintf(err, err_size, "Form body contains a NUL byte");
        goto fail;
    }
    for (char *field = copy; field;) {
        char *amp = strchr(field, '&');
        if (amp)
            *amp = '\0';
        if (*field) {
            char *eq = strchr(field, '=');
            char *value = field + strlen(field); /* "" in our own, writable copy */
            if (eq) {
                *eq = '\0';
                value = eq + 1;
            }
            if (!form_decode(field) || !form_decode(value)) {
                snprintf(err, err_size, "Malformed percent-encoding in form body");
                goto fail;
            }
            if (!*field) {
                snprintf(err, err_size, "Form field with an empty name");
                goto fail;
            }
            if (form_add(obj, field, value, err, err_size) != 0) {
                if (!*err)
                    snprintf(err, err_size, "Form field \"%s\" is not valid UTF-8", field);
                goto fail;
            }
        }
        field = amp ? amp + 1 : NULL;
    }
    free(copy);
    return obj;
fail:
    free(copy);
    json_decref(obj);
    return NULL;
}

json_t *httpd_body_parse(const char *content_type, const char *body, size_t len, char *err,
                         size_t err_size)
{
    if (err_size)
        err[0] = '\0';
    if (!content_type || len == 0)
        return httpd_xjson_object();
    if (media_type_is(content_type, "application/x-www-form-urlencoded"))
        return httpd_form_parse(body, len, err, err_size);
    /* application/schema+json: a JSON Schema document (Particle's configuration schemas) */
    if (!media_type_is(content_type, "application/json") &&
        !media_type_is(content_type, "application/schema+json"))
        return httpd_xjson_object();
    json_error_t jerr;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!root) {
        snprintf(err, err_size, "Invalid JSON body: %s (line %d, column %d)", jerr.text, jerr.line,
                 jerr.column);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        snprintf(err, err_size, "JSON body must be an object");
        return NULL;
    }
    return root;
}
