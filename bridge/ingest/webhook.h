/*
 * The webhook receiver: POST /api/v1/webhook, where a Particle webhook (JSON or form body:
 * event, data, published_at, coreid; also name and device_id) delivers an event. The body
 * passes the event check the stream's events pass (ingest/event_check.h) and goes to the
 * writer with source "webhook". While the writer is stalled on a failing store (or its
 * queue is full) the receiver answers 503 with Retry-After, so the sender posts it again:
 * nothing is dropped, and the exactly-once keys make a repeat harmless.
 *
 * The route and its authentication (the shared secret) belong to the API (api/routes.c).
 * Threads: the handler runs on the server's worker threads; writer and metrics are
 * thread-safe.
 */
#ifndef BRIDGE_WEBHOOK_H
#define BRIDGE_WEBHOOK_H

#include "httpd.h"
#include "ingest/writer.h"
#include "metrics.h"

typedef struct bridge_webhook {
    bridge_writer *writer;   /* borrowed */
    bridge_metrics *metrics; /* borrowed */
} bridge_webhook;

/* The route's handler; @p payload is a bridge_webhook that outlives the server. */
void bridge_webhook_post(const httpd_request *req, httpd_response *res, void *payload);

#endif
