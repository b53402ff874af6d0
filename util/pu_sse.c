/*
 * pu_sse: WHATWG event-stream parser (html.spec.whatwg.org, "Interpreting an event stream").
 *
 * Speed comes from treating whole lines, never single bytes: line ends are found with
 * memchr, field lines are interpreted straight from the caller's buffer, and bytes are
 * copied into the carry buffer only when a line straddles two feeds. The next '\n' and the
 * next '\r' in the current feed are remembered, so a stream that uses only one kind of line
 * end pays for one memchr over its bytes (plus one failing memchr per feed for the other).
 */
#include "pu_sse.h"

#include "pu_buf.h"

#include <stdlib.h>
#include <string.h>

struct pu_sse_parser {
    size_t max_line_bytes;
    pu_sse_event_fn *on_event;
    pu_sse_comment_fn *on_comment;
    void *payload;

    pu_buf carry;      /* start of a line whose end has not arrived yet; capped at a line */
    pu_buf data;       /* the event's data lines joined with '\n'; capped at an event */
    pu_buf event_name; /* the event type buffer */
    pu_buf
        pending_id; /* the spec's "last event ID buffer": set by id:, committed on a blank line */
    pu_buf last_id; /* the spec's "last event ID string": survives reset */
    long retry_ms;  /* -1 until a valid retry: line */

    int has_data;      /* a data: line was seen since the last blank line (data may be "") */
    int has_id;        /* an id: line was seen since the last blank line */
    int skip_lf;       /* the previous feed ended with '\r': a leading '\n' belongs to it */
    unsigned bom_seen; /* BOM bytes matched so far at the start of the connection */
    int bom_done;      /* the start of the connection has been checked for a BOM */
    int failed;        /* sticky PU_SSE_* error (or PU_SSE_STOPPED) until reset */
};

static const unsigned char utf8_bom[3] = {0xEF, 0xBB, 0xBF};

/* The parser's code for a buffer's error. */
static int buf_code(int buf_error)
{
    switch (buf_error) {
    case 0:
        return PU_SSE_OK;
    case PU_BUF_ETOOBIG:
        return PU_SSE_ETOOBIG;
    default:
        return PU_SSE_ENOMEM;
    }
}

static int buf_append(pu_buf *b, const char *src, size_t n)
{
    return buf_code(pu_buf_append(b, src, n));
}

static int buf_set(pu_buf *b, const char *src, size_t n)
{
    pu_buf_reset(b);
    return buf_append(b, src, n);
}

pu_sse_parser *pu_sse_parser_new(size_t max_line_bytes, size_t max_event_bytes,
                                 pu_sse_event_fn *on_event, pu_sse_comment_fn *on_comment,
                                 void *payload)
{
    pu_sse_parser *p = calloc(1, sizeof(*p));
    if (p == NULL) {
        return NULL;
    }
    p->max_line_bytes = max_line_bytes != 0 ? max_line_bytes : PU_SSE_DEFAULT_MAX_LINE;
    pu_buf_init(&p->carry, p->max_line_bytes, NULL);
    pu_buf_init(&p->data, max_event_bytes != 0 ? max_event_bytes : PU_SSE_DEFAULT_MAX_EVENT, NULL);
    /* A field value fits in a line. */
    pu_buf_init(&p->event_name, p->max_line_bytes, NULL);
    pu_buf_init(&p->pending_id, p->max_line_bytes, NULL);
    pu_buf_init(&p->last_id, p->max_line_bytes, NULL);
    p->on_event = on_event;
    p->on_comment = on_comment;
    p->payload = payload;
    p->retry_ms = -1;
    return p;
}

void pu_sse_parser_free(pu_sse_parser *p)
{
    if (p == NULL) {
        return;
    }
    pu_buf_dispose(&p->carry);
    pu_buf_dispose(&p->data);
    pu_buf_dispose(&p->event_name);
    pu_buf_dispose(&p->pending_id);
    pu_buf_dispose(&p->last_id);
    free(p);
}

void pu_sse_parser_reset(pu_sse_parser *p)
{
    pu_buf_reset(&p->carry);
    pu_buf_reset(&p->data);
    pu_buf_reset(&p->event_name);
    p->has_data = 0;
    p->has_id = 0;
    p->skip_lf = 0;
    p->bom_seen = 0;
    p->bom_done = 0;
    p->failed = PU_SSE_OK;
    /* An id: of an event that never completed must not become the reconnect id. If that
     * copy cannot allocate, pending_id keeps its value; only last_id is ever reported. */
    (void)buf_set(&p->pending_id, pu_buf_str(&p->last_id), p->last_id.len);
}

const char *pu_sse_last_id(const pu_sse_parser *p)
{
    return pu_buf_str(&p->last_id);
}

long pu_sse_retry_ms(const pu_sse_parser *p)
{
    return p->retry_ms;
}

/* A blank line: commit the id, dispatch if a data: line was seen, start a new event. */
static int dispatch(pu_sse_parser *p)
{
    int stop = 0;
    if (p->pending_id.len != p->last_id.len ||
        memcmp(pu_buf_str(&p->pending_id), pu_buf_str(&p->last_id), p->last_id.len) != 0) {
        if (buf_set(&p->last_id, pu_buf_str(&p->pending_id), p->pending_id.len) != PU_SSE_OK) {
            return PU_SSE_ENOMEM;
        }
    }
    if (p->has_data && p->on_event != NULL) {
        pu_sse_event ev;
        ev.event = pu_buf_str(&p->event_name);
        ev.data = pu_buf_str(&p->data);
        ev.data_len = p->data.len;
        ev.id = pu_buf_str(&p->last_id);
        ev.has_id = p->has_id;
        stop = p->on_event(&ev, p->payload);
    }
    pu_buf_reset(&p->data);
    pu_buf_reset(&p->event_name);
    p->has_data = 0;
    p->has_id = 0;
    return stop != 0 ? PU_SSE_STOPPED : PU_SSE_OK;
}

/* retry: takes ASCII digits only; a value that does not fit a long is ignored too. */
static void set_retry(pu_sse_parser *p, const char *v, size_t n)
{
    long ms = 0;
    if (n == 0) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned digit = (unsigned)((unsigned char)v[i] - '0');
        if (digit > 9 || __builtin_mul_overflow(ms, 10, &ms) ||
            __builtin_add_overflow(ms, (long)digit, &ms)) {
            return;
        }
    }
    p->retry_ms = ms;
}

/* Interprets one complete line (without its line end). */
static int process_line(pu_sse_parser *p, const char *line, size_t n)
{
    if (n == 0) {
        return dispatch(p);
    }
    if (line[0] == ':') {
        if (p->on_comment != NULL) {
            p->on_comment(line + 1, n - 1, p->payload);
        }
        return PU_SSE_OK;
    }
    const char *colon = memchr(line, ':', n);
    size_t name_len = colon != NULL ? (size_t)(colon - line) : n;
    const char *value = line + n;
    size_t value_len = 0;
    if (colon != NULL) {
        value = colon + 1;
        value_len = n - name_len - 1;
        if (value_len > 0 && value[0] == ' ') {
            value++;
            value_len--;
        }
    }
    switch (name_len) {
    case 4:
        if (memcmp(line, "data", 4) == 0) {
            /* the data buffer's cap is the event cap */
            if (p->has_data) {
                pu_buf_append_char(&p->data, '\n');
            }
            p->has_data = 1;
            return buf_append(&p->data, value, value_len);
        }
        break;
    case 5:
        if (memcmp(line, "event", 5) == 0) {
            return buf_set(&p->event_name, value, value_len);
        }
        if (memcmp(line, "retry", 5) == 0) {
            set_retry(p, value, value_len);
        }
        break;
    case 2:
        if (memcmp(line, "id", 2) == 0 && memchr(value, '\0', value_len) == NULL) {
            p->has_id = 1;
            return buf_set(&p->pending_id, value, value_len);
        }
        break;
    default:
        break;
    }
    return PU_SSE_OK; /* unknown fields are ignored, per spec */
}

/* Consumes the UTF-8 BOM at the start of a connection, which may arrive over several feeds.
 * Returns the number of bytes of @p buf it consumed. */
static size_t skip_bom(pu_sse_parser *p, const char *buf, size_t len, int *rc)
{
    size_t pos = 0;
    *rc = PU_SSE_OK;
    while (!p->bom_done && pos < len) {
        if ((unsigned char)buf[pos] == utf8_bom[p->bom_seen]) {
            pos++;
            if (++p->bom_seen == sizeof(utf8_bom)) {
                p->bom_done = 1;
            }
        } else {
            /* Not a BOM after all: the bytes matched so far start the first line. */
            p->bom_done = 1;
            if (p->bom_seen > 0) {
                *rc = buf_append(&p->carry, (const char *)utf8_bom, p->bom_seen);
            }
        }
    }
    return pos;
}

static const char *find_or_end(const char *cur, const char *end, char c)
{
    const char *hit = memchr(cur, c, (size_t)(end - cur));
    return hit != NULL ? hit : end;
}

static int feed(pu_sse_parser *p, const char *buf, size_t len)
{
    int rc = PU_SSE_OK;
    const char *cur = buf;
    const char *end = buf + len;

    if (!p->bom_done) {
        cur += skip_bom(p, buf, len, &rc);
        if (rc != PU_SSE_OK) {
            return rc;
        }
    }
    if (p->skip_lf && cur < end) {
        p->skip_lf = 0;
        if (*cur == '\n') {
            cur++;
        }
    }
    if (cur == end) {
        return PU_SSE_OK;
    }
    /* The next '\n' and '\r' at or after cur (end when there is none), rescanned only once
     * cur has moved past them. */
    const char *lf = find_or_end(cur, end, '\n');
    const char *cr = find_or_end(cur, end, '\r');
    while (cur < end) {
        if (lf < cur) {
            lf = find_or_end(cur, end, '\n');
        }
        if (cr < cur) {
            cr = find_or_end(cur, end, '\r');
        }
        const char *eol = lf < cr ? lf : cr;
        if (eol == end) {
            return buf_append(&p->carry, cur, (size_t)(end - cur));
        }
        size_t n = (size_t)(eol - cur);
        if (p->carry.len > 0) {
            if ((rc = buf_append(&p->carry, cur, n)) != PU_SSE_OK) {
                return rc;
            }
            rc = process_line(p, p->carry.data, p->carry.len);
            pu_buf_reset(&p->carry);
        } else if (n > p->max_line_bytes) {
            return PU_SSE_ETOOBIG;
        } else {
            rc = process_line(p, cur, n);
        }
        cur = eol + 1;
        if (*eol == '\r') {
            if (cur == end) {
                p->skip_lf = 1;
            } else if (*cur == '\n') {
                cur++;
            }
        }
        if (rc != PU_SSE_OK) {
            return rc;
        }
    }
    return PU_SSE_OK;
}

int pu_sse_feed(pu_sse_parser *p, const char *buf, size_t len)
{
    if (p->failed != PU_SSE_OK) {
        return p->failed;
    }
    if (len == 0) {
        return PU_SSE_OK;
    }
    int rc = feed(p, buf, len);
    p->failed = rc;
    return rc;
}
