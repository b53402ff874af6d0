/* The Mustache subset of webhook templates (hook_template.h). */
#include "hooks/hook_template.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 128

typedef enum tag_kind { TAG_ESCAPED, TAG_RAW, TAG_COMMENT } tag_kind;

typedef struct tag {
    tag_kind kind;
    const char *name; /* not NUL-terminated */
    size_t name_len;
    const char *end; /* first byte after the tag */
} tag;

static bool name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

static const char *skip_spaces(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* Parses the tag at @p p (which starts with "{{"); NULL on success, else why not. */
static const char *parse_tag(const char *p, tag *t)
{
    bool triple = p[2] == '{';
    const char *start = p + (triple ? 3 : 2);
    const char *close = strstr(start, triple ? "}}}" : "}}");
    if (!close)
        return "template: a {{ tag is not closed";
    t->end = close + (triple ? 3 : 2);
    t->kind = triple ? TAG_RAW : TAG_ESCAPED;
    const char *q = skip_spaces(start, close);
    if (!triple && q < close) {
        switch (*q) {
        case '!':
            t->kind = TAG_COMMENT;
            t->name = q;
            t->name_len = 0;
            return NULL;
        case '&':
            t->kind = TAG_RAW;
            q = skip_spaces(q + 1, close);
            break;
        case '#':
        case '^':
        case '/':
        case '>':
        case '=':
            return "template: sections, partials and delimiter changes are not supported";
        default:
            break;
        }
    }
    const char *n = q;
    while (q < close && name_char(*q))
        q++;
    t->name = n;
    t->name_len = (size_t)(q - n);
    if (skip_spaces(q, close) != close || t->name_len == 0 || t->name_len > NAME_MAX_LEN)
        return "template: a tag must name one variable (letters, digits, _ . -)";
    return NULL;
}

const char *sim_hook_template_check(const char *tmpl)
{
    for (const char *p = strstr(tmpl, "{{"); p; p = strstr(p, "{{")) {
        tag t;
        const char *why = parse_tag(p, &t);
        if (why)
            return why;
        p = t.end;
    }
    return NULL;
}

static void append_escaped(pu_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&':
            pu_buf_append_str(out, "&amp;");
            break;
        case '<':
            pu_buf_append_str(out, "&lt;");
            break;
        case '>':
            pu_buf_append_str(out, "&gt;");
            break;
        case '"':
            pu_buf_append_str(out, "&quot;");
            break;
        case '\'':
            pu_buf_append_str(out, "&#39;");
            break;
        case '/':
            pu_buf_append_str(out, "&#x2F;");
            break;
        case '`':
            pu_buf_append_str(out, "&#x60;");
            break;
        case '=':
            pu_buf_append_str(out, "&#x3D;");
            break;
        default:
            pu_buf_append_char(out, s[i]);
        }
    }
}

static bool name_is(const tag *t, const char *name)
{
    return strlen(name) == t->name_len && memcmp(t->name, name, t->name_len) == 0;
}

/* The custom field at dotted path t->name, or NULL. */
static json_t *custom_field(json_t *obj, const tag *t)
{
    const char *p = t->name, *end = t->name + t->name_len;
    while (obj && p < end) {
        const char *dot = memchr(p, '.', (size_t)(end - p));
        size_t len = dot ? (size_t)(dot - p) : (size_t)(end - p);
        char key[NAME_MAX_LEN + 1];
        memcpy(key, p, len);
        key[len] = '\0';
        obj = json_is_object(obj) ? json_object_get(obj, key) : NULL;
        p += len + (dot ? 1 : 0);
    }
    return obj;
}

/* The value of @p t as text: *owned is set when the caller must free it. */
static const char *lookup(const tag *t, const sim_hook_vars *v, char **owned)
{
    *owned = NULL;
    if (name_is(t, "PARTICLE_EVENT_NAME"))
        return v->event_name;
    if (name_is(t, "PARTICLE_EVENT_VALUE"))
        return v->event_value;
    if (name_is(t, "PARTICLE_DEVICE_ID"))
        return v->device_id;
    if (name_is(t, "PARTICLE_PUBLISHED_AT"))
        return v->published_at;
    if (name_is(t, "PRODUCT_ID"))
        return v->product_id;
    json_t *f = custom_field(v->custom, t);
    if (!f || json_is_null(f))
        return NULL;
    if (json_is_string(f))
        return json_string_value(f);
    *owned = json_dumps(f, JSON_COMPACT | JSON_ENCODE_ANY);
    return *owned;
}

void sim_hook_template_render(pu_buf *out, const char *tmpl, const sim_hook_vars *vars)
{
    const char *p = tmpl;
    for (const char *open = strstr(p, "{{"); open; open = strstr(p, "{{")) {
        pu_buf_append(out, p, (size_t)(open - p));
        tag t;
        if (parse_tag(open, &t) != NULL) {
            pu_buf_append_str(out, open);
            return;
        }
        p = t.end;
        if (t.kind == TAG_COMMENT)
            continue;
        char *owned;
        const char *value = lookup(&t, vars, &owned);
        if (value && t.kind == TAG_RAW)
            pu_buf_append_str(out, value);
        else if (value)
            append_escaped(out, value, strlen(value));
        free(owned);
    }
    pu_buf_append_str(out, p);
}

json_t *sim_hook_custom_fields(const char *data)
{
    if (!data || data[0] != '{')
        return NULL;
    json_t *j = json_loads(data, JSON_REJECT_DUPLICATES, NULL);
    if (j && !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}
