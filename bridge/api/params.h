/*
 * The API's one query-parameter parser. Each route declares the parameters it accepts
 * (bridge_param_spec: name, type, limits); the parser takes the request's name=value pairs
 * one by one and refuses, naming the parameter:
 *   - a name the route does not declare (unknown),
 *   - a name given twice (duplicated),
 *   - a value longer than BRIDGE_PARAM_MAX_TEXT, or than the declared maximum (huge),
 *   - a value its type does not accept: an integer outside its range (negative, huge), a
 *     boolean that is not true/false/1/0/yes/no/on/off, a time that is neither RFC 3339
 *     nor epoch milliseconds, a choice outside the list, an id with other characters than
 *     letters, digits, '-' and '_', an empty value (malformed).
 * The same declarations feed the OpenAPI document (api/openapi.c), so the two cannot drift.
 *
 * Pure functions, thread-safe; values are borrowed from the caller's strings.
 */
#ifndef BRIDGE_API_PARAMS_H
#define BRIDGE_API_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BRIDGE_PARAMS_MAX 24      /* parameters one route declares, at most */
#define BRIDGE_PARAM_MAX_TEXT 512 /* the longest value any parameter accepts */
#define BRIDGE_PARAM_MESSAGE_SIZE 256

typedef enum bridge_param_type {
    BRIDGE_PARAM_INT,    /* a decimal integer in [min, max] */
    BRIDGE_PARAM_BOOL,   /* true/false, 1/0, yes/no, on/off */
    BRIDGE_PARAM_TIME,   /* RFC 3339 ("2025-01-31T12:00:00Z") or epoch milliseconds */
    BRIDGE_PARAM_ENUM,   /* one of choices */
    BRIDGE_PARAM_STRING, /* 1 to max characters */
    BRIDGE_PARAM_ID,     /* 1 to max letters, digits, '-' and '_' */
    BRIDGE_PARAM_CURSOR, /* the opaque `next` of a previous page (api/cursor.h) */
} bridge_param_type;

typedef struct bridge_param_spec {
    const char *name;
    bridge_param_type type;
    int64_t min, max;           /* INT: the range; STRING, ID: max is the longest length */
    const char *const *choices; /* ENUM: NULL-terminated */
    const char *doc;            /* one line for the OpenAPI document */
} bridge_param_spec;

/* One parameter's value once parsed; text NULL = absent. */
typedef struct bridge_param_value {
    const char *text;
    int64_t num; /* INT; TIME in epoch ms; BOOL 0/1; ENUM the choice's index */
} bridge_param_value;

typedef struct bridge_params {
    const bridge_param_spec *specs; /* borrowed */
    size_t count;
    bridge_param_value values[BRIDGE_PARAMS_MAX];
    char bad[64]; /* the refused parameter's name (cut to fit), "" while none was */
    char message[BRIDGE_PARAM_MESSAGE_SIZE];
} bridge_params;

/* Starts parsing against @p count declarations (at most BRIDGE_PARAMS_MAX). */
void bridge_params_init(bridge_params *p, const bridge_param_spec *specs, size_t count);

/* Takes one name=value pair; false after the first refusal (bad and message say why). */
bool bridge_params_add(bridge_params *p, const char *name, const char *value);

/* The value of a declared parameter (text NULL when absent); NULL for an undeclared name. */
const bridge_param_value *bridge_params_get(const bridge_params *p, const char *name);

/* The value's text, or NULL when absent or undeclared. */
const char *bridge_params_text(const bridge_params *p, const char *name);

/* What a type is called in messages and in the OpenAPI document ("integer", "boolean"...). */
const char *bridge_param_type_name(bridge_param_type type);

#endif
