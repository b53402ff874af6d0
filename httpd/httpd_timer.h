/*
 * A timer thread with a min-heap of deadlines, one per server. It fires delayed responses
 * (httpd_response_delay) so that no worker thread sleeps.
 *
 * Threads: httpd_timer_schedule() may be called from any thread; the fire callback runs
 * on the timer thread (or in httpd_timer_stop) with the timer lock held, so the caller's
 * arm callback and the fire callback never overlap for one entry.
 */
#ifndef HTTPD_TIMER_H
#define HTTPD_TIMER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

typedef void httpd_timer_fn(void *ctx);

typedef struct httpd_timer_entry {
    int64_t deadline_ms; /* monotonic */
    uint64_t seq;        /* keeps equal deadlines in scheduling order */
    void *ctx;
} httpd_timer_entry;

typedef struct httpd_timer {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    httpd_timer_entry *heap;
    size_t count;
    size_t cap;
    uint64_t seq;
    bool stopping;
    httpd_timer_fn *fire;
} httpd_timer;

/* Starts the thread. Returns 0, or -1 if the thread could not be created. */
int httpd_timer_start(httpd_timer *timer, httpd_timer_fn *fire);

/*
 * Schedules fire(@p ctx) in @p delay_ms. @p arm(@p ctx) runs first, under the timer lock
 * (suspend the connection there). Returns false, without calling either callback, once
 * the timer is stopping: the caller must then answer at once.
 */
bool httpd_timer_schedule(httpd_timer *timer, unsigned int delay_ms, void *ctx,
                          httpd_timer_fn *arm);

/* Fires every pending entry now, stops and joins the thread, frees the heap. */
void httpd_timer_stop(httpd_timer *timer);

#endif
