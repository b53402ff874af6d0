#include "parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cli_parse_long(const char *text, long long min, long long max, long long *out)
{
    char *end = NULL;
    if (text == NULL || text[0] == '\0' || text[0] == ' ') {
        return -1;
    }
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_duration_ms(const char *text, long long *out_ms)
{
    static const struct {
        const char *suffix;
        long long ms;
    } units[] = {{"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
    char *end = NULL;
    if (text == NULL || text[0] < '0' || text[0] > '9') {
        return -1;
    }
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text) {
        return -1;
    }
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(end, units[i].suffix) == 0) {
            return __builtin_mul_overflow(v, units[i].ms, out_ms) ? -1 : 0;
        }
    }
    return -1;
}

int cli_parse_bool(const char *text, bool *out)
{
    static const char *const yes[] = {"1", "on", "true", "yes"};
    static const char *const no[] = {"0", "off", "false", "no"};
    for (size_t i = 0; text != NULL && i < 4; i++) {
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
