/* The dashboard's session table (api/session.h): ids, expiry, the cap and its eviction, the
 * cookie parser and the constant-time comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/session.h"
#include "pu_time.h"

static void test_open_and_use(void **state)
{
    (void)state;
    bridge_sessions *t = bridge_sessions_new(60000, 0);
    bridge_session a, b, got;
    int64_t before = pu_time_now_ms();
    assert_int_equal(bridge_sessions_open(t, false, &a), 0);
    assert_int_equal(bridge_sessions_open(t, true, &b), 0);
    assert_int_equal(strlen(a.id), BRIDGE_SESSION_TOKEN_HEX);
    assert_int_equal(strspn(a.csrf, "0123456789abcdef"), BRIDGE_SESSION_TOKEN_HEX);
    assert_string_not_equal(a.id, b.id);
    assert_string_not_equal(a.id, a.csrf);
    assert_true(a.expires_at_ms >= before + 60000);
    assert_true(a.expires_at_ms <= pu_time_now_ms() + 60000);
    assert_true(bridge_sessions_use(t, b.id, &got));
    assert_string_equal(got.csrf, b.csrf);
    assert_true(got.read_only);
    assert_true(bridge_sessions_use(t, a.id, &got));
    assert_string_equal(got.csrf, a.csrf);
    assert_false(got.read_only);
    assert_false(bridge_sessions_use(t, a.csrf, &got)); /* a CSRF token is no id */
    assert_false(bridge_sessions_use(t, "abc", &got));
    assert_true(bridge_sessions_close(t, a.id));
    assert_false(bridge_sessions_close(t, a.id));
    assert_false(bridge_sessions_use(t, a.id, &got));
    assert_int_equal(bridge_sessions_count(t), 1);
    bridge_sessions_free(t);
}

static void test_idle_expiry(void **state)
{
    (void)state;
    bridge_sessions *t = bridge_sessions_new(100, 0);
    bridge_session a, b;
    assert_int_equal(bridge_sessions_open(t, false, &a), 0);
    assert_int_equal(bridge_sessions_open(t, false, &b), 0);
    for (int i = 0; i < 4; i++) { /* used every 50 ms: lives on */
        pu_time_sleep_ms(50);
        assert_true(bridge_sessions_use(t, a.id, NULL));
    }
    assert_false(bridge_sessions_use(t, b.id, NULL)); /* idle 200 ms: gone */
    assert_int_equal(bridge_sessions_count(t), 1);
    pu_time_sleep_ms(150);
    assert_false(bridge_sessions_use(t, a.id, NULL));
    assert_int_equal(bridge_sessions_count(t), 0);
    bridge_sessions_free(t);
}

static void test_cap_evicts_the_longest_idle(void **state)
{
    (void)state;
    bridge_sessions *t = bridge_sessions_new(3600 * 1000, 0);
    static bridge_session s[BRIDGE_SESSIONS_MAX];
    for (size_t i = 0; i < BRIDGE_SESSIONS_MAX; i++) {
        assert_int_equal(bridge_sessions_open(t, false, &s[i]), 0);
        if (i == 0 || i == 1) {
            pu_time_sleep_ms(5); /* the first two are older than the rest by a clear margin */
        }
    }
    assert_int_equal(bridge_sessions_count(t), BRIDGE_SESSIONS_MAX);
    pu_time_sleep_ms(5);
    assert_true(bridge_sessions_use(t, s[0].id, NULL)); /* the oldest, used again */
    bridge_session extra;
    assert_int_equal(bridge_sessions_open(t, false, &extra), 0);
    assert_int_equal(bridge_sessions_count(t), BRIDGE_SESSIONS_MAX);
    assert_false(bridge_sessions_use(t, s[1].id, NULL)); /* idle the longest: evicted */
    assert_true(bridge_sessions_use(t, s[0].id, NULL));
    assert_true(bridge_sessions_use(t, s[2].id, NULL));
    assert_true(bridge_sessions_use(t, extra.id, NULL));
    bridge_sessions_free(t);
}

static void *open_many(void *arg)
{
    bridge_sessions *t = arg;
    for (int i = 0; i < 500; i++) {
        bridge_session s;
        if (bridge_sessions_open(t, false, &s) != 0 || !bridge_sessions_use(t, s.id, NULL)) {
            return (void *)1;
        }
        if (i % 2 == 0) {
            bridge_sessions_close(t, s.id);
        }
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    bridge_sessions *t = bridge_sessions_new(3600 * 1000, 0);
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, open_many, t), 0);
    }
    for (int i = 0; i < 4; i++) {
        void *rc;
        pthread_join(th[i], &rc);
        assert_null(rc);
    }
    assert_int_equal(bridge_sessions_count(t), 1000);
    bridge_sessions_free(t);
}

static void test_cookie_header(void **state)
{
    (void)state;
    char id[BRIDGE_SESSION_TOKEN_HEX + 1];
    const char *hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    char header[256];
    snprintf(header, sizeof header, "theme=dark; pb_session=%s; lang=en", hex);
    assert_true(bridge_session_cookie(header, id));
    assert_string_equal(id, hex);
    snprintf(header, sizeof header, "pb_session=%s", hex);
    memset(id, 0, sizeof id);
    assert_true(bridge_session_cookie(header, id));
    assert_string_equal(id, hex);
    snprintf(header, sizeof header, "xpb_session=%s", hex);
    assert_false(bridge_session_cookie(header, id));
    snprintf(header, sizeof header, "pb_session=%sa", hex);
    assert_false(bridge_session_cookie(header, id));
    snprintf(header, sizeof header, "pb_session=%.63sG", hex);
    assert_false(bridge_session_cookie(header, id));
    assert_false(bridge_session_cookie("pb_session=", id));
    assert_false(bridge_session_cookie("", id));
    assert_false(bridge_session_cookie(NULL, id));
}

static void test_secret_equal(void **state)
{
    (void)state;
    assert_true(bridge_secret_equal("secret-0123456789", "secret-0123456789"));
    assert_false(bridge_secret_equal("secret-0123456788", "secret-0123456789"));
    assert_false(bridge_secret_equal("secret-012345678", "secret-0123456789"));
    assert_false(bridge_secret_equal("secret-01234567890", "secret-0123456789"));
    assert_false(bridge_secret_equal("", "secret-0123456789"));
    assert_true(bridge_secret_equal("", ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_and_use),
        cmocka_unit_test(test_idle_expiry),
        cmocka_unit_test(test_cap_evicts_the_longest_idle),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_cookie_header),
        cmocka_unit_test(test_secret_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
