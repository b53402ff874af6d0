#include "pu_time.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t pu_time_now_ms(void)
{
    return clock_ms(CLOCK_REALTIME);
}

int64_t pu_time_mono_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

char *pu_time_iso8601(int64_t epoch_ms, char out[PU_ISO8601_SIZE])
{
    int64_t secs = epoch_ms / 1000;
    int ms = (int)(epoch_ms % 1000);
    if (ms < 0) {
        ms += 1000;
        secs -= 1;
    }
    time_t t = (time_t)secs;
    struct tm tm;
    gmtime_r(&t, &tm);
    /* strftime keeps the compiler's truncation analysis quiet about the year's width. */
    size_t n = strftime(out, PU_ISO8601_SIZE, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, PU_ISO8601_SIZE - n, ".%03dZ", ms % 1000);
    return out;
}

/* Reads exactly @p width digits at *p and advances. */
static int read_digits(const char **p, int width, int *out)
{
    int v = 0;
    for (int i = 0; i < width; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9') {
            return -1;
        }
        v = v * 10 + (c - '0');
    }
    *p += width;
    *out = v;
    return 0;
}

static int expect_char(const char **p, char c)
{
    if (**p != c) {
        return -1;
    }
    (*p)++;
    return 0;
}

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int year, int mon)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return mon == 2 && leap ? 29 : days[mon - 1];
}

/* Real UTC offsets run from -12:00 to +14:00; accept up to ±14:00 either way. */
#define MAX_OFFSET_MIN (14 * 60)

int pu_time_parse_iso8601(const char *text, int64_t *out_ms)
{
    const char *p = text;
    int year, mon, day, hour, min, sec, ms = 0;
    if (text == NULL || read_digits(&p, 4, &year) || expect_char(&p, '-') ||
        read_digits(&p, 2, &mon) || expect_char(&p, '-') || read_digits(&p, 2, &day) ||
        (*p != 'T' && *p != 't' && *p != ' ') || !++p || read_digits(&p, 2, &hour) ||
        expect_char(&p, ':') || read_digits(&p, 2, &min) || expect_char(&p, ':') ||
        read_digits(&p, 2, &sec)) {
        return -1;
    }
    if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) || hour > 23 || min > 59 ||
        sec > 60) {
        return -1;
    }
    if (*p == '.') {
        p++;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            if (digits < 3) {
                ms = ms * 10 + (*p - '0');
            }
            digits++;
            p++;
        }
        if (digits == 0) {
            return -1;
        }
        for (; digits < 3; digits++) {
            ms *= 10;
        }
    }
    int64_t offset_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        int oh, om;
        p++;
        if (read_digits(&p, 2, &oh)) {
            return -1;
        }
        if (*p == ':') {
            p++;
        }
        if (read_digits(&p, 2, &om)) {
            return -1;
        }
        if (om > 59 || oh * 60 + om > MAX_OFFSET_MIN) {
            return -1;
        }
        offset_min = sign * (oh * 60 + om);
    } else {
        return -1;
    }
    if (*p != '\0') {
        return -1;
    }
    int64_t days = days_from_civil(year, mon, day);
    int64_t secs = days * 86400 + hour * 3600 + min * 60 + sec - offset_min * 60;
    *out_ms = secs * 1000 + ms;
    return 0;
}

void pu_time_sleep_ms(int64_t ms)
{
    if (ms <= 0) {
        return;
    }
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}
