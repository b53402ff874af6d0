/* Cron expressions of Scheduled logic triggers (sim_logic_cron.h). */
#include "model/sim_logic_cron.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MINUTE_MS 60000LL
#define SEARCH_YEARS 8

/* A number of @p len digits at @p s into *out; false when it is not one. */
static bool field_number(const char *s, size_t len, long *out)
{
    char text[8];
    if (len == 0 || len >= sizeof(text))
        return false;
    memcpy(text, s, len);
    text[len] = '\0';
    for (size_t i = 0; i < len; i++)
        if (text[i] < '0' || text[i] > '9')
            return false;
    *out = strtol(text, NULL, 10);
    return true;
}

/* One comma-separated item ("*", "n", "a-b", each with an optional "/step") of a field of
 * range [lo, hi] into the bits of *bits. */
static bool parse_item(const char *s, size_t len, long lo, long hi, uint64_t *bits)
{
    long from = lo, to = hi, step = 1;
    const char *slash = memchr(s, '/', len);
    size_t range_len = slash ? (size_t)(slash - s) : len;
    if (slash && (!field_number(slash + 1, len - range_len - 1, &step) || step < 1))
        return false;
    if (!(range_len == 1 && s[0] == '*')) {
        const char *dash = memchr(s, '-', range_len);
        if (dash) {
            if (!field_number(s, (size_t)(dash - s), &from) ||
                !field_number(dash + 1, range_len - (size_t)(dash - s) - 1, &to))
                return false;
        } else {
            if (!field_number(s, range_len, &from))
                return false;
            to = slash ? hi : from;
        }
    }
    if (from < lo || to > hi || from > to)
        return false;
    for (long v = from; v <= to; v += step)
        *bits |= 1ULL << v;
    return true;
}

/* A whole field ("a,b-c/d,...") of range [lo, hi]. */
static bool parse_field(const char *s, size_t len, long lo, long hi, uint64_t *bits, bool *any)
{
    *bits = 0;
    *any = len == 1 && s[0] == '*';
    while (len > 0) {
        const char *comma = memchr(s, ',', len);
        size_t item = comma ? (size_t)(comma - s) : len;
        if (!parse_item(s, item, lo, hi, bits))
            return false;
        if (!comma)
            break;
        s += item + 1;
        len -= item + 1;
        if (len == 0)
            return false;
    }
    return *bits != 0;
}

bool sim_cron_parse(const char *text, sim_cron *out)
{
    static const long lo[5] = {0, 0, 1, 1, 0}, hi[5] = {59, 23, 31, 12, 7};
    uint64_t bits[5];
    bool any[5];
    const char *p = text;
    memset(out, 0, sizeof(*out));
    for (int f = 0; f < 5; f++) {
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strcspn(p, " \t");
        if (len == 0 || !parse_field(p, len, lo[f], hi[f], &bits[f], &any[f]))
            return false;
        p += len;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p)
        return false;
    out->minutes = bits[0];
    out->hours = (uint32_t)bits[1];
    out->days = (uint32_t)bits[2];
    out->months = (uint16_t)bits[3];
    out->weekdays = (uint8_t)((bits[4] | (bits[4] >> 7)) & 0x7f); /* 7 is Sunday too */
    out->days_any = any[2];
    out->weekdays_any = any[4];
    return true;
}

static bool day_matches(const sim_cron *c, const struct tm *tm)
{
    bool dom = (c->days >> tm->tm_mday) & 1u, dow = (c->weekdays >> tm->tm_wday) & 1u;
    if (c->days_any || c->weekdays_any)
        return dom && dow;
    return dom || dow;
}

int64_t sim_cron_next(const sim_cron *cron, int64_t after_ms)
{
    /* whole minutes, in seconds; each miss jumps to the next month, day, hour or minute */
    time_t t = (time_t)((after_ms / MINUTE_MS + 1) * 60);
    time_t limit = t + (time_t)SEARCH_YEARS * 366 * 86400;
    while (t < limit) {
        struct tm tm;
        gmtime_r(&t, &tm);
        if (!((cron->months >> (tm.tm_mon + 1)) & 1u)) {
            tm.tm_mon++;
            tm.tm_mday = 1;
            tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        } else if (!day_matches(cron, &tm)) {
            tm.tm_mday++;
            tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        } else if (!((cron->hours >> tm.tm_hour) & 1u)) {
            tm.tm_hour++;
            tm.tm_min = tm.tm_sec = 0;
        } else if (!((cron->minutes >> tm.tm_min) & 1ULL)) {
            tm.tm_min++;
            tm.tm_sec = 0;
        } else {
            return (int64_t)t * 1000;
        }
        t = timegm(&tm); /* normalises the overflowed field */
    }
    return -1;
}
