#include "pu_parse.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* strto* skip leading blanks and accept more than the grammars here: a value must start
 * with a sign, a digit or (for numbers with a fraction) a '.'. */
static bool starts_like_a_number(const char *text, bool allow_dot)
{
    const char *p = text + (text[0] == '-' || text[0] == '+');
    return is_digit(p[0]) || (allow_dot && p[0] == '.' && is_digit(p[1]));
}

int pu_parse_int64(const char *text, int64_t min, int64_t max, int64_t *out)
{
    if (text == NULL || !starts_like_a_number(text, false)) {
        return -1;
    }
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

int pu_parse_double(const char *text, double min, double max, double *out)
{
    if (text == NULL || !starts_like_a_number(text, true) ||
        strpbrk(text, "xXnN") != NULL) { /* hexadecimal, nan, inf(inity) */
        return -1;
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v) || v < min || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

int pu_parse_bool(const char *text, bool *out)
{
    static const char *const yes[] = {"1", "on", "true", "yes"};
    static const char *const no[] = {"0", "off", "false", "no"};
    for (size_t i = 0; text != NULL && i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(text, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(text, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

int pu_parse_duration_ms(const char *text, int64_t *out_ms)
{
    static const struct {
        const char *suffix;
        int64_t ms;
    } units[] = {{"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
    if (text == NULL || !starts_like_a_number(text, true) || text[0] == '-' || text[0] == '+') {
        return -1;
    }
    /* The whole part exactly, in integers; the fraction in a double, where the few
     * significant digits a millisecond needs are exact enough. */
    const char *p = text;
    int64_t whole = 0;
    for (; is_digit(*p); p++) {
        if (__builtin_mul_overflow(whole, 10, &whole) ||
            __builtin_add_overflow(whole, *p - '0', &whole)) {
            return -1;
        }
    }
    double fraction = 0, scale = 1;
    if (*p == '.') {
        for (p++; is_digit(*p); p++) {
            scale /= 10;
            fraction += (*p - '0') * scale;
        }
    }
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        int64_t ms;
        if (strcmp(p, units[i].suffix) == 0) {
            if (__builtin_mul_overflow(whole, units[i].ms, &ms) ||
                __builtin_add_overflow(ms, (int64_t)(fraction * (double)units[i].ms), &ms)) {
                return -1;
            }
            *out_ms = ms;
            return 0;
        }
    }
    return -1;
}
