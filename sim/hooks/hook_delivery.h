/*
 * The webhook delivery worker: one thread running a libcurl multi handle, so many requests
 * are in flight at once and none of them holds the model lock, an HTTP worker or the SSE hub.
 *
 *  - Jobs wait in one bounded FIFO (queue_cap). Submitting to a full queue fails at once: the
 *    caller counts the delivery as dropped (the event is not delivered; docs/SIM.md).
 *  - At most per_hook_limit requests of one integration and max_in_flight in all are in flight;
 *    a job whose integration is at its limit waits without blocking the jobs of others.
 *  - Each request has connect and total timeouts; a response body is kept up to body_cap
 *    bytes and the rest is read and dropped (the outcome says it was truncated).
 *  - Unless allow_external, a request may connect only to loopback addresses: the address
 *    curl resolved is checked when it opens the socket (CURLOPT_OPENSOCKETFUNCTION), so a
 *    name that resolves elsewhere is refused too, and the outcome says so (refused).
 *  - Redirects are not followed; only http and https.
 *
 * When a request ends, the done callback runs on the worker thread with no lock of the
 * worker held. It returns a delay in ms to run the same job again (a retry; job->attempt
 * grows), or -1 when the job is finished (the worker frees it).
 *
 * Threads: submit, cancel and the counters from any thread; new/start/stop/free from one.
 */
#ifndef SIM_HOOK_DELIVERY_H
#define SIM_HOOK_DELIVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sim_hook_delivery_options {
    bool allow_external;             /* connect to any address, not only loopback */
    unsigned int per_hook_limit;     /* requests in flight per integration; 0 = 8 */
    unsigned int max_in_flight;      /* in all; 0 = 256 */
    unsigned int queue_cap;          /* jobs waiting or in flight; 0 = 20000 */
    unsigned int connect_timeout_ms; /* 0 = 5000 */
    unsigned int timeout_ms;         /* whole request; 0 = 20000 */
    size_t body_cap;                 /* response bytes kept; 0 = 100 KiB */
} sim_hook_delivery_options;

/* A rendered request and what the done callback needs to answer it. Every string is owned by
 * the job (sim_hook_job_free). */
typedef struct sim_hook_job {
    struct sim_hook_job *next; /* the worker's lists */
    char hook_id[25];
    char *method; /* GET POST PUT DELETE */
    char *url;
    char **headers; /* "Name: value", header_count of them */
    size_t header_count;
    char *body; /* NULL = none */
    size_t body_len;
    char *username, *password; /* basic auth; NULL = none */
    bool insecure;             /* rejectUnauthorized false */
    /* The event it delivers (for response topics and templates). */
    char *event_name, *event_data, *device_id, *published_at, *product_id;
    int64_t enqueued_mono_ms; /* when it was first submitted (bench, logs) */
    unsigned int attempt;     /* 0 for the first try */
    int64_t due_mono_ms;      /* not before (retries) */
} sim_hook_job;

typedef struct sim_hook_outcome {
    long status;       /* HTTP status, 0 when there was no response */
    const char *error; /* transport error text, NULL when a response came */
    bool refused;      /* not sent: the address is not loopback */
    const char *body;  /* response body (NUL-terminated), up to body_cap bytes */
    size_t body_len;
    bool truncated; /* the body was longer than body_cap */
} sim_hook_outcome;

typedef int64_t sim_hook_done_fn(void *payload, sim_hook_job *job, const sim_hook_outcome *out);

typedef struct sim_hook_delivery sim_hook_delivery;

/* NULL-safe; frees every string of @p job and the job. */
void sim_hook_job_free(sim_hook_job *job);

sim_hook_delivery *sim_hook_delivery_new(const sim_hook_delivery_options *opts,
                                         sim_hook_done_fn *done, void *payload);
/* Starts the worker thread: 0, or -1. */
int sim_hook_delivery_start(sim_hook_delivery *d);
/* Queues @p job (taken on success). false: the queue is full or the worker is stopped, and
 * the job stays the caller's. */
bool sim_hook_delivery_submit(sim_hook_delivery *d, sim_hook_job *job);
/* Drops the waiting jobs of integration @p hook_id (those in flight finish). Returns how
 * many were dropped. */
size_t sim_hook_delivery_cancel(sim_hook_delivery *d, const char *hook_id);
/* Jobs waiting plus in flight. */
size_t sim_hook_delivery_pending(sim_hook_delivery *d);
/* Stops the worker: requests in flight are abandoned, waiting jobs dropped. */
void sim_hook_delivery_stop(sim_hook_delivery *d);
void sim_hook_delivery_free(sim_hook_delivery *d); /* NULL-safe; stops first */

#endif
