/*
 * fuzz_sse: libFuzzer target for util/pu_sse.
 *
 * The input is the raw stream. It is parsed three times: in one feed, in two feeds split
 * at an offset derived from the first byte, and one byte per feed. All three must give
 * the same callbacks (compared through a digest), the same final return code, last id and
 * retry. Each event must satisfy the header's contract:
 *   - data[data_len] == '\0', and data_len == strlen(data) unless the data holds a NUL
 *     (the stream may send NUL bytes in data; data_len is authoritative then);
 *   - data_len <= the event limit; event name, id and comment fit the line limit;
 *   - has_id is 0 or 1, and the id never holds a NUL (such id: lines are ignored).
 * The limits are small, so PU_SSE_ETOOBIG is reached often; after it the parser must stay
 * failed until reset, and after reset it must parse a fresh event and keep the last id.
 *
 * tests/unit/util/test_fuzz_sse_corpus.c includes this file to replay fuzz/corpus/sse as
 * an ordinary test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_sse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_LINE 256u
#define FUZZ_MAX_EVENT 1024u

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* What one parse produced: a digest of every callback plus the final state. */
typedef struct sse_outcome {
    uint64_t digest;
    size_t events;
    size_t comments;
    int rc;
    long retry_ms;
    char last_id[FUZZ_MAX_LINE + 1];
} sse_outcome;

/* FNV-1a: collisions between the three parses of one input are not a practical concern. */
static void mix(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        *h = (*h ^ b[i]) * 0x100000001b3ULL;
    }
}

static void mix_str(uint64_t *h, const char *s)
{
    size_t n = strlen(s);
    mix(h, &n, sizeof(n));
    mix(h, s, n);
}

static int on_event(const pu_sse_event *ev, void *payload)
{
    sse_outcome *out = payload;
    CHECK(ev->data[ev->data_len] == '\0');
    if (memchr(ev->data, '\0', ev->data_len) == NULL) {
        CHECK(strlen(ev->data) == ev->data_len);
    }
    CHECK(ev->data_len <= FUZZ_MAX_EVENT);
    CHECK(strlen(ev->event) <= FUZZ_MAX_LINE);
    CHECK(strlen(ev->id) <= FUZZ_MAX_LINE);
    CHECK(ev->has_id == 0 || ev->has_id == 1);

    out->events++;
    mix(&out->digest, "E", 1);
    mix_str(&out->digest, ev->event);
    mix_str(&out->digest, ev->id);
    mix(&out->digest, &ev->has_id, sizeof(ev->has_id));
    mix(&out->digest, &ev->data_len, sizeof(ev->data_len));
    mix(&out->digest, ev->data, ev->data_len);
    return 0;
}

static void on_comment(const char *text, size_t len, void *payload)
{
    sse_outcome *out = payload;
    CHECK(len < FUZZ_MAX_LINE);
    out->comments++;
    mix(&out->digest, "C", 1);
    mix(&out->digest, &len, sizeof(len));
    mix(&out->digest, text, len);
}

/* After an error the parser stays failed; after reset it works and keeps the last id. */
static void check_recovery(pu_sse_parser *p, sse_outcome *out)
{
    static const char fresh[] = "data: ok\n\n";
    if (out->rc != PU_SSE_OK) {
        CHECK(pu_sse_feed(p, fresh, sizeof(fresh) - 1) == out->rc);
    }
    size_t events = out->events;
    pu_sse_parser_reset(p);
    CHECK(strcmp(pu_sse_last_id(p), out->last_id) == 0);
    CHECK(pu_sse_retry_ms(p) == out->retry_ms);
    CHECK(pu_sse_feed(p, fresh, sizeof(fresh) - 1) == PU_SSE_OK);
    CHECK(out->events == events + 1);
}

/* Parses @p data in pieces of at most @p piece bytes, the first one @p first bytes long. */
static void parse(const uint8_t *data, size_t size, size_t first, size_t piece, sse_outcome *out)
{
    memset(out, 0, sizeof(*out));
    out->digest = 0xcbf29ce484222325ULL;
    pu_sse_parser *p = pu_sse_parser_new(FUZZ_MAX_LINE, FUZZ_MAX_EVENT, on_event, on_comment, out);
    CHECK(p != NULL);
    const char *buf = (const char *)data;
    size_t pos = 0;
    size_t n = first;
    while (out->rc == PU_SSE_OK && pos < size) {
        if (n > size - pos) {
            n = size - pos;
        }
        out->rc = pu_sse_feed(p, buf + pos, n);
        pos += n;
        n = piece;
    }
    CHECK(out->rc == PU_SSE_OK || out->rc == PU_SSE_ETOOBIG);
    const char *id = pu_sse_last_id(p);
    CHECK(strlen(id) <= FUZZ_MAX_LINE);
    memcpy(out->last_id, id, strlen(id) + 1);
    out->retry_ms = pu_sse_retry_ms(p);
    CHECK(out->retry_ms >= -1);
    mix(&out->digest, &out->rc, sizeof(out->rc));
    mix_str(&out->digest, out->last_id);
    mix(&out->digest, &out->retry_ms, sizeof(out->retry_ms));
    check_recovery(p, out);
    pu_sse_parser_free(p);
}

/* Runs all three parses of one input and checks they agree; returns the event count. */
static size_t fuzz_sse_check(const uint8_t *data, size_t size)
{
    sse_outcome whole, split, bytes;
    size_t cut = size > 0 ? (size * data[0]) / 255 : 0;
    parse(data, size, size, size, &whole);
    parse(data, size, cut, size, &split);
    parse(data, size, 1, 1, &bytes);
    CHECK(split.digest == whole.digest && split.events == whole.events);
    CHECK(bytes.digest == whole.digest && bytes.events == whole.events);
    return whole.events - 1; /* minus the event check_recovery() fed */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)fuzz_sse_check(data, size);
    return 0;
}
