/* Rendering an integration's request for one event (hook_request.h). */
#include "hooks/hook_request.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pu_str.h"

static char *render(const char *tmpl, const sim_hook_vars *v)
{
    pu_buf b;
    pu_buf_xinit(&b);
    sim_hook_template_render(&b, tmpl, v);
    return pu_buf_take(&b, NULL);
}

static char *dup_or_null(const char *s)
{
    return s ? pu_xstrdup(s) : NULL;
}

static bool flag(const json_t *settings, const char *key)
{
    return json_is_true(json_object_get(settings, key));
}

/* The four fields Particle adds unless noDefaults. */
static void add_defaults(json_t *obj, const sim_hook_vars *v)
{
    const char *keys[] = {"event", "data", "published_at", "coreid"};
    const char *values[] = {v->event_name, v->event_value, v->published_at, v->device_id};
    for (size_t i = 0; i < 4; i++)
        if (!json_object_get(obj, keys[i]))
            json_object_set_new(obj, keys[i], values[i] ? json_string(values[i]) : json_null());
}

/* A copy of @p tmpl with every string (keys stay) rendered. */
static json_t *render_json(const json_t *tmpl, const sim_hook_vars *v)
{
    if (json_is_string(tmpl)) {
        char *s = render(json_string_value(tmpl), v);
        json_t *out = json_string(s);
        free(s);
        return out ? out : json_string("");
    }
    if (json_is_object(tmpl)) {
        json_t *out = json_object();
        const char *k;
        json_t *val;
        json_object_foreach((json_t *)tmpl, k, val)
            json_object_set_new(out, k, render_json(val, v));
        return out;
    }
    if (json_is_array(tmpl)) {
        json_t *out = json_array();
        size_t i;
        json_t *val;
        json_array_foreach(tmpl, i, val) json_array_append_new(out, render_json(val, v));
        return out;
    }
    return json_deep_copy(tmpl);
}

/* key=value&... of an object whose values are strings (or null: empty), percent-encoded. */
static char *encode_params(const json_t *obj)
{
    pu_buf b;
    pu_buf_xinit(&b);
    const char *k;
    json_t *val;
    json_object_foreach((json_t *)obj, k, val)
        pu_buf_append_param(&b, k, json_is_string(val) ? json_string_value(val) : "");
    return pu_buf_take(&b, NULL);
}

/* A rendered copy of a {name: template} object. */
static json_t *render_fields(const json_t *obj, const sim_hook_vars *v)
{
    return json_is_object(obj) ? render_json(obj, v) : json_object();
}

static void add_header(sim_hook_job *job, const char *name, const char *value)
{
    pu_buf b;
    pu_buf_xinit(&b);
    pu_buf_append_str(&b, name);
    pu_buf_append_str(&b, ": ");
    for (const char *p = value; *p; p++)
        pu_buf_append_char(&b, (*p == '\r' || *p == '\n') ? ' ' : *p);
    job->headers = realloc(job->headers, (job->header_count + 1) * sizeof(*job->headers));
    if (!job->headers)
        abort();
    job->headers[job->header_count++] = pu_buf_take(&b, NULL);
}

static bool has_header(const json_t *headers, const char *name)
{
    const char *k;
    json_t *val;
    json_object_foreach((json_t *)headers, k, val) if (strcasecmp(k, name) == 0) return true;
    return false;
}

sim_hook_job *sim_hook_request_build(const json_t *settings, const char *hook_id,
                                     const sim_hook_vars *v)
{
    sim_hook_job *job = calloc(1, sizeof(*job));
    if (!job)
        abort();
    pu_strlcpy(job->hook_id, hook_id, sizeof(job->hook_id));
    job->method = pu_xstrdup(json_string_value(json_object_get(settings, "requestType")));
    bool no_defaults = flag(settings, "noDefaults");
    bool body_method = strcmp(job->method, "POST") == 0 || strcmp(job->method, "PUT") == 0;
    const json_t *json_tmpl = json_object_get(settings, "json");
    const json_t *form_t = json_object_get(settings, "form");
    const char *body_t = json_string_value(json_object_get(settings, "body"));
    const json_t *headers = json_object_get(settings, "headers");

    /* url?query */
    pu_buf url;
    pu_buf_xinit(&url);
    sim_hook_template_render(&url, json_string_value(json_object_get(settings, "url")), v);
    json_t *query = render_fields(json_object_get(settings, "query"), v);
    if (!json_tmpl && !form_t && !body_t && !body_method && !no_defaults)
        add_defaults(query, v);
    if (json_object_size(query) > 0) {
        char *q = encode_params(query);
        pu_buf_append_char(&url, strchr(pu_buf_str(&url), '?') ? '&' : '?');
        pu_buf_append_str(&url, q);
        free(q);
    }
    json_decref(query);
    job->url = pu_buf_take(&url, NULL);

    /* body */
    const char *content_type = NULL;
    if (body_t) {
        job->body = render(body_t, v);
    } else if (json_tmpl) {
        json_t *j = render_json(json_tmpl, v);
        if (json_is_object(j) && !no_defaults)
            add_defaults(j, v);
        job->body = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
        json_decref(j);
        content_type = "application/json";
    } else if (form_t || (body_method && !no_defaults)) {
        json_t *f = render_fields(form_t, v);
        if (!no_defaults)
            add_defaults(f, v);
        job->body = encode_params(f);
        json_decref(f);
        content_type = "application/x-www-form-urlencoded";
    }
    if (job->body)
        job->body_len = strlen(job->body);

    /* headers */
    if (content_type && !has_header(headers, "Content-Type"))
        add_header(job, "Content-Type", content_type);
    const char *k;
    json_t *val;
    json_object_foreach((json_t *)headers, k, val)
    {
        char *s = render(json_string_value(val), v);
        add_header(job, k, s);
        free(s);
    }
    /* curl would add "Expect: 100-continue" to large bodies: a receiver need not know it */
    job->headers = realloc(job->headers, (job->header_count + 1) * sizeof(*job->headers));
    if (!job->headers)
        abort();
    job->headers[job->header_count++] = pu_xstrdup("Expect:");

    const json_t *auth = json_object_get(settings, "auth");
    job->username = dup_or_null(json_string_value(json_object_get(auth, "username")));
    job->password = dup_or_null(json_string_value(json_object_get(auth, "password")));
    job->insecure = json_is_false(json_object_get(settings, "rejectUnauthorized"));
    job->event_name = pu_xstrdup(v->event_name);
    job->event_data = dup_or_null(v->event_value);
    job->device_id = pu_xstrdup(v->device_id);
    job->published_at = pu_xstrdup(v->published_at);
    job->product_id = pu_xstrdup(v->product_id);
    return job;
}
