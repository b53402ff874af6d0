/* Read-only JSON documents for the public API (see value.h). */
#include "value_internal.h"

#include "alloc.h"

#include <string.h>

#include "pu_str.h"

int particle__doc_wrap(particle_doc **out, json_t *root)
{
    particle_doc *d = particle__malloc(sizeof(*d));
    if (d == NULL) {
        json_decref(root);
        *out = NULL;
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    d->root = root;
    d->wipe = false;
    *out = d;
    return 0;
}

int particle__doc_wrap_secret(particle_doc **out, json_t *root)
{
    int error = particle__doc_wrap(out, root);
    if (error == 0) {
        (*out)->wipe = true;
    }
    return error;
}

/* Zeroes every string and object key under @p j in place (the tree is about to go). */
static void wipe_strings(json_t *j)
{
    if (json_is_string(j)) {
        pu_secure_zero((void *)json_string_value(j), json_string_length(j));
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++) {
            wipe_strings(json_array_get(j, i));
        }
    } else if (json_is_object(j)) {
        const char *key;
        json_t *member;
        json_object_foreach(j, key, member)
        {
            wipe_strings(member);
        }
    }
}

bool particle__json_error_is_oom(const json_error_t *jerr)
{
    /* jansson says "out of memory" during the parse, and nothing at all when it cannot
     * allocate its lexer: then only text[0] is set, not the error code (the last byte of
     * text), so text[0] is tested first. Both are ENOMEM, not bad input. */
    return jerr->text[0] == '\0' || json_error_code(jerr) == json_error_out_of_memory;
}

int particle__json_load(json_t **out, const char *text, size_t len, size_t flags, const char *what)
{
    json_error_t jerr;
    *out = json_loadb(text, len, flags, &jerr);
    if (*out != NULL) {
        return 0;
    }
    if (particle__json_error_is_oom(&jerr)) {
        return particle__error_set(PARTICLE_ENOMEM, "out of memory while parsing JSON");
    }
    return particle__error_set(PARTICLE_EPROTO, "%s at line %d column %d: %s", what, jerr.line,
                               jerr.column, jerr.text);
}

char *particle__json_dumps(const json_t *j, size_t flags)
{
    /* measured first, then written: one exact allocation, like json_dumps()'s own copy */
    size_t len = json_dumpb(j, NULL, 0, flags);
    char *text = len > 0 ? particle__malloc(len + 1) : NULL;
    if (text == NULL) {
        return NULL;
    }
    if (json_dumpb(j, text, len, flags) != len) {
        particle__free(text);
        return NULL;
    }
    text[len] = '\0';
    return text;
}

int particle_doc_parse(particle_doc **out, const char *json, size_t len)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (out == NULL || json == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "NULL argument");
    }
    json_t *root = NULL;
    int error = particle__json_load(&root, json, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                                    "invalid JSON");
    return error < 0 ? error : particle__doc_wrap(out, root);
}

const particle_value *particle_doc_root(const particle_doc *doc)
{
    return doc == NULL ? NULL : particle__value(doc->root);
}

void particle_doc_free(particle_doc *doc)
{
    if (doc == NULL) {
        return;
    }
    if (doc->wipe) { /* the document owns its tree alone */
        wipe_strings(doc->root);
    }
    json_decref(doc->root);
    particle__free(doc);
}

particle_value_type particle_value_type_of(const particle_value *v)
{
    const json_t *j = particle__json(v);
    if (j == NULL) {
        return PARTICLE_VALUE_ABSENT;
    }
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return PARTICLE_VALUE_OBJECT;
    case JSON_ARRAY:
        return PARTICLE_VALUE_ARRAY;
    case JSON_STRING:
        return PARTICLE_VALUE_STRING;
    case JSON_INTEGER:
        return PARTICLE_VALUE_INT;
    case JSON_REAL:
        return PARTICLE_VALUE_DOUBLE;
    case JSON_TRUE:
    case JSON_FALSE:
        return PARTICLE_VALUE_BOOL;
    case JSON_NULL:
    default:
        return PARTICLE_VALUE_NULL;
    }
}

const particle_value *particle_value_get(const particle_value *obj, const char *key)
{
    if (key == NULL) {
        return NULL;
    }
    return particle__value(json_object_get(particle__json(obj), key));
}

size_t particle_value_count(const particle_value *v)
{
    json_t *j = particle__json(v);
    if (json_is_array(j)) {
        return json_array_size(j);
    }
    if (json_is_object(j)) {
        return json_object_size(j);
    }
    return 0;
}

/* jansson keeps object members in insertion (= document) order; walk to the i-th. */
static void *object_iter_at(json_t *obj, size_t i)
{
    void *it = json_object_iter(obj);
    while (it != NULL && i-- > 0) {
        it = json_object_iter_next(obj, it);
    }
    return it;
}

const particle_value *particle_value_at(const particle_value *v, size_t i)
{
    json_t *j = particle__json(v);
    if (json_is_array(j)) {
        return particle__value(json_array_get(j, i));
    }
    if (json_is_object(j)) {
        void *it = object_iter_at(j, i);
        return it == NULL ? NULL : particle__value(json_object_iter_value(it));
    }
    return NULL;
}

const char *particle_value_key_at(const particle_value *obj, size_t i)
{
    json_t *j = particle__json(obj);
    if (!json_is_object(j)) {
        return NULL;
    }
    void *it = object_iter_at(j, i);
    return it == NULL ? NULL : json_object_iter_key(it);
}

const char *particle_value_string(const particle_value *v)
{
    return json_string_value(particle__json(v));
}

long long particle_value_int(const particle_value *v, long long fallback)
{
    json_t *j = particle__json(v);
    if (json_is_integer(j)) {
        return (long long)json_integer_value(j);
    }
    if (json_is_real(j)) {
        double d = json_real_value(j);
        /* out-of-range conversion is undefined: clamp first */
        if (d >= 9.2e18 || d <= -9.2e18) {
            return fallback;
        }
        return (long long)d;
    }
    return fallback;
}

double particle_value_double(const particle_value *v, double fallback)
{
    json_t *j = particle__json(v);
    return json_is_number(j) ? json_number_value(j) : fallback;
}

int particle_value_bool(const particle_value *v, int fallback)
{
    json_t *j = particle__json(v);
    return json_is_boolean(j) ? (json_is_true(j) ? 1 : 0) : fallback;
}

int particle_value_is_null(const particle_value *v)
{
    return json_is_null(particle__json(v)) ? 1 : 0;
}

int particle_value_to_json(char **out, const particle_value *v, int pretty)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (out == NULL || v == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "NULL argument");
    }
    size_t flags = JSON_ENCODE_ANY | (pretty ? JSON_INDENT(2) : JSON_COMPACT);
    *out = particle__json_dumps(particle__json(v), flags);
    return *out == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
}
