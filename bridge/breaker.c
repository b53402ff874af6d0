#include "breaker.h"

bool bridge_breaker_allows(const bridge_breaker_state *s, int64_t now_ms)
{
    return !s->faulted || now_ms >= s->reset_at_ms;
}

bool bridge_breaker_success(bridge_breaker_state *s)
{
    bool changed = s->fault_count != 0 || s->faulted || s->trips != 0;
    s->fault_count = 0;
    s->faulted = false;
    s->reset_at_ms = 0;
    s->trips = 0;
    return changed;
}

bool bridge_breaker_failure(bridge_breaker_state *s, const bridge_breaker_policy *p, int64_t now_ms)
{
    if (s->fault_count < 1000000) {
        s->fault_count++;
    }
    if ((unsigned int)s->fault_count < p->threshold) {
        return false;
    }
    if (s->faulted && now_ms < s->reset_at_ms) {
        return false; /* a request sent before the trip: already counted by that trip */
    }
    /* Faulted (again): the delay doubles per trip without a success in between. */
    int64_t delay = p->reset_ms;
    for (int i = 0; i < s->trips && delay < p->max_reset_ms; i++) {
        delay *= 2;
    }
    if (delay > p->max_reset_ms) {
        delay = p->max_reset_ms;
    }
    if (s->trips < 1000) {
        s->trips++;
    }
    s->faulted = true;
    s->reset_at_ms = now_ms + delay;
    return true;
}
