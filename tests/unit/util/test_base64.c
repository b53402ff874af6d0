/*
 * pu_base64_decode tests: RFC 4648 §10 vectors with and without padding, HTTP Basic
 * credentials, binary output (NUL and high bytes), the output cap, and malformed inputs
 * (bad symbols, whitespace, URL-safe alphabet, impossible lengths, misplaced padding).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first */
#include <cmocka.h>

#include <string.h>

#include "pu_base64.h"

/* Decodes @p in into a buffer of @p cap bytes; expects success and @p want_len bytes. */
static void expect_decode(const char *in, size_t cap, const char *want, size_t want_len)
{
    char out[64];
    memset(out, 'x', sizeof(out));
    size_t len = 999;
    assert_true(cap <= sizeof(out));
    if (!pu_base64_decode(in, out, cap, &len))
        fail_msg("\"%s\" (cap %zu): rejected", in, cap);
    assert_int_equal(len, want_len);
    assert_memory_equal(out, want, want_len);
    assert_int_equal(out[len], '\0');
}

static void expect_reject(const char *in)
{
    char out[64];
    size_t len = 999;
    if (pu_base64_decode(in, out, sizeof(out), &len))
        fail_msg("\"%s\": accepted (%zu bytes), expected rejected", in, len);
}

static void test_rfc4648_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *padded, *unpadded, *plain;
    } v[] = {
        {"", "", ""},
        {"Zg==", "Zg", "f"},
        {"Zm8=", "Zm8", "fo"},
        {"Zm9v", "Zm9v", "foo"},
        {"Zm9vYg==", "Zm9vYg", "foob"},
        {"Zm9vYmE=", "Zm9vYmE", "fooba"},
        {"Zm9vYmFy", "Zm9vYmFy", "foobar"},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        expect_decode(v[i].padded, 64, v[i].plain, strlen(v[i].plain));
        expect_decode(v[i].unpadded, 64, v[i].plain, strlen(v[i].plain)); /* padding optional */
    }
}

static void test_basic_credentials(void **state)
{
    (void)state;
    const char *want = "demo@example.com:demo-password";
    expect_decode("ZGVtb0BleGFtcGxlLmNvbTpkZW1vLXBhc3N3b3Jk", 64, want, strlen(want));
    want = "particle:particle";
    expect_decode("cGFydGljbGU6cGFydGljbGU=", 64, want, strlen(want));
}

static void test_binary_output(void **state)
{
    (void)state;
    /* A NUL inside the data is kept; the length says where the data ends. */
    expect_decode("AGE=", 64, "\0a", 2);
    expect_decode("/w==", 64, "\xff", 1);
    expect_decode("+/+/", 64, "\xfb\xff\xbf", 3);
    expect_decode("AAAA", 64, "\0\0\0", 3);
}

static void test_output_cap(void **state)
{
    (void)state;
    char out[8];
    /* "foobar" needs 7 bytes with its NUL. */
    expect_decode("Zm9vYmFy", 7, "foobar", 6);
    assert_false(pu_base64_decode("Zm9vYmFy", out, 6, NULL));
    assert_false(pu_base64_decode("Zm9v", out, 3, NULL));
    /* Empty input needs room for the NUL only. */
    expect_decode("", 1, "", 0);
    assert_false(pu_base64_decode("", out, 0, NULL));
    /* The length pointer is optional. */
    memset(out, 'x', sizeof(out));
    assert_true(pu_base64_decode("Zm8=", out, sizeof(out), NULL));
    assert_string_equal(out, "fo");
}

static void test_malformed(void **state)
{
    (void)state;
    expect_reject("Z");         /* one symbol cannot hold a byte */
    expect_reject("Zm9vY");     /* nor can a 5th symbol */
    expect_reject("Zm9v!");     /* not in the alphabet */
    expect_reject("Zm9v Zg=="); /* no whitespace */
    expect_reject("Zm9v\n");
    expect_reject("-_8=");     /* URL-safe alphabet is not accepted */
    expect_reject("Zg=a");     /* data after padding */
    expect_reject("Zg==Zg=="); /* padding in the middle */
    expect_reject("Zg===");    /* too much padding */
}

static void test_padding_must_complete_the_quantum(void **state)
{
    (void)state;
    /* When padding is present it must bring the length to a multiple of 4 (RFC 4648 §3.2). */
    expect_reject("=");
    expect_reject("==");
    expect_reject("Zg=");
    expect_reject("Zm9v=");
    expect_reject("Zm8==");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4648_vectors),
        cmocka_unit_test(test_basic_credentials),
        cmocka_unit_test(test_binary_output),
        cmocka_unit_test(test_output_cap),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_padding_must_complete_the_quantum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
