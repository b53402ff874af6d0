/**
 * @file integrations.h
 * @brief Integrations (webhooks): create, list, get, edit, delete and test, in user, product
 *        and organization scope, and the legacy `/v1/webhooks` routes
 *        (reference: cloud-api.md §10, particle-api-js.md §2.3).
 *
 * An integration answer comes back as a typed particle_integration whose fields are read
 * from the API's JSON; particle_integration.raw keeps the whole object so that fields this
 * header does not name stay reachable. Integration answers may carry credentials (basic
 * auth, header values): their memory is wiped when they are freed, and so is every request
 * body the calls here build.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_INTEGRATIONS_H
#define PARTICLE_INTEGRATIONS_H

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/**
 * Where an integration lives. Both NULL (or a NULL scope pointer) = the user's own
 * `/v1/integrations`; `product` = `/v1/products/:product/integrations`; `org` =
 * `/v1/orgs/:org/integrations`. Setting both is PARTICLE_EINVAL (particle-api-js rejects
 * it too). This struct has exactly these two members and never grows.
 */
typedef struct particle_integration_scope {
    const char *product; /**< product id or slug */
    const char *org;     /**< organization slug or id */
} particle_integration_scope;

/**
 * The settings of an integration for create and edit. Unset fields (NULL, PARTICLE_UNSET)
 * are not sent. The four template objects are JSON text, checked before anything is sent.
 * An edit replaces the whole configuration (the API does not merge), so pass every setting
 * the integration should keep.
 */
typedef struct particle_integration_options {
    unsigned int version;             /**< PARTICLE_INTEGRATION_OPTIONS_VERSION */
    const char *integration_type;     /**< `integration_type`; NULL = "Webhook" (integration
                                           routes only; the legacy routes send none) */
    const char *event;                /**< `event`: the event-name prefix (required to create) */
    const char *url;                  /**< `url` (a webhook needs one to be created) */
    const char *request_type;         /**< `requestType`: GET, POST, PUT, DELETE; NULL = "POST" on
                                           create, not sent on edit */
    const char *name;                 /**< `name` */
    const char *device_id;            /**< `deviceID`: only this device's events */
    const char *headers;              /**< `headers`: a JSON object of strings */
    const char *query;                /**< `query`: a JSON object */
    const char *json;                 /**< `json`: any JSON value (a template object or string) */
    const char *form;                 /**< `form`: a JSON object */
    const char *body;                 /**< `body`: a custom body template (sent as a string) */
    const char *auth_username;        /**< `auth.username` (HTTP basic auth at the receiver) */
    const char *auth_password;        /**< `auth.password`; needs auth_username */
    const char *response_template;    /**< `responseTemplate` */
    const char *response_topic;       /**< `responseTopic` */
    const char *error_response_topic; /**< `errorResponseTopic` */
    particle_tristate no_defaults;    /**< `noDefaults` */
    particle_tristate reject_unauthorized; /**< `rejectUnauthorized` */
    particle_tristate disabled;            /**< `disabled` */
    particle_tristate mydevices;           /**< `mydevices` (legacy webhooks) */
    const char *extra; /**< a JSON object whose members are sent too (other integration
                            types' settings, a particle-cli template file); the fields
                            above win over its members */
} particle_integration_options;

#define PARTICLE_INTEGRATION_OPTIONS_VERSION 1
#define PARTICLE_INTEGRATION_OPTIONS_INIT                                                          \
    {                                                                                              \
        PARTICLE_INTEGRATION_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,      \
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, PARTICLE_UNSET, PARTICLE_UNSET,        \
            PARTICLE_UNSET, PARTICLE_UNSET, NULL                                                   \
    }

/** Fills @p opts with PARTICLE_INTEGRATION_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_integration_options_init(particle_integration_options *opts,
                                                   unsigned int version);

/**
 * One integration as the API described it. Every pointer is borrowed from the object (or,
 * for list items, from the list) and is NULL when the API did not send the field (or sent
 * it with another JSON type). The library allocates this struct: new fields are only ever
 * appended, so never allocate or copy one yourself.
 */
typedef struct particle_integration {
    const char *id;                        /**< `id` */
    const char *integration_type;          /**< `integration_type` ("Webhook", ...) */
    const char *event;                     /**< `event` */
    const char *url;                       /**< `url` */
    const char *request_type;              /**< `requestType` */
    const char *name;                      /**< `name` */
    const char *device_id;                 /**< `deviceID` (or `deviceId` / `deviceid`) */
    const char *created_at;                /**< `created_at` (ISO 8601 text) */
    const char *body;                      /**< `body` */
    const char *response_template;         /**< `responseTemplate` */
    const char *response_topic;            /**< `responseTopic` */
    const char *error_response_topic;      /**< `errorResponseTopic` */
    const char *hook_url;                  /**< `hookUrl` / `integrationUrl` (create answers) */
    const particle_value *headers;         /**< `headers` object */
    const particle_value *query;           /**< `query` object */
    const particle_value *json;            /**< `json` (object or string) */
    const particle_value *form;            /**< `form` object */
    const particle_value *auth;            /**< `auth` object {username, password} */
    const particle_value *product;         /**< `product` / `product_id` (a number or a slug) */
    particle_tristate no_defaults;         /**< `noDefaults` */
    particle_tristate reject_unauthorized; /**< `rejectUnauthorized` */
    particle_tristate disabled;            /**< `disabled` */
    particle_tristate mydevices;           /**< `mydevices` */
    long long error_count;          /**< `errorCount` (or `error_count`): failed deliveries in a
                                         row; -1 when absent */
    long long success_count;        /**< `successCount` (or `success_count`); -1 when absent */
    const particle_value *logs;     /**< `logs`: the last request/response pairs (GET only) */
    const particle_value *errors;   /**< `errors`: the last failures (GET only) */
    const particle_value *counters; /**< `counters` (GET only) */
    const particle_value *raw;      /**< the whole integration object */
} particle_integration;

/** Frees an integration returned through `**out`. NULL-safe. Never pass a list item. */
PARTICLE_API void particle_integration_free(particle_integration *integration);

/** A list of integrations (opaque). */
typedef struct particle_integrations particle_integrations;

/** @return the number of integrations in @p list (0 for NULL). */
PARTICLE_API size_t particle_integrations_count(const particle_integrations *list);

/** @return integration @p i, borrowed from @p list; NULL when out of range. */
PARTICLE_API const particle_integration *particle_integrations_at(const particle_integrations *list,
                                                                  size_t i);

/** Frees @p list and every item borrowed from it. NULL-safe. */
PARTICLE_API void particle_integrations_free(particle_integrations *list);

/**
 * Creates an integration: `POST <scope>/integrations` with JSON {integration_type, event,
 * url, requestType, ...} → 201 {ok, id, url, event, name, created_at, hookUrl} (an answer
 * wrapped as {"integration": {...}} is read too). Not retried on 5xx or network errors.
 * @param[out] out the new integration; NULL = not needed
 * @param scope    NULL = the user's integrations
 * @return 0; PARTICLE_EINVAL (no event; a webhook without url; a template that is not the
 *         JSON it must be; product and org both set), PARTICLE_EHTTP (400 from the API),
 *         PARTICLE_ENOTFOUND, PARTICLE_EAUTH, PARTICLE_EPROTO (no object answer), transport
 *         codes.
 */
PARTICLE_API int particle_integration_create(particle_integration **out, particle_client *client,
                                             const particle_integration_scope *scope,
                                             const particle_integration_options *opts);

/**
 * Lists integrations: `GET <scope>/integrations` → a bare array (or {"integrations": [...]}
 * / {"webhooks": [...]}, which particle-cli accepts too).
 * @param[out] out the list; free with particle_integrations_free()
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EAUTH, PARTICLE_EPROTO (no list
 *         in the answer), transport codes.
 */
PARTICLE_API int particle_integration_list(particle_integrations **out, particle_client *client,
                                           const particle_integration_scope *scope);

/**
 * Gets one integration with its delivery logs and error counters:
 * `GET <scope>/integrations/:id` → {"integration": {...}}.
 * @param[out] out the integration; free with particle_integration_free()
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EAUTH, PARTICLE_EPROTO,
 *         transport codes.
 */
PARTICLE_API int particle_integration_get(particle_integration **out, particle_client *client,
                                          const particle_integration_scope *scope, const char *id);

/**
 * Replaces an integration's configuration: `PUT <scope>/integrations/:id` with the same
 * JSON as create → {"integration": {...}}. Not retried on 5xx or network errors.
 * @param[out] out the integration as it now is; NULL = not needed
 * @return as particle_integration_create(), plus PARTICLE_ENOTFOUND for an unknown id.
 */
PARTICLE_API int particle_integration_edit(particle_integration **out, particle_client *client,
                                           const particle_integration_scope *scope, const char *id,
                                           const particle_integration_options *opts);

/**
 * Deletes an integration: `DELETE <scope>/integrations/:id` → 204.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EAUTH, transport codes.
 */
PARTICLE_API int particle_integration_delete(particle_client *client,
                                             const particle_integration_scope *scope,
                                             const char *id);

/**
 * Sends one sample event through an integration: `POST <scope>/integrations/:id/test` with
 * JSON {data?, device_id?} → {"pass": bool, "data": ..., "error"?: "..."}.
 * @param[out] out     the answer; NULL = not needed (free with particle_doc_free())
 * @param data         the event data; NULL = the API's default ("test-event")
 * @param device_id    the sender; NULL = the API's default ("api")
 * @return 0 whatever `pass` says; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EAUTH,
 *         transport codes.
 */
PARTICLE_API int particle_integration_test(particle_doc **out, particle_client *client,
                                           const particle_integration_scope *scope, const char *id,
                                           const char *data, const char *device_id);

/* ---- the legacy /v1/webhooks routes (particle-api-js createWebhook and friends) ---- */

/**
 * Creates a webhook: `POST /v1/webhooks` (or `/v1/products/:product/webhooks`) with JSON
 * {event, url, requestType, deviceID?, ...}; opts->integration_type is not sent.
 * @param[out] out     the new webhook; NULL = not needed
 * @param product      NULL = the user's webhooks
 * @return as particle_integration_create().
 */
PARTICLE_API int particle_webhook_create(particle_integration **out, particle_client *client,
                                         const char *product,
                                         const particle_integration_options *opts);

/** Lists webhooks: `GET /v1/webhooks` (or the product route); answers as
 *  particle_integration_list(). */
PARTICLE_API int particle_webhook_list(particle_integrations **out, particle_client *client,
                                       const char *product);

/** Gets one webhook: `GET /v1/webhooks/:id` (or the product route); the answer may be
 *  the object itself, {"webhook": {...}} or {"integration": {...}}. */
PARTICLE_API int particle_webhook_get(particle_integration **out, particle_client *client,
                                      const char *product, const char *id);

/** Deletes a webhook: `DELETE /v1/webhooks/:id` (or the product route) → 204. */
PARTICLE_API int particle_webhook_delete(particle_client *client, const char *product,
                                         const char *id);

PARTICLE_END_DECL

#endif
