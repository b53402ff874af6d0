/* The JSON body of an integration or webhook create/edit (integrations.h), built from
 * particle_integration_options. Template objects are given as JSON text and checked here,
 * before anything is sent. */
#include "integration_internal.h"

#include <string.h>

#include "http.h"
#include "internal.h"
#include "value_internal.h"

/* Parses @p text (member @p key of the options) into *out; @p object_only refuses any other
 * JSON value. */
static int template_json(json_t **out, const char *key, const char *text, bool object_only)
{
    json_error_t jerr;
    *out = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (*out == NULL) {
        return particle__json_error_is_oom(&jerr)
                   ? particle__error_set(PARTICLE_ENOMEM, NULL)
                   : particle__error_set(PARTICLE_EINVAL, "%s: not JSON (line %d column %d: %s)",
                                         key, jerr.line, jerr.column, jerr.text);
    }
    if (object_only && !json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return particle__error_set(PARTICLE_EINVAL, "%s: must be a JSON object", key);
    }
    return 0;
}

static int add_templates(json_t *body, const particle_integration_options *o)
{
    const struct {
        const char *key, *text;
        bool object_only;
    } templates[] = {
        {"headers", o->headers, true},
        {"query", o->query, true},
        {"json", o->json, false},
        {"form", o->form, true},
    };
    for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++) {
        if (templates[i].text == NULL) {
            continue;
        }
        json_t *value = NULL;
        int error =
            template_json(&value, templates[i].key, templates[i].text, templates[i].object_only);
        if (error == 0) {
            error = particle__json_set(body, templates[i].key, value); /* takes value */
        }
        if (error < 0) {
            return error;
        }
    }
    return 0;
}

static int add_texts(json_t *body, const particle_integration_options *o)
{
    const struct {
        const char *key, *value;
    } texts[] = {
        {"event", o->event},
        {"url", o->url},
        {"requestType", o->request_type},
        {"name", o->name},
        {"deviceID", o->device_id},
        {"body", o->body},
        {"responseTemplate", o->response_template},
        {"responseTopic", o->response_topic},
        {"errorResponseTopic", o->error_response_topic},
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        if (texts[i].value == NULL) {
            continue;
        }
        int error = particle__json_add_text(body, texts[i].key, texts[i].value, texts[i].key);
        if (error < 0) {
            return error;
        }
    }
    return 0;
}

static int add_flags(json_t *body, const particle_integration_options *o)
{
    const struct {
        const char *key;
        particle_tristate value;
    } flags[] = {
        {"noDefaults", o->no_defaults},
        {"rejectUnauthorized", o->reject_unauthorized},
        {"disabled", o->disabled},
        {"mydevices", o->mydevices},
    };
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        if (flags[i].value == PARTICLE_UNSET) {
            continue;
        }
        int error =
            particle__json_set(body, flags[i].key, json_boolean(flags[i].value == PARTICLE_YES));
        if (error < 0) {
            return error;
        }
    }
    return 0;
}

static int add_auth(json_t *body, const particle_integration_options *o)
{
    if (o->auth_username == NULL && o->auth_password == NULL) {
        return 0;
    }
    if (o->auth_username == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "auth: a password needs a username");
    }
    json_t *auth = json_object();
    int error = auth == NULL
                    ? particle__error_set(PARTICLE_ENOMEM, NULL)
                    : particle__json_add_text(auth, "username", o->auth_username, "auth username");
    if (error == 0 && o->auth_password != NULL) {
        error = particle__json_add_text(auth, "password", o->auth_password, "auth password");
    }
    if (error < 0) {
        json_decref(auth);
        return error;
    }
    return particle__json_set(body, "auth", auth);
}

/* What a create needs, checked on the body as it will be sent (the event and url may come
 * from opts->extra, like a particle-cli template file's). */
static int check_create(json_t *body, particle__hook_route route)
{
    if (!json_is_string(json_object_get(body, "event")) ||
        json_string_length(json_object_get(body, "event")) == 0) {
        return particle__error_set(PARTICLE_EINVAL, "a new integration needs an event name");
    }
    const json_t *type = json_object_get(body, "integration_type");
    bool webhook = route == PARTICLE__ROUTE_WEBHOOKS || !json_is_string(type) ||
                   strcmp(json_string_value(type), "Webhook") == 0;
    const json_t *url = json_object_get(body, "url");
    if (webhook && (!json_is_string(url) || json_string_length(url) == 0)) {
        return particle__error_set(PARTICLE_EINVAL, "a new webhook needs a url");
    }
    if (webhook && json_object_get(body, "requestType") == NULL) {
        return particle__json_set(body, "requestType", json_string("POST"));
    }
    return 0;
}

int particle__integration_body(json_t **out, const particle_integration_options *o,
                               particle__hook_route route, bool creating)
{
    *out = NULL;
    if (o == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "integration options are NULL");
    }
    int error =
        particle__options_check(o->version, PARTICLE_INTEGRATION_OPTIONS_VERSION, "integration");
    if (error < 0) {
        return error;
    }
    json_t *body = NULL;
    if (o->extra != NULL) {
        error = template_json(&body, "extra", o->extra, true);
    } else if ((body = json_object()) == NULL) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    if (error == 0 && route == PARTICLE__ROUTE_INTEGRATIONS &&
        (o->integration_type != NULL || json_object_get(body, "integration_type") == NULL)) {
        error = particle__json_add_text(
            body, "integration_type", o->integration_type != NULL ? o->integration_type : "Webhook",
            "integration_type");
    }
    if (error == 0) {
        error = add_texts(body, o);
    }
    if (error == 0) {
        error = add_templates(body, o);
    }
    if (error == 0) {
        error = add_flags(body, o);
    }
    if (error == 0) {
        error = add_auth(body, o);
    }
    if (error == 0 && creating) {
        error = check_create(body, route);
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    *out = body;
    return 0;
}
