#include "pu_str.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

char *pu_xstrdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = malloc(len);
    if (copy == NULL) {
        abort();
    }
    memcpy(copy, s, len);
    return copy;
}

bool pu_strlcpy(char *dst, const char *src, size_t size)
{
    if (size == 0) {
        return false;
    }
    size_t len = strlen(src);
    bool fits = len < size;
    size_t n = fits ? len : size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return fits;
}

uint64_t pu_rand_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double pu_rand_double(uint64_t *state)
{
    return (double)(pu_rand_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

static void fill_random(unsigned char *buf, size_t n, uint64_t *rng_state)
{
    if (rng_state == NULL) {
        int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t got = read(fd, buf, n);
            close(fd);
            if (got == (ssize_t)n) {
                return;
            }
        }
        /* No /dev/urandom: fall back to a time-seeded generator. */
        static _Thread_local uint64_t fallback;
        fallback ^= (uint64_t)(uintptr_t)buf ^ (uint64_t)getpid();
        rng_state = &fallback;
    }
    for (size_t i = 0; i < n; i++) {
        buf[i] = (unsigned char)(pu_rand_next(rng_state) & 0xff);
    }
}

void pu_random_hex(char *out, size_t nbytes, uint64_t *rng_state)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char raw[64];
    size_t done = 0;
    while (done < nbytes) {
        size_t chunk = nbytes - done < sizeof(raw) ? nbytes - done : sizeof(raw);
        fill_random(raw, chunk, rng_state);
        for (size_t i = 0; i < chunk; i++) {
            out[2 * (done + i)] = digits[raw[i] >> 4];
            out[2 * (done + i) + 1] = digits[raw[i] & 0xf];
        }
        done += chunk;
    }
    out[2 * nbytes] = '\0';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool pu_percent_decode(char *s)
{
    char *out = s;
    for (const char *in = s; *in != '\0'; in++) {
        if (*in != '%') {
            *out++ = *in;
            continue;
        }
        int hi = hex_value(in[1]);
        int lo = hi < 0 ? -1 : hex_value(in[2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            return false;
        }
        *out++ = (char)(hi * 16 + lo);
        in += 2;
    }
    *out = '\0';
    return true;
}

void pu_secure_zero(void *p, size_t len)
{
    if (p == NULL) {
        return;
    }
    volatile unsigned char *v = p;
    while (len--) {
        *v++ = 0;
    }
}

bool pu_str_contains_nocase(const char *hay, const char *needle)
{
    if (needle == NULL || *needle == '\0') {
        return true;
    }
    if (hay == NULL) {
        return false;
    }
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        if (strncasecmp(hay, needle, n) == 0) {
            return true;
        }
    }
    return false;
}
