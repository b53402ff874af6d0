/**
 * @file value.h
 * @brief Read-only JSON documents: every field of every API response stays reachable.
 *
 * A particle_doc owns a parsed response. particle_doc_root() and every getter below return
 * borrowed pointers into it: they live until particle_doc_free() of that document. All
 * getters accept NULL (a missing member) and then return NULL, 0, the fallback, or
 * PARTICLE_VALUE_ABSENT, so chains like
 * `particle_value_string(particle_value_get(particle_value_at(root, 0), "name"))` need no
 * checks in between.
 *
 * Thread safety: a document is immutable; several threads may read it at once.
 */
#ifndef PARTICLE_VALUE_H
#define PARTICLE_VALUE_H

#include "particle/common.h"

PARTICLE_BEGIN_DECL

/** An owned, parsed JSON document. */
typedef struct particle_doc particle_doc;
/** A borrowed node inside a particle_doc. */
typedef struct particle_value particle_value;

/** The JSON type of a value. */
typedef enum particle_value_type {
    PARTICLE_VALUE_ABSENT = 0, /**< the pointer was NULL: no such member or index */
    PARTICLE_VALUE_NULL,
    PARTICLE_VALUE_BOOL,
    PARTICLE_VALUE_INT,    /**< a JSON number without fraction or exponent */
    PARTICLE_VALUE_DOUBLE, /**< any other JSON number */
    PARTICLE_VALUE_STRING,
    PARTICLE_VALUE_ARRAY,
    PARTICLE_VALUE_OBJECT
} particle_value_type;

/**
 * Parses @p len bytes of JSON text (any JSON value; duplicate keys are rejected).
 * @param[out] out the document; free with particle_doc_free()
 * @return 0, PARTICLE_EINVAL (NULL argument), PARTICLE_EPROTO (not JSON), PARTICLE_ENOMEM
 */
PARTICLE_API int particle_doc_parse(particle_doc **out, const char *json, size_t len);

/** @return the top-level value; borrowed from @p doc. NULL for a NULL doc. */
PARTICLE_API const particle_value *particle_doc_root(const particle_doc *doc);

/** Frees @p doc and every value borrowed from it. NULL-safe. */
PARTICLE_API void particle_doc_free(particle_doc *doc);

/** @return the type of @p v; PARTICLE_VALUE_ABSENT for NULL. */
PARTICLE_API particle_value_type particle_value_type_of(const particle_value *v);

/** @return the member @p key of object @p obj, or NULL (not an object, no such key). */
PARTICLE_API const particle_value *particle_value_get(const particle_value *obj, const char *key);

/** @return the number of elements of an array or members of an object; 0 otherwise. */
PARTICLE_API size_t particle_value_count(const particle_value *v);

/**
 * @return element @p i of an array, or the value of the i-th member of an object in
 *         document order; NULL when out of range. O(i) for objects.
 */
PARTICLE_API const particle_value *particle_value_at(const particle_value *v, size_t i);

/** @return the key of the i-th member of object @p obj (document order), or NULL. O(i). */
PARTICLE_API const char *particle_value_key_at(const particle_value *obj, size_t i);

/** @return the string (NUL-terminated, borrowed), or NULL when @p v is not a string. */
PARTICLE_API const char *particle_value_string(const particle_value *v);

/** @return the integer; a double is truncated; @p fallback for anything else. */
PARTICLE_API long long particle_value_int(const particle_value *v, long long fallback);

/** @return the number as a double (ints convert); @p fallback for anything else. */
PARTICLE_API double particle_value_double(const particle_value *v, double fallback);

/** @return 1 for true, 0 for false, @p fallback when @p v is not a boolean. */
PARTICLE_API int particle_value_bool(const particle_value *v, int fallback);

/** @return 1 when @p v is JSON null, 0 otherwise (also for a missing value). */
PARTICLE_API int particle_value_is_null(const particle_value *v);

/**
 * Serialises @p v as compact JSON text.
 * @param[out] out the text; the caller frees it with particle_free()
 * @param pretty   non-zero for 2-space indentation
 * @return 0, PARTICLE_EINVAL (NULL @p v), PARTICLE_ENOMEM
 */
PARTICLE_API int particle_value_to_json(char **out, const particle_value *v, int pretty);

PARTICLE_END_DECL

#endif
