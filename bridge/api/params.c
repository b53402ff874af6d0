/* The API's query-parameter parser (params.h). */
#include "api/params.h"

#include <stdio.h>
#include <string.h>

#include "pu_parse.h"
#include "pu_str.h"
#include "pu_time.h"

/* 9999-12-31T23:59:59.999Z: epoch milliseconds beyond it are not a time anyone means. */
#define MAX_EPOCH_MS INT64_C(253402300799999)

void bridge_params_init(bridge_params *p, const bridge_param_spec *specs, size_t count)
{
    memset(p, 0, sizeof *p);
    p->specs = specs;
    p->count = count < BRIDGE_PARAMS_MAX ? count : BRIDGE_PARAMS_MAX;
}

const char *bridge_param_type_name(bridge_param_type type)
{
    switch (type) {
    case BRIDGE_PARAM_INT:
        return "integer";
    case BRIDGE_PARAM_BOOL:
        return "boolean";
    case BRIDGE_PARAM_TIME:
        return "time";
    case BRIDGE_PARAM_ENUM:
        return "choice";
    case BRIDGE_PARAM_STRING:
        return "string";
    case BRIDGE_PARAM_ID:
        return "id";
    case BRIDGE_PARAM_CURSOR:
        return "cursor";
    }
    return "value";
}

static bool refuse(bridge_params *p, const char *name, const char *message)
{
    pu_strlcpy(p->bad, name, sizeof p->bad);
    pu_strlcpy(p->message, message, sizeof p->message);
    return false;
}

static bool id_chars(const char *s)
{
    for (; *s != '\0'; s++) {
        char c = *s;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

static void choices_text(const bridge_param_spec *spec, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; spec->choices[i] != NULL; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s", i > 0 ? ", " : "", spec->choices[i]);
    }
}

/* Parses @p value by @p spec into @p out; false after refusing. */
static bool parse_value(bridge_params *p, const bridge_param_spec *spec, const char *value,
                        bridge_param_value *out)
{
    char msg[BRIDGE_PARAM_MESSAGE_SIZE];
    size_t len = strlen(value);
    if (len == 0) {
        return refuse(p, spec->name, "expected a value, got an empty one");
    }
    if (len > BRIDGE_PARAM_MAX_TEXT) {
        snprintf(msg, sizeof msg, "too long: at most %d characters", BRIDGE_PARAM_MAX_TEXT);
        return refuse(p, spec->name, msg);
    }
    if (spec->type == BRIDGE_PARAM_ID && !id_chars(value)) {
        return refuse(p, spec->name, "expected letters, digits, '-' and '_' only");
    }
    bool flag;
    switch (spec->type) {
    case BRIDGE_PARAM_INT:
        if (pu_parse_int64(value, spec->min, spec->max, &out->num) != 0) {
            snprintf(msg, sizeof msg, "expected a whole number from %lld to %lld",
                     (long long)spec->min, (long long)spec->max);
            return refuse(p, spec->name, msg);
        }
        break;
    case BRIDGE_PARAM_BOOL:
        if (pu_parse_bool(value, &flag) != 0) {
            return refuse(p, spec->name, "expected true or false");
        }
        out->num = flag;
        break;
    case BRIDGE_PARAM_TIME:
        if (pu_time_parse_iso8601(value, &out->num) != 0 &&
            pu_parse_int64(value, 0, MAX_EPOCH_MS, &out->num) != 0) {
            return refuse(p, spec->name,
                          "expected an RFC 3339 time (2025-01-31T12:00:00Z) or epoch milliseconds");
        }
        break;
    case BRIDGE_PARAM_ENUM: {
        for (size_t i = 0; spec->choices[i] != NULL; i++) {
            if (strcmp(spec->choices[i], value) == 0) {
                out->num = (int64_t)i;
                out->text = value;
                return true;
            }
        }
        char list[160];
        choices_text(spec, list, sizeof list);
        snprintf(msg, sizeof msg, "expected one of: %s", list);
        return refuse(p, spec->name, msg);
    }
    case BRIDGE_PARAM_ID:
    case BRIDGE_PARAM_STRING:
    case BRIDGE_PARAM_CURSOR:
        if (spec->max > 0 && (int64_t)len > spec->max) {
            snprintf(msg, sizeof msg, "too long: at most %lld characters", (long long)spec->max);
            return refuse(p, spec->name, msg);
        }
        break;
    }
    out->text = value;
    return true;
}

bool bridge_params_add(bridge_params *p, const char *name, const char *value)
{
    if (p->bad[0] != '\0') {
        return false;
    }
    for (size_t i = 0; i < p->count; i++) {
        if (strcmp(p->specs[i].name, name) != 0) {
            continue;
        }
        if (p->values[i].text != NULL) {
            return refuse(p, name, "given more than once");
        }
        return parse_value(p, &p->specs[i], value != NULL ? value : "", &p->values[i]);
    }
    return refuse(p, name[0] != '\0' ? name : "(empty name)", "unknown parameter for this route");
}

const bridge_param_value *bridge_params_get(const bridge_params *p, const char *name)
{
    for (size_t i = 0; i < p->count; i++) {
        if (strcmp(p->specs[i].name, name) == 0) {
            return &p->values[i];
        }
    }
    return NULL;
}

const char *bridge_params_text(const bridge_params *p, const char *name)
{
    const bridge_param_value *v = bridge_params_get(p, name);
    return v != NULL ? v->text : NULL;
}
