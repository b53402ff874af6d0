/* Device ids to partitions by a stable 64-bit hash (util's tuple hash, pu_hash.h, of the id:
 * the value the store's key function gave before it moved to util/): the same on every
 * machine and in every release, as partitions must be. */
#include "partition.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "pu_hash.h"

static bool parse_part(const char *s, char **end, unsigned long *out)
{
    if (*s < '0' || *s > '9') {
        return false;
    }
    errno = 0;
    *out = strtoul(s, end, 10);
    return errno == 0;
}

bool bridge_partition_parse(const char *text, bridge_partition *out)
{
    unsigned long k = 0, n = 0;
    char *end = NULL;
    if (text == NULL || !parse_part(text, &end, &k) || *end != '/' ||
        !parse_part(end + 1, &end, &n) || *end != '\0' || k < 1 || k > n ||
        n > BRIDGE_MAX_PARTITIONS) {
        return false;
    }
    out->index = (unsigned int)k;
    out->count = (unsigned int)n;
    return true;
}

bool bridge_partition_owns(const bridge_partition *p, const char *device_id)
{
    if (p == NULL || p->count <= 1) {
        return true;
    }
    pu_tuple_hash k;
    pu_tuple_hash_init(&k);
    pu_tuple_hash_cstr(&k, device_id);
    return k.h % p->count == p->index - 1;
}
