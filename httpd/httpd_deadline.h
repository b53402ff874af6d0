/*
 * A request deadline for every connection of a server: the time a client has to send one
 * complete request (request line, headers and body), counted from the moment the
 * connection opens or its previous response has been sent. libmicrohttpd only offers an
 * idle timeout (MHD_OPTION_CONNECTION_TIMEOUT), which a client that trickles one byte at
 * a time never trips; this closes such connections.
 *
 * Connections are learnt through MHD's connection notifications (httpd_server.c): a watch
 * is added when MHD reports a connection started and removed when it reports it closed,
 * which MHD does before it closes the socket. One thread sweeps the watches a few times per
 * deadline and shuts down (shutdown(2), not close) the socket of every connection past its
 * deadline; MHD then sees the end of the stream and cleans the connection up itself, on
 * its own thread. Removal and the shutdown happen under one lock, so a socket number is
 * never shut down after MHD has closed it (and possibly reused it).
 *
 * Threads: every function may be called from any thread.
 */
#ifndef HTTPD_DEADLINE_H
#define HTTPD_DEADLINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct httpd_watch {
    struct httpd_watch *prev, *next;
    int fd;
    atomic_int_least64_t due_ms; /* monotonic; 0 = no deadline running */
} httpd_watch;

typedef struct httpd_deadline {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    bool started;
    bool stopping;
    int64_t deadline_ms;
    httpd_watch *head;
} httpd_deadline;

/* Prepares @p d with @p deadline_ms (> 0) and starts its thread. Returns 0 or -1. */
int httpd_deadline_start(httpd_deadline *d, int64_t deadline_ms);
/* Stops the thread and frees any watch left. Safe on a never-started deadline. */
void httpd_deadline_stop(httpd_deadline *d);

/* A new connection on socket @p fd, with its deadline running. */
httpd_watch *httpd_deadline_watch(httpd_deadline *d, int fd);
/* The connection is closing: forget it (before MHD closes the socket). NULL-safe. */
void httpd_deadline_forget(httpd_deadline *d, httpd_watch *w);
/* The request is complete: its deadline no longer runs. NULL-safe. */
void httpd_deadline_disarm(httpd_watch *w);
/* A response has been sent: the next request's deadline starts now. NULL-safe. */
void httpd_deadline_rearm(httpd_deadline *d, httpd_watch *w);

#endif
