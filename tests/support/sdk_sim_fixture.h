/*
 * The fixture of the SDK-against-particle-sim tests (tests/integration/test_sdk_*_sim.c): an
 * in-process particle-sim with the default fleet on a free loopback port and a libparticle
 * client with the demo user's token, plus the document accessors and a call check the tests
 * share. Include after <cmocka.h>.
 */
#ifndef SDK_SIM_FIXTURE_H
#define SDK_SIM_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "particle/particle.h"
#include "server.h"

#define SDK_SIM_DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567"

typedef struct sim_fixture {
    sim_server *sim;
    char url[64];
    particle_client *c; /* the demo user's token */
} sim_fixture;

static inline particle_client *client_with(const sim_fixture *f, const char *token)
{
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = f->url;
    o.access_token = token;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.request_timeout_ms = 5000;
    o.retry_base_ms = 10;
    o.retry_max_ms = 40;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    return c;
}

static inline int sdk_sim_setup(void **state)
{
    sim_fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    sim_server_options so;
    sim_server_options_init(&so);
    so.port = 0;
    char err[256] = "";
    if (sim_server_new(&f->sim, &so, err, sizeof(err)) < 0 ||
        sim_server_start(f->sim, err, sizeof(err)) < 0) {
        sim_server_free(f->sim);
        free(f);
        fail_msg("particle-sim: %s", err);
    }
    snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%u", (unsigned)sim_server_port(f->sim));
    f->c = client_with(f, SDK_SIM_DEMO_TOKEN);
    *state = f;
    return 0;
}

static inline int sdk_sim_teardown(void **state)
{
    sim_fixture *f = *state;
    particle_client_free(f->c);
    sim_server_free(f->sim);
    free(f);
    return 0;
}

#define ROOT(doc) particle_doc_root(doc)
#define GET(v, key) particle_value_get((v), (key))
#define STR(v, key) particle_value_string(GET((v), (key)))
#define INT(v, key) particle_value_int(GET((v), (key)), -1)

static inline void assert_ok(int rc)
{
    if (rc != 0)
        fail_msg("call failed: %s (%s, HTTP %d)", particle_code_name(rc),
                 particle_error_last()->message, particle_error_last()->http_status);
}

#endif
