#include "ingest/webhook.h"

#include <string.h>

#include "ingest/event_check.h"
#include "pu_time.h"

/* Seconds a sender is asked to wait while the store refuses writes. */
#define RETRY_AFTER_S "5"
/* How long a post waits for its event to be stored before it answers 503: the answer 200
 * means stored, so a bridge killed right after answering loses nothing. */
#define STORE_WAIT_MS 5000

/* A field of a webhook body: Particle's default names first, then the alternatives. */
static const char *body_field(json_t *body, const char *a, const char *b)
{
    json_t *v = json_object_get(body, a);
    if (v == NULL && b != NULL) {
        v = json_object_get(body, b);
    }
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Reads the event out of @p body into @p ev; NULL, or why the body is not an event. */
static const char *read_event(json_t *body, bridge_event_in *ev)
{
    const char *published = body_field(body, "published_at", NULL);
    json_t *data_v = json_object_get(body, "data");
    *ev = (bridge_event_in){.device_id = body_field(body, "coreid", "device_id"),
                            .name = body_field(body, "event", "name"),
                            .data = json_is_string(data_v) ? json_string_value(data_v) : NULL,
                            .received_at_ms = pu_time_now_ms(),
                            .source = "webhook"};
    if (json_object_size(body) == 0) {
        return "empty body: send the event as JSON or form fields "
               "(event, data, published_at, coreid)";
    }
    if (data_v != NULL && !json_is_null(data_v) && ev->data == NULL) {
        return "data: must be a string (Particle sends event data as text)";
    }
    if (published != NULL && pu_time_parse_iso8601(published, &ev->published_at_ms) != 0) {
        return "published_at: expected an ISO 8601 time like 2025-01-31T12:00:00.000Z";
    }
    return bridge_event_check(ev);
}

void bridge_webhook_post(const httpd_request *req, httpd_response *res, void *payload)
{
    bridge_webhook *hook = payload;
    atomic_fetch_add(&hook->metrics->webhook_requests, 1);
    bridge_event_in ev;
    const char *reason = read_event(httpd_request_body(req), &ev);
    if (reason != NULL) {
        atomic_fetch_add(&hook->metrics->webhook_rejected, 1);
        httpd_response_error(res, 400, reason);
        return;
    }
    int rc = bridge_writer_offer_event(hook->writer, &ev, STORE_WAIT_MS);
    if (rc != 0) {
        /* Particle's webhooks retry a 5xx: the event comes again (and is stored once) */
        httpd_response_header(res, "Retry-After", RETRY_AFTER_S);
        httpd_response_error(res, 503,
                             rc == BRIDGE_WRITER_BUSY ? "the store is not writable now; retry later"
                             : rc == BRIDGE_WRITER_PENDING
                                 ? "the event is not stored yet; retry later"
                                 : "the bridge is shutting down; retry later");
        return;
    }
    httpd_response_json(res, 200, json_pack("{s:b}", "ok", 1));
}
