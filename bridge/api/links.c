/* Links with percent-encoded ids (see links.h). */
#include "api/links.h"

#include <stdbool.h>
#include <stdio.h>

#include "pu_str.h"

/* Room for a 255-byte name with every byte encoded. */
#define SEGMENT_SIZE (3 * 255 + 1)

/* Empties @p out when snprintf's result @p n says the link did not fit (or @p ok is false:
 * a segment too long to encode). */
static char *fitted(char *out, size_t size, bool ok, int n)
{
    if (!ok || n < 0 || (size_t)n >= size)
        out[0] = '\0';
    return out;
}

char *bridge_link_function(char *out, size_t size, const char *cloud, const char *device,
                           const char *function)
{
    char dev[SEGMENT_SIZE], fn[SEGMENT_SIZE];
    bool ok =
        pu_percent_encode(device, dev, sizeof dev) && pu_percent_encode(function, fn, sizeof fn);
    return fitted(out, size, ok, snprintf(out, size, "%s/v1/devices/%s/%s", cloud, dev, fn));
}

char *bridge_link_device(char *out, size_t size, const char *device)
{
    char dev[SEGMENT_SIZE];
    bool ok = pu_percent_encode(device, dev, sizeof dev);
    return fitted(out, size, ok, snprintf(out, size, "/api/v1/devices/%s/particle", dev));
}

char *bridge_link_readings(char *out, size_t size, const char *list, const char *device)
{
    char dev[SEGMENT_SIZE];
    bool ok = pu_percent_encode(device, dev, sizeof dev);
    return fitted(out, size, ok, snprintf(out, size, "/api/v1/%s?device=%s", list, dev));
}
