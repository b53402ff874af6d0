/*
 * fuzz_bridge_request: libFuzzer target for particle-bridge's request handling: httpd's
 * request parsing and router, the API key check and every route's handler (devices,
 * settings, measurements, status posts, reports in each format, health, metrics), on a
 * bridge synced from particle-sim's small fleet (fuzz/support/fuzz_bridge.h).
 *
 * Each input is an HTTP request built by fuzz_http_build() (fuzz/support/fuzz_http.h:
 * method byte, target line, header lines, body), sent with the bridge's API key unless the
 * input has its own Authorization header; the answer must be well-formed
 * (fuzz_http_exchange()'s checks). The content negotiation (Accept, ?format=) decides the
 * format, so JSON, CSV, XML and SenML answers are all reached; a JSON one must parse.
 * Inputs that may have changed the store are counted (fuzz_bridge_changed), so the store
 * stays bounded.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_bridge.h"
#include "fuzz_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DEFAULT_AUTH "Authorization: Bearer " FUZZ_BRIDGE_API_KEY "\r\n"

static pu_buf request;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned short port = fuzz_bridge_start();
    if (request.data == NULL) {
        pu_buf_init(&request, PU_BUF_UNLIMITED, NULL);
    }
    fuzz_http_build(data, size, DEFAULT_AUTH, &request);
    int status = fuzz_http_exchange(port, &request);
    if (fuzz_http_may_change_state(data, size, status)) {
        fuzz_bridge_changed();
    }
    return 0;
}
