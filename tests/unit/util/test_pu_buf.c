/*
 * pu_buf tests: appends of strings, bytes with NULs and single characters keep the data
 * NUL-terminated; growth across many appends keeps every byte; reserve avoids later
 * reallocation; take hands over the malloc'd data and empties the buffer. The cap refuses
 * growth past max_bytes; an error is sticky until dispose/reset and take then gives NULL; a
 * failing allocator gives PU_BUF_ENOMEM with the contents intact; secret mode wipes every
 * block it gives back; parameters are percent-encoded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first */
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pu_buf.h"

static void test_appends_stay_terminated(void **state)
{
    (void)state;
    pu_buf b;
    pu_buf_xinit(&b);
    assert_null(b.data);
    pu_buf_append_str(&b, "[\"a\"");
    pu_buf_append_char(&b, ',');
    pu_buf_append(&b, "x\0y", 3);
    assert_int_equal(b.len, 8);
    assert_memory_equal(b.data, "[\"a\",x\0y", 8);
    assert_int_equal(b.data[b.len], '\0');
    pu_buf_append(&b, NULL, 0);
    assert_int_equal(b.len, 8);
    pu_buf_dispose(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    pu_buf_dispose(NULL);
}

static void test_growth_keeps_bytes(void **state)
{
    (void)state;
    pu_buf b;
    pu_buf_xinit(&b);
    for (int i = 0; i < 10000; i++)
        pu_buf_append_char(&b, (char)('a' + i % 26));
    assert_int_equal(b.len, 10000);
    assert_true(b.cap > b.len);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    assert_int_equal(b.data[10000], '\0');
    pu_buf_dispose(&b);
}

static void test_reserve(void **state)
{
    (void)state;
    pu_buf b;
    pu_buf_xinit(&b);
    pu_buf_reserve(&b, 5000);
    assert_true(b.cap >= 5001);
    assert_string_equal(b.data, "");
    char *before = b.data;
    for (int i = 0; i < 5000; i++)
        pu_buf_append_char(&b, 'z');
    assert_ptr_equal(b.data, before);
    pu_buf_dispose(&b);
}

static void test_take(void **state)
{
    (void)state;
    pu_buf b;
    pu_buf_xinit(&b);
    size_t len = 99;
    char *empty = pu_buf_take(&b, &len);
    assert_non_null(empty);
    assert_int_equal(len, 0);
    assert_string_equal(empty, "");
    free(empty);

    pu_buf_append_str(&b, "{\"ok\":true}");
    char *text = pu_buf_take(&b, &len);
    assert_int_equal(len, 11);
    assert_string_equal(text, "{\"ok\":true}");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    free(text);
    /* the buffer is usable again */
    pu_buf_append_str(&b, "again");
    assert_string_equal(b.data, "again");
    pu_buf_dispose(&b);
}

/* An allocator that fails from the Nth call on and remembers whether every block it was
 * given back held only zeros. */
static int calls_left;
static bool freed_all_zero;
static size_t block_size[64];
static void *blocks[64];

static size_t *size_slot(void *p)
{
    for (size_t i = 0; i < 64; i++) {
        if (blocks[i] == p) {
            return &block_size[i];
        }
    }
    return NULL;
}

static void note_freed(void *p)
{
    size_t *size = size_slot(p);
    assert_non_null(size);
    for (size_t i = 0; i < *size; i++) {
        freed_all_zero = freed_all_zero && ((unsigned char *)p)[i] == 0;
    }
    blocks[size - block_size] = NULL;
    *size = 0;
}

static void *failing_realloc(void *ptr, size_t size)
{
    if (calls_left-- <= 0) {
        return NULL;
    }
    void *fresh = malloc(size);
    assert_non_null(fresh);
    if (ptr != NULL) {
        /* always moves, so what a growth leaves behind is checked like a free */
        memcpy(fresh, ptr, *size_slot(ptr) < size ? *size_slot(ptr) : size);
        note_freed(ptr);
        free(ptr);
    }
    size_t *slot = size_slot(NULL);
    blocks[slot - block_size] = fresh;
    *slot = size;
    return fresh;
}

static void checking_free(void *ptr)
{
    if (ptr != NULL) {
        note_freed(ptr);
        free(ptr);
    }
}

static const pu_allocator failing = {failing_realloc, checking_free};

/* Every block the allocator gave out has come back. */
static void assert_all_freed(void)
{
    for (size_t i = 0; i < 64; i++) {
        assert_null(blocks[i]);
    }
}

static void reset_allocator(int calls)
{
    calls_left = calls;
    freed_all_zero = true;
    memset(blocks, 0, sizeof(blocks));
    memset(block_size, 0, sizeof(block_size));
}

static void test_cap_refuses_growth_and_sticks(void **state)
{
    (void)state;
    pu_buf b;
    pu_buf_init(&b, 8, NULL);
    assert_int_equal(pu_buf_append_str(&b, "12345678"), 0); /* exactly the cap */
    assert_true(b.cap <= 9);                                /* doubling stops at the cap */
    assert_int_equal(pu_buf_append_char(&b, '9'), PU_BUF_ETOOBIG);
    assert_string_equal(b.data, "12345678"); /* left as it was */
    /* sticky: even an append that would fit fails, and so does take */
    assert_int_equal(pu_buf_append(&b, "", 0), PU_BUF_ETOOBIG);
    assert_int_equal(pu_buf_error(&b), PU_BUF_ETOOBIG);
    assert_null(pu_buf_take(&b, NULL));
    assert_int_equal(pu_buf_error(&b), 0); /* take disposed of it */
    assert_int_equal(pu_buf_append_str(&b, "ok"), 0);
    /* reset keeps the storage and clears the error */
    assert_int_equal(pu_buf_append_str(&b, "toolong!"), PU_BUF_ETOOBIG);
    pu_buf_reset(&b);
    assert_int_equal(pu_buf_error(&b), 0);
    assert_string_equal(pu_buf_str(&b), "");
    pu_buf_dispose(&b);

    /* overflow of len + n counts as too big */
    pu_buf_init(&b, PU_BUF_UNLIMITED, NULL);
    assert_int_equal(pu_buf_append_char(&b, 'x'), 0);
    assert_int_equal(pu_buf_reserve(&b, (size_t)-1), PU_BUF_ETOOBIG);
    pu_buf_dispose(&b);
}

static void test_oom_through_allocator(void **state)
{
    (void)state;
    pu_buf b;
    reset_allocator(1);
    pu_buf_init(&b, PU_BUF_UNLIMITED, &failing);
    assert_string_equal(pu_buf_str(&b), ""); /* no storage yet */
    assert_int_equal(pu_buf_append_str(&b, "first"), 0);
    char big[200];
    memset(big, 'b', sizeof(big));
    assert_int_equal(pu_buf_append(&b, big, sizeof(big)), PU_BUF_ENOMEM);
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "first");
    assert_int_equal(pu_buf_append_char(&b, 'x'), PU_BUF_ENOMEM); /* would fit: still fails */
    assert_null(pu_buf_take(&b, NULL));
    assert_all_freed(); /* take freed it through checking_free */

    /* the first allocation failing leaves an empty buffer that take refuses */
    reset_allocator(0);
    pu_buf_init(&b, PU_BUF_UNLIMITED, &failing);
    assert_int_equal(pu_buf_append_str(&b, "x"), PU_BUF_ENOMEM);
    assert_null(pu_buf_take(&b, NULL));
    pu_buf_dispose(&b);
}

static void test_secret_mode_wipes(void **state)
{
    (void)state;
    pu_buf b;
    reset_allocator(100);
    pu_buf_init(&b, PU_BUF_UNLIMITED, &failing);
    pu_buf_keep_secret(&b);
    pu_buf_append_param(&b, "password", "hunter2");
    char more[300];
    memset(more, 's', sizeof(more));
    assert_int_equal(pu_buf_append(&b, more, sizeof(more)), 0); /* grows: old block wiped */
    assert_int_equal(strncmp(b.data, "password=hunter2", 16), 0);
    pu_buf_dispose(&b);
    assert_true(freed_all_zero);
    assert_all_freed();

    /* without secret mode the bytes are left as they were */
    reset_allocator(100);
    pu_buf_init(&b, PU_BUF_UNLIMITED, &failing);
    pu_buf_append_str(&b, "not secret");
    pu_buf_dispose(&b);
    assert_false(freed_all_zero);
}

static void test_params_are_percent_encoded(void **state)
{
    (void)state;
    pu_buf b;
    pu_buf_init(&b, 1024, NULL);
    assert_int_equal(pu_buf_append_param(&b, "user name", "a&b=c/d~e.f_g-h"), 0);
    assert_int_equal(pu_buf_append_param(&b, "k", ""), 0);
    assert_int_equal(pu_buf_append_param(&b, "u", "\xc3\xa9%"), 0);
    assert_string_equal(b.data, "user%20name=a%26b%3Dc%2Fd~e.f_g-h&k=&u=%C3%A9%25");
    pu_buf_dispose(&b);

    /* a parameter that breaks the cap fails as a whole */
    pu_buf_init(&b, 8, NULL);
    assert_int_equal(pu_buf_append_param(&b, "key", "%%%"), PU_BUF_ETOOBIG);
    assert_int_equal(pu_buf_error(&b), PU_BUF_ETOOBIG);
    pu_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appends_stay_terminated),
        cmocka_unit_test(test_growth_keeps_bytes),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_take),
        cmocka_unit_test(test_cap_refuses_growth_and_sticks),
        cmocka_unit_test(test_oom_through_allocator),
        cmocka_unit_test(test_secret_mode_wipes),
        cmocka_unit_test(test_params_are_percent_encoded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
