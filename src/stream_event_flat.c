/*
 * The fast path of event decoding: the payload the cloud sends, one flat object of "data",
 * "ttl", "published_at" and "coreid" with string, integer or null values, read with yajl's
 * event (SAX) parser, so no tree is built: the strings are copied once into one block and
 * nothing else is allocated by us. jansson building a tree of the same object was 90 % of
 * a stream's time per event (docs/BENCHMARKS.md, sdk_stream_eps).
 *
 * It accepts only what it can prove the general decoder (jansson, stream_event.c) would
 * decode to the same event, and declines everything else, which then goes to jansson: any
 * other member, a repeated member, a nested value, a boolean or real number, a string with
 * a byte outside printable ASCII (jansson's UTF-8 checks are stricter than yajl's), a decoded
 * escape that could be yajl's '?' for a lone surrogate or a NUL, the whitespace characters
 * yajl takes and JSON does not (\v, \f), anything but whitespace after the object, and
 * anything yajl calls an error. So errors keep jansson's messages; test_stream_decode.c and
 * fuzz/fuzz_stream_event.c check that both paths agree.
 */
#include "stream_internal.h"

#include <stdbool.h>
#include <string.h>

#include <yajl/yajl_parse.h>

/* The members of the cloud's event object, a bit each so that a repeated one is seen. */
typedef enum member {
    MEMBER_NONE = 0,
    MEMBER_DATA = 1,
    MEMBER_TTL = 2,
    MEMBER_PUBLISHED_AT = 4,
    MEMBER_COREID = 8
} member;

typedef struct flat_reader {
    const char *json; /* the input: a string inside it was not unescaped by yajl */
    size_t json_len;
    yajl_handle handle;
    bool in_object;    /* between the top-level '{' and '}' */
    bool done;         /* the top-level '}' was read */
    size_t end_offset; /* just after that '}' */
    unsigned seen;     /* members read so far */
    member current;    /* the member whose value comes next */
    char *text;        /* the copies of the strings, each NUL-terminated (owned by the event) */
    size_t text_used;
    const char *data; /* into text, or NULL for null/absent */
    size_t data_len;
    const char *published_at;
    const char *coreid;
    int ttl;
} flat_reader;

/* yajl's callbacks return 0 to stop the parse: here, always "decline". */
enum { DECLINE = 0, GO_ON = 1 };

static bool is_raw(const flat_reader *r, const unsigned char *s)
{
    const char *p = (const char *)s;
    return p >= r->json && p < r->json + r->json_len;
}

/* Printable ASCII for a string as written; for an unescaped one also the control characters
 * an escape gives, but not NUL nor '?' (yajl's stand-in for a lone surrogate). */
static bool plain_ascii(const unsigned char *s, size_t len, bool raw)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c >= 0x80 || c == '\0' || (raw && c < 0x20) || (!raw && c == '?'))
            return false;
    }
    return true;
}

static int on_null(void *ctx)
{
    flat_reader *r = ctx;
    /* the defaults are already what jansson gives a null member: NULL data, ttl -1, "" */
    if (r->current == MEMBER_NONE)
        return DECLINE;
    r->current = MEMBER_NONE;
    return GO_ON;
}

static int on_integer(void *ctx, long long value)
{
    flat_reader *r = ctx;
    if (r->current != MEMBER_TTL)
        return DECLINE; /* jansson renders an integer `data` as text: let it */
    r->ttl = particle__event_ttl_integer(value);
    r->current = MEMBER_NONE;
    return GO_ON;
}

static int on_string(void *ctx, const unsigned char *value, size_t len)
{
    flat_reader *r = ctx;
    if (r->current == MEMBER_NONE || !plain_ascii(value, len, is_raw(r, value)))
        return DECLINE;
    /* A string decodes to at most its written length, so text (json_len + 4) has room. */
    char *copy = r->text + r->text_used;
    memcpy(copy, value, len);
    copy[len] = '\0';
    r->text_used += len + 1;
    switch (r->current) {
    case MEMBER_DATA:
        r->data = copy;
        r->data_len = len;
        break;
    case MEMBER_TTL:
        r->ttl = particle__event_ttl_text(copy);
        break;
    case MEMBER_PUBLISHED_AT:
        r->published_at = copy;
        break;
    default:
        r->coreid = copy;
        break;
    }
    r->current = MEMBER_NONE;
    return GO_ON;
}

static int on_start_map(void *ctx)
{
    flat_reader *r = ctx;
    if (r->in_object || r->done)
        return DECLINE; /* nested: not the flat shape */
    r->in_object = true;
    return GO_ON;
}

static member member_named(const unsigned char *key, size_t len)
{
    static const struct {
        const char *name;
        size_t len;
        member m;
    } members[] = {{"data", 4, MEMBER_DATA},
                   {"ttl", 3, MEMBER_TTL},
                   {"published_at", 12, MEMBER_PUBLISHED_AT},
                   {"coreid", 6, MEMBER_COREID}};
    for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
        if (len == members[i].len && memcmp(key, members[i].name, len) == 0)
            return members[i].m;
    }
    return MEMBER_NONE;
}

static int on_map_key(void *ctx, const unsigned char *key, size_t len)
{
    flat_reader *r = ctx;
    member m = member_named(key, len);
    if (m == MEMBER_NONE || (r->seen & (unsigned)m) != 0)
        return DECLINE; /* another member, or a repeated one (jansson refuses those) */
    r->seen |= (unsigned)m;
    r->current = m;
    return GO_ON;
}

static int on_end_map(void *ctx)
{
    flat_reader *r = ctx;
    r->in_object = false;
    r->done = true;
    r->end_offset = yajl_get_bytes_consumed(r->handle);
    return GO_ON;
}

static int on_other(void *ctx)
{
    (void)ctx;
    return DECLINE; /* an array */
}

static int on_boolean(void *ctx, int value)
{
    (void)ctx;
    (void)value;
    return DECLINE;
}

static int on_double(void *ctx, double value)
{
    (void)ctx;
    (void)value;
    return DECLINE;
}

static const yajl_callbacks flat_callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_integer = on_integer,
    .yajl_double = on_double,
    .yajl_number = NULL, /* numbers come to on_integer / on_double */
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = on_end_map,
    .yajl_start_array = on_other,
    .yajl_end_array = on_other,
};

/* JSON's whitespace only, from @p at to the end. */
static bool only_whitespace(const char *s, size_t at, size_t len)
{
    for (; at < len; at++) {
        if (s[at] != ' ' && s[at] != '\t' && s[at] != '\n' && s[at] != '\r')
            return false;
    }
    return true;
}

/* Runs yajl over the whole text; true when it read exactly one flat event object. */
static bool read_flat(flat_reader *r)
{
    /* yajl's own allocations use malloc: it does not survive a failed one, so the test
     * builds' failing allocator (alloc.h) must not reach it. */
    yajl_handle h = yajl_alloc(&flat_callbacks, NULL, r);
    if (h == NULL)
        return false; /* jansson then reports the shortage */
    r->handle = h;
    /* yajl keeps a token cut by the end of the text (`{..}"}`) for a next chunk, and
     * yajl_complete_parse() does not look at it: so what follows the object is checked here. */
    bool ok = yajl_parse(h, (const unsigned char *)r->json, r->json_len) == yajl_status_ok &&
              yajl_complete_parse(h) == yajl_status_ok && r->done &&
              only_whitespace(r->json, r->end_offset, r->json_len);
    yajl_free(h);
    return ok;
}

int particle__event_decode_flat(particle__decoded_event *out, const char *name, const char *json,
                                size_t json_len, const char *id)
{
    memset(out, 0, sizeof(*out));
    /* whitespace to yajl, not to JSON; NUL is refused by both, but let jansson say it */
    if (memchr(json, '\v', json_len) != NULL || memchr(json, '\f', json_len) != NULL ||
        memchr(json, '\0', json_len) != NULL)
        return PARTICLE__EVENT_NOT_FLAT;
    flat_reader r = {.json = json, .json_len = json_len, .ttl = -1};
    /* room for every string (each decodes to at most its written length) and 4 NULs */
    r.text = particle__malloc(json_len + 4);
    if (r.text == NULL)
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    if (!read_flat(&r)) {
        particle__free(r.text);
        return PARTICLE__EVENT_NOT_FLAT;
    }
    particle_event *ev = &out->ev;
    ev->name = name;
    ev->id = id;
    ev->json = json;
    ev->json_len = json_len;
    ev->data = r.data;
    ev->data_len = r.data_len;
    ev->ttl = r.ttl;
    ev->published_at = r.published_at != NULL ? r.published_at : "";
    ev->coreid = r.coreid != NULL ? r.coreid : "";
    ev->published_at_ms = particle__event_time_ms(ev->published_at);
    out->text = r.text; /* now owned by out */
    return 0;
}
