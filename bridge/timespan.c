#include "timespan.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pu_parse.h"

#define MS_PER_S INT64_C(1000)
#define MS_PER_M (60 * MS_PER_S)
#define MS_PER_H (60 * MS_PER_M)
#define MS_PER_D (24 * MS_PER_H)
/* Far beyond any sensible interval; keeps the arithmetic below clear of overflow. */
#define MAX_DAYS INT64_C(100000)

char *bridge_timespan_format(int64_t ms, char out[BRIDGE_TIMESPAN_SIZE])
{
    if (ms < 0) {
        ms = 0;
    }
    int64_t days = ms / MS_PER_D;
    int64_t rest = ms % MS_PER_D;
    int h = (int)(rest / MS_PER_H), m = (int)(rest % MS_PER_H / MS_PER_M);
    int s = (int)(rest % MS_PER_M / MS_PER_S), frac = (int)(rest % MS_PER_S);
    char day[32] = "";
    if (days > 0) {
        snprintf(day, sizeof day, "%" PRId64 ".", days);
    }
    if (frac > 0) {
        /* TimeSpan prints seven fraction digits (100 ns ticks). */
        snprintf(out, BRIDGE_TIMESPAN_SIZE, "%s%02d:%02d:%02d.%03d0000", day, h, m, s, frac);
    } else {
        snprintf(out, BRIDGE_TIMESPAN_SIZE, "%s%02d:%02d:%02d", day, h, m, s);
    }
    return out;
}

/* Reads an unsigned decimal of at most @p max_digits digits; advances *p. */
static bool read_uint(const char **p, int max_digits, int64_t *out)
{
    int64_t v = 0;
    int n = 0;
    while (**p >= '0' && **p <= '9') {
        if (++n > max_digits) {
            return false;
        }
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    *out = v;
    return n > 0;
}

/* Reads ".ddd..." as milliseconds (extra digits beyond ms are truncated). */
static bool read_fraction_ms(const char **p, int64_t *out)
{
    int64_t ms = 0;
    int n = 0;
    if (**p != '.') {
        *out = 0;
        return true;
    }
    (*p)++;
    while (**p >= '0' && **p <= '9') {
        if (n < 3) {
            ms = ms * 10 + (**p - '0');
        }
        n++;
        (*p)++;
    }
    if (n == 0 || n > 9) {
        return false;
    }
    for (int i = n; i < 3; i++) {
        ms *= 10;
    }
    *out = ms;
    return true;
}

bool bridge_timespan_parse(const char *text, int64_t *out_ms)
{
    const char *p = text;
    int64_t days = 0, h, m, s, frac;
    if (!read_uint(&p, 6, &h)) {
        return false;
    }
    if (*p == '.') { /* "d.hh:mm:ss" */
        p++;
        days = h;
        if (!read_uint(&p, 2, &h)) {
            return false;
        }
    }
    if (*p++ != ':' || !read_uint(&p, 2, &m) || *p++ != ':' || !read_uint(&p, 2, &s) ||
        !read_fraction_ms(&p, &frac) || *p != '\0') {
        return false;
    }
    if (days > MAX_DAYS || h > 23 || m > 59 || s > 59) {
        return false;
    }
    *out_ms = days * MS_PER_D + h * MS_PER_H + m * MS_PER_M + s * MS_PER_S + frac;
    return true;
}

char *bridge_duration_format(int64_t ms, char out[BRIDGE_TIMESPAN_SIZE])
{
    if (ms < 0) {
        ms = 0;
    }
    int64_t days = ms / MS_PER_D, rest = ms % MS_PER_D;
    int64_t h = rest / MS_PER_H, m = rest % MS_PER_H / MS_PER_M;
    int64_t s = rest % MS_PER_M / MS_PER_S, frac = rest % MS_PER_S;
    size_t n = 0;
    n += (size_t)snprintf(out + n, BRIDGE_TIMESPAN_SIZE - n, "P");
    if (days > 0) {
        n += (size_t)snprintf(out + n, BRIDGE_TIMESPAN_SIZE - n, "%" PRId64 "D", days);
    }
    if (rest > 0 || days == 0) {
        n += (size_t)snprintf(out + n, BRIDGE_TIMESPAN_SIZE - n, "T");
        if (h > 0) {
            n += (size_t)snprintf(out + n, BRIDGE_TIMESPAN_SIZE - n, "%" PRId64 "H", h);
        }
        if (m > 0) {
            n += (size_t)snprintf(out + n, BRIDGE_TIMESPAN_SIZE - n, "%" PRId64 "M", m);
        }
        if (frac > 0) {
            char digits[8];
            snprintf(digits, sizeof digits, "%03d", (int)frac);
            /* DataContract drops trailing zeros of the fraction. */
            size_t len = strlen(digits);
            while (len > 0 && digits[len - 1] == '0') {
                digits[--len] = '\0';
            }
            snprintf(out + n, BRIDGE_TIMESPAN_SIZE - n, "%" PRId64 ".%sS", s, digits);
        } else if (s > 0 || (h == 0 && m == 0)) {
            snprintf(out + n, BRIDGE_TIMESPAN_SIZE - n, "%" PRId64 "S", s);
        }
    }
    return out;
}

bool bridge_duration_parse(const char *text, int64_t *out_ms)
{
    const char *p = text;
    int64_t total = 0, v, frac;
    bool in_time = false, any = false;
    if (*p++ != 'P') {
        return false;
    }
    while (*p) {
        if (*p == 'T' && !in_time) {
            in_time = true;
            p++;
            continue;
        }
        if (!read_uint(&p, 9, &v)) {
            return false;
        }
        frac = 0;
        if (*p == '.' && (!read_fraction_ms(&p, &frac) || *p != 'S')) {
            return false;
        }
        int64_t unit;
        switch (*p) {
        case 'D':
            unit = in_time ? 0 : MS_PER_D;
            break;
        case 'H':
            unit = in_time ? MS_PER_H : 0;
            break;
        case 'M':
            unit = in_time ? MS_PER_M : 0;
            break;
        case 'S':
            unit = in_time ? MS_PER_S : 0;
            break;
        default:
            unit = 0;
        }
        if (unit == 0 || v > MAX_DAYS * 24 * 3600) {
            return false;
        }
        total += v * unit + frac;
        any = true;
        p++;
    }
    if (!any || total / MS_PER_D > MAX_DAYS) {
        return false;
    }
    *out_ms = total;
    return true;
}

bool bridge_config_duration_parse(const char *text, int64_t *out_ms)
{
    int64_t ms;
    bool ok = strchr(text, ':') != NULL ? bridge_timespan_parse(text, &ms)
                                        : pu_parse_duration_ms(text, &ms) == 0;
    if (!ok || ms > MAX_DAYS * MS_PER_D) {
        return false;
    }
    *out_ms = ms;
    return true;
}

char *bridge_date_format(int64_t epoch_ms, char out[BRIDGE_TIMESPAN_SIZE])
{
    time_t secs = (time_t)(epoch_ms / 1000);
    int ms = (int)(epoch_ms % 1000);
    if (ms < 0) {
        ms += 1000;
        secs -= 1;
    }
    struct tm tm;
    gmtime_r(&secs, &tm);
    snprintf(out, BRIDGE_TIMESPAN_SIZE, "%04d-%02d-%02dT%02d:%02d:%02d.%03d0000+00:00",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    return out;
}
