/*
 * Validation of an integration's settings (sim_hooks_validate): what a create or edit body
 * may hold, normalised to what is stored and shown back. Clients spell the device filter
 * deviceID (docs), deviceId (particle-api-js createWebhook) or deviceid (createIntegration):
 * all three are read, deviceID is stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "hooks/hook_template.h"
#include "hooks/hooks.h"
#include "pu_parse.h"
#include "pu_str.h"

/* A string field: *out NULL when absent (or null). false when present but not a string or
 * too long. */
static bool text_field(const json_t *body, const char *key, const char **out)
{
    const json_t *v = json_object_get(body, key);
    *out = json_string_value(v);
    return !v || json_is_null(v) || (json_is_string(v) && strlen(*out) <= SIM_HOOK_TEXT_MAX);
}

/* A boolean field: true/false, or "true"/"false" from a form body. -1 absent, -2 invalid. */
static int bool_field(const json_t *body, const char *key)
{
    const json_t *v = json_object_get(body, key);
    if (!v || json_is_null(v))
        return -1;
    if (json_is_boolean(v))
        return json_is_true(v);
    bool b;
    if (json_is_string(v) && pu_parse_bool(json_string_value(v), &b) == 0)
        return b;
    return -2;
}

/* http(s)://host...; *host gets the host (caller frees with curl_free). */
static const char *check_url(const char *url, char **host)
{
    *host = NULL;
    CURLU *u = curl_url();
    if (!u)
        abort();
    char *scheme = NULL;
    const char *why = NULL;
    /* The URL may hold templates ({{PARTICLE_DEVICE_ID}}): check it with them rendered as a
     * plain word, and its syntax as a template. */
    if (sim_hook_template_check(url)) {
        why = "url: its template does not parse";
    } else if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
               curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
               curl_url_get(u, CURLUPART_HOST, host, 0) != CURLUE_OK) {
        why = "url: must be an absolute http:// or https:// URL";
    } else if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) {
        why = "url: only http:// and https:// URLs are delivered";
    }
    curl_free(scheme);
    curl_url_cleanup(u);
    return why;
}

/* An object whose values are string templates (headers, query, form). */
static const char *check_fields(const json_t *obj, bool header_names)
{
    if (!obj)
        return NULL;
    if (!json_is_object(obj))
        return "headers, query and form must be objects of strings";
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        if (!json_is_string(v) || strlen(json_string_value(v)) > SIM_HOOK_TEXT_MAX)
            return "headers, query and form must be objects of strings";
        if (sim_hook_template_check(json_string_value(v)))
            return sim_hook_template_check(json_string_value(v));
        if (header_names) {
            if (!*k)
                return "headers: a header name is empty";
            for (const char *p = k; *p; p++)
                if (*p <= ' ' || *p == ':' || *p == 0x7f)
                    return "headers: a header name has a space, a colon or a control character";
        }
    }
    return NULL;
}

/* Every string leaf of a json template must parse. */
static const char *check_json_template(const json_t *v)
{
    if (json_is_string(v))
        return sim_hook_template_check(json_string_value(v));
    const char *why = NULL;
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) if (!why) why = check_json_template(x);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) if (!why) why = check_json_template(x);
    }
    return why;
}

static const char *check_request_type(const char *t, char out[8])
{
    const char *types[] = {"GET", "POST", "PUT", "DELETE"};
    for (size_t i = 0; i < 4; i++)
        if (strcasecmp(t, types[i]) == 0) {
            pu_strlcpy(out, types[i], 8);
            return NULL;
        }
    return "requestType: must be GET, POST, PUT or DELETE";
}

/* The device filter under any of its three spellings ("" = none). */
static bool device_field(const json_t *body, const char **out)
{
    const char *keys[] = {"deviceID", "deviceId", "deviceid"};
    *out = NULL;
    for (size_t i = 0; i < 3; i++) {
        const char *v;
        if (!text_field(body, keys[i], &v) || (v && strlen(v) > 64))
            return false;
        if (v && *v && !*out)
            *out = v;
    }
    return true;
}

static const char *check_templates(const json_t *body, json_t *out)
{
    /* plain strings, then templates */
    const char *strings[] = {"name",          "template",          "body", "responseTemplate",
                             "responseTopic", "errorResponseTopic"};
    const size_t first_template = 2;
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        const char *v;
        if (!text_field(body, strings[i], &v))
            return "name, body, responseTemplate, responseTopic, errorResponseTopic and template "
                   "must be strings";
        if (v && i >= first_template && sim_hook_template_check(v))
            return sim_hook_template_check(v);
        if (v)
            json_object_set_new(out, strings[i], json_string(v));
    }
    const char *why = check_fields(json_object_get(body, "headers"), true);
    if (!why)
        why = check_fields(json_object_get(body, "query"), false);
    if (!why)
        why = check_fields(json_object_get(body, "form"), false);
    if (why)
        return why;
    const char *objects[] = {"headers", "query", "form"};
    for (size_t i = 0; i < 3; i++)
        if (json_object_get(body, objects[i]))
            json_object_set(out, objects[i], json_object_get(body, objects[i]));
    const json_t *json = json_object_get(body, "json");
    if (json && !json_is_null(json)) {
        if (!json_is_object(json) && !json_is_array(json))
            return "json: must be an object (or an array)";
        if ((why = check_json_template(json)) != NULL)
            return why;
        json_object_set(out, "json", (json_t *)json);
    }
    int bodies = !!json_object_get(out, "json") + !!json_object_get(out, "form") +
                 !!json_object_get(out, "body");
    if (bodies > 1)
        return "json, form and body: give at most one of them";
    const json_t *auth = json_object_get(body, "auth");
    if (auth && !json_is_null(auth)) {
        const char *user, *password;
        if (!json_is_object(auth) || !text_field(auth, "username", &user) ||
            !text_field(auth, "password", &password) || !user)
            return "auth: must be {\"username\": ..., \"password\": ...}";
        json_object_set_new(
            out, "auth",
            json_pack("{s:s, s:s}", "username", user, "password", password ? password : ""));
    }
    return NULL;
}

static const char *check_flags(const json_t *body, json_t *out)
{
    const char *flags[] = {"noDefaults", "rejectUnauthorized", "disabled", "mydevices"};
    for (size_t i = 0; i < 4; i++) {
        int b = bool_field(body, flags[i]);
        if (b == -2)
            return "noDefaults, rejectUnauthorized, disabled and mydevices must be booleans";
        if (b >= 0)
            json_object_set_new(out, flags[i], json_boolean(b));
    }
    return NULL;
}

const char *sim_hooks_validate(const json_t *body, const json_t *previous, json_t **out)
{
    *out = NULL;
    if (!json_is_object(body))
        return "the body must be a JSON object or a form";
    const char *type, *event, *url, *request_type, *device;
    if (!text_field(body, "integration_type", &type) || !text_field(body, "event", &event) ||
        !text_field(body, "url", &url) || !text_field(body, "requestType", &request_type))
        return "integration_type, event, url and requestType must be strings";
    if (previous) {
        event = event ? event : json_string_value(json_object_get(previous, "event"));
        url = url ? url : json_string_value(json_object_get(previous, "url"));
        request_type = request_type ? request_type
                                    : json_string_value(json_object_get(previous, "requestType"));
    }
    if (type && strcmp(type, "Webhook") != 0)
        return "integration_type: particle-sim delivers only Webhook integrations";
    if (!event || !*event)
        return "event: required (the event name prefix that triggers the webhook)";
    if (strlen(event) > SIM_HOOK_EVENT_MAX)
        return "event: at most 64 characters";
    if (!url || !*url)
        return "url: required";
    if (strlen(url) > SIM_HOOK_TEXT_MAX)
        return "url: too long";
    char method[8];
    const char *why = check_request_type(request_type ? request_type : "POST", method);
    if (why)
        return why;
    if (!device_field(body, &device))
        return "deviceID: must be a device id";
    char *host;
    if ((why = check_url(url, &host)) != NULL) {
        curl_free(host);
        return why;
    }
    json_t *s = json_pack("{s:s, s:s, s:s}", "event", event, "url", url, "requestType", method);
    if (device)
        json_object_set_new(s, "deviceID", json_string(device));
    if (!(why = check_templates(body, s)))
        why = check_flags(body, s);
    if (!why && !json_object_get(s, "name")) {
        char name[SIM_HOOK_EVENT_MAX + 300];
        snprintf(name, sizeof(name), "%s for %.255s", event, host);
        json_object_set_new(s, "name", json_string(name));
    }
    curl_free(host);
    if (why) {
        json_decref(s);
        return why;
    }
    *out = s;
    return NULL;
}
