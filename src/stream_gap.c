/*
 * Noticing that a resumed event stream missed events: the server's ":gap" comment, or ids
 * that go backwards. Ids are compared only when they are decimal numbers (what particle-sim
 * sends); anything else leaves the tracker without a last id. An announced gap is held
 * until the next event, so two announcements of one loss make one report.
 */
#include "stream_internal.h"

#include <string.h>

#include "pu_parse.h"

/* A decimal id in 0..INT64_MAX (what particle-sim's ids stay below until 2089). */
static bool numeric_id(const char *text, size_t len, uint64_t *out)
{
    char buf[24];
    int64_t v;
    if (len == 0 || len >= sizeof(buf))
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (pu_parse_int64(buf, 0, INT64_MAX, &v) != 0)
        return false;
    *out = (uint64_t)v;
    return true;
}

void particle__gap_connect(particle__gap_tracker *t, const char *sent_id)
{
    t->has_last = numeric_id(sent_id, strlen(sent_id), &t->last);
}

bool particle__gap_event(particle__gap_tracker *t, const char *id, long long *missed,
                         uint64_t *after)
{
    uint64_t n;
    if (id == NULL)
        return false;
    if (!numeric_id(id, strlen(id), &n)) {
        t->has_last = false;
        return false;
    }
    bool backwards = t->has_last && n <= t->last;
    *missed = -1;
    *after = t->last;
    t->has_last = true;
    t->last = n;
    return backwards;
}

bool particle__gap_comment(const particle__gap_tracker *t, const char *text, size_t len,
                           long long *missed, bool *has_after, uint64_t *after)
{
    if (len < 3 || memcmp(text, "gap", 3) != 0)
        return false;
    uint64_t n;
    if (len == 3)
        *missed = -1;
    else if (text[3] == ' ' && numeric_id(text + 4, len - 4, &n))
        *missed = (long long)n;
    else
        return false; /* some other comment */
    *has_after = t->has_last;
    *after = t->last;
    return true;
}

bool particle__gap_hold(particle__held_gap *h, long long missed, bool has_after, uint64_t after,
                        particle__held_gap *earlier)
{
    bool same_loss = h->set && h->has_after == has_after && (!has_after || h->after == after);
    bool other_loss = h->set && !same_loss;
    if (other_loss)
        *earlier = *h;
    if (same_loss && missed < 0)
        missed = h->missed; /* the size the server told first stays known */
    *h =
        (particle__held_gap){.set = true, .missed = missed, .has_after = has_after, .after = after};
    return other_loss;
}

bool particle__gap_take(particle__held_gap *h, particle__held_gap *out)
{
    if (!h->set)
        return false;
    *out = *h;
    h->set = false;
    return true;
}
