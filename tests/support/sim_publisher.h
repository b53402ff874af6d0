/*
 * A steady publisher for tests: a thread that publishes numbered events (data "1", "2",
 * ...) as one particle-sim device through the simulator's control API
 * (POST /sim/devices/:device/events), one every period_ms, until stopped. `published` is
 * the number of the last event the simulator accepted, so it publishes 1..published.
 *
 * Fill the options fields, then sim_publisher_start; sim_publisher_stop joins the thread.
 * The counters may be read from any thread while it runs.
 */
#ifndef TEST_SIM_PUBLISHER_H
#define TEST_SIM_PUBLISHER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

typedef struct sim_publisher {
    /* options */
    unsigned short sim_port;
    const char *token;      /* the simulator's access token */
    const char *device;     /* a device id or name the simulator knows */
    const char *event_name; /* at most 64 characters */
    long period_ms;
    /* state */
    pthread_t thread;
    atomic_bool stop;
    atomic_long published; /* events accepted (200), numbered 1..published */
    atomic_long failures;  /* attempts that were not */
} sim_publisher;

/* Starts the thread; 0 or -1. */
int sim_publisher_start(sim_publisher *p);

/* Stops and joins the thread. */
void sim_publisher_stop(sim_publisher *p);

/* How many event streams the simulator serves now (its /sim/status), -1 if it cannot say:
 * a stream opened without a Last-Event-ID gets only what is published after it opened. */
long sim_sse_subscribers(unsigned short sim_port, const char *token);

#endif
