/* util/pu_file.c: whole files into memory, with a cap and errors that name the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pu_file.h"

static char dir[] = "/tmp/pu-file-XXXXXX";

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

static void test_reads_whole_file_with_nul_inside(void **state)
{
    (void)state;
    char path[64], err[256];
    snprintf(path, sizeof path, "%s/a.bin", dir);
    write_file(path, "ab\0cd", 5);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(pu_file_read(path, 5, &text, &len, err, sizeof err), 0);
    assert_int_equal(len, 5);
    assert_memory_equal(text, "ab\0cd", 6); /* NUL-terminated too */
    free(text);
    unlink(path);
}

static void test_empty_file_is_empty_string(void **state)
{
    (void)state;
    char path[64], err[256];
    snprintf(path, sizeof path, "%s/empty", dir);
    write_file(path, "", 0);
    char *text = NULL;
    size_t len = 99;
    assert_int_equal(pu_file_read(path, PU_FILE_NO_LIMIT, &text, &len, err, sizeof err), 0);
    assert_int_equal(len, 0);
    assert_string_equal(text, "");
    free(text);
    unlink(path);
}

static void test_cap_and_missing_file_fail_with_the_name(void **state)
{
    (void)state;
    char path[64], err[256], want[128];
    snprintf(path, sizeof path, "%s/big", dir);
    write_file(path, "123456", 6);
    char *text = (char *)"untouched";
    assert_int_equal(pu_file_read(path, 5, &text, NULL, err, sizeof err), PU_FILE_ETOOBIG);
    assert_null(text);
    snprintf(want, sizeof want, "%s: larger than 5 bytes", path);
    assert_string_equal(err, want);
    unlink(path);
    assert_int_equal(pu_file_read(path, 5, &text, NULL, err, sizeof err), PU_FILE_EOPEN);
    assert_null(text);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "cannot open"));
}

int main(void)
{
    if (mkdtemp(dir) == NULL) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_whole_file_with_nul_inside),
        cmocka_unit_test(test_empty_file_is_empty_string),
        cmocka_unit_test(test_cap_and_missing_file_fail_with_the_name),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(dir);
    return failed;
}
