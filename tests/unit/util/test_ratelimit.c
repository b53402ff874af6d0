/*
 * pu_ratelimit tests: the sliding-window counter (limits per key, window roll-over, the
 * previous window's weight), Retry-After exactness and the promise that a client honouring
 * it gets through, LRU key eviction, the gauge, and both kinds under concurrent threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first */
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>

#include "pu_ratelimit.h"
#include "pu_str.h"

/* Hit @p key at @p now and expect it to be allowed. */
static void allow(pu_ratelimit *rl, const char *key, int64_t now)
{
    int64_t retry = -7;
    if (!pu_ratelimit_hit(rl, key, now, &retry))
        fail_msg("hit on %s at %lld: denied (retry %lld), expected allowed", key, (long long)now,
                 (long long)retry);
    assert_int_equal(retry, -7); /* untouched when allowed */
}

/* Hit @p key at @p now, expect a denial, return its retry-after. */
static int64_t deny(pu_ratelimit *rl, const char *key, int64_t now)
{
    int64_t retry = -7;
    if (pu_ratelimit_hit(rl, key, now, &retry))
        fail_msg("hit on %s at %lld: allowed, expected denied", key, (long long)now);
    assert_true(retry >= 1);
    return retry;
}

static void test_limit_per_window(void **state)
{
    (void)state;
    pu_ratelimit *rl = pu_ratelimit_new(3, 1000, 0);
    allow(rl, "a", 0);
    allow(rl, "a", 1);
    allow(rl, "a", 2);
    /* Nothing in the previous window, but this full one weighs 3 * 1.0 when it becomes the
     * previous: room comes at 1000 + 333.3, not at the window end... */
    assert_int_equal(deny(rl, "a", 3), 997 + 334);
    /* ...and denied hits are not counted. */
    assert_int_equal(deny(rl, "a", 999), 1 + 334);
    /* Another key has its own budget. */
    allow(rl, "b", 3);
    allow(rl, "b", 4);
    allow(rl, "b", 5);
    deny(rl, "b", 6);
    /* A NULL retry pointer is allowed. */
    assert_false(pu_ratelimit_hit(rl, "a", 500, NULL));
    pu_ratelimit_free(rl);
}

/* n hits at once: all or none, with the wait until n fit. */
static void test_several_hits_at_once(void **state)
{
    (void)state;
    pu_ratelimit *rl = pu_ratelimit_new(5, 1000, 0);
    int64_t retry = 0;
    assert_true(pu_ratelimit_hit_n(rl, "a", 0, 3, &retry));
    assert_false(pu_ratelimit_hit_n(rl, "a", 1, 3, &retry)); /* 3 + 3 > 5: none taken */
    assert_true(retry > 0);
    assert_true(pu_ratelimit_hit_n(rl, "a", 2, 2, NULL)); /* the 2 that fit are still there */
    assert_false(pu_ratelimit_hit(rl, "a", 3, NULL));
    /* in the next window the previous 5 weigh 5 * overlap: 3 fit once it is <= 2, i.e.
     * after 600 ms of it */
    assert_false(pu_ratelimit_hit_n(rl, "a", 1000, 3, &retry));
    assert_int_equal(retry, 601);
    assert_true(pu_ratelimit_hit_n(rl, "a", 1601, 3, NULL));
    /* zero is free; more than the limit never fits */
    assert_true(pu_ratelimit_hit_n(rl, "b", 0, 0, NULL));
    assert_false(pu_ratelimit_hit_n(rl, "b", 0, 6, &retry));
    assert_int_equal(retry, 1000);
    assert_true(pu_ratelimit_hit_n(rl, "b", 0, 5, NULL));
    pu_ratelimit_free(rl);
}

static void test_previous_window_weight(void **state)
{
    (void)state;
    pu_ratelimit *rl = pu_ratelimit_new(3, 1000, 0);
    for (int i = 0; i < 3; i++)
        allow(rl, "a", 100 + i);
    /* At 1000 the whole previous window overlaps: 3 * 1.0 + 0 = 3, no room. The estimate
     * drops to 2 (room for one) when the overlap is 2/3, i.e. at 1000 + 333.3. */
    assert_int_equal(deny(rl, "a", 1000), 334);
    assert_int_equal(deny(rl, "a", 1333), 1);
    allow(rl, "a", 1334);
    /* Now 3 * 0.666 + 1: the next hit fits when 3 * overlap <= 1, at 1666.7. */
    assert_int_equal(deny(rl, "a", 1334), 333);
    deny(rl, "a", 1666);
    allow(rl, "a", 1667);
    pu_ratelimit_free(rl);
}

static void test_idle_windows_reset(void **state)
{
    (void)state;
    pu_ratelimit *rl = pu_ratelimit_new(2, 1000, 0);
    allow(rl, "a", 10);
    allow(rl, "a", 20);
    deny(rl, "a", 30);
    /* Two windows later the old counts carry no weight. */
    allow(rl, "a", 2000);
    allow(rl, "a", 2001);
    deny(rl, "a", 2002);
    pu_ratelimit_free(rl);
}

static void test_zero_limit_denies_everything(void **state)
{
    (void)state;
    pu_ratelimit *rl = pu_ratelimit_new(0, 1000, 0);
    deny(rl, "a", 0);
    deny(rl, "a", 5000);
    pu_ratelimit_free(rl);
}

/*
 * Retry-After as a promise: a client that waits exactly what it was told gets through on
 * its next hit, and the answer is not longer than needed (a twin limiter fed the same
 * history is still denied 2 ms earlier). Bursts of random size at random times, seeded.
 */
static void test_retry_after_is_exact(void **state)
{
    (void)state;
    const unsigned int limits[] = {1, 2, 3, 7, 100};
    const int64_t windows[] = {1000, 60000, 300000};
    for (size_t li = 0; li < sizeof(limits) / sizeof(limits[0]); li++) {
        for (size_t wi = 0; wi < sizeof(windows) / sizeof(windows[0]); wi++) {
            unsigned int limit = limits[li];
            int64_t w = windows[wi];
            pu_ratelimit *a = pu_ratelimit_new(limit, w, 0);
            pu_ratelimit *twin = pu_ratelimit_new(limit, w, 0);
            uint64_t rng = 42 + li * 10 + wi;
            int64_t now = 5;
            int denials = 0;
            for (int step = 0; step < 400; step++) {
                now += (int64_t)(pu_rand_next(&rng) % (uint64_t)(w / 4 + 1));
                unsigned int burst = 1 + (unsigned int)(pu_rand_next(&rng) % (2 * limit + 1));
                for (unsigned int i = 0; i < burst; i++) {
                    int64_t retry = 0;
                    bool ok = pu_ratelimit_hit(a, "k", now, &retry);
                    assert_int_equal(pu_ratelimit_hit(twin, "k", now, NULL), ok);
                    if (ok)
                        continue;
                    denials++;
                    if (retry >= 2 && pu_ratelimit_hit(twin, "k", now + retry - 2, NULL))
                        fail_msg("limit %u window %lld: retry-after %lld at %lld is too long",
                                 limit, (long long)w, (long long)retry, (long long)now);
                    now += retry;
                    if (!pu_ratelimit_hit(a, "k", now, NULL))
                        fail_msg("limit %u window %lld: still denied after retry-after %lld", limit,
                                 (long long)w, (long long)retry);
                    assert_true(pu_ratelimit_hit(twin, "k", now, NULL));
                }
            }
            assert_true(denials > 0); /* the bursts did reach the limit */
            pu_ratelimit_free(a);
            pu_ratelimit_free(twin);
        }
    }
}

static void test_lru_eviction(void **state)
{
    (void)state;
    pu_ratelimit *rl = pu_ratelimit_new(1, 1000, 2);
    allow(rl, "a", 0);
    allow(rl, "b", 1);
    deny(rl, "a", 2);  /* touches a: b is now the least recently used */
    allow(rl, "c", 3); /* a third key evicts b */
    deny(rl, "a", 4);  /* a kept its count */
    allow(rl, "b", 5); /* b starts afresh */
    pu_ratelimit_free(rl);
}

static void test_gauge(void **state)
{
    (void)state;
    pu_ratelimit *g = pu_ratelimit_new(2, 0, 0);
    assert_true(pu_ratelimit_acquire(g, "a"));
    assert_true(pu_ratelimit_acquire(g, "a"));
    assert_false(pu_ratelimit_acquire(g, "a"));
    assert_true(pu_ratelimit_acquire(g, "b")); /* per key */
    pu_ratelimit_release(g, "a");
    assert_true(pu_ratelimit_acquire(g, "a"));
    assert_false(pu_ratelimit_acquire(g, "a"));
    /* Releasing more than was held, or an unknown key, does not add room. */
    pu_ratelimit_release(g, "a");
    pu_ratelimit_release(g, "a");
    pu_ratelimit_release(g, "a");
    pu_ratelimit_release(g, "nobody");
    assert_true(pu_ratelimit_acquire(g, "a"));
    assert_true(pu_ratelimit_acquire(g, "a"));
    assert_false(pu_ratelimit_acquire(g, "a"));
    pu_ratelimit_free(g);
}

static void test_gauge_never_evicts_held_keys(void **state)
{
    (void)state;
    pu_ratelimit *g = pu_ratelimit_new(1, 0, 1);
    assert_true(pu_ratelimit_acquire(g, "a"));
    assert_false(pu_ratelimit_acquire(g, "b")); /* the only slot is held by a */
    pu_ratelimit_release(g, "a");
    assert_true(pu_ratelimit_acquire(g, "b")); /* a holds nothing: its slot is reused */
    assert_false(pu_ratelimit_acquire(g, "b"));
    pu_ratelimit_free(g);
}

#define THREADS 4
#define HITS_PER_THREAD 2000

typedef struct worker {
    pu_ratelimit *rl;
    int allowed;
    bool all_acquired;
} worker;

static void *hit_worker(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < HITS_PER_THREAD; i++)
        if (pu_ratelimit_hit(w->rl, i % 2 ? "odd" : "even", 500, NULL))
            w->allowed++;
    return NULL;
}

static void *gauge_worker(void *arg)
{
    worker *w = arg;
    w->all_acquired = true;
    for (int i = 0; i < HITS_PER_THREAD; i++) {
        if (!pu_ratelimit_acquire(w->rl, "ip"))
            w->all_acquired = false;
        pu_ratelimit_release(w->rl, "ip");
    }
    return NULL;
}

/* Runs @p fn on THREADS threads sharing @p rl. */
static void run_threads(pu_ratelimit *rl, void *(*fn)(void *), worker *workers)
{
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){.rl = rl};
        assert_int_equal(pthread_create(&threads[i], NULL, fn, &workers[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
}

static void test_concurrent_hits_never_exceed_the_limit(void **state)
{
    (void)state;
    /* 8000 hits on two keys in one instant: exactly the limit of each gets through. */
    pu_ratelimit *rl = pu_ratelimit_new(1500, 60000, 0);
    worker workers[THREADS];
    run_threads(rl, hit_worker, workers);
    int allowed = 0;
    for (int i = 0; i < THREADS; i++)
        allowed += workers[i].allowed;
    assert_int_equal(allowed, 2 * 1500);
    pu_ratelimit_free(rl);
}

static void test_concurrent_gauge_balances(void **state)
{
    (void)state;
    /* Each thread holds at most one at a time, so with room for THREADS none is refused,
     * and after all releases the full room is back. */
    pu_ratelimit *g = pu_ratelimit_new(THREADS, 0, 0);
    worker workers[THREADS];
    run_threads(g, gauge_worker, workers);
    for (int i = 0; i < THREADS; i++)
        assert_true(workers[i].all_acquired);
    for (int i = 0; i < THREADS; i++)
        assert_true(pu_ratelimit_acquire(g, "ip"));
    assert_false(pu_ratelimit_acquire(g, "ip"));
    pu_ratelimit_free(g);
}

static void test_free_null(void **state)
{
    (void)state;
    pu_ratelimit_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_per_window),
        cmocka_unit_test(test_several_hits_at_once),
        cmocka_unit_test(test_previous_window_weight),
        cmocka_unit_test(test_idle_windows_reset),
        cmocka_unit_test(test_zero_limit_denies_everything),
        cmocka_unit_test(test_retry_after_is_exact),
        cmocka_unit_test(test_lru_eviction),
        cmocka_unit_test(test_gauge),
        cmocka_unit_test(test_gauge_never_evicts_held_keys),
        cmocka_unit_test(test_concurrent_hits_never_exceed_the_limit),
        cmocka_unit_test(test_concurrent_gauge_balances),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
