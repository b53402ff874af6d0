/* What a Particle module binary says of itself (model/sim_firmware.h: the layout). */
#include <stdio.h>

#include "model/sim_firmware.h"

#define PREFIX_SIZE 24
#define SUFFIX_TAIL 38 /* SHA-256 (32), suffix size (2), CRC-32 (4) */

static uint32_t u32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t u16le(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* binary-version-reader's checks of a prefix at @p off, less its scoring of known values. */
static bool prefix_plausible(const unsigned char *data, size_t size, size_t off)
{
    if (size < off + PREFIX_SIZE)
        return false;
    const unsigned char *p = data + off;
    uint32_t start = u32le(p), end = u32le(p + 4);
    if (end <= start || (uint64_t)end - start + 4 > size)
        return false;
    if (p[14] == 0) /* module function: none */
        return false;
    /* an empty first dependency has index and version 0 */
    return p[16] != 0 || (p[17] == 0 && u16le(p + 18) == 0);
}

bool sim_module_read(const unsigned char *data, size_t size, sim_module_info *out)
{
    static const size_t offsets[] = {0, 0x200, 0x184, 0xC0, 0x10C};
    if (!data || size < SUFFIX_TAIL)
        return false;
    for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
        if (!prefix_plausible(data, size, offsets[i]))
            continue;
        const unsigned char *p = data + offsets[i];
        out->platform_id = u16le(p + 12);
        out->module_function = p[14];
        const unsigned char *sha = data + size - SUFFIX_TAIL;
        for (int b = 0; b < 32; b++)
            snprintf(out->app_hash + 2 * b, 3, "%02X", sha[b]);
        return true;
    }
    return false;
}
