/* Typed integrations (integrations.h) read from the API's JSON. The answer's tree is kept
 * in a wiping particle_doc, since integrations may carry credentials, and every field of
 * the struct borrows from it. */
#include "integration_internal.h"

#include "alloc.h"
#include "internal.h"
#include "value_internal.h"

/* One integration owned on its own: the public struct first, so a pointer to it is a
 * pointer to the box. */
typedef struct integration_box {
    particle_integration pub;
    particle_doc *doc;
} integration_box;

struct particle_integrations {
    particle_integration *items;
    size_t count;
    particle_doc *doc;
};

/* The string member @p a, else @p b, else @p c (NULL names are skipped). */
static const char *text_of(const json_t *obj, const char *a, const char *b, const char *c)
{
    const char *keys[] = {a, b, c};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const json_t *v = keys[i] != NULL ? json_object_get(obj, keys[i]) : NULL;
        if (json_is_string(v)) {
            return json_string_value(v);
        }
    }
    return NULL;
}

/* Member @p key when it has one of the JSON types in @p type_mask (1 << json_type). */
static const particle_value *member_of(const json_t *obj, const char *key, unsigned type_mask)
{
    const json_t *v = json_object_get(obj, key);
    return v != NULL && (type_mask & (1u << json_typeof(v))) != 0 ? particle__value(v) : NULL;
}

static particle_tristate flag_of(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_boolean(v) ? (json_is_true(v) ? PARTICLE_YES : PARTICLE_NO) : PARTICLE_UNSET;
}

/* The integer member @p a (or @p b); -1 when neither is an integer. */
static long long count_of(const json_t *obj, const char *a, const char *b)
{
    const json_t *v = json_object_get(obj, a);
    if (!json_is_integer(v)) {
        v = json_object_get(obj, b);
    }
    return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

#define OBJECT_TYPE (1u << JSON_OBJECT)
#define ARRAY_TYPE (1u << JSON_ARRAY)
#define ANY_TYPE 0xffffffffu

static void fill(particle_integration *it, const json_t *obj)
{
    *it = (particle_integration){
        .id = text_of(obj, "id", NULL, NULL),
        .integration_type = text_of(obj, "integration_type", NULL, NULL),
        .event = text_of(obj, "event", NULL, NULL),
        .url = text_of(obj, "url", NULL, NULL),
        .request_type = text_of(obj, "requestType", NULL, NULL),
        .name = text_of(obj, "name", NULL, NULL),
        .device_id = text_of(obj, "deviceID", "deviceId", "deviceid"),
        .created_at = text_of(obj, "created_at", NULL, NULL),
        .body = text_of(obj, "body", NULL, NULL),
        .response_template = text_of(obj, "responseTemplate", NULL, NULL),
        .response_topic = text_of(obj, "responseTopic", NULL, NULL),
        .error_response_topic = text_of(obj, "errorResponseTopic", NULL, NULL),
        .hook_url = text_of(obj, "hookUrl", "integrationUrl", NULL),
        .headers = member_of(obj, "headers", OBJECT_TYPE),
        .query = member_of(obj, "query", OBJECT_TYPE),
        .json = member_of(obj, "json", OBJECT_TYPE | (1u << JSON_STRING)),
        .form = member_of(obj, "form", OBJECT_TYPE),
        .auth = member_of(obj, "auth", OBJECT_TYPE),
        .product = json_object_get(obj, "product") != NULL
                       ? member_of(obj, "product", ANY_TYPE & ~(1u << JSON_NULL))
                       : member_of(obj, "product_id", ANY_TYPE & ~(1u << JSON_NULL)),
        .no_defaults = flag_of(obj, "noDefaults"),
        .reject_unauthorized = flag_of(obj, "rejectUnauthorized"),
        .disabled = flag_of(obj, "disabled"),
        .mydevices = flag_of(obj, "mydevices"),
        .error_count = count_of(obj, "errorCount", "error_count"),
        .success_count = count_of(obj, "successCount", "success_count"),
        .logs = member_of(obj, "logs", ARRAY_TYPE),
        .errors = member_of(obj, "errors", ARRAY_TYPE),
        .counters = member_of(obj, "counters", ARRAY_TYPE | OBJECT_TYPE),
        .raw = particle__value(obj),
    };
}

/* The object an answer is about: @p root itself, or its member "integration" or "webhook". */
static const json_t *answer_object(const json_t *root)
{
    const char *wrappers[] = {"integration", "webhook"};
    for (size_t i = 0; i < sizeof(wrappers) / sizeof(wrappers[0]); i++) {
        const json_t *inner = json_object_get(root, wrappers[i]);
        if (json_is_object(inner)) {
            return inner;
        }
    }
    return json_is_object(root) ? root : NULL;
}

int particle__integration_from_answer(particle_integration **out, json_t *root)
{
    *out = NULL;
    const json_t *obj = answer_object(root);
    if (obj == NULL) {
        json_decref(root);
        return particle__error_set(PARTICLE_EPROTO, "the integration answer is not an object");
    }
    integration_box *box = particle__calloc(1, sizeof(*box));
    if (box == NULL) {
        json_decref(root);
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    int error = particle__doc_wrap_secret(&box->doc, root); /* takes root */
    if (error < 0) {
        particle__free(box);
        return error;
    }
    fill(&box->pub, obj);
    *out = &box->pub;
    return 0;
}

void particle_integration_free(particle_integration *integration)
{
    if (integration == NULL) {
        return;
    }
    integration_box *box = (integration_box *)(void *)integration;
    particle_doc_free(box->doc);
    particle__free(box);
}

/* The array an answer lists: @p root itself, or its member "integrations" or "webhooks". */
static const json_t *answer_array(const json_t *root)
{
    if (json_is_array(root)) {
        return root;
    }
    const json_t *inner = json_object_get(root, "integrations");
    if (!json_is_array(inner)) {
        inner = json_object_get(root, "webhooks");
    }
    return json_is_array(inner) ? inner : NULL;
}

int particle__integrations_from_answer(particle_integrations **out, json_t *root)
{
    *out = NULL;
    const json_t *array = answer_array(root);
    if (array == NULL) {
        json_decref(root);
        return particle__error_set(PARTICLE_EPROTO, "the integration list answer has no array");
    }
    for (size_t i = 0; i < json_array_size(array); i++) {
        if (!json_is_object(json_array_get(array, i))) {
            json_decref(root);
            return particle__error_set(PARTICLE_EPROTO,
                                       "integration %zu of the list is not an object", i + 1);
        }
    }
    particle_integrations *list = particle__calloc(1, sizeof(*list));
    size_t count = json_array_size(array);
    if (list != NULL && count > 0 &&
        (list->items = particle__calloc(count, sizeof(*list->items))) == NULL) {
        particle__free(list);
        list = NULL;
    }
    if (list == NULL) {
        json_decref(root);
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    int error = particle__doc_wrap_secret(&list->doc, root); /* takes root */
    if (error < 0) {
        particle__free(list->items);
        particle__free(list);
        return error;
    }
    for (size_t i = 0; i < count; i++) {
        fill(&list->items[i], json_array_get(array, i));
    }
    list->count = count;
    *out = list;
    return 0;
}

size_t particle_integrations_count(const particle_integrations *list)
{
    return list != NULL ? list->count : 0;
}

const particle_integration *particle_integrations_at(const particle_integrations *list, size_t i)
{
    return list != NULL && i < list->count ? &list->items[i] : NULL;
}

void particle_integrations_free(particle_integrations *list)
{
    if (list == NULL) {
        return;
    }
    particle_doc_free(list->doc);
    particle__free(list->items);
    particle__free(list);
}
