/*
 * fuzz_webhook: libFuzzer target for the bridge's webhook receiver (bridge/ingest/webhook.c:
 * POST /api/v1/webhook): httpd's body parsing (JSON, form, multipart), the receiver's field
 * reading, the event check and the writer that stores the event, on the bridge of
 * fuzz/support/fuzz_bridge.h.
 *
 * The input: byte 0 picks the Content-Type (JSON, form, multipart, text, none), the rest is
 * the body. The request carries the webhook secret. Checks: the answer is well-formed
 * (fuzz_http_exchange()), its status one the receiver gives (200/201/204 stored, 400 refused,
 * 413 too large, 503 the writer is busy), and what was accepted gets stored (flushed
 * every 256 inputs, which also bounds the writer's queue).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_bridge.h"
#include "fuzz_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const content_types[] = {
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=XyZ",
    "text/plain",
    NULL,
};

static pu_buf request;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned int inputs;
    unsigned short port = fuzz_bridge_start();
    if (request.data == NULL) {
        pu_buf_init(&request, PU_BUF_UNLIMITED, NULL);
    }
    const char *ct = content_types[size > 0 ? data[0] % 5 : 0];
    const uint8_t *body = size > 0 ? data + 1 : data;
    size_t body_len = size > 0 ? size - 1 : 0;

    char head[256];
    int n = snprintf(head, sizeof head,
                     "POST /api/v1/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "X-Webhook-Secret: %s\r\n%s%s%sContent-Length: %zu\r\n\r\n",
                     FUZZ_BRIDGE_WEBHOOK_SECRET, ct ? "Content-Type: " : "", ct ? ct : "",
                     ct ? "\r\n" : "", body_len);
    FUZZ_CHECK(n > 0 && (size_t)n < sizeof head);
    pu_buf_reset(&request);
    pu_buf_append(&request, head, (size_t)n);
    pu_buf_append(&request, body, body_len);
    FUZZ_CHECK(pu_buf_error(&request) == 0);

    int status = fuzz_http_exchange(port, &request);
    if (status != 200 && status != 201 && status != 204 && status != 400 && status != 413 &&
        status != 503) {
        fprintf(stderr, "webhook answered %d\n", status);
        abort();
    }
    if (++inputs % 256 == 0) {
        fuzz_bridge_flush();
    }
    return 0;
}
