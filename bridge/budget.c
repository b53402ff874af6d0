/* The shared request budget (budget.h): a sliding-window limiter plus a 429 pause. */
#include "budget.h"

#include <particle/particle.h>
#include <pthread.h>
#include <stdlib.h>

#include "pu_ratelimit.h"
#include "pu_time.h"

#define WINDOW_MS (5 * 60 * 1000)
#define DEFAULT_PER_5MIN 9000
#define DEFAULT_PAUSE_MS 5000
#define WAIT_STEP_MS 200 /* how often a waiting taker looks again */

struct bridge_budget {
    pu_ratelimit *window;
    pthread_mutex_t lock;
    int64_t paused_until_ms; /* monotonic */
};

bridge_budget *bridge_budget_new(unsigned int per_5min)
{
    bridge_budget *b = calloc(1, sizeof *b);
    if (b == NULL) {
        return NULL;
    }
    b->window = pu_ratelimit_new(per_5min ? per_5min : DEFAULT_PER_5MIN, WINDOW_MS, 1);
    pthread_mutex_init(&b->lock, NULL);
    return b;
}

int64_t bridge_budget_paused_until(bridge_budget *b)
{
    pthread_mutex_lock(&b->lock);
    int64_t until = b->paused_until_ms;
    pthread_mutex_unlock(&b->lock);
    return until > pu_time_mono_ms() ? until : 0;
}

bool bridge_budget_take(bridge_budget *b, int64_t *retry_in_ms)
{
    return bridge_budget_take_n(b, 1, retry_in_ms);
}

bool bridge_budget_take_n(bridge_budget *b, unsigned int n, int64_t *retry_in_ms)
{
    int64_t until = bridge_budget_paused_until(b);
    int64_t retry = 0;
    bool ok = until == 0 && pu_ratelimit_hit_n(b->window, "cloud", pu_time_now_ms(), n, &retry);
    if (!ok && until != 0) {
        retry = until - pu_time_mono_ms();
    }
    if (retry_in_ms != NULL) {
        *retry_in_ms = ok ? 0 : (retry > 0 ? retry : 1);
    }
    return ok;
}

bool bridge_budget_take_wait(bridge_budget *b, int64_t max_wait_ms)
{
    int64_t deadline = pu_time_mono_ms() + max_wait_ms;
    int64_t retry = 0;
    while (!bridge_budget_take(b, &retry)) {
        int64_t left = deadline - pu_time_mono_ms();
        if (left <= 0) {
            return false;
        }
        int64_t step = retry < WAIT_STEP_MS ? retry : WAIT_STEP_MS;
        pu_time_sleep_ms(step < left ? step : left);
    }
    return true;
}

void bridge_budget_pause(bridge_budget *b, long retry_after_ms)
{
    int64_t until = pu_time_mono_ms() + (retry_after_ms > 0 ? retry_after_ms : DEFAULT_PAUSE_MS);
    pthread_mutex_lock(&b->lock);
    if (until > b->paused_until_ms) {
        b->paused_until_ms = until;
    }
    pthread_mutex_unlock(&b->lock);
}

void bridge_budget_free(bridge_budget *b)
{
    if (b == NULL) {
        return;
    }
    pu_ratelimit_free(b->window);
    pthread_mutex_destroy(&b->lock);
    free(b);
}

bool bridge_budget_note_failure(bridge_budget *b)
{
    const particle_error *e = particle_error_last();
    if (e->code != PARTICLE_ERATELIMIT) {
        return false;
    }
    bridge_budget_pause(b, e->retry_after_ms);
    return true;
}
