/* The draft-07 subset of sim_json_schema.h. */
#include "model/sim_json_schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 32

static const char *const TYPES[] = {"object",  "array",   "string", "number",
                                    "integer", "boolean", "null"};

static bool type_known(const char *name)
{
    for (size_t i = 0; i < sizeof(TYPES) / sizeof(TYPES[0]); i++)
        if (strcmp(TYPES[i], name) == 0)
            return true;
    return false;
}

static const char *check(const json_t *schema, int depth)
{
    if (json_is_boolean(schema))
        return NULL;
    if (!json_is_object(schema))
        return "a schema must be an object";
    if (depth > MAX_DEPTH)
        return "the schema nests too deeply";
    const json_t *type = json_object_get(schema, "type");
    if (type) {
        if (json_is_string(type) && !type_known(json_string_value(type)))
            return "type names an unknown type";
        if (json_is_array(type)) {
            size_t i;
            const json_t *t;
            json_array_foreach(type, i, t)
            {
                if (!json_is_string(t) || !type_known(json_string_value(t)))
                    return "type names an unknown type";
            }
        } else if (!json_is_string(type)) {
            return "type must be a name or an array of names";
        }
    }
    const json_t *v;
    if ((v = json_object_get(schema, "enum")) && !json_is_array(v))
        return "enum must be an array";
    if ((v = json_object_get(schema, "required")) && !json_is_array(v))
        return "required must be an array of names";
    static const char *const numbers[] = {"minimum",          "maximum",  "exclusiveMinimum",
                                          "exclusiveMaximum", "minItems", "maxItems",
                                          "minLength",        "maxLength"};
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
        if ((v = json_object_get(schema, numbers[i])) && !json_is_number(v))
            return "a numeric keyword (minimum, maxLength, ...) is not a number";
    const char *why;
    if ((v = json_object_get(schema, "properties"))) {
        if (!json_is_object(v))
            return "properties must be an object";
        const char *key;
        const json_t *sub;
        json_object_foreach((json_t *)v, key, sub)
        {
            if ((why = check(sub, depth + 1)))
                return why;
        }
    }
    if ((v = json_object_get(schema, "additionalProperties")) && (why = check(v, depth + 1)))
        return why;
    if ((v = json_object_get(schema, "items")) && (why = check(v, depth + 1)))
        return why;
    return NULL;
}

const char *sim_schema_check(const json_t *schema)
{
    if (!json_is_object(schema))
        return "a schema must be a JSON object";
    return check(schema, 0);
}

static bool has_type(const json_t *data, const char *type)
{
    if (strcmp(type, "object") == 0)
        return json_is_object(data);
    if (strcmp(type, "array") == 0)
        return json_is_array(data);
    if (strcmp(type, "string") == 0)
        return json_is_string(data);
    if (strcmp(type, "number") == 0)
        return json_is_number(data);
    if (strcmp(type, "integer") == 0)
        return json_is_integer(data) ||
               (json_is_real(data) && floor(json_real_value(data)) == json_real_value(data));
    if (strcmp(type, "boolean") == 0)
        return json_is_boolean(data);
    return json_is_null(data);
}

/* @p base followed by the formatted text, cut to @p size (paths are for messages). */
static void path_join(char *out, size_t size, const char *base, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(out, size, "%s", base);
    if (n < 0 || (size_t)n >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(out + n, size - (size_t)n, fmt, ap);
    va_end(ap);
}

/* Where validation is: the paths so far. */
typedef struct at {
    char data[256];
    char schema[256];
} at;

static bool fail(sim_schema_violation *v, const at *where, const char *keyword, const char *message)
{
    snprintf(v->data_path, sizeof(v->data_path), "%s", where->data);
    path_join(v->schema_path, sizeof(v->schema_path), "#", "%s/%s", where->schema, keyword);
    v->keyword = keyword;
    snprintf(v->message, sizeof(v->message), "%s", message);
    return false;
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static bool validate(const json_t *schema, const json_t *data, const at *where, int depth,
                     sim_schema_violation *v);

static bool validate_type(const json_t *schema, const json_t *data, const at *where,
                          sim_schema_violation *v)
{
    const json_t *type = json_object_get(schema, "type");
    char message[160];
    if (json_is_string(type) && !has_type(data, json_string_value(type))) {
        snprintf(message, sizeof(message), "should be %s", json_string_value(type));
        return fail(v, where, "type", message);
    }
    if (json_is_array(type)) {
        size_t i;
        const json_t *t;
        json_array_foreach(type, i, t)
        {
            if (has_type(data, json_string_value(t)))
                return true;
        }
        return fail(v, where, "type", "should be one of the types the schema names");
    }
    return true;
}

static bool validate_values(const json_t *schema, const json_t *data, const at *where,
                            sim_schema_violation *v)
{
    const json_t *kw;
    char message[160];
    if ((kw = json_object_get(schema, "enum"))) {
        bool found = false;
        size_t i;
        const json_t *e;
        json_array_foreach(kw, i, e) found = found || json_equal(e, (json_t *)data);
        if (!found)
            return fail(v, where, "enum", "should be equal to one of the allowed values");
    }
    if ((kw = json_object_get(schema, "const")) && !json_equal(kw, (json_t *)data))
        return fail(v, where, "const", "should be equal to constant");
    if (json_is_number(data)) {
        double x = json_number_value(data);
        static const struct {
            const char *keyword, *op;
            int sign; /* the data must be above (1) or below (-1) */
            bool strict;
        } bounds[] = {{"minimum", ">=", 1, false},
                      {"maximum", "<=", -1, false},
                      {"exclusiveMinimum", ">", 1, true},
                      {"exclusiveMaximum", "<", -1, true}};
        for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
            if (!(kw = json_object_get(schema, bounds[i].keyword)))
                continue;
            double limit = json_number_value(kw), d = (x - limit) * bounds[i].sign;
            if (d < 0 || (bounds[i].strict && d == 0)) {
                snprintf(message, sizeof(message), "should be %s %g", bounds[i].op, limit);
                return fail(v, where, bounds[i].keyword, message);
            }
        }
    }
    if (json_is_string(data)) {
        size_t n = code_points(json_string_value(data));
        if ((kw = json_object_get(schema, "minLength")) && (double)n < json_number_value(kw))
            return fail(v, where, "minLength", "should not be shorter than minLength");
        if ((kw = json_object_get(schema, "maxLength")) && (double)n > json_number_value(kw))
            return fail(v, where, "maxLength", "should not be longer than maxLength");
    }
    return true;
}

static bool validate_object(const json_t *schema, const json_t *data, const at *where, int depth,
                            sim_schema_violation *v)
{
    const json_t *required = json_object_get(schema, "required");
    const json_t *properties = json_object_get(schema, "properties");
    const json_t *additional = json_object_get(schema, "additionalProperties");
    char message[160];
    size_t i;
    const json_t *name;
    json_array_foreach(required, i, name)
    {
        if (json_is_string(name) && !json_object_get(data, json_string_value(name))) {
            snprintf(message, sizeof(message), "should have required property '%.100s'",
                     json_string_value(name));
            return fail(v, where, "required", message);
        }
    }
    const char *key;
    const json_t *value;
    json_object_foreach((json_t *)data, key, value)
    {
        const json_t *sub = json_object_get(properties, key);
        at next;
        path_join(next.data, sizeof(next.data), where->data, ".%.100s", key);
        if (sub) {
            path_join(next.schema, sizeof(next.schema), where->schema, "/properties/%.100s", key);
        } else if (json_is_false(additional)) {
            snprintf(message, sizeof(message), "should NOT have additional properties ('%.100s')",
                     key);
            return fail(v, where, "additionalProperties", message);
        } else if (json_is_object(additional)) {
            sub = additional;
            path_join(next.schema, sizeof(next.schema), where->schema, "/additionalProperties");
        }
        if (sub && !validate(sub, value, &next, depth + 1, v))
            return false;
    }
    return true;
}

static bool validate_array(const json_t *schema, const json_t *data, const at *where, int depth,
                           sim_schema_violation *v)
{
    const json_t *kw;
    double n = (double)json_array_size(data);
    if ((kw = json_object_get(schema, "minItems")) && n < json_number_value(kw))
        return fail(v, where, "minItems", "should not have fewer items than minItems");
    if ((kw = json_object_get(schema, "maxItems")) && n > json_number_value(kw))
        return fail(v, where, "maxItems", "should not have more items than maxItems");
    const json_t *items = json_object_get(schema, "items");
    size_t i;
    const json_t *item;
    json_array_foreach(data, i, item)
    {
        if (!items)
            break;
        at next;
        path_join(next.data, sizeof(next.data), where->data, "[%zu]", i);
        path_join(next.schema, sizeof(next.schema), where->schema, "/items");
        if (!validate(items, item, &next, depth + 1, v))
            return false;
    }
    return true;
}

static bool validate(const json_t *schema, const json_t *data, const at *where, int depth,
                     sim_schema_violation *v)
{
    if (json_is_true(schema) || depth > MAX_DEPTH)
        return true;
    if (json_is_false(schema))
        return fail(v, where, "false", "no value is allowed here");
    if (!validate_type(schema, data, where, v) || !validate_values(schema, data, where, v))
        return false;
    if (json_is_object(data))
        return validate_object(schema, data, where, depth, v);
    if (json_is_array(data))
        return validate_array(schema, data, where, depth, v);
    return true;
}

bool sim_schema_validate(const json_t *schema, const json_t *data, sim_schema_violation *v)
{
    at root = {"", ""};
    memset(v, 0, sizeof(*v));
    return validate(schema, data, &root, 0, v);
}
