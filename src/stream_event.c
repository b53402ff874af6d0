/* Decoding one stream event's payload: {"data","ttl","published_at","coreid",...}. The
 * cloud's flat object takes the fast path (stream_event_flat.c); anything else, and every
 * malformed payload, is decoded here into a jansson tree. */
#include "stream_internal.h"

#include <string.h>

#include "value_internal.h"

/* ttl is a number in particle-api-js's types and a string ("60") in the documented
 * examples; accept both. Anything else, or out of range, is "absent" (-1). */
static int ttl_from(const json_t *v)
{
    if (json_is_integer(v))
        return particle__event_ttl_integer(json_integer_value(v));
    if (json_is_string(v))
        return particle__event_ttl_text(json_string_value(v));
    return -1;
}

static const char *string_or_empty(const json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : "";
}

int particle__event_decode_tree(particle__decoded_event *out, const char *name, const char *json,
                                size_t json_len, const char *id)
{
    memset(out, 0, sizeof(*out));
    json_error_t jerr;
    json_t *root = json_loadb(json, json_len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        if (particle__json_error_is_oom(&jerr)) /* also the lexer's own allocation */
            return particle__error_set(PARTICLE_ENOMEM, NULL);
        return particle__error_set(PARTICLE_EPROTO, "event \"%s\": data is not JSON: %s", name,
                                   jerr.text);
    }
    if (!json_is_object(root)) {
        json_decref(root);
        return particle__error_set(PARTICLE_EPROTO, "event \"%s\": data is not a JSON object",
                                   name);
    }
    particle_event *ev = &out->ev;
    ev->name = name;
    ev->id = id;
    ev->json = json;
    ev->json_len = json_len;

    const json_t *data = json_object_get(root, "data");
    if (json_is_string(data)) {
        ev->data = json_string_value(data);
        ev->data_len = json_string_length(data);
    } else if (data != NULL && !json_is_null(data)) {
        /* Not what the cloud sends, but keep the value rather than drop it. */
        out->text = particle__json_dumps(data, JSON_ENCODE_ANY | JSON_COMPACT);
        if (out->text == NULL) {
            json_decref(root);
            return particle__error_set(PARTICLE_ENOMEM, NULL);
        }
        ev->data = out->text;
        ev->data_len = strlen(out->text);
    }
    ev->ttl = ttl_from(json_object_get(root, "ttl"));
    ev->coreid = string_or_empty(json_object_get(root, "coreid"));
    ev->published_at = string_or_empty(json_object_get(root, "published_at"));
    ev->published_at_ms = particle__event_time_ms(ev->published_at);
    out->root = root; /* now owned by out */
    return 0;
}

int particle__event_decode(particle__decoded_event *out, const char *name, const char *json,
                           size_t json_len, const char *id)
{
    int rc = particle__event_decode_flat(out, name, json, json_len, id);
    if (rc != PARTICLE__EVENT_NOT_FLAT)
        return rc;
    return particle__event_decode_tree(out, name, json, json_len, id);
}

void particle__event_dispose(particle__decoded_event *d)
{
    json_decref(d->root);
    particle__free(d->text);
    memset(d, 0, sizeof(*d));
}
