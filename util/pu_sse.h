/*
 * pu_sse: an I/O-free push parser for Server-Sent Events (the WHATWG event-stream format),
 * on the model of hiredis' redisReader. Feed it bytes in chunks of any size; it calls back
 * once per dispatched event. It serves the SDK's stream client, the bridge and the tests.
 *
 * Handles "\n", "\r\n" and "\r" line ends (also split across feeds), a leading UTF-8 BOM,
 * ":" comment lines, "data:" (several lines joined with "\n"), "event:", "id:" (ignored
 * when it contains NUL), "retry:" (digits only), and one optional space after the colon.
 * An event is dispatched on a blank line when its data buffer is non-empty (per spec);
 * a stream whose events carry only "event:" but no data dispatches nothing.
 * Limits: a line longer than max_line_bytes or an event whose data exceeds
 * max_event_bytes is a protocol error: pu_sse_feed() returns PU_SSE_ETOOBIG and the parser
 * must be reset before further use.
 *
 * Details that follow the spec and may surprise:
 * - "data:" with an empty value still counts: "data:\n\n" dispatches an event whose data is
 *   "". Only a block without any data line (e.g. "event: x\n\n" or a bare keep-alive "\n")
 *   dispatches nothing.
 * - A line without a colon is a field name with an empty value ("data" == "data:").
 *   Unknown fields are ignored.
 * - An id: line takes effect at the blank line that ends its block, so an id of an event
 *   cut off by a disconnect never becomes the reconnect id. "id:" with an empty value sets
 *   the id back to "". An id never holds CR, LF or NUL, so it is safe to send back as a
 *   Last-Event-ID header.
 * - Errors are sticky: after PU_SSE_ETOOBIG, PU_SSE_ENOMEM or PU_SSE_STOPPED every feed
 *   returns that code again until pu_sse_parser_reset(). The rest of the feed that failed
 *   or stopped is not parsed.
 * - max_line_bytes counts a line's bytes without its line end; max_event_bytes counts the
 *   joined data (the '\n' between data lines included).
 *
 * Thread-safety: a parser has no shared or global state; use each one from one thread at a
 * time. Callbacks run on the thread that called pu_sse_feed() and must not call
 * pu_sse_feed(), pu_sse_parser_reset() or pu_sse_parser_free() on the same parser.
 */
#ifndef PU_SSE_H
#define PU_SSE_H

#include <stddef.h>
#include <stdint.h>

typedef struct pu_sse_event {
    const char *event; /* "" when the event had no "event:" field ("message" per spec); a
                          name with an embedded NUL reads as cut at the NUL */
    const char *data;  /* data[data_len] == '\0'; may contain '\n' for multi-line data, and
                          NUL bytes if the stream sent them, so data_len is authoritative */
    size_t data_len;
    const char *id; /* last event id (persists across events, per spec); "" if none */
    int has_id;     /* non-zero if this event carried its own "id:" line */
} pu_sse_event;

/* Called for each event; pointers are valid during the call only. Return non-zero to make
 * pu_sse_feed() stop and return PU_SSE_STOPPED. */
typedef int pu_sse_event_fn(const pu_sse_event *ev, void *payload);

/* Called for every comment line with the bytes after the ':' (a leading space is kept;
 * ":ok" gives "ok"). @p text is NOT NUL-terminated and is valid during the call only.
 * The callback may be NULL. */
typedef void pu_sse_comment_fn(const char *text, size_t len, void *payload);

#define PU_SSE_OK 0
#define PU_SSE_ENOMEM (-1)
#define PU_SSE_ETOOBIG (-2)
#define PU_SSE_STOPPED (-3)

#define PU_SSE_DEFAULT_MAX_LINE ((size_t)64 * 1024)
#define PU_SSE_DEFAULT_MAX_EVENT ((size_t)1024 * 1024)

typedef struct pu_sse_parser pu_sse_parser;

/* 0 for a limit means its default. @p on_event may be NULL (the parser then
 * only tracks id and retry). Returns NULL on out of memory; free with
 * pu_sse_parser_free(). */
pu_sse_parser *pu_sse_parser_new(size_t max_line_bytes, size_t max_event_bytes,
                                 pu_sse_event_fn *on_event, pu_sse_comment_fn *on_comment,
                                 void *payload);
void pu_sse_parser_free(pu_sse_parser *p); /* NULL-safe */

/* Forgets any partial line/event and the BOM state (a new connection). The last event id
 * and retry value are kept, as the spec says for reconnects. */
void pu_sse_parser_reset(pu_sse_parser *p);

/* Feeds @p len bytes (any split of the stream gives the same events). Returns PU_SSE_OK
 * or a negative PU_SSE_* code (see "Errors are sticky" above). */
int pu_sse_feed(pu_sse_parser *p, const char *buf, size_t len);

/* The last "id:" value seen in a completed block ("" if none; valid until the next feed,
 * reset or free) and the last valid "retry:" in ms (-1 if none; digits only, and ignored
 * when it does not fit a long). */
const char *pu_sse_last_id(const pu_sse_parser *p);
long pu_sse_retry_ms(const pu_sse_parser *p);

#endif
