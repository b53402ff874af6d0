/* What both stream event decoders (stream_event.c, stream_event_flat.c) make of a field's
 * value: ttl as an integer or a decimal text, and published_at in ms. */
#include "stream_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "pu_time.h"

int particle__event_ttl_integer(long long n)
{
    return n >= 0 && n <= INT_MAX ? (int)n : -1;
}

int particle__event_ttl_text(const char *s)
{
    char *end = NULL;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (errno == 0 && end != s && *end == '\0' && n >= 0 && n <= INT_MAX)
        return (int)n;
    return -1;
}

long long particle__event_time_ms(const char *published_at)
{
    int64_t ms = -1;
    if (published_at[0] == '\0' || pu_time_parse_iso8601(published_at, &ms) != 0)
        ms = -1;
    return ms;
}
