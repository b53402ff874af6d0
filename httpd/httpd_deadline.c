/* The per-connection request deadline (see httpd_deadline.h). */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "httpd_alloc.h"
#include "httpd_deadline.h"
#include "pu_log.h"
#include "pu_time.h"

/* A late connection is closed at most deadline / SWEEPS_PER_DEADLINE after its deadline. */
#define SWEEPS_PER_DEADLINE 4
#define MAX_SWEEP_MS 1000

/* Shuts down every connection past its deadline; returns how many. Lock held. */
static unsigned int sweep(httpd_deadline *d)
{
    int64_t now = pu_time_mono_ms();
    unsigned int closed = 0;
    for (httpd_watch *w = d->head; w; w = w->next) {
        int64_t due = atomic_load(&w->due_ms);
        if (due == 0 || due > now)
            continue;
        atomic_store(&w->due_ms, 0);
        shutdown(w->fd, SHUT_RDWR);
        closed++;
    }
    return closed;
}

static void *deadline_main(void *arg)
{
    httpd_deadline *d = arg;
    int64_t period = d->deadline_ms / SWEEPS_PER_DEADLINE;
    if (period < 1)
        period = 1;
    if (period > MAX_SWEEP_MS)
        period = MAX_SWEEP_MS;
    pthread_mutex_lock(&d->lock);
    while (!d->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += (time_t)(period / 1000);
        until.tv_nsec += (long)(period % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        int rc = 0;
        while (!d->stopping && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&d->cond, &d->lock, &until);
        if (d->stopping)
            break;
        unsigned int closed = sweep(d);
        if (closed > 0)
            pu_log(PU_LOG_WARN, "httpd",
                   "closed %u connection(s) that sent no complete request within %lld ms", closed,
                   (long long)d->deadline_ms);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

int httpd_deadline_start(httpd_deadline *d, int64_t deadline_ms)
{
    d->deadline_ms = deadline_ms;
    d->head = NULL;
    d->stopping = false;
    pthread_mutex_init(&d->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&d->cond, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&d->thread, NULL, deadline_main, d) != 0) {
        pthread_cond_destroy(&d->cond);
        pthread_mutex_destroy(&d->lock);
        return -1;
    }
    d->started = true;
    return 0;
}

void httpd_deadline_stop(httpd_deadline *d)
{
    if (!d->started)
        return;
    pthread_mutex_lock(&d->lock);
    d->stopping = true;
    pthread_cond_signal(&d->cond);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    for (httpd_watch *w = d->head, *next; w; w = next) {
        next = w->next;
        free(w);
    }
    d->head = NULL;
    pthread_cond_destroy(&d->cond);
    pthread_mutex_destroy(&d->lock);
    d->started = false;
}

httpd_watch *httpd_deadline_watch(httpd_deadline *d, int fd)
{
    httpd_watch *w = httpd_xcalloc(1, sizeof(*w));
    w->fd = fd;
    atomic_init(&w->due_ms, pu_time_mono_ms() + d->deadline_ms);
    pthread_mutex_lock(&d->lock);
    w->next = d->head;
    if (d->head)
        d->head->prev = w;
    d->head = w;
    pthread_mutex_unlock(&d->lock);
    return w;
}

void httpd_deadline_forget(httpd_deadline *d, httpd_watch *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&d->lock);
    if (w->prev)
        w->prev->next = w->next;
    else
        d->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    pthread_mutex_unlock(&d->lock);
    free(w);
}

void httpd_deadline_disarm(httpd_watch *w)
{
    if (w)
        atomic_store(&w->due_ms, 0);
}

void httpd_deadline_rearm(httpd_deadline *d, httpd_watch *w)
{
    if (w)
        atomic_store(&w->due_ms, pu_time_mono_ms() + d->deadline_ms);
}
