/* Simulation time = base + (running ? monotonic elapsed since base was taken : 0). */
#include "clock.h"

#include <pthread.h>
#include <stdlib.h>

#include "pu_time.h"

struct sim_clock {
    pthread_mutex_t lock;
    int64_t base_ms;      /* simulation time at base_mono_ms */
    int64_t base_mono_ms; /* monotonic time when base_ms was taken */
    bool paused;
};

sim_clock *sim_clock_new(int64_t start_ms)
{
    sim_clock *c = calloc(1, sizeof(*c));
    if (!c)
        abort();
    pthread_mutex_init(&c->lock, NULL);
    c->base_ms = start_ms ? start_ms : pu_time_now_ms();
    c->base_mono_ms = pu_time_mono_ms();
    return c;
}

void sim_clock_free(sim_clock *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static int64_t now_locked(const sim_clock *c)
{
    return c->paused ? c->base_ms : c->base_ms + (pu_time_mono_ms() - c->base_mono_ms);
}

int64_t sim_clock_now(sim_clock *c)
{
    pthread_mutex_lock(&c->lock);
    int64_t now = now_locked(c);
    pthread_mutex_unlock(&c->lock);
    return now;
}

void sim_clock_pause(sim_clock *c)
{
    pthread_mutex_lock(&c->lock);
    c->base_ms = now_locked(c);
    c->paused = true;
    pthread_mutex_unlock(&c->lock);
}

void sim_clock_resume(sim_clock *c)
{
    pthread_mutex_lock(&c->lock);
    if (c->paused) {
        c->paused = false;
        c->base_mono_ms = pu_time_mono_ms();
    }
    pthread_mutex_unlock(&c->lock);
}

bool sim_clock_paused(sim_clock *c)
{
    pthread_mutex_lock(&c->lock);
    bool p = c->paused;
    pthread_mutex_unlock(&c->lock);
    return p;
}

void sim_clock_advance(sim_clock *c, int64_t ms)
{
    if (ms <= 0)
        return;
    pthread_mutex_lock(&c->lock);
    c->base_ms += ms;
    pthread_mutex_unlock(&c->lock);
}
