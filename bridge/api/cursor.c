/* The list routes' paging cursor (cursor.h). */
#include "api/cursor.h"

#include <string.h>

#include "pu_hash.h"

#define CURSOR_VERSION 1
#define RAW_MAX 600 /* version, list, two numbers, two texts, check */

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

typedef struct raw {
    unsigned char bytes[RAW_MAX];
    size_t len;
    bool overflow;
} raw;

static void put(raw *r, const void *data, size_t n)
{
    if (r->len + n > sizeof r->bytes) {
        r->overflow = true;
        return;
    }
    memcpy(r->bytes + r->len, data, n);
    r->len += n;
}

static void put_text(raw *r, const char *s)
{
    size_t n = strlen(s);
    if (n > 255) {
        r->overflow = true;
        return;
    }
    unsigned char len = (unsigned char)n;
    put(r, &len, 1);
    put(r, s, n);
}

static void put_int(raw *r, int64_t v)
{
    unsigned char b[8];
    uint64_t u = (uint64_t)v;
    for (int i = 7; i >= 0; i--) {
        b[i] = (unsigned char)(u & 0xffu);
        u >>= 8;
    }
    put(r, b, sizeof b);
}

static uint32_t check_of(const unsigned char *data, size_t len)
{
    return (uint32_t)pu_fnv1a64_bytes(pu_fnv1a64(""), data, len);
}

bool bridge_cursor_encode(const char *list, const bridge_cursor_key *key, char *out, size_t size)
{
    raw r = {.len = 0};
    unsigned char version = CURSOR_VERSION;
    put(&r, &version, 1);
    put_text(&r, list);
    put_int(&r, key->n1);
    put_int(&r, key->n2);
    put_text(&r, key->s1);
    put_text(&r, key->s2);
    uint32_t check = check_of(r.bytes, r.len);
    unsigned char c[4] = {(unsigned char)(check >> 24), (unsigned char)(check >> 16),
                          (unsigned char)(check >> 8), (unsigned char)check};
    put(&r, c, sizeof c);
    if (r.overflow || (r.len * 4 + 2) / 3 + 1 > size) {
        return false;
    }
    size_t o = 0;
    for (size_t i = 0; i < r.len; i += 3) {
        uint32_t chunk = (uint32_t)r.bytes[i] << 16;
        size_t left = r.len - i;
        if (left > 1) {
            chunk |= (uint32_t)r.bytes[i + 1] << 8;
        }
        if (left > 2) {
            chunk |= r.bytes[i + 2];
        }
        out[o++] = alphabet[(chunk >> 18) & 63];
        out[o++] = alphabet[(chunk >> 12) & 63];
        if (left > 1) {
            out[o++] = alphabet[(chunk >> 6) & 63];
        }
        if (left > 2) {
            out[o++] = alphabet[chunk & 63];
        }
    }
    out[o] = '\0';
    return true;
}

static int sextet(char c)
{
    const char *at = c != '\0' ? strchr(alphabet, c) : NULL;
    return at != NULL ? (int)(at - alphabet) : -1;
}

/* base64url without padding into @p r; false on a character outside the alphabet or a
 * length no encoder produces. */
static bool decode_base64url(const char *text, raw *r)
{
    size_t n = strlen(text);
    if (n % 4 == 1 || (n / 4) * 3 + 2 > sizeof r->bytes) {
        return false;
    }
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = sextet(text[i]);
        if (v < 0) {
            return false;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            r->bytes[r->len++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1u;
        }
    }
    return acc == 0; /* the unused low bits of the last character are zero */
}

typedef struct reader {
    const raw *r;
    size_t at;
    size_t end;
} reader;

static bool get_text(reader *rd, char *out, size_t size)
{
    if (rd->at >= rd->end) {
        return false;
    }
    size_t n = rd->r->bytes[rd->at++];
    if (n >= size || rd->at + n > rd->end) {
        return false;
    }
    memcpy(out, rd->r->bytes + rd->at, n);
    out[n] = '\0';
    rd->at += n;
    return memchr(out, '\0', n) == NULL;
}

static bool get_int(reader *rd, int64_t *out)
{
    if (rd->at + 8 > rd->end) {
        return false;
    }
    uint64_t u = 0;
    for (int i = 0; i < 8; i++) {
        u = (u << 8) | rd->r->bytes[rd->at++];
    }
    *out = (int64_t)u;
    return true;
}

bool bridge_cursor_decode(const char *text, const char *list, bridge_cursor_key *key,
                          const char **why)
{
    raw r = {.len = 0};
    memset(key, 0, sizeof *key);
    *why = "not a cursor this API issued";
    if (!decode_base64url(text, &r) || r.len < 1 + 4) {
        return false;
    }
    size_t body = r.len - 4;
    uint32_t check = ((uint32_t)r.bytes[body] << 24) | ((uint32_t)r.bytes[body + 1] << 16) |
                     ((uint32_t)r.bytes[body + 2] << 8) | r.bytes[body + 3];
    if (check != check_of(r.bytes, body)) {
        *why = "damaged cursor (its check does not match)";
        return false;
    }
    if (r.bytes[0] != CURSOR_VERSION) {
        *why = "cursor of another version: start again without cursor";
        return false;
    }
    reader rd = {&r, 1, body};
    char issued_for[BRIDGE_CURSOR_TEXT];
    if (!get_text(&rd, issued_for, sizeof issued_for) || !get_int(&rd, &key->n1) ||
        !get_int(&rd, &key->n2) || !get_text(&rd, key->s1, sizeof key->s1) ||
        !get_text(&rd, key->s2, sizeof key->s2) || rd.at != body) {
        return false;
    }
    if (strcmp(issued_for, list) != 0) {
        *why = "cursor of another list or sort order";
        return false;
    }
    return true;
}
