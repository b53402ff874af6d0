/*
 * sim_server: particle-sim in a box. Loads the fleet, owns the model, the clock, the SSE hub,
 * the publisher ticker thread, optional rate limits and --state persistence, and serves the
 * routes on an httpd server. Tests and the demo run it in-process on port 0.
 *
 * Threads: new/start/stop/free from one controlling thread. sim_server_port() and
 * sim_server_model() may be read from any thread after start (the model with its lock).
 */
#ifndef SIM_SERVER_H
#define SIM_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/sim_model.h"

typedef struct sim_server sim_server;

typedef struct sim_server_options {
    const char *listen_addr;        /* numeric address; NULL = "127.0.0.1" */
    unsigned short port;            /* 0 = any free port */
    const char *fleet_path;         /* JSON fixture; NULL = the built-in default fleet */
    uint64_t seed;                  /* device ids and behaviour; default 1 */
    unsigned int offline_delay_ms;  /* before an offline device's "Timed out."; default 1000 */
    unsigned int device_latency_ms; /* round trip to an online device (variable, function,
                                       ping); default 0 */
    unsigned int keepalive_ms;      /* SSE keep-alive after this much silence; default 9000 */
    bool rate_limit;                /* the real cloud's per-IP limits (§3.3); default off */
    const char *state_path;         /* SQLite file for --state; NULL = memory only */
    unsigned int threads;           /* HTTP worker threads; 0 = number of CPUs */
    /* HTTP hardening, passed to httpd (httpd.h: 0 / NULL = its defaults) */
    unsigned int max_connections;        /* all clients */
    unsigned int max_connections_per_ip; /* per client address */
    unsigned int request_deadline_s;     /* to send one whole request */
    const char *cors_origins;            /* allowed origins: list, "*" or NULL = none */
    bool allow_external_webhooks;        /* deliver webhooks beyond loopback; default off */
    unsigned int webhook_retry_ms;       /* first webhook retry delay; 0 = 1000 (hooks/hooks.h) */
    unsigned int webhook_retries;        /* retries of a failed webhook delivery; 0 = 3 */
} sim_server_options;

/* Fills @p opts with the defaults above. */
void sim_server_options_init(sim_server_options *opts);

/* Loads the fleet and state and prepares the routes (nothing listens yet). Returns 0, or -1
 * with a message in @p err (a bad fixture names the file and what is wrong). */
int sim_server_new(sim_server **out, const sim_server_options *opts, char *err, size_t err_size);
/* Binds, starts serving and starts the publisher ticker. Returns 0 or -1 with @p err. */
int sim_server_start(sim_server *s, char *err, size_t err_size);
/* The bound port (after start). */
unsigned short sim_server_port(const sim_server *s);
/* The model (lock it with sim_model_lock before use). */
sim_model *sim_server_model(sim_server *s);
/* Stops serving and the ticker; safe to call twice. */
void sim_server_stop(sim_server *s);
/* Stops if needed and frees everything. NULL-safe. */
void sim_server_free(sim_server *s);
/* Back to the initial fleet: drops run-time tokens and changes (and the --state contents).
 * Returns 0, or -1 with @p err. */
int sim_server_reset(sim_server *s, char *err, size_t err_size);

#endif
