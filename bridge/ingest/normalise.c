#include "ingest/normalise.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/vitals_flatten.h"
#include "pu_str.h"

bool bridge_parse_number(const char *text, double *out)
{
    if (text == NULL) {
        return false;
    }
    while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r') {
        text++;
    }
    if (*text == '\0') {
        return false;
    }
    errno = 0;
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || errno == ERANGE || !isfinite(v)) {
        return false;
    }
    /* strtod accepts "inf", "nan" and hex; isfinite rules out the first two, this the last. */
    if (strpbrk(text, "xXpP") != NULL) {
        return false;
    }
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r') {
        end++;
    }
    if (*end != '\0') {
        return false;
    }
    *out = v;
    return true;
}

char *bridge_notify_text(const char *tmpl, const char *name, const char *id)
{
    size_t cap = strlen(tmpl) + 1, len = 0;
    const char *p;
    /* Each placeholder grows the text by at most the longer of name and id. */
    size_t extra = strlen(name) > strlen(id) ? strlen(name) : strlen(id);
    for (p = tmpl; (p = strchr(p, '{')) != NULL; p++) {
        if (__builtin_add_overflow(cap, extra, &cap)) {
            return NULL;
        }
    }
    char *out = malloc(cap);
    if (out == NULL) {
        return NULL;
    }
    for (p = tmpl; *p;) {
        const char *sub = NULL;
        size_t skip = 0;
        if (strncmp(p, "{name}", 6) == 0) {
            sub = name, skip = 6;
        } else if (strncmp(p, "{id}", 4) == 0) {
            sub = id, skip = 4;
        }
        if (sub != NULL) {
            size_t n = strlen(sub);
            memcpy(out + len, sub, n);
            len += n;
            p += skip;
        } else {
            out[len++] = *p++;
        }
    }
    out[len] = '\0';
    return out;
}

static char *own(bridge_norm_out *out, char *s)
{
    if (s == NULL) {
        return NULL;
    }
    char **grown = realloc(out->owned, (out->owned_count + 1) * sizeof *grown);
    if (grown == NULL) {
        free(s);
        return NULL;
    }
    out->owned = grown;
    out->owned[out->owned_count++] = s;
    return s;
}

static int add_measurement(bridge_norm_out *out, const char *device_id, const char *name,
                           double value, int64_t ts, const char *source)
{
    bridge_measurement *grown =
        realloc(out->measurements, (out->measurement_count + 1) * sizeof *grown);
    if (grown == NULL) {
        return -1;
    }
    out->measurements = grown;
    out->measurements[out->measurement_count++] =
        (bridge_measurement){device_id, name, value, ts, source};
    return 0;
}

static int add_post(bridge_norm_out *out, const char *device_id, const char *kind, const char *name,
                    const char *message, int64_t ts)
{
    bridge_status_post *grown = realloc(out->posts, (out->post_count + 1) * sizeof *grown);
    if (grown == NULL) {
        return -1;
    }
    out->posts = grown;
    out->posts[out->post_count++] = (bridge_status_post){device_id, kind, name, message, ts};
    return 0;
}

static bool is_system_event(const char *name)
{
    return strncmp(name, "spark/", 6) == 0 || strncmp(name, "particle/", 9) == 0 ||
           strncmp(name, "hook-sent/", 10) == 0 || strncmp(name, "hook-response/", 14) == 0 ||
           strncmp(name, "hook-error/", 11) == 0;
}

/* The status of a spark/flash/status event (cloud-api.md 6.6) as a constant string, or NULL
 * when @p data is none of them. */
static const char *flash_status_of(const char *data)
{
    static const char *const statuses[] = {"started", "success", "failed"};
    for (size_t i = 0; data != NULL && i < sizeof statuses / sizeof statuses[0]; i++) {
        if (strcmp(data, statuses[i]) == 0) {
            return statuses[i];
        }
    }
    return NULL;
}

/* One measurement per numeric or boolean field of a JSON object; -1 on OOM, else how many
 * fields it found (0 when the text is not an object). */
static int object_measurements(bridge_norm_out *out, const bridge_event_in *ev, int64_t ts)
{
    json_error_t jerr;
    json_t *root = json_loads(ev->data, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL || !json_is_object(root)) {
        json_decref(root);
        return 0;
    }
    int found = 0;
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        double v;
        if (json_is_number(value)) {
            v = json_number_value(value);
        } else if (json_is_boolean(value)) {
            v = json_is_true(value) ? 1 : 0;
        } else {
            continue;
        }
        char *name = own(out, pu_xstrdup(key));
        if (name == NULL || add_measurement(out, ev->device_id, name, v, ts, ev->source) != 0) {
            json_decref(root);
            return -1;
        }
        found++;
    }
    json_decref(root);
    return found;
}

int bridge_normalise_event(bridge_norm_out *out, const bridge_norm_settings *s,
                           const bridge_event_in *ev)
{
    memset(out, 0, sizeof *out);
    int64_t ts = ev->published_at_ms > 0 ? ev->published_at_ms : ev->received_at_ms;
    bridge_record *r = &out->record;
    r->kind = BRIDGE_RECORD_EVENT;
    r->device_id = ev->device_id;
    r->event_name = ev->name;
    r->event_data = ev->data;
    r->published_at_ms = ts;
    r->source = ev->source;
    r->received_at_ms = ev->received_at_ms;
    r->online = -1;

    const char *name = s->name && s->name[0] ? s->name : ev->device_id;
    if (strcmp(ev->name, "spark/status") == 0 && ev->data != NULL &&
        (strcmp(ev->data, "online") == 0 || strcmp(ev->data, "offline") == 0)) {
        bool online = ev->data[1] == 'n';
        const bridge_notify_option *opt = online ? s->online_notify : s->offline_notify;
        r->online = online;
        if (opt != NULL && opt->post_status_message) {
            char *text = own(out, bridge_notify_text(opt->message, name, ev->device_id));
            if (text == NULL ||
                add_post(out, ev->device_id, online ? "online" : "offline", "", text, ts) != 0) {
                goto oom;
            }
        }
    } else if (strcmp(ev->name, "spark/device/diagnostics/update") == 0) {
        /* Vitals are kept whatever the device's settings, like its online history; a payload
         * that is not a JSON object stays a raw event only. */
        if (bridge_vitals_flatten(&out->vitals, ev->device_id, ts, ev->source, ev->data) == 0) {
            r->vitals = &out->vitals;
        }
    } else if (strcmp(ev->name, "spark/flash/status") == 0) {
        /* kept whatever the device's settings, like its online history; other data (none
         * documented) stays a raw event only */
        r->flash_status = flash_status_of(ev->data);
    } else if (s->enabled && !is_system_event(ev->name)) {
        double v;
        int fields = 0;
        if (bridge_parse_number(ev->data, &v)) {
            if (s->publish_unknown_as_measurements &&
                add_measurement(out, ev->device_id, ev->name, v, ts, ev->source) != 0) {
                goto oom;
            }
            fields = 1;
        } else if (ev->data != NULL && ev->data[0] == '{' && s->publish_unknown_as_measurements) {
            fields = object_measurements(out, ev, ts);
            if (fields < 0) {
                goto oom;
            }
        }
        if (fields == 0 && s->publish_unknown_as_status_posts) {
            const char *msg = ev->data && ev->data[0] ? ev->data : ev->name;
            if (add_post(out, ev->device_id, "event", ev->name, msg, ts) != 0) {
                goto oom;
            }
        }
    }
    r->measurements = out->measurements;
    r->measurement_count = out->measurement_count;
    r->posts = out->posts;
    r->post_count = out->post_count;
    return 0;
oom:
    bridge_norm_out_dispose(out);
    return -1;
}

int bridge_normalise_reading(bridge_norm_out *out, const bridge_norm_settings *s,
                             const bridge_reading_in *rd)
{
    (void)s;
    memset(out, 0, sizeof *out);
    bridge_record *r = &out->record;
    r->kind = BRIDGE_RECORD_READING;
    r->device_id = rd->device_id;
    r->source = "poll";
    r->received_at_ms = rd->ts_ms;
    r->online = -1;
    int rc;
    if (rd->kind == BRIDGE_READING_STRING) {
        rc = add_post(out, rd->device_id, "variable", rd->variable, rd->text ? rd->text : "",
                      rd->ts_ms);
    } else {
        rc = add_measurement(out, rd->device_id, rd->variable, rd->number, rd->ts_ms, "poll");
    }
    if (rc != 0) {
        bridge_norm_out_dispose(out);
        return -1;
    }
    r->measurements = out->measurements;
    r->measurement_count = out->measurement_count;
    r->posts = out->posts;
    r->post_count = out->post_count;
    return 0;
}

void bridge_norm_out_dispose(bridge_norm_out *out)
{
    if (out == NULL) {
        return;
    }
    free(out->measurements);
    free(out->posts);
    for (size_t i = 0; i < out->owned_count; i++) {
        free(out->owned[i]);
    }
    free(out->owned);
    memset(out, 0, sizeof *out);
}
