/* Cached text rendering of device objects (see device_render.h). */
#include "routes/device_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model/sim_firmware.h"
#include "model/sim_keys.h"
#include "pu_log.h"
#include "pu_time.h"

#define DEFAULT_MAX_BYTES (16u * 1024 * 1024)
#define TIME_JSON_SIZE (PU_ISO8601_SIZE + 2) /* with the quotes */

/*
 * Where the optional parts sit in a rendered text. The text is the object for the product
 * view with its owner, without "last_heard"'s value and without the closing brace:
 *   [0, owner_at)           {"id":..,"name":..
 *   [owner_at, owner_end)   ,"owner":".."            (empty when there is no owner)
 *   [owner_end, heard_at)   ,"last_ip_address":"..","last_heard":
 *   [heard_at, product_at)  ,"last_handshake_at":.. up to "device_protection"
 *   [product_at, len)       ,"firmware_product_id":.. "denied":..   (empty without product)
 */
typedef struct layout {
    uint32_t owner_at, owner_end, heard_at, product_at, len;
} layout;

typedef struct entry {
    uint64_t rev;
    int64_t heard_ms; /* memo of the last offline "last_heard" formatted into heard */
    char heard[TIME_JSON_SIZE];
    uint8_t heard_len;
    layout at;
    char text[]; /* at.len bytes */
} entry;

struct sim_render_cache {
    entry **slots; /* by device index; NULL = not rendered */
    uint32_t slot_count;
    size_t bytes, max_bytes;
    pu_buf scratch; /* rendering before it is cached, or when the cache is full */
    int64_t now_ms; /* memo of the last "now" formatted into now_json */
    char now_json[TIME_JSON_SIZE];
    uint8_t now_len;
};

static void out_of_memory(void)
{
    pu_log(PU_LOG_ERROR, "render", "out of memory");
    abort();
}

sim_render_cache *sim_render_cache_new(size_t max_bytes)
{
    sim_render_cache *c = calloc(1, sizeof(*c));
    if (!c)
        out_of_memory();
    c->max_bytes = max_bytes ? max_bytes : DEFAULT_MAX_BYTES;
    c->now_ms = -1;
    pu_buf_xinit(&c->scratch);
    return c;
}

void sim_render_cache_clear(sim_render_cache *c)
{
    for (uint32_t i = 0; i < c->slot_count; i++)
        free(c->slots[i]);
    free(c->slots);
    c->slots = NULL;
    c->slot_count = 0;
    c->bytes = 0;
}

void sim_render_cache_free(sim_render_cache *c)
{
    if (!c)
        return;
    sim_render_cache_clear(c);
    pu_buf_dispose(&c->scratch);
    free(c);
}

size_t sim_render_cache_bytes(const sim_render_cache *c)
{
    return c->bytes;
}

/* ---- writing JSON values the way jansson dumps them ---- */

static int append_cb(const char *buffer, size_t size, void *data)
{
    pu_buf_append(data, buffer, size);
    return 0;
}

void sim_render_string(pu_buf *out, const char *s)
{
    /* jansson escapes; json_string() refuses text that is not UTF-8: written as null */
    json_t *j = s ? json_string(s) : NULL;
    if (!j) {
        pu_buf_append(out, "null", 4);
        return;
    }
    json_dump_callback(j, append_cb, out, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(j);
}

static void put_key(pu_buf *out, const char *comma_key_colon)
{
    pu_buf_append_str(out, comma_key_colon);
}

static void put_int(pu_buf *out, json_int_t v)
{
    char num[32];
    int n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, v);
    pu_buf_append(out, num, (size_t)n);
}

static void put_bool(pu_buf *out, bool v)
{
    pu_buf_append_str(out, v ? "true" : "false");
}

/* An ISO-8601 string, or null for 0 (as sim_json_time). Returns the length. */
static size_t time_json(char out[TIME_JSON_SIZE], int64_t ms)
{
    if (!ms) {
        memcpy(out, "null", 4);
        return 4;
    }
    out[0] = '"';
    pu_time_iso8601(ms, out + 1);
    size_t n = strlen(out);
    out[n++] = '"';
    return n;
}

static void put_time(pu_buf *out, int64_t ms)
{
    char t[TIME_JSON_SIZE];
    pu_buf_append(out, t, time_json(t, ms));
}

/* ---- the device object, field by field ---- */

static uint32_t mark(const pu_buf *b, size_t start)
{
    return (uint32_t)(b->len - start);
}

static void render_text(const sim_model *m, uint32_t dev, pu_buf *b, layout *at)
{
    const sim_device *d = &m->devices[dev];
    const sim_template *t = &m->templates[d->tmpl];
    const sim_product *p = d->product != SIM_NONE ? &m->products[d->product] : NULL;
    size_t start = b->len;
    char ip[16], secret[16];
    snprintf(ip, sizeof(ip), "%u.%u.%u.%u", d->ip >> 24, (d->ip >> 16) & 255, (d->ip >> 8) & 255,
             d->ip & 255);
    sim_device_mobile_secret(d->id, secret);

    put_key(b, "{\"id\":");
    sim_render_string(b, d->id);
    put_key(b, ",\"name\":");
    sim_render_string(b, d->name);
    at->owner_at = mark(b, start);
    if (d->owner != SIM_NONE) {
        put_key(b, ",\"owner\":");
        sim_render_string(b, m->users[d->owner].username);
    }
    at->owner_end = mark(b, start);
    put_key(b, ",\"last_ip_address\":");
    sim_render_string(b, ip);
    put_key(b, ",\"last_heard\":");
    at->heard_at = mark(b, start);
    put_key(b, ",\"last_handshake_at\":");
    put_time(b, d->last_handshake_ms);
    put_key(b, ",\"product_id\":");
    put_int(b, p ? p->id : d->platform_id);
    put_key(b, ",\"online\":");
    put_bool(b, d->online);
    put_key(b, ",\"connected\":");
    put_bool(b, d->online);
    put_key(b, ",\"platform_id\":");
    put_int(b, d->platform_id);
    put_key(b, ",\"cellular\":");
    put_bool(b, d->cellular);
    put_key(b, ",\"notes\":");
    sim_render_string(b, d->notes);
    put_key(b, ",\"functions\":[");
    for (uint32_t i = 0; i < t->fn_count; i++) {
        if (i)
            pu_buf_append_char(b, ',');
        sim_render_string(b, t->fns[i].name);
    }
    put_key(b, "],\"variables\":{");
    for (uint32_t i = 0; i < t->var_count; i++) {
        if (i)
            pu_buf_append_char(b, ',');
        sim_render_string(b, t->vars[i].name);
        pu_buf_append_char(b, ':');
        sim_render_string(b, sim_var_type_name(t->vars[i].type));
    }
    put_key(b, "},\"status\":\"normal\",\"serial_number\":");
    sim_render_string(b, d->serial);
    if (d->cellular) {
        put_key(b, ",\"iccid\":");
        sim_render_string(b, d->iccid);
        put_key(b, ",\"imei\":");
        sim_render_string(b, d->imei);
    } else {
        char mac[18];
        snprintf(mac, sizeof(mac), "%.2s:%.2s:%.2s:%.2s:%.2s:%.2s", d->id + 12, d->id + 14,
                 d->id + 16, d->id + 18, d->id + 20, d->id + 22);
        put_key(b, ",\"mac_wifi\":");
        sim_render_string(b, mac);
    }
    put_key(b, ",\"mobile_secret\":");
    sim_render_string(b, secret);
    put_key(b, ",\"system_firmware_version\":");
    sim_render_string(b, d->system_firmware);
    put_key(b, ",\"firmware_updates_enabled\":");
    put_bool(b, d->updates_enabled);
    put_key(b, ",\"firmware_updates_forced\":");
    put_bool(b, d->updates_forced);
    put_key(b, ",\"device_protection\":{\"status\":");
    sim_render_string(b, sim_protection_name(sim_protection_of(m, dev)));
    put_key(b, "}");
    at->product_at = mark(b, start);
    if (p) {
        put_key(b, ",\"firmware_product_id\":");
        put_int(b, p->id);
        put_key(b, ",\"groups\":[");
        bool first = true;
        for (uint32_t g = 0; g < p->group_count; g++) {
            if (!(d->groups & (1u << g)))
                continue;
            if (!first)
                pu_buf_append_char(b, ',');
            first = false;
            sim_render_string(b, p->groups[g]);
        }
        put_key(b, "],\"firmware_version\":");
        put_int(b, d->firmware_version);
        put_key(b, ",\"desired_firmware_version\":");
        if (d->desired_firmware_version < 0)
            pu_buf_append(b, "null", 4);
        else
            put_int(b, d->desired_firmware_version);
        put_key(b, ",\"targeted_firmware_release_version\":");
        int32_t target = sim_firmware_target(m, dev); /* none: what it runs */
        put_int(b, target < 0 ? d->firmware_version : target);
        put_key(b, ",\"development\":");
        put_bool(b, d->development);
        put_key(b, ",\"quarantined\":");
        put_bool(b, d->quarantined);
        put_key(b, ",\"denied\":");
        put_bool(b, d->denied);
    }
    at->len = mark(b, start);
}

/* ---- the cache ---- */

static void grow_slots(sim_render_cache *c, uint32_t need)
{
    uint32_t n = c->slot_count ? c->slot_count : 64;
    while (n < need)
        n = n > UINT32_MAX / 2 ? need : n * 2;
    entry **s = realloc(c->slots, (size_t)n * sizeof(*s));
    if (!s)
        out_of_memory();
    memset(s + c->slot_count, 0, (size_t)(n - c->slot_count) * sizeof(*s));
    c->slots = s;
    c->slot_count = n;
}

static size_t entry_bytes(const entry *e)
{
    return sizeof(*e) + e->at.len;
}

#ifndef NDEBUG
/* A cache hit must equal a fresh rendering: else some code changed a device field without
 * giving the device a new rev. */
static void check_hit(sim_render_cache *c, const sim_model *m, uint32_t dev, const entry *e)
{
    layout at;
    c->scratch.len = 0;
    render_text(m, dev, &c->scratch, &at);
    if (memcmp(&at, &e->at, sizeof(at)) != 0 || memcmp(c->scratch.data, e->text, at.len) != 0) {
        /* Three lines, so each rendering keeps its own PU_LOG_MESSAGE_MAX bytes. */
        pu_log(PU_LOG_ERROR, "render", "device %s changed without a new rev", m->devices[dev].id);
        pu_log(PU_LOG_ERROR, "render", "cached: %.*s", (int)e->at.len, e->text);
        pu_log(PU_LOG_ERROR, "render", "now:    %s", c->scratch.data);
        abort();
    }
}
#endif

/* The valid cached entry of @p dev, rendering and caching it if needed; NULL when the cache
 * is full (then c->scratch holds the text and *at its layout). */
static entry *lookup(sim_render_cache *c, const sim_model *m, uint32_t dev, layout *at)
{
    const sim_device *d = &m->devices[dev];
    if (dev >= c->slot_count)
        grow_slots(c, dev + 1);
    entry *e = c->slots[dev];
    if (e && e->rev == d->rev) {
#ifndef NDEBUG
        check_hit(c, m, dev, e);
#endif
        return e;
    }
    if (e) {
        c->bytes -= entry_bytes(e);
        free(e);
        c->slots[dev] = NULL;
    }
    c->scratch.len = 0;
    render_text(m, dev, &c->scratch, at);
    size_t need = sizeof(*e) + at->len;
    if (c->bytes + need > c->max_bytes)
        return NULL;
    e = malloc(need);
    if (!e)
        out_of_memory();
    e->rev = d->rev;
    e->heard_ms = -1;
    e->heard_len = 0;
    e->at = *at;
    memcpy(e->text, c->scratch.data, at->len);
    c->slots[dev] = e;
    c->bytes += need;
    return e;
}

/* The JSON of "last_heard": "now" while online (memoised per millisecond for the whole
 * cache), else the stored time (memoised in the entry when there is one). */
static const char *heard_json(sim_render_cache *c, entry *e, const sim_device *d, int64_t now,
                              char tmp[TIME_JSON_SIZE], size_t *len)
{
    if (d->online) {
        if (now != c->now_ms) {
            c->now_len = (uint8_t)time_json(c->now_json, now);
            c->now_ms = now;
        }
        *len = c->now_len;
        return c->now_json;
    }
    if (!e) {
        *len = time_json(tmp, d->last_heard_ms);
        return tmp;
    }
    if (e->heard_ms != d->last_heard_ms) {
        e->heard_len = (uint8_t)time_json(e->heard, d->last_heard_ms);
        e->heard_ms = d->last_heard_ms;
    }
    *len = e->heard_len;
    return e->heard;
}

void sim_render_device(sim_render_cache *c, const sim_model *m, uint32_t dev, bool product_view,
                       bool with_owner, int64_t now, pu_buf *out)
{
    layout at;
    entry *e = lookup(c, m, dev, &at);
    const char *text = e ? e->text : c->scratch.data;
    if (e)
        at = e->at;
    char tmp[TIME_JSON_SIZE];
    size_t heard_len;
    const char *heard = heard_json(c, e, &m->devices[dev], now, tmp, &heard_len);
    size_t owner_len = with_owner ? at.owner_end - at.owner_at : 0;
    size_t product_len = product_view ? at.len - at.product_at : 0;
    pu_buf_reserve(out, at.owner_at + owner_len + (at.heard_at - at.owner_end) + heard_len +
                            (at.product_at - at.heard_at) + product_len + 1);
    pu_buf_append(out, text, at.owner_at);
    pu_buf_append(out, text + at.owner_at, owner_len);
    pu_buf_append(out, text + at.owner_end, at.heard_at - at.owner_end);
    pu_buf_append(out, heard, heard_len);
    pu_buf_append(out, text + at.heard_at, at.product_at - at.heard_at);
    pu_buf_append(out, text + at.product_at, product_len);
    pu_buf_append_char(out, '}');
}
