/*
 * The subset of JSON Schema draft-07 that product and device configuration schemas use
 * (Particle's Tracker schema): no Debian package offers a C JSON Schema validator, so the
 * simulator checks these keywords itself:
 *   type (a name or an array of names: object, array, string, number, integer, boolean,
 *   null), enum, const, required, properties, additionalProperties (false or a schema),
 *   items (one schema), minItems, maxItems, minimum, maximum, exclusiveMinimum,
 *   exclusiveMaximum (numbers, draft-07), minLength, maxLength (in UTF-8 code points).
 * Annotations ($schema, $id, title, description, default, examples, ...) are ignored, and so
 * are keywords outside the subset ($ref, allOf/anyOf/oneOf, pattern, format, ...):
 * documented in docs/SIM.md.
 */
#ifndef SIM_JSON_SCHEMA_H
#define SIM_JSON_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* The first violation of @p schema by @p data, or none. */
typedef struct sim_schema_violation {
    char data_path[256];   /* ".section.field[2]" ("" = the whole document) */
    char schema_path[256]; /* "#/properties/section/properties/field/maximum" */
    const char *keyword;   /* "maximum" */
    char message[160];     /* "should be <= 100" */
} sim_schema_violation;

/* Is @p schema a usable schema (an object whose subset keywords are well formed)? NULL, or
 * why not. */
const char *sim_schema_check(const json_t *schema);

/* Does @p data satisfy @p schema? False with *v set when it does not. */
bool sim_schema_validate(const json_t *schema, const json_t *data, sim_schema_violation *v);

#endif
