/*
 * fuzz_sim_request: libFuzzer target for particle-sim's request handling: httpd's request
 * parsing and router, the before hook (tokens, scopes) and every route's handler, on the
 * small fleet of tests/data/fleets/small.json.
 *
 * The simulator runs in-process on loopback port 0 with one worker thread; each input is an
 * HTTP request built by fuzz_http_build() (fuzz/support/fuzz_http.h: method byte, target
 * line, header lines, body) and sent with user a@example.com's token unless the input has
 * its own Authorization header. The answer must be well-formed (fuzz_http_exchange()'s
 * checks: status line, never 500, Content-Length, JSON that parses). The simulator is reset
 * (sim_server_reset: fleet, integrations, libraries, ...) before each input that follows one
 * which may have changed it (fuzz_http_may_change_state: a POST, PUT, DELETE or PATCH not
 * refused), so what an input changes does not reach the ones after it (a deleted device or
 * revoked token comes back). A reset costs more than most inputs' own handling, and most are
 * refused or only read. What still carries over, so a crash's input may not replay it
 * alone: time (the devices' publishers and variables move on between inputs), the few reads that
 * change what they read (the next step of a random walk variable, an MFA enrolment secret), and
 * what a reset leaves alone (the simulator's clock, paused or advanced by the control API; the
 * serial-number lookup limit).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_http.h"
#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DEFAULT_AUTH "Authorization: Bearer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"

static sim_server *sim;
static pu_buf request;
static bool changed_by_last_input; /* false at start: the fleet was just loaded */

static void sim_stop(void)
{
    sim_server_free(sim);
    pu_buf_dispose(&request);
}

static void sim_start(void)
{
    sim_server_options opts;
    sim_server_options_init(&opts);
    opts.fleet_path = FUZZ_FLEET_PATH;
    opts.threads = 1;
    opts.offline_delay_ms = 1; /* an offline device's "Timed out." without the real wait */
    opts.webhook_retries = 1;
    char err[512];
    if (sim_server_new(&sim, &opts, err, sizeof err) != 0 ||
        sim_server_start(sim, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_sim_request: %s\n", err);
        abort();
    }
    pu_buf_init(&request, PU_BUF_UNLIMITED, NULL);
    atexit(sim_stop);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (sim == NULL) {
        sim_start();
    }
    char err[512];
    if (changed_by_last_input)
        FUZZ_CHECK(sim_server_reset(sim, err, sizeof err) == 0);
    fuzz_http_build(data, size, DEFAULT_AUTH, &request);
    int status = fuzz_http_exchange(sim_server_port(sim), &request);
    changed_by_last_input = fuzz_http_may_change_state(data, size, status);
    return 0;
}
