/* util/pu_hash.c: FNV-1a 64 against the published test vectors. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnv1a64_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
