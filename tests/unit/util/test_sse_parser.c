/*
 * pu_sse tests: the data-driven cases of tests/data/sse (see its README.md), each replayed
 * whole, split at every byte offset and one byte at a time, plus targeted tests for the
 * limits, the stop return, reset and free.
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
#include <stdlib.h>
#include <string.h>

#include "pu_sse.h"

/* ---- transcript: what the callbacks saw, in the format of tests/data/sse/README.md ---- */

typedef struct transcript {
    char *text;
    size_t len;
    size_t cap;
} transcript;

static void put(transcript *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1) {
            cap *= 2;
        }
        t->text = realloc(t->text, cap);
        assert_non_null(t->text);
        t->cap = cap;
    }
    memcpy(t->text + t->len, s, n);
    t->len += n;
    t->text[t->len] = '\0';
}

static void puts_raw(transcript *t, const char *s)
{
    put(t, s, strlen(s));
}

static void put_escaped(transcript *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '\\') {
            puts_raw(t, "\\\\");
        } else if (c == '\n') {
            puts_raw(t, "\\n");
        } else if (c == '\r') {
            puts_raw(t, "\\r");
        } else if (c < 0x20 || c >= 0x7f || c == '|') {
            snprintf(esc, sizeof(esc), "\\x%02x", c);
            puts_raw(t, esc);
        } else {
            put(t, (const char *)&c, 1);
        }
    }
}

static int record_event(const pu_sse_event *ev, void *payload)
{
    transcript *t = payload;
    assert_int_equal(ev->data[ev->data_len], '\0');
    puts_raw(t, "event=");
    put_escaped(t, ev->event, strlen(ev->event));
    puts_raw(t, "|id=");
    put_escaped(t, ev->id, strlen(ev->id));
    puts_raw(t, ev->has_id ? "|has_id=1|data=" : "|has_id=0|data=");
    put_escaped(t, ev->data, ev->data_len);
    puts_raw(t, "\n");
    return 0;
}

static void record_comment(const char *text, size_t len, void *payload)
{
    transcript *t = payload;
    puts_raw(t, "comment=");
    put_escaped(t, text, len);
    puts_raw(t, "\n");
}

static const char *code_name(int rc)
{
    switch (rc) {
    case PU_SSE_ENOMEM:
        return "ENOMEM";
    case PU_SSE_ETOOBIG:
        return "ETOOBIG";
    case PU_SSE_STOPPED:
        return "STOPPED";
    default:
        return "UNKNOWN";
    }
}

/* ---- data-driven cases ---- */

typedef struct sse_case {
    char name[128];
    char *input;
    size_t input_len;
    char *expected;
    size_t max_line;
    size_t max_event;
} sse_case;

/* Reads a whole file; returns NULL if it does not exist. */
static char *read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        assert_int_equal(errno, ENOENT);
        return NULL;
    }
    transcript buf = {0};
    char chunk[4096];
    size_t n;
    put(&buf, "", 0);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        put(&buf, chunk, n);
    }
    assert_false(ferror(f));
    fclose(f);
    *len_out = buf.len;
    return buf.text;
}

static size_t parse_limit(const char *options, const char *key)
{
    const char *at = options != NULL ? strstr(options, key) : NULL;
    if (at == NULL) {
        return 0;
    }
    char *endp = NULL;
    errno = 0;
    unsigned long long v = strtoull(at + strlen(key), &endp, 10);
    assert_int_equal(errno, 0);
    assert_true(endp != at + strlen(key) && (*endp == '\n' || *endp == '\0'));
    return (size_t)v;
}

static void load_case(sse_case *c, const char *dir)
{
    char path[512];
    size_t len;
    snprintf(path, sizeof(path), "%s/%s/input", dir, c->name);
    c->input = read_file(path, &c->input_len);
    assert_non_null(c->input);
    snprintf(path, sizeof(path), "%s/%s/expected", dir, c->name);
    c->expected = read_file(path, &len);
    assert_non_null(c->expected);
    snprintf(path, sizeof(path), "%s/%s/options", dir, c->name);
    char *options = read_file(path, &len);
    c->max_line = parse_limit(options, "max_line=");
    c->max_event = parse_limit(options, "max_event=");
    free(options);
}

/* Feeds @p c's input in pieces that end at the offsets in @p cuts (the last must be the
 * input length) and returns the transcript (caller frees). */
static char *replay(const sse_case *c, const size_t *cuts, size_t ncuts)
{
    transcript t = {0};
    put(&t, "", 0);
    pu_sse_parser *p =
        pu_sse_parser_new(c->max_line, c->max_event, record_event, record_comment, &t);
    assert_non_null(p);
    size_t from = 0;
    for (size_t i = 0; i < ncuts; i++) {
        int rc = pu_sse_feed(p, c->input + from, cuts[i] - from);
        from = cuts[i];
        if (rc != PU_SSE_OK) {
            puts_raw(&t, "error=");
            puts_raw(&t, code_name(rc));
            puts_raw(&t, "\n");
            break;
        }
    }
    char tail[64];
    puts_raw(&t, "end|last_id=");
    put_escaped(&t, pu_sse_last_id(p), strlen(pu_sse_last_id(p)));
    snprintf(tail, sizeof(tail), "|retry=%ld\n", pu_sse_retry_ms(p));
    puts_raw(&t, tail);
    pu_sse_parser_free(p);
    return t.text;
}

static void expect_transcript(const sse_case *c, const size_t *cuts, size_t ncuts, const char *how)
{
    char *got = replay(c, cuts, ncuts);
    int same = strcmp(got, c->expected) == 0;
    if (!same) {
        print_error("case %s, %s:\n--- expected\n%s--- got\n%s", c->name, how, c->expected, got);
    }
    free(got);
    assert_true(same);
}

static void test_data_case(void **state)
{
    const sse_case *c = *state;
    size_t n = c->input_len;
    size_t cuts[2];
    char how[64];

    cuts[0] = n;
    expect_transcript(c, cuts, 1, "one feed");
    for (size_t k = 0; k <= n; k++) {
        cuts[0] = k;
        cuts[1] = n;
        snprintf(how, sizeof(how), "two feeds split at %zu", k);
        expect_transcript(c, cuts, 2, how);
    }
    size_t *each = calloc(n + 1, sizeof(*each));
    assert_non_null(each);
    for (size_t i = 0; i < n; i++) {
        each[i] = i + 1;
    }
    expect_transcript(c, each, n, "one byte per feed");
    free(each);
}

static int compare_case_names(const void *a, const void *b)
{
    return strcmp(((const sse_case *)a)->name, ((const sse_case *)b)->name);
}

/* Lists the case directories under @p dir (sorted, so the run order is stable). */
static sse_case *list_cases(const char *dir, size_t *count_out)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "cannot open %s: %s\n", dir, strerror(errno));
        return NULL;
    }
    sse_case *cases = NULL;
    size_t count = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "README.md") == 0) {
            continue;
        }
        sse_case *grown = realloc(cases, (count + 1) * sizeof(*cases));
        if (grown == NULL) {
            abort();
        }
        cases = grown;
        memset(&cases[count], 0, sizeof(cases[count]));
        if (snprintf(cases[count].name, sizeof(cases[count].name), "%s", de->d_name) >=
            (int)sizeof(cases[count].name)) {
            abort();
        }
        count++;
    }
    closedir(d);
    if (count > 1) {
        qsort(cases, count, sizeof(*cases), compare_case_names);
    }
    *count_out = count;
    return cases;
}

static const char *case_dir(void)
{
    return PARTICLE_TEST_DATA_DIR "/sse";
}

static int setup_case(void **state)
{
    load_case(*state, case_dir());
    return 0;
}

static int teardown_case(void **state)
{
    sse_case *c = *state;
    free(c->input);
    free(c->expected);
    c->input = c->expected = NULL;
    return 0;
}

static int run_data_cases(void)
{
    size_t count = 0;
    sse_case *cases = list_cases(case_dir(), &count);
    if (cases == NULL || count < 20) {
        fprintf(stderr, "expected at least 20 cases in %s, found %zu\n", case_dir(), count);
        free(cases);
        return 1;
    }
    struct CMUnitTest *tests = calloc(count, sizeof(*tests));
    if (tests == NULL) {
        abort();
    }
    for (size_t i = 0; i < count; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = test_data_case;
        tests[i].setup_func = setup_case;
        tests[i].teardown_func = teardown_case;
        tests[i].initial_state = &cases[i];
    }
    int failed = _cmocka_run_group_tests("sse_data_cases", tests, count, NULL, NULL);
    free(tests);
    free(cases);
    return failed;
}

/* ---- targeted tests ---- */

typedef struct counter {
    int events;
    int stop_after; /* return non-zero from the callback once this many events were seen */
    char last_data[64];
    char last_id[64];
    int last_has_id;
} counter;

static int count_event(const pu_sse_event *ev, void *payload)
{
    counter *c = payload;
    c->events++;
    snprintf(c->last_data, sizeof(c->last_data), "%s", ev->data);
    snprintf(c->last_id, sizeof(c->last_id), "%s", ev->id);
    c->last_has_id = ev->has_id;
    return c->stop_after > 0 && c->events >= c->stop_after;
}

static int feed_str(pu_sse_parser *p, const char *s)
{
    return pu_sse_feed(p, s, strlen(s));
}

static void test_line_over_limit_is_sticky_until_reset(void **state)
{
    (void)state;
    counter c = {0};
    pu_sse_parser *p = pu_sse_parser_new(8, 0, count_event, NULL, &c);
    assert_non_null(p);
    assert_int_equal(feed_str(p, "data: 12\n\n"), PU_SSE_OK); /* 8 bytes: at the limit */
    assert_int_equal(c.events, 1);
    assert_int_equal(feed_str(p, "data: 123\n\n"), PU_SSE_ETOOBIG);
    assert_int_equal(feed_str(p, "data: x\n\n"), PU_SSE_ETOOBIG);
    assert_int_equal(c.events, 1);
    pu_sse_parser_reset(p);
    assert_int_equal(feed_str(p, "data: x\n\n"), PU_SSE_OK);
    assert_int_equal(c.events, 2);
    assert_string_equal(c.last_data, "x");
    pu_sse_parser_free(p);
}

/* The line cap bounds memory: an endless line fails as soon as it passes the cap. */
static void test_unterminated_line_fails_at_the_cap(void **state)
{
    (void)state;
    pu_sse_parser *p = pu_sse_parser_new(8, 0, NULL, NULL, NULL);
    assert_non_null(p);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(pu_sse_feed(p, "x", 1), PU_SSE_OK);
    }
    assert_int_equal(pu_sse_feed(p, "x", 1), PU_SSE_ETOOBIG);
    pu_sse_parser_free(p);
}

static void test_event_over_limit(void **state)
{
    (void)state;
    counter c = {0};
    pu_sse_parser *p = pu_sse_parser_new(0, 4, count_event, NULL, &c);
    assert_non_null(p);
    assert_int_equal(feed_str(p, "data: abc\ndata:\n\n"), PU_SSE_OK); /* "abc\n" == 4 */
    assert_int_equal(c.events, 1);
    assert_int_equal(feed_str(p, "data: abc\ndata: d\n\n"), PU_SSE_ETOOBIG);
    assert_int_equal(c.events, 1);
    pu_sse_parser_reset(p);
    assert_int_equal(feed_str(p, "data: abcd\n\n"), PU_SSE_OK);
    assert_int_equal(c.events, 2);
    assert_string_equal(c.last_data, "abcd");
    pu_sse_parser_free(p);
}

/* Limits of 0 mean 64 KiB per line and 1 MiB of data per event. */
static void test_default_limits(void **state)
{
    (void)state;
    const size_t max_line = PU_SSE_DEFAULT_MAX_LINE;
    char *line = malloc(max_line + 2);
    assert_non_null(line);
    memset(line, 'x', max_line);
    line[0] = 'd'; /* "data:xxx...": a byte buffer, not a string */
    line[1] = 'a';
    line[2] = 't';
    line[3] = 'a';
    line[4] = ':';
    line[max_line] = '\n';

    counter c = {0};
    pu_sse_parser *p = pu_sse_parser_new(0, 0, count_event, NULL, &c);
    assert_non_null(p);
    assert_int_equal(pu_sse_feed(p, line, max_line + 1), PU_SSE_OK);
    /* 16 lines of 65531 bytes joined by 15 '\n' + "\n" + 64 bytes = exactly 1 MiB */
    for (int i = 1; i < 16; i++) {
        assert_int_equal(pu_sse_feed(p, line, max_line + 1), PU_SSE_OK);
    }
    assert_int_equal(pu_sse_feed(p, line, 5 + 64), PU_SSE_OK);
    assert_int_equal(feed_str(p, "\n\n"), PU_SSE_OK);
    assert_int_equal(c.events, 1);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(pu_sse_feed(p, line, max_line + 1), PU_SSE_OK);
    }
    assert_int_equal(pu_sse_feed(p, line, 5 + 65), PU_SSE_OK); /* line not finished yet */
    assert_int_equal(feed_str(p, "\n"), PU_SSE_ETOOBIG);
    assert_int_equal(c.events, 1);

    pu_sse_parser_reset(p);
    line[max_line] = 'x';
    line[max_line + 1] = '\n';
    assert_int_equal(pu_sse_feed(p, line, max_line + 2), PU_SSE_ETOOBIG);
    pu_sse_parser_free(p);
    free(line);
}

static void test_stop_from_callback(void **state)
{
    (void)state;
    counter c = {.stop_after = 1};
    pu_sse_parser *p = pu_sse_parser_new(0, 0, count_event, NULL, &c);
    assert_non_null(p);
    assert_int_equal(feed_str(p, "data: 1\n\ndata: 2\n\n"), PU_SSE_STOPPED);
    assert_int_equal(c.events, 1);
    assert_string_equal(c.last_data, "1");
    assert_int_equal(feed_str(p, "data: 3\n\n"), PU_SSE_STOPPED);
    assert_int_equal(c.events, 1);
    c.stop_after = 0;
    pu_sse_parser_reset(p);
    assert_int_equal(feed_str(p, "data: 4\n\n"), PU_SSE_OK);
    assert_int_equal(c.events, 2);
    assert_string_equal(c.last_data, "4");
    pu_sse_parser_free(p);
}

/* Reset is a reconnect: the partial event (and its uncommitted id) go, the last id and
 * retry stay, and a BOM is stripped again. */
static void test_reset_keeps_last_id_and_retry(void **state)
{
    (void)state;
    counter c = {0};
    pu_sse_parser *p = pu_sse_parser_new(0, 0, count_event, NULL, &c);
    assert_non_null(p);
    assert_int_equal(feed_str(p, "\xEF\xBB\xBFid: 42\nretry: 1500\ndata: x\n\nid: 43\ndata: par"),
                     PU_SSE_OK);
    assert_int_equal(c.events, 1);
    assert_string_equal(pu_sse_last_id(p), "42");
    pu_sse_parser_reset(p);
    assert_string_equal(pu_sse_last_id(p), "42");
    assert_int_equal(pu_sse_retry_ms(p), 1500);
    assert_int_equal(feed_str(p, "\xEF\xBB\xBF"
                                 "data: y\n\n"),
                     PU_SSE_OK);
    assert_int_equal(c.events, 2);
    assert_string_equal(c.last_data, "y");
    assert_string_equal(c.last_id, "42");
    assert_int_equal(c.last_has_id, 0);
    pu_sse_parser_free(p);
}

/* "\r" at the end of one feed and "\n" at the start of the next are ONE line end. */
static void test_crlf_split_across_feeds(void **state)
{
    (void)state;
    counter c = {0};
    pu_sse_parser *p = pu_sse_parser_new(0, 0, count_event, NULL, &c);
    assert_non_null(p);
    assert_int_equal(feed_str(p, "data: a\r"), PU_SSE_OK);
    assert_int_equal(feed_str(p, "\ndata: b\r"), PU_SSE_OK);
    assert_int_equal(feed_str(p, "\n\r"), PU_SSE_OK);
    assert_int_equal(c.events, 1);
    assert_string_equal(c.last_data, "a\nb");
    assert_int_equal(feed_str(p, "\n"), PU_SSE_OK); /* belongs to the "\r" before it */
    assert_int_equal(feed_str(p, "data: c\n\n"), PU_SSE_OK);
    assert_int_equal(c.events, 2);
    assert_string_equal(c.last_data, "c");
    pu_sse_parser_free(p);
}

static void test_without_callbacks_tracks_id_and_retry(void **state)
{
    (void)state;
    pu_sse_parser *p = pu_sse_parser_new(0, 0, NULL, NULL, NULL);
    assert_non_null(p);
    assert_string_equal(pu_sse_last_id(p), "");
    assert_int_equal(pu_sse_retry_ms(p), -1);
    assert_int_equal(feed_str(p, ":ok\n\nid: 9\nretry: 250\ndata: x\n\n"), PU_SSE_OK);
    assert_string_equal(pu_sse_last_id(p), "9");
    assert_int_equal(pu_sse_retry_ms(p), 250);
    assert_int_equal(pu_sse_feed(p, "", 0), PU_SSE_OK);
    pu_sse_parser_free(p);
}

static void test_free_null(void **state)
{
    (void)state;
    pu_sse_parser_free(NULL);
    pu_sse_parser *p = pu_sse_parser_new(0, 0, NULL, NULL, NULL);
    assert_non_null(p);
    pu_sse_parser_free(p); /* never fed: no buffers allocated yet */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_over_limit_is_sticky_until_reset),
        cmocka_unit_test(test_unterminated_line_fails_at_the_cap),
        cmocka_unit_test(test_event_over_limit),
        cmocka_unit_test(test_default_limits),
        cmocka_unit_test(test_stop_from_callback),
        cmocka_unit_test(test_reset_keeps_last_id_and_retry),
        cmocka_unit_test(test_crlf_split_across_feeds),
        cmocka_unit_test(test_without_callbacks_tracks_id_and_retry),
        cmocka_unit_test(test_free_null),
    };
    int failed = cmocka_run_group_tests_name("sse_parser", tests, NULL, NULL);
    return failed + run_data_cases();
}
