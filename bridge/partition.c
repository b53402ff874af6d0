/* Device ids to partitions by a stable 64-bit hash (util's tuple hash, pu_hash.h, of the id:
 * the value the store's key function gave before it moved to util/): the same on every
 * machine and in every release, as partitions must be. */
#include "partition.h"

#include <stdint.h>
#include <string.h>

#include "pu_hash.h"
#include "pu_parse.h"

static bool starts_with_digit(const char *s)
{
    return *s >= '0' && *s <= '9';
}

bool bridge_partition_parse(const char *text, bridge_partition *out)
{
    /* "K/N", two unsigned decimals: K is copied out so that each number is parsed whole,
     * and a sign, which pu_parse_int64() would take, is refused here. */
    const char *slash = text != NULL ? strchr(text, '/') : NULL;
    char k_text[24];
    int64_t k, n;
    if (slash == NULL || (size_t)(slash - text) >= sizeof k_text || !starts_with_digit(text) ||
        !starts_with_digit(slash + 1)) {
        return false;
    }
    memcpy(k_text, text, (size_t)(slash - text));
    k_text[slash - text] = '\0';
    if (pu_parse_int64(slash + 1, 1, BRIDGE_MAX_PARTITIONS, &n) != 0 ||
        pu_parse_int64(k_text, 1, n, &k) != 0) {
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
