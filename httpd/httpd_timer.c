/* Timer thread with a binary min-heap of deadlines (see httpd_timer.h). */
#include "httpd_timer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "httpd_alloc.h"
#include "pu_time.h"

static bool entry_before(const httpd_timer_entry *a, const httpd_timer_entry *b)
{
    return a->deadline_ms < b->deadline_ms || (a->deadline_ms == b->deadline_ms && a->seq < b->seq);
}

static void heap_swap(httpd_timer_entry *heap, size_t i, size_t j)
{
    httpd_timer_entry tmp = heap[i];
    heap[i] = heap[j];
    heap[j] = tmp;
}

static void heap_push(httpd_timer *t, httpd_timer_entry entry)
{
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->heap = httpd_xrealloc(t->heap, httpd_xmul(t->cap, sizeof(*t->heap)));
    }
    size_t i = t->count++;
    t->heap[i] = entry;
    while (i > 0 && entry_before(&t->heap[i], &t->heap[(i - 1) / 2])) {
        heap_swap(t->heap, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static httpd_timer_entry heap_pop(httpd_timer *t)
{
    httpd_timer_entry top = t->heap[0];
    t->heap[0] = t->heap[--t->count];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, min = i;
        if (l < t->count && entry_before(&t->heap[l], &t->heap[min]))
            min = l;
        if (r < t->count && entry_before(&t->heap[r], &t->heap[min]))
            min = r;
        if (min == i)
            break;
        heap_swap(t->heap, i, min);
        i = min;
    }
    return top;
}

static void wait_until(httpd_timer *t, int64_t deadline_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t wait_ms = deadline_ms - pu_time_mono_ms();
    if (wait_ms <= 0)
        return;
    ts.tv_sec += (time_t)(wait_ms / 1000);
    ts.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&t->cond, &t->lock, &ts);
}

static void *timer_main(void *arg)
{
    httpd_timer *t = arg;
    pthread_mutex_lock(&t->lock);
    while (!t->stopping) {
        if (t->count == 0) {
            pthread_cond_wait(&t->cond, &t->lock);
            continue;
        }
        if (t->heap[0].deadline_ms <= pu_time_mono_ms()) {
            httpd_timer_entry e = heap_pop(t);
            t->fire(e.ctx);
            continue;
        }
        wait_until(t, t->heap[0].deadline_ms);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

int httpd_timer_start(httpd_timer *t, httpd_timer_fn *fire)
{
    memset(t, 0, sizeof(*t));
    t->fire = fire;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cond, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&t->lock, NULL);
    if (pthread_create(&t->thread, NULL, timer_main, t) != 0) {
        pthread_cond_destroy(&t->cond);
        pthread_mutex_destroy(&t->lock);
        return -1;
    }
    return 0;
}

bool httpd_timer_schedule(httpd_timer *t, unsigned int delay_ms, void *ctx, httpd_timer_fn *arm)
{
    pthread_mutex_lock(&t->lock);
    if (t->stopping) {
        pthread_mutex_unlock(&t->lock);
        return false;
    }
    arm(ctx);
    httpd_timer_entry e = {pu_time_mono_ms() + delay_ms, t->seq++, ctx};
    heap_push(t, e);
    if (t->heap[0].seq == e.seq)
        pthread_cond_signal(&t->cond); /* new earliest deadline */
    pthread_mutex_unlock(&t->lock);
    return true;
}

void httpd_timer_stop(httpd_timer *t)
{
    pthread_mutex_lock(&t->lock);
    t->stopping = true;
    while (t->count > 0) {
        httpd_timer_entry e = heap_pop(t);
        t->fire(e.ctx);
    }
    pthread_cond_signal(&t->cond);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);
    free(t->heap);
    t->heap = NULL;
    t->cap = 0;
    pthread_cond_destroy(&t->cond);
    pthread_mutex_destroy(&t->lock);
}
