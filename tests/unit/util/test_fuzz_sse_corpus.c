/*
 * Replays every file of fuzz/corpus/sse through the fuzz target's checks, so the corpus
 * guards against regressions in ordinary (gcc, ASan/UBSan) test runs without libFuzzer.
 * Each file is parsed in one feed, split in two, and one byte per feed; any disagreement
 * or broken invariant aborts (see fuzz/fuzz_sse.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first */
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>

/* The target's checks are static functions: include it, as h2o's unit tests do. */
#include "../../../fuzz/fuzz_sse.c" /* NOLINT(bugprone-suspicious-include) */

#define CORPUS_DIR PARTICLE_SOURCE_DIR "/fuzz/corpus/sse"

static uint8_t *read_all(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 4096;
    size_t len = 0;
    uint8_t *buf = malloc(cap);
    assert_non_null(buf);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    assert_false(ferror(f));
    fclose(f);
    *len_out = len;
    return buf;
}

static void test_replay_corpus(void **state)
{
    (void)state;
    DIR *d = opendir(CORPUS_DIR);
    if (d == NULL) {
        fail_msg("cannot open %s: %s", CORPUS_DIR, strerror(errno));
        return; /* fail_msg does not return; this tells the analyzer so */
    }
    size_t files = 0;
    size_t events = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }
        char path[1024];
        int w = snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, de->d_name);
        assert_true(w > 0 && (size_t)w < sizeof(path));
        size_t len;
        uint8_t *input = read_all(path, &len);
        events += fuzz_sse_check(input, len);
        free(input);
        files++;
    }
    closedir(d);
    /* The seeds are real streams: an empty or eventless corpus means it went missing. */
    assert_true(files >= 5);
    assert_true(events > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_corpus),
    };
    return cmocka_run_group_tests_name("fuzz_sse_corpus", tests, NULL, NULL);
}
