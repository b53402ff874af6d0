/*
 * Pieces of the event-stream client shared by its source files: the route path built
 * from the options (stream_path.c) and the decoding of one event's JSON payload
 * (stream_event.c, with its fast path stream_event_flat.c). Not installed.
 */
#ifndef PARTICLE_STREAM_INTERNAL_H
#define PARTICLE_STREAM_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "internal.h"
#include "particle/stream.h"

/*
 * Checks that @p opts names exactly the fields its scope uses, then builds the route
 * ("/v1/devices/abc/events/temp"), with every segment percent-encoded ("/" in a prefix
 * becomes %2F, as particle-api-js's encodeURIComponent does).
 * @param[out] out malloc'd path; the caller frees it
 * @return 0, PARTICLE_EINVAL or PARTICLE_ENOMEM (error record set)
 */
int particle__stream_path(char **out, const particle_stream_options *opts);

/* A particle_event and the storage its pointers borrow from. */
typedef struct particle__decoded_event {
    particle_event ev;
    json_t *root; /* the general decoder's parsed payload; ev's strings point into it */
    char *text;   /* owned: the fast decoder's copies of the strings, or the general one's
                     `data` rendered as JSON when it was not a string */
} particle__decoded_event;

/*
 * Decodes one event: @p json is the SSE `data:` text (`{"data","ttl","published_at",
 * "coreid",...}`), @p name the `event:` line, @p id the event's own `id:` or NULL. The
 * name, json and id pointers are borrowed and must outlive @p out. Tries the fast decoder,
 * then the general one.
 * @return 0; PARTICLE_EPROTO when the text is not a JSON object; PARTICLE_ENOMEM. On
 *         failure @p out needs no disposing.
 */
int particle__event_decode(particle__decoded_event *out, const char *name, const char *json,
                           size_t json_len, const char *id);

/* particle__event_decode_flat() declined: the payload is not the cloud's flat object of
 * string, integer and null members (or is malformed); only the general decoder may judge. */
#define PARTICLE__EVENT_NOT_FLAT 1

/* The fast decoder (stream_event_flat.c, yajl, no tree): 0, PARTICLE__EVENT_NOT_FLAT (out
 * needs no disposing) or PARTICLE_ENOMEM. Where it answers 0, the general decoder gives the
 * same event. */
int particle__event_decode_flat(particle__decoded_event *out, const char *name, const char *json,
                                size_t json_len, const char *id);

/* The general decoder (stream_event.c, a jansson tree): any JSON object, and the errors. */
int particle__event_decode_tree(particle__decoded_event *out, const char *name, const char *json,
                                size_t json_len, const char *id);

/* Shared by both decoders (stream_event_fields.c): ttl from an integer or a decimal text (-1 when
 * absent, negative, over INT_MAX or not all digits), and published_at in ms (-1 when "" or not ISO
 * 8601). */
int particle__event_ttl_integer(long long n);
int particle__event_ttl_text(const char *s);
long long particle__event_time_ms(const char *published_at);

/* Releases what particle__event_decode() allocated. */
void particle__event_dispose(particle__decoded_event *d);

/* Gap detection (stream_gap.c): the last numeric id the stream had. */
typedef struct particle__gap_tracker {
    bool has_last;
    uint64_t last;
} particle__gap_tracker;

/* A connection starts, resuming from @p sent_id (the Last-Event-ID sent; "" for none). */
void particle__gap_connect(particle__gap_tracker *t, const char *sent_id);

/* An event with id @p id (NULL: none) arrived. True when its id is not above the last one:
 * a gap of unknown size (*missed = -1) after *after. */
bool particle__gap_event(particle__gap_tracker *t, const char *id, long long *missed,
                         uint64_t *after);

/* A comment line arrived (the bytes after ':'). True when it is the server's ":gap N"
 * (*missed = N) or ":gap" (*missed = -1); *has_after says whether *after is known. */
bool particle__gap_comment(const particle__gap_tracker *t, const char *text, size_t len,
                           long long *missed, bool *has_after, uint64_t *after);

/*
 * A gap the server announced with a comment, held until the next event or the end of
 * particle_stream_run(), so one loss is one report: a stream that falls out of the
 * server's replay window gets ":gap" (size unknown) and is closed, and the reconnect's
 * replay then says ":gap N" about the same loss, after the same id.
 */
typedef struct particle__held_gap {
    bool set;
    long long missed; /* -1: unknown */
    bool has_after;
    uint64_t after;
} particle__held_gap;

/* Holds an announced gap. A second announcement of the held loss (the same id after it)
 * replaces it, keeping the size first told when the new one has none. Returns true with
 * *@p earlier when a different loss was held: it is to be reported before this one. */
bool particle__gap_hold(particle__held_gap *h, long long missed, bool has_after, uint64_t after,
                        particle__held_gap *earlier);

/* Takes the held gap: true with *@p out when one was held; none is held after. */
bool particle__gap_take(particle__held_gap *h, particle__held_gap *out);

#endif
