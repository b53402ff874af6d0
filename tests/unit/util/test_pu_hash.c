/* util/pu_hash.c: FNV-1a 64 against the published test vectors, and the tuple hash's pinned
 * values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "pu_hash.h"

static void test_fnv1a64_vectors(void **state)
{
    (void)state;
    assert_true(pu_fnv1a64("") == 0xcbf29ce484222325ull);
    assert_true(pu_fnv1a64("a") == 0xaf63dc4c8601ec8cull);
    assert_true(pu_fnv1a64("foobar") == 0x85944171f73967e8ull);
    /* continuing a hash is hashing the concatenation */
    assert_true(pu_fnv1a64_from(pu_fnv1a64("foo"), "bar") == pu_fnv1a64("foobar"));
}

/* The tuple hash is what the bridge stores as exactly-once keys and derives partitions from:
 * these values were computed by the bridge's own copy before it moved here (commit 4fde584,
 * bridge/store/key.c) and must never change. */
static void test_tuple_hash_is_stable(void **state)
{
    (void)state;
    pu_tuple_hash t;
    pu_tuple_hash_init(&t);
    pu_tuple_hash_cstr(&t, "0123456789abcdef01234567");
    assert_true(t.h == 0x9189ba419f51e327ull);
    pu_tuple_hash_init(&t);
    pu_tuple_hash_int(&t, 1);
    pu_tuple_hash_int(&t, -5);
    pu_tuple_hash_text(&t, NULL, 0);
    pu_tuple_hash_double(&t, 1.5);
    assert_true(t.h == 0x45c9ad927818fcc5ull);
    pu_tuple_hash_init(&t); /* an event's key, as stored in tests/data/bridge/store_v5.sql */
    pu_tuple_hash_cstr(&t, "0123456789abcdef01234567");
    pu_tuple_hash_cstr(&t, "temperature");
    pu_tuple_hash_int(&t, 5000);
    pu_tuple_hash_cstr(&t, "21.5");
    assert_true(t.h == 0xffc6787eea841bc6ull);
    /* framing: field boundaries and NULL are part of the value */
    pu_tuple_hash a, b;
    pu_tuple_hash_init(&a);
    pu_tuple_hash_cstr(&a, "ab");
    pu_tuple_hash_cstr(&a, "c");
    pu_tuple_hash_init(&b);
    pu_tuple_hash_cstr(&b, "a");
    pu_tuple_hash_cstr(&b, "bc");
    assert_true(a.h != b.h);
    pu_tuple_hash_init(&a);
    pu_tuple_hash_cstr(&a, NULL);
    pu_tuple_hash_init(&b);
    pu_tuple_hash_cstr(&b, "");
    assert_true(a.h != b.h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnv1a64_vectors),
        cmocka_unit_test(test_tuple_hash_is_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
