/* Event publishing (cloud-api.md §6.4-6.5), with the JSON body particle-api-js sends. */
#include <string.h>

#include "http.h"
#include "particle/events.h"

int particle_publish_options_init(particle_publish_options *opts, unsigned int version)
{
    static const particle_publish_options defaults = PARTICLE_PUBLISH_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_PUBLISH_OPTIONS_VERSION, "publish");
}

static int publish_body(json_t **out, const particle_publish_options *o)
{
    json_t *body = json_object();
    int error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    if (error == 0) {
        error = particle__json_add_text(body, "name", o->name, "event name");
    }
    if (error == 0) {
        error = particle__json_set(body, "private", json_boolean(!o->is_public));
    }
    if (error == 0 && o->data != NULL) {
        error = particle__json_add_text(body, "data", o->data, "event data");
    }
    if (error == 0 && o->ttl > 0) {
        error = particle__json_set(body, "ttl", json_integer(o->ttl));
    }
    if (error == 0 && o->as_device_id != NULL) {
        error = particle__json_add_text(body, "as_device_id", o->as_device_id, "as_device_id");
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    *out = body;
    return 0;
}

int particle_event_publish(particle_client *c, const particle_publish_options *o)
{
    int error;
    if (c == NULL || o == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client and publish options are required");
    }
    if ((error = particle__options_check(o->version, PARTICLE_PUBLISH_OPTIONS_VERSION, "publish")) <
        0) {
        return error;
    }
    if ((error = particle__require(o->name, "event name")) < 0) {
        return error;
    }
    if (o->ttl < 0) {
        return particle__error_set(PARTICLE_EINVAL, "ttl must not be negative");
    }
    if (o->as_device_id != NULL && o->product == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "as_device_id needs a product");
    }
    char path[512];
    if (o->product != NULL) {
        if ((error = particle__require(o->product, "product id or slug")) < 0) {
            return error;
        }
        char *prod = particle__encode(o->product);
        if (prod == NULL) {
            return PARTICLE_ENOMEM;
        }
        int n = snprintf(path, sizeof(path), "/v1/products/%s/events", prod);
        particle__free(prod);
        if (n < 0 || (size_t)n >= sizeof(path)) {
            return particle__error_set(PARTICLE_EINVAL, "product id or slug is too long");
        }
    } else {
        snprintf(path, sizeof(path), "/v1/devices/events");
    }
    json_t *body = NULL;
    if ((error = publish_body(&body, o)) < 0) {
        return error;
    }
    error =
        particle__http_json(c, "POST", path, body, (o->flags & PARTICLE_REQUEST_RETRY) != 0, NULL);
    json_decref(body);
    return error;
}
