/* Sliding-window-counter and gauge limits per key (see pu_ratelimit.h). */
#include "pu_ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pu_str.h"

#define KEY_MAX 64 /* client IPs: an IPv6 text address fits */

typedef struct rl_entry {
    char key[KEY_MAX];
    int64_t window_start; /* start of the current fixed window */
    unsigned int current, previous;
    int64_t last_used;
} rl_entry;

struct pu_ratelimit {
    pthread_mutex_t lock;
    unsigned int limit;
    int64_t window_ms;
    rl_entry *entries;
    size_t count, max_keys;
    int64_t tick; /* use counter for LRU eviction */
};

pu_ratelimit *pu_ratelimit_new(unsigned int limit, int64_t window_ms, size_t max_keys)
{
    pu_ratelimit *rl = calloc(1, sizeof(*rl));
    if (!rl)
        abort();
    pthread_mutex_init(&rl->lock, NULL);
    rl->limit = limit;
    rl->window_ms = window_ms;
    rl->max_keys = max_keys ? max_keys : 4096;
    rl->entries = calloc(rl->max_keys, sizeof(*rl->entries));
    if (!rl->entries)
        abort();
    return rl;
}

void pu_ratelimit_free(pu_ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl->entries);
    free(rl);
}

/* Finds or makes the entry for @p key (lock held); a gauge never evicts a held key. */
static rl_entry *entry_for(pu_ratelimit *rl, const char *key, bool create)
{
    rl_entry *lru = NULL;
    for (size_t i = 0; i < rl->count; i++) {
        rl_entry *e = &rl->entries[i];
        /* Stored keys are cut to KEY_MAX - 1 bytes: compare the same prefix. */
        if (strncmp(e->key, key, KEY_MAX - 1) == 0) {
            e->last_used = ++rl->tick;
            return e;
        }
        if (!lru || e->last_used < lru->last_used)
            lru = e;
    }
    if (!create)
        return NULL;
    rl_entry *e;
    if (rl->count < rl->max_keys)
        e = &rl->entries[rl->count++];
    else if (rl->window_ms || (lru && lru->current == 0))
        e = lru;
    else
        return NULL;
    memset(e, 0, sizeof(*e));
    pu_strlcpy(e->key, key, sizeof(e->key));
    e->last_used = ++rl->tick;
    return e;
}

bool pu_ratelimit_hit(pu_ratelimit *rl, const char *key, int64_t now_ms, int64_t *retry_after_ms)
{
    return pu_ratelimit_hit_n(rl, key, now_ms, 1, retry_after_ms);
}

bool pu_ratelimit_hit_n(pu_ratelimit *rl, const char *key, int64_t now_ms, unsigned int n,
                        int64_t *retry_after_ms)
{
    if (n == 0 || n > rl->limit) {
        if (retry_after_ms)
            *retry_after_ms = n == 0 ? 1 : rl->window_ms; /* never fits: say "later" */
        return n == 0;
    }
    pthread_mutex_lock(&rl->lock);
    rl_entry *e = entry_for(rl, key, true);
    int64_t w = rl->window_ms;
    int64_t start = now_ms - now_ms % w;
    if (e->window_start != start) {
        e->previous = e->window_start == start - w ? e->current : 0;
        e->current = 0;
        e->window_start = start;
    }
    double overlap = (double)(w - (now_ms - start)) / (double)w;
    double estimate = e->previous * overlap + e->current;
    bool allowed = estimate + n <= rl->limit;
    if (allowed) {
        e->current += n;
    } else if (retry_after_ms) {
        /* When does previous*overlap(t) + current drop to limit-n? Within this window if
         * the previous one's weight is what fills it; else after the window's end, where
         * the current count becomes the previous one and has to fade in turn. */
        unsigned int room = rl->limit - n; /* n <= limit here */
        int64_t to_end = w - (now_ms - start);
        int64_t wait = to_end;
        if (e->previous > 0 && e->current <= room) {
            double need = (room - e->current) / (double)e->previous; /* overlap */
            int64_t t = (int64_t)((overlap - need) * (double)w) + 1;
            if (t < wait)
                wait = t;
        } else if (e->current > room) {
            /* current * (w - y) / w <= limit - n, y ms into the next window */
            double y = (double)w * (e->current - room) / (double)e->current;
            int64_t whole = (int64_t)y;
            wait = to_end + whole + ((double)whole < y);
        }
        *retry_after_ms = wait > 0 ? wait : 1;
    }
    pthread_mutex_unlock(&rl->lock);
    return allowed;
}

bool pu_ratelimit_acquire(pu_ratelimit *rl, const char *key)
{
    pthread_mutex_lock(&rl->lock);
    rl_entry *e = entry_for(rl, key, true);
    bool ok = e && e->current < rl->limit;
    if (ok)
        e->current++;
    pthread_mutex_unlock(&rl->lock);
    return ok;
}

void pu_ratelimit_release(pu_ratelimit *rl, const char *key)
{
    pthread_mutex_lock(&rl->lock);
    rl_entry *e = entry_for(rl, key, false);
    if (e && e->current > 0)
        e->current--;
    pthread_mutex_unlock(&rl->lock);
}
